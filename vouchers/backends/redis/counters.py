"""Each allocation's counters in the claims Redis: its budget counter (``issued``, in cents), the claim
ids already released, and every shopper's count of its vouchers.

The counters are a copy of the database, loaded when the claim script finds them missing (a missing key
means "not loaded", never zero) or before a sale opens (``warming``). A release committed in the database
gives its face value back to the budget counter once, by claim id.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from decimal import Decimal

import redis
from django.db.models import Count

from vouchers.backends.redis.journal import journal_drain
from vouchers.backends.redis.keys import (
    allocation_key,
    from_cents,
    prefixed,
    released_key,
    to_cents,
    to_epoch,
    user_counts_key,
)
from vouchers.backends.redis.server import claims_client, run_script
from vouchers.ledger import ledger_net_by_allocation
from vouchers.models import Allocation, BudgetEntry, EntryKind, Voucher

logger = logging.getLogger(__name__)

USER_COUNT_BATCH = 1000


def load_allocation(client: redis.Redis, allocation_id: int) -> None:
    # No claim on this allocation can pass while its counters are missing, so once the journal is drained
    # the database holds every claim it ever had: the budget counter and every shopper's count.
    journal_drain()
    allocation = Allocation.objects.get(pk=allocation_id)
    net = ledger_net_by_allocation([allocation_id]).get(allocation_id, Decimal(0))
    released = released_claim_ids(allocation_id)
    staged = prefixed(f"a:{allocation_id}:users:staged:{secrets.token_hex(8)}")
    counts = (
        Voucher.objects.filter(allocation_id=allocation_id)
        .values_list("owner_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    batch: dict[str, int] = {}
    for owner_id, count in counts.iterator(chunk_size=USER_COUNT_BATCH):
        batch[str(owner_id)] = count
        if len(batch) >= USER_COUNT_BATCH:
            _stage_user_counts(client, staged, batch)
            batch = {}
    if batch:
        _stage_user_counts(client, staged, batch)
    run_script(
        client,
        "load_allocation",
        [allocation_key(allocation_id), released_key(allocation_id), user_counts_key(allocation_id), staged],
        [
            to_cents(allocation.budget),
            to_cents(allocation.face_value),
            to_cents(allocation.min_spend),
            allocation.per_user_limit,
            to_epoch(allocation.claim_starts_at),
            to_epoch(allocation.claim_ends_at),
            allocation.valid_days,
            to_cents(net),
            *released,
        ],
    )


def _stage_user_counts(client: redis.Redis, staged: str, batch: dict[str, int]) -> None:
    pipe = client.pipeline(transaction=False)
    pipe.hset(staged, mapping=batch)  # type: ignore[arg-type]
    pipe.expire(staged, 3600)  # a loader that dies leaves no garbage for long
    pipe.execute()


def released_claim_ids(allocation_id: int) -> list[str]:
    keys = BudgetEntry.objects.filter(allocation_id=allocation_id, kind=EntryKind.RELEASE).values_list(
        "key", flat=True
    )
    return [key.split(":", 1)[1] for key in keys]


def loaded_allocation_ids(client: redis.Redis) -> list[int]:
    """Ids of the allocation hashes (``a:<id>``, not their released sets or per-user counts)."""
    ids = []
    for key in client.scan_iter(match=prefixed("a:*"), count=1000):
        suffix = str(key)[len(prefixed("a:")) :]
        if suffix.isdigit():
            ids.append(int(suffix))
    return ids


def fast_counters() -> dict[int, Decimal]:
    """The claims Redis's budget counters (cents -> Decimal) of loaded allocations."""
    client = claims_client()
    result: dict[int, Decimal] = {}
    for allocation_id in loaded_allocation_ids(client):
        issued = client.hget(allocation_key(allocation_id), "issued")
        if issued is not None:
            result[allocation_id] = from_cents(int(issued))
    return result


def push_release(*, allocation_id: int, claim_id: uuid.UUID, face_value: Decimal) -> None:
    """After a release committed in the database: give the face value back to the fast counter, once.
    If Redis is unreachable the counter stays high (never overspends) until the next recovery."""
    try:
        run_script(
            claims_client(),
            "release",
            [allocation_key(allocation_id), released_key(allocation_id)],
            [str(claim_id), to_cents(face_value)],
        )
    except redis.RedisError as exc:
        logger.warning("release of claim %s not pushed to the claims Redis: %s", claim_id, exc)
