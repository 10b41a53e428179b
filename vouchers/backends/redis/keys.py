"""The claims Redis's key names, all under ``VOUCHER_REDIS_PREFIX``, and how values are written in them:
amounts in whole cents, moments in epoch seconds (what the Lua scripts compare)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from django.conf import settings

CENTS = Decimal(100)


def prefixed(suffix: str) -> str:
    return f"{settings.VOUCHER_REDIS_PREFIX}{suffix}"


def open_key() -> str:
    return prefixed("open")


def journal_key() -> str:
    return prefixed("journal")


def allocation_key(allocation_id: int) -> str:
    return prefixed(f"a:{allocation_id}")


def released_key(allocation_id: int) -> str:
    return prefixed(f"a:{allocation_id}:rel")


def campaign_key(campaign_id: int) -> str:
    return prefixed(f"c:{campaign_id}")


def user_counts_key(allocation_id: int) -> str:
    """Hash user id -> vouchers claimed from the allocation (any state), plus ``_loaded``."""
    return prefixed(f"a:{allocation_id}:users")


def pending_key(user_id: int) -> str:
    return prefixed(f"p:{user_id}")


def idempotency_key(claim_id: uuid.UUID) -> str:
    return prefixed(f"i:{claim_id}")


def token_key(token: str) -> str:
    return prefixed(f"t:{token}")


def to_cents(amount: Decimal) -> int:
    return int(amount * CENTS)


def from_cents(cents: int | str) -> Decimal:
    return Decimal(int(cents)) / CENTS


def to_epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def from_epoch(seconds: int | str) -> datetime:
    return datetime.fromtimestamp(int(seconds), tz=UTC)
