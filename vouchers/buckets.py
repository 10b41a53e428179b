"""Budget buckets: an allocation's budget split over several rows, so parallel claims do not queue on one
hot row lock held through each commit's fsync (one row admits one claim per commit, however many wait).

Each bucket holds a whole number of vouchers, and together they admit exactly the floor(budget / face)
vouchers the allocation's budget covers (the remainder below one face value stays unissuable). A claim
charges one bucket with room in one conditional UPDATE, a release gives the face value back to one bucket
that holds at least that much; the check constraints 0 <= issued_amount <= budget on every bucket are the
law, the choice of bucket only a heuristic. The buckets' sum is the allocation's issued amount: there is no
other counter in the database.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Sum

from vouchers.models import Allocation, AllocationBucket


def bucket_budgets(*, budget: Decimal, face_value: Decimal, buckets: int) -> list[Decimal]:
    """The budgets of the buckets of an allocation: ``buckets`` of them, never more than the vouchers the
    budget covers, each the floor or the ceiling of its share of those vouchers, times the face value."""
    vouchers = int(budget // face_value)
    count = max(1, min(buckets, vouchers))
    share, extra = divmod(vouchers, count)
    return [face_value * (share + (1 if index < extra else 0)) for index in range(count)]


def create_buckets(*, allocation: Allocation, buckets: int | None = None) -> list[AllocationBucket]:
    """The buckets of a new allocation (in the caller's transaction); ``VOUCHER_BUDGET_BUCKETS`` of them
    unless ``buckets`` says otherwise."""
    budgets = bucket_budgets(
        budget=allocation.budget,
        face_value=allocation.face_value,
        buckets=settings.VOUCHER_BUDGET_BUCKETS if buckets is None else buckets,
    )
    return AllocationBucket.objects.bulk_create(
        AllocationBucket(allocation=allocation, index=index, budget=budget)
        for index, budget in enumerate(budgets)
    )


def allocation_issued_amount(allocation_id: int) -> Decimal:
    """Face x (issued + redeemed vouchers) of one allocation, as its buckets hold it."""
    total = AllocationBucket.objects.filter(allocation_id=allocation_id).aggregate(total=Sum("issued_amount"))
    return total["total"] or Decimal(0)


# Charge: a bucket with room for one more voucher. Release: a bucket holding at least one voucher's face.
_CHARGE = ("issued_amount + %s <= budget", "issued_amount + %s")
_RELEASE = ("issued_amount >= %s", "issued_amount - %s")


# How a statement picks its bucket: at random among the free ones (parallel claims spread out, nobody
# waits), or - when every bucket that qualifies is held - waiting for them in index order.
_SKIP_HELD = "ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED"
_WAIT_IN_ORDER = "ORDER BY index LIMIT 1 FOR UPDATE"
_SERIALISED = "ORDER BY random() LIMIT 1"  # SQLite: no row locks, every write serialised


class _NoBucket(Exception):
    """Rolls back a failed attempt's savepoint."""


def _move_one(*, allocation_id: int, amount: Decimal, change: tuple[str, str], pick: str) -> bool:
    """One statement: pick a bucket that qualifies, lock it and change it - re-checking the condition in
    the UPDATE itself, so a wrong pick can never overdraw."""
    table = connection.ops.quote_name(AllocationBucket._meta.db_table)
    qualifies, new_value = change
    # Only constants are formatted in (the table name and this module's fragments); values are parameters.
    sql = (
        f"UPDATE {table} SET issued_amount = {new_value} "  # noqa: S608
        f"WHERE id = (SELECT id FROM {table} WHERE allocation_id = %s AND {qualifies} {pick}) "
        f"AND {qualifies}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [amount, allocation_id, amount, amount])
        return cursor.rowcount == 1


def _any_qualifies(*, allocation_id: int, amount: Decimal, change: tuple[str, str]) -> bool:
    table = connection.ops.quote_name(AllocationBucket._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {table} WHERE allocation_id = %s AND {change[0]} LIMIT 1",  # noqa: S608
            [allocation_id, amount],
        )
        return cursor.fetchone() is not None


def _attempt(*, allocation_id: int, amount: Decimal, change: tuple[str, str], pick: str) -> bool:
    """``_move_one`` in a savepoint that a failure rolls back. A statement that finds a bucket full only
    after locking it (changed since its snapshot) keeps that lock, in random order on the free path; kept
    while waiting for another bucket, two waiters could each hold what the other waits for (a deadlock).
    Rolling back to the savepoint lets those locks go."""
    try:
        with transaction.atomic():
            if not _move_one(allocation_id=allocation_id, amount=amount, change=change, pick=pick):
                raise _NoBucket
    except _NoBucket:
        return False
    return True


def _move(*, allocation_id: int, amount: Decimal, change: tuple[str, str]) -> bool:
    """Change one qualifying bucket by ``amount``, inside the caller's transaction; False only when no
    bucket qualifies.

    First skip the buckets other transactions hold (they are busy with their claims: no queueing), then,
    when every qualifying bucket is held, wait for them in index order; answer False only when a fresh
    look finds no bucket that qualifies - never while a held bucket may still turn out to have room.
    SQLite (the embedded default) serialises writes, so one plain statement sees every bucket there.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("a budget bucket changes only inside the transaction that records why")
    if connection.vendor != "postgresql":
        return _move_one(allocation_id=allocation_id, amount=amount, change=change, pick=_SERIALISED)
    if _attempt(allocation_id=allocation_id, amount=amount, change=change, pick=_SKIP_HELD):
        return True
    while True:
        if _attempt(allocation_id=allocation_id, amount=amount, change=change, pick=_WAIT_IN_ORDER):
            return True
        if not _any_qualifies(allocation_id=allocation_id, amount=amount, change=change):
            return False


def charge_bucket(*, allocation_id: int, face_value: Decimal) -> bool:
    """Take one voucher's face value from a bucket with room (in the caller's transaction, whose commit
    releases the bucket's row lock). False when no bucket has room: the budget is exhausted."""
    return _move(allocation_id=allocation_id, amount=face_value, change=_CHARGE)


def release_to_bucket(*, allocation_id: int, face_value: Decimal) -> bool:
    """Give one voucher's face value back to a bucket holding at least that much. False when none does,
    which the ledger rules out (every reserve charged a bucket by the same face value)."""
    return _move(allocation_id=allocation_id, amount=face_value, change=_RELEASE)
