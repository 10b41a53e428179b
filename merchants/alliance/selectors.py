"""Reads of the alliance: the member set (for the venue badge), the directory and leaderboard, and the
fetch half of the measured KPIs (``merchant_period_facts``)."""

from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.core.errors import NotFound
from merchants.alliance import kpis
from merchants.alliance.models import (
    LIVE_MEMBERSHIP_STATUSES,
    AllianceMembership,
    Commitment,
    Kpi,
    KpiDirection,
    MembershipStatus,
    ProgressReport,
)

PAID_STATUSES = ("paid", "shipped", "delivered")


def marketplace_today() -> datetime.date:
    return timezone.localtime(timezone.now(), zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def _local_date(moment: datetime.datetime | None) -> datetime.date:
    if moment is None:  # paid orders always have paid_at; a missing one counts on the epoch day
        return datetime.date.min
    return timezone.localtime(moment, zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()


# --- membership --------------------------------------------------------------------------------------


def alliance_member_merchant_ids() -> set[int]:
    """Ids of the merchants that are active alliance members now (the venue's member badge).

    Read from the database on every call, never cached: a suspended member loses the badge at once.
    """
    return set(
        AllianceMembership.objects.filter(status=MembershipStatus.ACTIVE).values_list(
            "merchant_id", flat=True
        )
    )


def membership_live_for(*, merchant: Any) -> AllianceMembership | None:
    return (
        AllianceMembership.objects.filter(merchant=merchant, status__in=LIVE_MEMBERSHIP_STATUSES)
        .order_by("-applied_at")
        .first()
    )


def membership_list(*, user: Any, status: str | None = None) -> QuerySet[AllianceMembership]:
    """Staff see every application; a merchant sees their own shop's."""
    queryset = AllianceMembership.objects.select_related("merchant", "merchant__city").prefetch_related(
        "history"
    )
    if not user.is_staff:
        merchant = getattr(user, "merchant", None) if user.is_authenticated else None
        if merchant is None:
            return queryset.none()
        queryset = queryset.filter(merchant=merchant)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def membership_get(*, membership_id: Any) -> AllianceMembership:
    try:
        return AllianceMembership.objects.select_related("merchant", "merchant__owner").get(pk=membership_id)
    except (AllianceMembership.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("No membership matches the given id.")) from exc


def membership_visible_to(*, membership: AllianceMembership, user: Any) -> bool:
    """Active members are public; other memberships are seen by their shop's owner and staff."""
    if membership.status == MembershipStatus.ACTIVE:
        return True
    if not user.is_authenticated:
        return False
    return bool(user.is_staff or membership.merchant.owner_id == user.pk)


def kpi_list() -> QuerySet[Kpi]:
    return Kpi.objects.filter(active=True)


def commitment_get(*, commitment_id: Any) -> Commitment:
    try:
        return Commitment.objects.select_related("kpi", "membership", "membership__merchant").get(
            pk=commitment_id
        )
    except (Commitment.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("No commitment matches the given id.")) from exc


# --- progress ---------------------------------------------------------------------------------------


def plan_of(commitment: Commitment) -> kpis.CommitmentPlan:
    return kpis.CommitmentPlan(
        baseline_value=commitment.baseline_value,
        baseline_date=commitment.baseline_date,
        target_value=commitment.target_value,
        target_date=commitment.target_date,
        higher_is_better=commitment.kpi.direction == KpiDirection.HIGHER,
    )


def commitment_progress(
    *, commitment: Commitment, today: datetime.date | None = None
) -> kpis.CommitmentProgress:
    """Status and history of a commitment from the reports of its KPI's source (measured KPIs count
    only platform reports). Uses prefetched ``reports`` when present."""
    points = [
        (report.period_end, report.value)
        for report in commitment.reports.all()
        if report.source == commitment.kpi.source
    ]
    return kpis.commitment_progress(plan_of(commitment), points, today=today or marketplace_today())


def _commitments_prefetch() -> Prefetch:
    return Prefetch(
        "commitments",
        queryset=Commitment.objects.select_related("kpi").prefetch_related(
            Prefetch("reports", queryset=ProgressReport.objects.order_by("period_end", "id"))
        ),
    )


def directory_members(*, ordering: str = "name", membership_id: Any = None) -> list[AllianceMembership]:
    """Active members (of open shops) with their commitments and progress, in a constant number of
    queries; ``membership_id`` narrows it to one member.

    ``ordering="progress"`` is the leaderboard: ranked by the mean progress of *platform-measured*
    commitments only (declarations never rank); members with no measured progress come last.
    """
    queryset = AllianceMembership.objects.filter(status=MembershipStatus.ACTIVE, merchant__status="active")
    if membership_id is not None:
        queryset = queryset.filter(pk=membership_id)
    members = list(
        queryset.select_related("merchant", "merchant__city")
        .prefetch_related(_commitments_prefetch())
        .order_by("merchant__name", "id")
    )
    today = marketplace_today()
    for member in members:
        progress: list[tuple[Commitment, kpis.CommitmentProgress]] = []
        measured: list[Decimal] = []
        for commitment in member.commitments.all():
            result = commitment_progress(commitment=commitment, today=today)
            progress.append((commitment, result))
            if commitment.kpi.source == "platform" and result.progress_percent is not None:
                measured.append(result.progress_percent)
        member.commitment_progress = progress  # type: ignore[attr-defined]
        member.measured_score = kpis.member_score(measured)  # type: ignore[attr-defined]
    if ordering == "progress":
        members.sort(
            key=lambda m: (m.measured_score is None, -(m.measured_score or 0), m.merchant.name)  # type: ignore[attr-defined]
        )
    return members


def directory_member(*, membership_id: Any) -> AllianceMembership:
    try:
        members = directory_members(membership_id=int(membership_id))
    except (ValueError, TypeError):
        members = []
    if not members:
        raise NotFound(_("No member matches the given id."))
    return members[0]


def active_commitments_to_measure() -> QuerySet[Commitment]:
    return Commitment.objects.filter(
        membership__status=MembershipStatus.ACTIVE, kpi__source="platform", kpi__active=True
    ).select_related("kpi", "membership__merchant")


# --- hard criteria (fetch) ----------------------------------------------------------------------------


def merchant_certified_product_count(*, merchant: Any, on: datetime.date | None = None) -> int:
    from green_venue.selectors import green_certified_q
    from marketplace.catalog.models import Product

    return Product.objects.filter(merchant=merchant).filter(green_certified_q(on=on)).count()


def merchant_recent_revocations(*, merchant: Any, days: int) -> int:
    """Certificates of the merchant revoked within the last ``days`` days (from the review log)."""
    from green_venue.models import Certificate, ReviewAction

    since = timezone.now() - datetime.timedelta(days=days)
    return (
        Certificate.objects.filter(
            merchant=merchant,
            review_entries__action=ReviewAction.REVOKED,
            review_entries__created_at__gte=since,
        )
        .distinct()
        .count()
    )


# --- measured KPIs (fetch) ----------------------------------------------------------------------------


def merchant_period_facts(
    *, merchant: Any, period_start: datetime.date, period_end: datetime.date
) -> kpis.MerchantPeriodFacts:
    """Load the numbers the measured KPIs of ``merchant`` over [period_start, period_end] read.

    Orders count when paid (and not cancelled since) within the period, in ``TIME_ZONE`` days; a line is
    certified when its product was green certified on the payment day; products are counted as certified
    at the end of the period (or today, if earlier).
    """
    from carbon.models import CarbonLabel
    from green_venue.selectors import green_certified_product_ids
    from marketplace.catalog.models import Product
    from marketplace.orders.models import Order, OrderLine, Shipment

    window_start, window_end = _day_start(period_start), _day_start(period_end + datetime.timedelta(days=1))
    snapshot_day = min(period_end, marketplace_today())

    active_products = Product.objects.filter(merchant=merchant, active=True).count()
    certified_products = merchant_certified_product_count(merchant=merchant, on=snapshot_day)
    shipments = Shipment.objects.filter(
        merchant=merchant, shipped_at__gte=window_start, shipped_at__lt=window_end
    ).count()

    order_ids = list(
        Order.objects.filter(
            status__in=PAID_STATUSES,
            paid_at__gte=window_start,
            paid_at__lt=window_end,
            lines__merchant=merchant,
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    lines = list(
        OrderLine.objects.filter(order_id__in=order_ids, merchant=merchant).values_list(
            "order_id", "product_id", "line_total", "order__paid_at", "order__packaging"
        )
    )
    order_subtotals = dict(
        OrderLine.objects.filter(order_id__in=order_ids)
        .values("order_id")
        .annotate(total=Sum("line_total"))
        .values_list("order_id", "total")
    )
    products_by_day: dict[datetime.date, set[int]] = defaultdict(set)
    for _order_id, product_id, _total, paid_at, _packaging in lines:
        products_by_day[_local_date(paid_at)].add(product_id)
    certified_on: dict[datetime.date, set[int]] = {
        day: green_certified_product_ids(product_ids=ids, on=day) for day, ids in products_by_day.items()
    }
    labels = {
        order_id: (total, saving)
        for order_id, total, saving in CarbonLabel.objects.filter(
            order_id__in=order_ids, factor_set__is_active=True
        ).values_list("order_id", "total_kgco2e", "saving_kgco2e")
    }

    per_order: dict[int, dict[str, Any]] = {}
    for order_id, product_id, line_total, paid_at, packaging in lines:
        entry = per_order.setdefault(
            order_id, {"packaging": packaging, "merchant": Decimal(0), "certified": Decimal(0)}
        )
        entry["merchant"] += line_total
        if product_id in certified_on[_local_date(paid_at)]:
            entry["certified"] += line_total
    orders = tuple(
        kpis.OrderFacts(
            order_id=order_id,
            packaging=entry["packaging"],
            merchant_subtotal=entry["merchant"],
            order_subtotal=order_subtotals.get(order_id) or entry["merchant"],
            certified_subtotal=entry["certified"],
            label_total_kg=labels.get(order_id, (None, None))[0],
            label_saving_kg=labels.get(order_id, (None, None))[1],
        )
        for order_id, entry in sorted(per_order.items())
    )
    return kpis.MerchantPeriodFacts(
        active_products=active_products,
        certified_products=certified_products,
        vehicle=merchant.last_mile_vehicle,
        shipments=shipments,
        orders=orders,
    )


def facts_as_json(facts: kpis.MerchantPeriodFacts) -> dict[str, Any]:
    """The fetched numbers, JSON-safe (Decimals as exact strings), stored with each measured report."""

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: clean(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [clean(item) for item in value]
        if isinstance(value, Decimal):
            return str(value)
        return value

    return clean(asdict(facts))
