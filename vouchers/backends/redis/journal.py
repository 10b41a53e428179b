"""The journal: every claim the script acknowledged, by claim id, until it is in the database.

``journal_drain`` persists all of it (beat, recovery, before an allocation is loaded) and
``journal_drain_user`` one shopper's (their vouchers read, one used at checkout), each entry written
into the vouchers and the ledger idempotently by claim id. An entry leaves the journal only after its
database commit, so a crash in between replays it, which changes nothing.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from typing import Any

import redis
from django.db import IntegrityError, connection, transaction

from vouchers.backends.redis.keys import from_epoch, journal_key, pending_key
from vouchers.backends.redis.server import claims_client
from vouchers.ledger import ClaimRecord, persist_journaled_claim
from vouchers.models import Allocation

logger = logging.getLogger(__name__)


def _parse(claim_id: str, entry: str) -> ClaimRecord:
    allocation_id, user_id, seq, code, claimed_at, expires_at = entry.split("|")
    return ClaimRecord(
        claim_id=uuid.UUID(claim_id),
        allocation_id=int(allocation_id),
        user_id=int(user_id),
        seq=int(seq),
        code=code,
        claimed_at=from_epoch(claimed_at),
        expires_at=from_epoch(expires_at),
    )


def _persist_entries(client: redis.Redis, entries: Iterable[tuple[str, str]]) -> int:
    written = 0
    for claim_id, entry in entries:
        record = _parse(claim_id, entry)
        try:
            if persist_journaled_claim(record):
                written += 1
        except (IntegrityError, Allocation.DoesNotExist):
            # The database refused it (a constraint the fast path should have kept): keep it in the
            # journal for an operator, reported by reconcile_vouchers, and go on with the others.
            logger.exception("journal entry %s refused by the database", claim_id)
            continue
        # Only after the database commit: a crash before this replays the entry, which is a no-op. Inside
        # a caller's transaction (checkout) the entry stays in the journal until that transaction commits,
        # so a checkout that rolls back never loses the claim.
        forget = _forgetter(client, claim_id, record.user_id)
        if connection.in_atomic_block:
            transaction.on_commit(forget, robust=True)
        else:
            forget()
    return written


def _forgetter(client: redis.Redis, claim_id: str, user_id: int) -> Callable[[], None]:
    def forget() -> None:
        pipe = client.pipeline(transaction=True)
        pipe.hdel(journal_key(), claim_id)
        pipe.srem(pending_key(user_id), claim_id)
        pipe.execute()

    return forget


def journal_drain(
    *,
    batch_size: int = 500,
    max_batches: int | None = None,
    between_batches: Callable[[], None] | None = None,
) -> int:
    """Persist journaled claims into the database; idempotent by claim id. Returns how many were new."""
    client = claims_client()
    written = 0
    batches = 0
    cursor = 0
    while True:
        if between_batches is not None:
            between_batches()
        cursor, chunk = client.hscan(journal_key(), cursor=cursor, count=batch_size)
        pairs: dict[Any, Any] = chunk  # type: ignore[assignment]
        written += _persist_entries(client, [(str(k), str(v)) for k, v in pairs.items()])
        batches += 1
        if cursor == 0 or (max_batches is not None and batches >= max_batches):
            break
    return written


def journal_drain_user(*, user_id: int) -> int:
    """Persist one shopper's acknowledged claims now, so a voucher is usable the moment it is claimed."""
    client = claims_client()
    claim_ids = sorted(client.smembers(pending_key(user_id)))
    if not claim_ids:
        return 0
    values = client.hmget(journal_key(), claim_ids)
    entries = [(str(cid), str(entry)) for cid, entry in zip(claim_ids, values, strict=True) if entry]
    gone = [cid for cid, entry in zip(claim_ids, values, strict=True) if not entry]
    if gone:
        client.srem(pending_key(user_id), *gone)
    return _persist_entries(client, entries)


def journal_length() -> int:
    return int(claims_client().hlen(journal_key()))
