"""Reads of the voucher domain: figures (docs/domain.md, "Figures"), claimable allocations, own vouchers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from vouchers.models import Allocation, Campaign, CampaignStatus, Voucher, VoucherStatus


@dataclass(frozen=True, slots=True)
class Figures:
    budget: Decimal
    issued: Decimal
    redeemed: Decimal
    remaining: Decimal
    issued_count: int
    redeemed_count: int


def _with_counts(queryset: QuerySet[Allocation]) -> QuerySet[Allocation]:
    return queryset.annotate(
        live_count=Count(
            "vouchers", filter=Q(vouchers__status__in=[VoucherStatus.ISSUED, VoucherStatus.REDEEMED])
        ),
        redeemed_count=Count("vouchers", filter=Q(vouchers__status=VoucherStatus.REDEEMED)),
    )


def allocation_figures(allocation: Any) -> Figures:
    """``issued`` = face x vouchers issued or redeemed, ``redeemed`` = face x vouchers redeemed,
    ``remaining`` = budget - issued (from the database; the redis backend's journal is drained into it)."""
    live = getattr(allocation, "live_count", None)
    redeemed = getattr(allocation, "redeemed_count", None)
    if live is None or redeemed is None:
        counts = allocation.vouchers.aggregate(
            live=Count("id", filter=Q(status__in=[VoucherStatus.ISSUED, VoucherStatus.REDEEMED])),
            redeemed=Count("id", filter=Q(status=VoucherStatus.REDEEMED)),
        )
        live, redeemed = counts["live"], counts["redeemed"]
    issued = allocation.face_value * live
    return Figures(
        budget=allocation.budget,
        issued=issued,
        redeemed=allocation.face_value * redeemed,
        remaining=allocation.budget - issued,
        issued_count=live,
        redeemed_count=redeemed,
    )


def campaign_allocations(*, campaign: Campaign) -> QuerySet[Allocation]:
    return _with_counts(campaign.allocations.select_related("category", "merchant").order_by("id"))


def campaign_figures(campaign: Campaign) -> dict[str, Decimal]:
    issued = redeemed = remaining = Decimal(0)
    for allocation in campaign_allocations(campaign=campaign):
        figures = allocation_figures(allocation)
        issued += figures.issued
        redeemed += figures.redeemed
        remaining += figures.remaining
    return {
        "allocated": campaign.allocated,
        "unallocated": campaign.total_budget - campaign.allocated,
        "issued": issued,
        "redeemed": redeemed,
        "remaining": remaining,
    }


def campaign_list() -> QuerySet[Campaign]:
    return Campaign.objects.all()


def claimable_allocations() -> QuerySet[Allocation]:
    """Allocations a shopper can claim from now: active campaign, claim window open."""
    now = timezone.now()
    return _with_counts(
        Allocation.objects.filter(
            campaign__status=CampaignStatus.ACTIVE, claim_starts_at__lte=now, claim_ends_at__gt=now
        )
        .select_related("campaign", "category", "merchant")
        .order_by("claim_ends_at", "id")
    )


def voucher_list(*, user: Any, status: str | None = None) -> QuerySet[Voucher]:
    queryset = Voucher.objects.filter(owner=user).select_related(
        "allocation", "allocation__category", "allocation__merchant"
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def voucher_get_by_code(*, code: str) -> Voucher | None:
    """The voucher with this code, whoever owns it (staff pages), with what they show beside it."""
    return (
        Voucher.objects.select_related("owner", "allocation", "allocation__campaign")
        .filter(code=code)
        .first()
    )
