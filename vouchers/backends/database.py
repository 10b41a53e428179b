"""The database claim backend: in one transaction, the shopper's count under a per-(allocation, shopper)
lock, one conditional UPDATE of one of the allocation's budget buckets, then the inserts.

The budget is split over buckets (``vouchers.buckets``), so parallel claims of different shoppers charge
different rows instead of queueing on one. A shopper's own claims on one allocation are serialised by a
transaction-scoped advisory lock on PostgreSQL (SQLite serialises every write anyway): the count read after
it (READ COMMITTED: a new snapshot per statement) sees every claim of theirs committed before. The unique
(allocation, owner, seq) and the buckets' check constraints are the backstop.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from marketplace.core.errors import NotFound
from vouchers.backends import ClaimResult
from vouchers.buckets import charge_bucket
from vouchers.errors import BudgetExhausted, LimitReached, NotActive
from vouchers.ledger import record_reserve
from vouchers.models import Allocation, CampaignStatus, Voucher, new_voucher_code
from vouchers.ratelimit import check_claim_rate


def result_for(voucher: Voucher) -> ClaimResult:
    return ClaimResult(
        code=voucher.code,
        face_value=voucher.face_value,
        min_spend=voucher.min_spend,
        expires_at=voucher.expires_at,
        status=voucher.status,
        claim_id=voucher.claim_id,
        allocation_id=voucher.allocation_id,
    )


def _int4(number: int) -> int:
    """An id as a PostgreSQL int4 advisory-lock key (wrapped: a collision only serialises two pairs)."""
    return (number + 2**31) % 2**32 - 2**31


def serialise_shopper_claims(*, allocation_id: int, user_id: int) -> None:
    """Until the transaction ends, one claim at a time per shopper and allocation (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_int4(allocation_id), _int4(user_id)])


class DatabaseClaimBackend:
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
        if rate_limit_ip is not None:
            check_claim_rate(user_id=int(user.pk), ip=rate_limit_ip)
        if idempotent:
            existing = Voucher.objects.filter(claim_id=claim_id).first()
            if existing is not None:
                return result_for(existing)
        try:
            allocation = Allocation.objects.select_related("campaign").get(pk=allocation_id)
        except Allocation.DoesNotExist as exc:
            raise NotFound("No voucher allocation matches the given id.") from exc
        now = timezone.now()
        campaign = allocation.campaign
        if (
            campaign.status != CampaignStatus.ACTIVE
            or not allocation.claim_starts_at <= now < allocation.claim_ends_at
        ):
            raise NotActive()
        # Counted only under the shopper's lock: it costs no other shopper anything (no shared row lock).
        owned = Voucher.objects.filter(allocation_id=allocation.pk, owner=user)
        face = allocation.face_value
        try:
            with transaction.atomic():
                serialise_shopper_claims(allocation_id=allocation.pk, user_id=int(user.pk))
                if idempotent:
                    existing = Voucher.objects.filter(claim_id=claim_id).first()
                    if existing is not None:
                        return result_for(existing)  # the same claim committed while we waited
                count = owned.count()
                if count >= allocation.per_user_limit:
                    raise LimitReached()
                if not charge_bucket(allocation_id=allocation.pk, face_value=face):
                    raise BudgetExhausted()
                voucher = Voucher.objects.create(
                    code=new_voucher_code(),
                    owner=user,
                    allocation=allocation,
                    seq=count + 1,
                    per_user_limit=allocation.per_user_limit,
                    claim_id=claim_id,
                    face_value=face,
                    min_spend=allocation.min_spend,
                    claimed_at=now,
                    expires_at=min(now + timedelta(days=allocation.valid_days), campaign.ends_at),
                )
                record_reserve(voucher=voucher)
        except IntegrityError as exc:
            existing = Voucher.objects.filter(claim_id=claim_id).first()
            if existing is not None:
                return result_for(existing)  # the same idempotent claim won in parallel
            raise LimitReached() from exc
        return result_for(voucher)
