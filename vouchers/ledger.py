"""Writes to the budget ledger shared by both claim backends, the expiry task and staff voids.

Every write is idempotent by its ledger key, so a replayed journal entry or a retried task changes nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum

from vouchers.buckets import charge_bucket, release_to_bucket
from vouchers.models import Allocation, BudgetEntry, EntryKind, Voucher


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    """An acknowledged claim, as the redis backend journals it."""

    claim_id: uuid.UUID
    allocation_id: int
    user_id: int
    seq: int
    code: str
    claimed_at: datetime
    expires_at: datetime


def reserve_key(claim_id: uuid.UUID) -> str:
    return f"reserve:{claim_id}"


def release_key(claim_id: uuid.UUID) -> str:
    return f"release:{claim_id}"


def record_reserve(*, voucher: Voucher) -> None:
    BudgetEntry.objects.create(
        allocation_id=voucher.allocation_id,
        voucher=voucher,
        kind=EntryKind.RESERVE,
        amount=voucher.face_value,
        key=reserve_key(voucher.claim_id),
    )


def persist_journaled_claim(record: ClaimRecord) -> bool:
    """Write a claim the redis backend acknowledged: voucher row, reserve entry and a charge of one of
    the allocation's budget buckets, in one transaction. Returns False when it was already persisted."""
    if Voucher.objects.filter(claim_id=record.claim_id).exists():
        return False
    allocation = Allocation.objects.get(pk=record.allocation_id)
    try:
        with transaction.atomic():
            voucher = Voucher.objects.create(
                code=record.code,
                owner_id=record.user_id,
                allocation=allocation,
                seq=record.seq,
                per_user_limit=allocation.per_user_limit,
                claim_id=record.claim_id,
                face_value=allocation.face_value,
                min_spend=allocation.min_spend,
                claimed_at=record.claimed_at,
                expires_at=record.expires_at,
            )
            # Redis admitted the claim against the allocation's budget, and the buckets together admit
            # exactly as many vouchers, so one has room; none having any means the fast path was wrong:
            # refuse the entry (it stays in the journal for an operator) rather than overdraw.
            if not charge_bucket(allocation_id=allocation.pk, face_value=allocation.face_value):
                raise IntegrityError(
                    f"no budget bucket of allocation {allocation.pk} has room for claim {record.claim_id}"
                )
            record_reserve(voucher=voucher)
    except IntegrityError:
        if Voucher.objects.filter(claim_id=record.claim_id).exists():
            return False  # a parallel drain persisted it first
        raise
    return True


def release_voucher_budget(*, voucher: Voucher, reason: str) -> None:
    """Give an expired or voided voucher's face value back to one of its allocation's budget buckets
    (inside the caller's transaction, after the voucher's status changed by a conditional update)."""
    if not release_to_bucket(allocation_id=voucher.allocation_id, face_value=voucher.face_value):
        # Every reserve charged a bucket by this face value, so some bucket holds it: the data is wrong.
        raise IntegrityError(
            f"no budget bucket of allocation {voucher.allocation_id} holds voucher {voucher.pk}'s face value"
        )
    BudgetEntry.objects.create(
        allocation_id=voucher.allocation_id,
        voucher=voucher,
        kind=EntryKind.RELEASE,
        amount=voucher.face_value,
        key=release_key(voucher.claim_id),
        reason=reason,
    )


def ledger_net_by_allocation(allocation_ids: list[int] | None = None) -> dict[int, Decimal]:
    """reserves - releases per allocation, from the ledger alone."""
    entries = BudgetEntry.objects.filter(kind__in=[EntryKind.RESERVE, EntryKind.RELEASE])
    if allocation_ids is not None:
        entries = entries.filter(allocation_id__in=allocation_ids)
    rows = entries.values("allocation_id").annotate(
        reserved=Sum("amount", filter=Q(kind=EntryKind.RESERVE), default=Decimal(0)),
        released=Sum("amount", filter=Q(kind=EntryKind.RELEASE), default=Decimal(0)),
    )
    return {row["allocation_id"]: row["reserved"] - row["released"] for row in rows}
