"""The database claim backend: one conditional UPDATE of the allocation's counter, then the per-user
check and the inserts, in one transaction.

The UPDATE takes the allocation's row lock, so the per-user count read after it (READ COMMITTED: a new
snapshot per statement) sees every claim committed before; the unique (allocation, owner, seq) and the
check constraints are the backstop.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from marketplace.core.errors import NotFound
from vouchers.backends import ClaimResult
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
        owned = Voucher.objects.filter(allocation_id=allocation.pk, owner=user)
        if owned.count() >= allocation.per_user_limit:
            raise LimitReached()  # cheap early answer; re-checked under the lock below
        face = allocation.face_value
        try:
            with transaction.atomic():
                taken = Allocation.objects.filter(
                    pk=allocation.pk, issued_amount__lte=F("budget") - face
                ).update(issued_amount=F("issued_amount") + face)
                if not taken:
                    raise BudgetExhausted()
                count = owned.count()
                if count >= allocation.per_user_limit:
                    raise LimitReached()
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
