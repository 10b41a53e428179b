"""The campaign impact report's figures: pure functions over the fetched dataclasses (fetch, then compute).

Nothing here touches the database. ``carbon.reports.selectors.impact_inputs`` fetches a campaign's
aggregates into ``ImpactInputs``; ``compute_impact`` turns them into the ``ImpactReport`` the page, the
API and the CSV show, so the same numbers reach all three.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
CNY_PLACES = Decimal("0.01")
KG_PLACES = Decimal("0.0001")
SHARE_PLACES = Decimal("0.1")
HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class OrderGroup:
    """Counted orders (paid in the window, not cancelled) paid on ``day`` with one packaging choice."""

    day: datetime.date
    packaging: str
    orders: int
    gmv: Decimal  # sum of the orders' subtotals (before voucher discounts)
    discount: Decimal


@dataclass(frozen=True, slots=True)
class GreenDay:
    """Line totals of counted orders paid on ``day`` whose product was green certified that day."""

    day: datetime.date
    green_gmv: Decimal


@dataclass(frozen=True, slots=True)
class LabelDay:
    """Labels (active factor set) of counted orders paid on ``day``."""

    day: datetime.date
    labelled_orders: int
    kgco2e: Decimal
    baseline_kgco2e: Decimal
    saved_kgco2e: Decimal


@dataclass(frozen=True, slots=True)
class VoucherDay:
    """Vouchers of the campaign claimed on ``day`` (any state since) and redeemed on ``day`` (still
    redeemed: an order cancelled since gave its voucher back)."""

    day: datetime.date
    claimed: int = 0
    claimed_face: Decimal = ZERO
    redeemed: int = 0
    redeemed_face: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class VoucherTotals:
    """issued: the vouchers the issued figure counts (``vouchers.selectors.voucher_issued_q``);
    redeemed: the vouchers redeemed."""

    claimed: int
    issued: int
    issued_face: Decimal
    redeemed: int
    redeemed_face: Decimal


@dataclass(frozen=True, slots=True)
class ImpactInputs:
    campaign_id: int
    campaign_name: str
    campaign_status: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    total_budget: Decimal
    allocated: Decimal
    first_day: datetime.date  # the window's days in TIME_ZONE, up to today while it runs
    last_day: datetime.date
    factor_set: str | None
    packaging_choices: tuple[str, ...]
    orders: tuple[OrderGroup, ...]
    green: tuple[GreenDay, ...]
    labels: tuple[LabelDay, ...]
    vouchers: tuple[VoucherDay, ...]
    voucher_totals: VoucherTotals


@dataclass(frozen=True, slots=True)
class PackagingShare:
    packaging: str
    orders: int
    share_percent: Decimal


@dataclass(frozen=True, slots=True)
class DailyImpact:
    day: datetime.date
    orders: int
    gmv: Decimal
    green_gmv: Decimal
    discount: Decimal
    vouchers_claimed: int
    vouchers_claimed_face: Decimal
    vouchers_redeemed: int
    vouchers_redeemed_face: Decimal
    labelled_orders: int
    kgco2e: Decimal
    baseline_kgco2e: Decimal
    saved_kgco2e: Decimal


@dataclass(frozen=True, slots=True)
class ImpactReport:
    campaign_id: int
    campaign_name: str
    campaign_status: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    total_budget: Decimal
    allocated: Decimal
    factor_set: str | None
    orders: int
    gmv: Decimal
    green_gmv: Decimal
    green_share_percent: Decimal
    discount: Decimal
    vouchers_claimed: int
    vouchers_issued: int
    vouchers_issued_face: Decimal
    vouchers_redeemed: int
    vouchers_redeemed_face: Decimal
    labelled_orders: int
    kgco2e: Decimal
    baseline_kgco2e: Decimal
    saved_kgco2e: Decimal
    saved_percent: Decimal
    packaging: tuple[PackagingShare, ...]
    daily: tuple[DailyImpact, ...]


def share_percent(part: Decimal | int, whole: Decimal | int) -> Decimal:
    """``part`` as a percentage of ``whole`` to one place, half up; 0.0 of nothing."""
    if not whole:
        return ZERO.quantize(SHARE_PLACES)
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


def days_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    if last < first:
        return []
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def _cny(value: Decimal) -> Decimal:
    return value.quantize(CNY_PLACES)


def _kg(value: Decimal) -> Decimal:
    return value.quantize(KG_PLACES)


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


def daily_impact(inputs: ImpactInputs) -> tuple[DailyImpact, ...]:
    """One row per day of the window (days without activity are zeros), plus any day data fell on."""
    days = set(days_between(inputs.first_day, inputs.last_day))
    days |= {group.day for group in inputs.orders}
    days |= {row.day for row in inputs.green} | {row.day for row in inputs.labels}
    days |= {row.day for row in inputs.vouchers}
    groups: dict[datetime.date, list[OrderGroup]] = defaultdict(list)
    for group in inputs.orders:
        groups[group.day].append(group)
    green: dict[datetime.date, list[GreenDay]] = defaultdict(list)
    for green_day in inputs.green:
        green[green_day.day].append(green_day)
    labels: dict[datetime.date, list[LabelDay]] = defaultdict(list)
    for label_day in inputs.labels:
        labels[label_day.day].append(label_day)
    vouchers: dict[datetime.date, list[VoucherDay]] = defaultdict(list)
    for voucher_day in inputs.vouchers:
        vouchers[voucher_day.day].append(voucher_day)
    rows = []
    for day in sorted(days):
        rows.append(
            DailyImpact(
                day=day,
                orders=sum(group.orders for group in groups[day]),
                gmv=_cny(_sum(group.gmv for group in groups[day])),
                green_gmv=_cny(_sum(row.green_gmv for row in green[day])),
                discount=_cny(_sum(group.discount for group in groups[day])),
                vouchers_claimed=sum(row.claimed for row in vouchers[day]),
                vouchers_claimed_face=_cny(_sum(row.claimed_face for row in vouchers[day])),
                vouchers_redeemed=sum(row.redeemed for row in vouchers[day]),
                vouchers_redeemed_face=_cny(_sum(row.redeemed_face for row in vouchers[day])),
                labelled_orders=sum(row.labelled_orders for row in labels[day]),
                kgco2e=_kg(_sum(row.kgco2e for row in labels[day])),
                baseline_kgco2e=_kg(_sum(row.baseline_kgco2e for row in labels[day])),
                saved_kgco2e=_kg(_sum(row.saved_kgco2e for row in labels[day])),
            )
        )
    return tuple(rows)


def packaging_shares(inputs: ImpactInputs) -> tuple[PackagingShare, ...]:
    """Every packaging choice (zero when unused) with its count and share of the counted orders."""
    counts = {choice: 0 for choice in inputs.packaging_choices}
    for group in inputs.orders:
        counts[group.packaging] = counts.get(group.packaging, 0) + group.orders
    total = sum(counts.values())
    return tuple(
        PackagingShare(packaging=choice, orders=orders, share_percent=share_percent(orders, total))
        for choice, orders in counts.items()
    )


def compute_impact(inputs: ImpactInputs) -> ImpactReport:
    daily = daily_impact(inputs)
    gmv = _cny(_sum(row.gmv for row in daily))
    green_gmv = _cny(_sum(row.green_gmv for row in daily))
    baseline = _kg(_sum(row.baseline_kgco2e for row in daily))
    saved = _kg(_sum(row.saved_kgco2e for row in daily))
    totals = inputs.voucher_totals
    return ImpactReport(
        campaign_id=inputs.campaign_id,
        campaign_name=inputs.campaign_name,
        campaign_status=inputs.campaign_status,
        starts_at=inputs.starts_at,
        ends_at=inputs.ends_at,
        total_budget=_cny(inputs.total_budget),
        allocated=_cny(inputs.allocated),
        factor_set=inputs.factor_set,
        orders=sum(row.orders for row in daily),
        gmv=gmv,
        green_gmv=green_gmv,
        green_share_percent=share_percent(green_gmv, gmv),
        discount=_cny(_sum(row.discount for row in daily)),
        vouchers_claimed=totals.claimed,
        vouchers_issued=totals.issued,
        vouchers_issued_face=_cny(totals.issued_face),
        vouchers_redeemed=totals.redeemed,
        vouchers_redeemed_face=_cny(totals.redeemed_face),
        labelled_orders=sum(row.labelled_orders for row in daily),
        kgco2e=_kg(_sum(row.kgco2e for row in daily)),
        baseline_kgco2e=baseline,
        saved_kgco2e=saved,
        saved_percent=share_percent(saved, baseline),
        packaging=packaging_shares(inputs),
        daily=daily,
    )
