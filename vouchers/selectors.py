"""Reads of the voucher domain: the "issued" figure and the figures built on it, which order lines count
for a voucher, claimable allocations, own vouchers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from vouchers.models import Allocation, Campaign, CampaignStatus, Voucher, VoucherStatus

# --- the issued figure ------------------------------------------------------------------------------
# A voucher holds its face value of the allocation's budget while it is issued or redeemed; expiring or
# being voided gives the face value back (a cancelled order makes a redeemed voucher issued again).
ISSUED_STATUSES = (VoucherStatus.ISSUED, VoucherStatus.REDEEMED)


def voucher_issued_q(*, prefix: str = "") -> Q:
    """The vouchers that count as issued (``ISSUED_STATUSES``); ``prefix`` reaches them from another
    model, e.g. ``"vouchers__"`` from an allocation."""
    return Q(**{f"{prefix}status__in": ISSUED_STATUSES})


@dataclass(frozen=True, slots=True)
class VoucherCounts:
    issued: int  # vouchers that count as issued: issued or redeemed
    redeemed: int


def allocation_with_counts(*, queryset: QuerySet[Allocation]) -> QuerySet[Allocation]:
    """Annotate each allocation's ``issued_count`` and ``redeemed_count``, so that
    ``allocation_voucher_counts`` (and the figures built on it) read them without a query each."""
    return queryset.annotate(
        issued_count=Count("vouchers", filter=voucher_issued_q(prefix="vouchers__")),
        redeemed_count=Count("vouchers", filter=Q(vouchers__status=VoucherStatus.REDEEMED)),
    )


def allocation_voucher_counts(*, allocation: Any) -> VoucherCounts:
    """The allocation's vouchers that count as issued, and those redeemed: from the annotations of
    ``allocation_with_counts`` when it has them, else in one query."""
    issued = getattr(allocation, "issued_count", None)
    redeemed = getattr(allocation, "redeemed_count", None)
    if issued is None or redeemed is None:
        counts = allocation.vouchers.aggregate(
            issued=Count("id", filter=voucher_issued_q()),
            redeemed=Count("id", filter=Q(status=VoucherStatus.REDEEMED)),
        )
        issued, redeemed = counts["issued"], counts["redeemed"]
    return VoucherCounts(issued=issued, redeemed=redeemed)


def allocation_issued(*, allocation: Any, counts: VoucherCounts | None = None) -> Decimal:
    """An allocation's "issued" figure, defined here and nowhere else: its face value times its vouchers
    that count as issued (``voucher_issued_q``). The staff pages, the admin, the API, the chaos checks
    and ``reconcile_vouchers`` read it from here, and the campaign impact report sums the face values of
    the same vouchers; ``counts`` saves a query when the caller has them.

    It is read from the vouchers in the database (the redis backend's journal is drained into it). The
    budget buckets' sum and the ledger's reserves minus releases must equal it: those are the
    independent records ``vouchers.reconcile`` compares it with, not other definitions of it."""
    if counts is None:
        counts = allocation_voucher_counts(allocation=allocation)
    return Decimal(allocation.face_value * counts.issued)


@dataclass(frozen=True, slots=True)
class Figures:
    budget: Decimal
    issued: Decimal
    redeemed: Decimal
    remaining: Decimal
    issued_count: int
    redeemed_count: int


def allocation_figures(allocation: Any) -> Figures:
    """``issued`` (``allocation_issued``), ``redeemed`` = face x vouchers redeemed, ``remaining`` =
    budget - issued."""
    counts = allocation_voucher_counts(allocation=allocation)
    issued = allocation_issued(allocation=allocation, counts=counts)
    return Figures(
        budget=allocation.budget,
        issued=issued,
        redeemed=allocation.face_value * counts.redeemed,
        remaining=allocation.budget - issued,
        issued_count=counts.issued,
        redeemed_count=counts.redeemed,
    )


# --- which order lines count for a voucher ---------------------------------------------------------
class VoucherLine(Protocol):
    """What eligibility reads of a line: an order's (``orders.OrderLine``) or one about to be ordered."""

    @property
    def product_id(self) -> int: ...

    @property
    def category_id(self) -> int: ...

    @property
    def merchant_id(self) -> int: ...

    @property
    def line_total(self) -> Decimal: ...


@dataclass(frozen=True, slots=True)
class CandidateLine:
    """A line not in an order yet (what the demo plans to buy), for ``voucher_eligible_lines``."""

    product_id: int
    category_id: int
    merchant_id: int
    line_total: Decimal


LineT = TypeVar("LineT", bound=VoucherLine)


def voucher_eligible_lines(*, allocation: Allocation, lines: Iterable[LineT]) -> list[LineT]:
    """The lines a voucher of ``allocation`` counts, in their order; the one statement of the rule.

    A green voucher pays for green goods only, and only for the part of the market its allocation was
    given to: a line counts when its product is green certified today
    (``green_venue.selectors.green_certified_product_ids``) and lies inside the allocation's scope - its
    category or a subcategory of it, its merchant - when it has one. Checkout applies it
    (``voucher_eligibility``), the demo picks the products of its voucher orders with it and the chaos
    checks judge every discounted order by it."""
    from green_venue.selectors import green_certified_product_ids

    lines = list(lines)
    green = green_certified_product_ids(product_ids=[line.product_id for line in lines])
    category_ids: set[int] | None = None
    if allocation.category_id is not None:
        from marketplace.catalog.models import Category

        category_ids = {allocation.category_id} | set(
            Category.objects.filter(parent_id=allocation.category_id).values_list("id", flat=True)
        )
    return [
        line
        for line in lines
        if line.product_id in green
        and (category_ids is None or line.category_id in category_ids)
        and (allocation.merchant_id is None or line.merchant_id == allocation.merchant_id)
    ]


@dataclass(frozen=True, slots=True)
class VoucherEligibility:
    subtotal: Decimal  # the total of the lines the voucher counts
    min_spend: Decimal

    @property
    def covers_any_line(self) -> bool:
        return self.subtotal > 0

    @property
    def min_spend_met(self) -> bool:
        """The minimum spend is reached by the lines the voucher counts, not by the whole order."""
        return self.subtotal >= self.min_spend


def voucher_eligibility(*, voucher: Voucher, lines: Iterable[VoucherLine]) -> VoucherEligibility:
    """How ``voucher`` stands against an order of ``lines``: the total of the lines it counts
    (``voucher_eligible_lines``) beside its minimum spend (as it was when claimed)."""
    eligible = voucher_eligible_lines(allocation=voucher.allocation, lines=lines)
    return VoucherEligibility(
        subtotal=sum((line.line_total for line in eligible), Decimal(0)), min_spend=voucher.min_spend
    )


def campaign_allocations(*, campaign: Campaign) -> QuerySet[Allocation]:
    return allocation_with_counts(
        queryset=campaign.allocations.select_related("category", "merchant").order_by("id")
    )


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
    open_now = Allocation.objects.filter(
        campaign__status=CampaignStatus.ACTIVE, claim_starts_at__lte=now, claim_ends_at__gt=now
    )
    return allocation_with_counts(
        queryset=open_now.select_related("campaign", "category", "merchant").order_by("claim_ends_at", "id")
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
