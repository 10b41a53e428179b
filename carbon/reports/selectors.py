"""Fetch for the campaign impact report: a fixed handful of aggregate queries, whatever the number of
orders, days or vouchers (fetch, then compute: the figures are computed by ``carbon.reports.impact``).

Which orders count: paid within the campaign's window ``[starts_at, ends_at)`` and not cancelled
(paid, shipped or delivered now). Days are calendar days in ``TIME_ZONE``.

When a line is "green": its product was green certified **on the day the order was paid** (in
``TIME_ZONE``), by the one definition ``green_venue.selectors.green_certified_q`` evaluated with that
day - so a certificate that has expired since still counts for the sales it covered, as the voucher
checkout judged them. A certificate revoked since, or a product or shop deactivated since, no longer
counts (the definition reads their current status; their history is not kept).
"""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from carbon.models import CarbonLabel, FactorSet
from carbon.reports.impact import (
    ZERO,
    GreenDay,
    ImpactInputs,
    ImpactReport,
    LabelDay,
    OrderGroup,
    VoucherDay,
    VoucherTotals,
    compute_impact,
)
from green_venue.selectors import green_certified_q
from marketplace.catalog.models import Product
from marketplace.orders.models import Order, OrderLine, OrderStatus, Packaging
from vouchers.models import Campaign, Voucher, VoucherStatus
from vouchers.selectors import voucher_issued_q

COUNTED_STATUSES = (OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.DELIVERED)


def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment, _zone()).date()


def campaign_orders(campaign: Campaign) -> QuerySet[Order]:
    return Order.objects.filter(
        status__in=COUNTED_STATUSES, paid_at__gte=campaign.starts_at, paid_at__lt=campaign.ends_at
    )


def _green_on_payment_day() -> Exists:
    """For an OrderLine annotated with ``paid_day``: its product was green certified that day.

    ``green_certified_q`` compares the certificates' dates with ``on``; given a reference to the outer
    line's ``paid_day`` (two levels out: certificate link -> product -> line) it judges every line on
    its own payment day in one query."""
    paid_day = OuterRef(OuterRef("paid_day"))
    green_product = Product.objects.filter(pk=OuterRef("product_id")).filter(
        green_certified_q(on=cast(Any, paid_day))
    )
    return Exists(green_product)


def _order_groups(orders: QuerySet[Order]) -> tuple[OrderGroup, ...]:
    rows = (
        orders.annotate(day=TruncDate("paid_at", tzinfo=_zone()))
        .values("day", "packaging")
        .annotate(orders=Count("id"), gmv=Sum("subtotal"), discount=Sum("discount"))
        .order_by("day", "packaging")
    )
    return tuple(
        OrderGroup(
            day=row["day"],
            packaging=row["packaging"],
            orders=row["orders"],
            gmv=row["gmv"] or ZERO,
            discount=row["discount"] or ZERO,
        )
        for row in rows
    )


def _green_days(orders: QuerySet[Order]) -> tuple[GreenDay, ...]:
    rows = (
        OrderLine.objects.filter(order__in=orders)
        .annotate(paid_day=TruncDate("order__paid_at", tzinfo=_zone()))
        .filter(_green_on_payment_day())
        .values("paid_day")
        .annotate(green_gmv=Sum("line_total"))
        .order_by("paid_day")
    )
    return tuple(GreenDay(day=row["paid_day"], green_gmv=row["green_gmv"] or ZERO) for row in rows)


