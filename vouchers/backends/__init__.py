"""Claim backends, chosen by ``VOUCHER_CLAIM_BACKEND``: ``database`` (a conditional UPDATE in
PostgreSQL) or ``redis`` (an atomic Lua script plus a durable journal, the ``redis`` package). Both keep
the same invariants and answer with the same ``ClaimResult``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from django.conf import settings


@dataclass(frozen=True, slots=True)
class ClaimResult:
    code: str
    face_value: Decimal
    min_spend: Decimal
    expires_at: datetime
    status: str
    claim_id: uuid.UUID
    allocation_id: int


class ClaimBackend(Protocol):
    def claim(
        self,
        *,
        user: Any,
        allocation_id: int,
        claim_id: uuid.UUID,
        idempotent: bool,
        rate_limit_ip: str | None = None,
        remember_token: str | None = None,
    ) -> ClaimResult:
        """Claim one voucher; ``rate_limit_ip`` (the client's address) applies the claim rate limits."""
        ...


def get_backend(name: str | None = None) -> ClaimBackend:
    name = name or settings.VOUCHER_CLAIM_BACKEND
    if name == "redis":
        from vouchers.backends.redis_journal import RedisClaimBackend

        return RedisClaimBackend()
    from vouchers.backends.database import DatabaseClaimBackend

    return DatabaseClaimBackend()
