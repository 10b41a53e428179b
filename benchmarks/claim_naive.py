"""The naive claim, kept as the benchmark's baseline: one budget row (the benchmark creates this
allocation with a single budget bucket), locked with ``select_for_update``, checked in Python, saved, then
the inserts. Correct (the row lock serialises claims) but slow at a peak: every claim queues on that one
lock, held through the commit's fsync. Same authentication and answer as the real claim endpoint."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from vouchers.ledger import record_reserve
from vouchers.models import AllocationBucket, Voucher, new_voucher_code


class NaiveClaimApi(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request: Request, allocation_id: int) -> Response:
        now = timezone.now()
        with transaction.atomic():
            bucket = (
                AllocationBucket.objects.select_for_update(of=("self",))
                .select_related("allocation__campaign")
                .get(allocation_id=allocation_id, index=0)
            )
            allocation = bucket.allocation
            if allocation.campaign.status != "active" or not (
                allocation.claim_starts_at <= now < allocation.claim_ends_at
            ):
                return Response({"code": "not_active"}, status=409)
            if bucket.issued_amount + allocation.face_value > bucket.budget:
                return Response({"code": "budget_exhausted"}, status=409)
            count = Voucher.objects.filter(allocation=allocation, owner=request.user).count()
            if count >= allocation.per_user_limit:
                return Response({"code": "limit_reached"}, status=409)
            bucket.issued_amount += allocation.face_value
            bucket.save(update_fields=["issued_amount"])
            voucher = Voucher.objects.create(
                code=new_voucher_code(),
                owner=request.user,
                allocation=allocation,
                seq=count + 1,
                per_user_limit=allocation.per_user_limit,
                claim_id=uuid.uuid4(),
                face_value=allocation.face_value,
                min_spend=allocation.min_spend,
                claimed_at=now,
                expires_at=min(now + timedelta(days=allocation.valid_days), allocation.campaign.ends_at),
            )
            record_reserve(voucher=voucher)
        return Response(
            {
                "code": voucher.code,
                "face_value": str(voucher.face_value),
                "min_spend": str(voucher.min_spend),
                "expires_at": voucher.expires_at.isoformat(),
                "status": voucher.status,
            },
            status=201,
        )
