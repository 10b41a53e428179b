"""Stored answers of claims sent with an ``Idempotency-Key``: the same user and key within
``IDEMPOTENCY_TTL_SECONDS`` get the status and body of the first answer, errors included.

Stored in the cache (Redis in production). Whatever the store, a repeated claim can never issue a
second voucher: the claim id is derived from (user, key) and is unique in the journal and the database.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    allocation_id: int
    status: int
    body: dict[str, Any]


def _key(user_id: int, key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"claim-idem:{user_id}:{digest}"


def answer_get(*, user_id: int, key: str) -> StoredAnswer | None:
    raw = cache.get(_key(user_id, key))
    if not isinstance(raw, dict):
        return None
    return StoredAnswer(
        allocation_id=int(raw["allocation_id"]), status=int(raw["status"]), body=dict(raw["body"])
    )


def answer_put(*, user_id: int, key: str, answer: StoredAnswer) -> None:
    # add(): the first answer wins if two requests with the same key race.
    cache.add(
        _key(user_id, key),
        {"allocation_id": answer.allocation_id, "status": answer.status, "body": answer.body},
        settings.IDEMPOTENCY_TTL_SECONDS,
    )