def _label_days(orders: QuerySet[Order], factor_set_id: int | None) -> tuple[LabelDay, ...]:
    if factor_set_id is None:
        return ()
    rows = (
        CarbonLabel.objects.filter(factor_set_id=factor_set_id, order__in=orders)
        .annotate(day=TruncDate("order__paid_at", tzinfo=_zone()))
        .values("day")
        .annotate(
            labelled=Count("id"),
            kgco2e=Sum("total_kgco2e"),
            baseline=Sum("baseline_kgco2e"),
            saved=Sum("saving_kgco2e"),
        )
        .order_by("day")
    )
    return tuple(
        LabelDay(
            day=row["day"],
            labelled_orders=row["labelled"],
            kgco2e=row["kgco2e"] or ZERO,
            baseline_kgco2e=row["baseline"] or ZERO,
            saved_kgco2e=row["saved"] or ZERO,
        )
        for row in rows
    )


def _voucher_days(campaign: Campaign) -> tuple[VoucherDay, ...]:
    vouchers = Voucher.objects.filter(allocation__campaign=campaign)
    claimed = (
        vouchers.annotate(day=TruncDate("claimed_at", tzinfo=_zone()))
        .values("day")
        .annotate(count=Count("id"), face=Sum("face_value"))
        .order_by("day")
    )
    redeemed = (
        vouchers.filter(status=VoucherStatus.REDEEMED, redeemed_at__isnull=False)
        .annotate(day=TruncDate("redeemed_at", tzinfo=_zone()))
        .values("day")
        .annotate(count=Count("id"), face=Sum("face_value"))
        .order_by("day")
    )
    return tuple(
        VoucherDay(day=row["day"], claimed=row["count"], claimed_face=row["face"] or ZERO) for row in claimed
    ) + tuple(
        VoucherDay(day=row["day"], redeemed=row["count"], redeemed_face=row["face"] or ZERO)
        for row in redeemed
    )


def _voucher_totals(campaign: Campaign) -> VoucherTotals:
    # The vouchers the issued figure counts; summing their face values is the allocations' issued
    # figures added up (a voucher keeps its allocation's face value), in the report's one aggregate.
    live = voucher_issued_q()
    redeemed = Q(status=VoucherStatus.REDEEMED)
    row = Voucher.objects.filter(allocation__campaign=campaign).aggregate(
        claimed=Count("id"),
        issued=Count("id", filter=live),
        issued_face=Sum("face_value", filter=live),
        redeemed=Count("id", filter=redeemed),
        redeemed_face=Sum("face_value", filter=redeemed),
    )
    return VoucherTotals(
        claimed=row["claimed"],
        issued=row["issued"],
        issued_face=row["issued_face"] or ZERO,
        redeemed=row["redeemed"],
        redeemed_face=row["redeemed_face"] or ZERO,
    )


def impact_inputs(*, campaign: Campaign, now: datetime.datetime | None = None) -> ImpactInputs:
    """Everything the report reads, in seven queries."""
    moment = now or timezone.now()
    factor_set = FactorSet.objects.filter(is_active=True).values_list("pk", "version").first()
    orders = campaign_orders(campaign)
    last_moment = min(campaign.ends_at - datetime.timedelta(microseconds=1), moment)
    return ImpactInputs(
        campaign_id=campaign.pk,
        campaign_name=campaign.name,
        campaign_status=campaign.status,
        starts_at=campaign.starts_at,
        ends_at=campaign.ends_at,
        total_budget=Decimal(campaign.total_budget),
        allocated=Decimal(campaign.allocated),
        first_day=_local_day(campaign.starts_at),
        last_day=_local_day(last_moment),
        factor_set=factor_set[1] if factor_set else None,
        packaging_choices=tuple(Packaging.values),
        orders=_order_groups(orders),
        green=_green_days(orders),
        labels=_label_days(orders, factor_set[0] if factor_set else None),
        vouchers=_voucher_days(campaign),
        voucher_totals=_voucher_totals(campaign),
    )


def campaign_impact(*, campaign: Campaign, now: datetime.datetime | None = None) -> ImpactReport:
    return compute_impact(impact_inputs(campaign=campaign, now=now))


def impact_campaigns() -> QuerySet[Campaign]:
    """The campaigns the staff page offers, newest first."""
    return Campaign.objects.order_by("-starts_at", "-id")
