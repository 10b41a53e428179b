"""Pure KPI and commitment-status math (fetch, then compute: docs/architecture.md).

Nothing here touches the database: ``selectors.merchant_period_facts`` fetches the numbers into the
dataclasses below, and these functions turn them into KPI values. A measured value is therefore
reproducible from the ``inputs`` stored beside it on the progress report.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

# --- the catalogue's codes (rows are seeded by migration merchants 0003) ---------------------------
CERTIFIED_PRODUCT_SHARE = "certified_product_share"
GREEN_PACKAGING_ORDER_SHARE = "green_packaging_order_share"
KGCO2E_PER_ORDER = "kgco2e_per_order"
SAVING_KGCO2E_PER_ORDER = "saving_kgco2e_per_order"
CERTIFIED_SALES_SHARE = "certified_sales_share"
CLEAN_LAST_MILE_SHARE = "clean_last_mile_share"
RENEWABLE_ELECTRICITY_SHARE = "renewable_electricity_share"
RECYCLED_PACKAGING_MATERIAL_SHARE = "recycled_packaging_material_share"
SCOPE_1_2_EMISSIONS = "scope_1_2_emissions"

GREEN_PACKAGING = frozenset({"recycled", "reusable", "none"})
CLEAN_VEHICLES = frozenset({"electric_van", "cargo_bike"})

SHARE_PLACES = Decimal("0.01")
KG_PLACES = Decimal("0.0001")
HUNDRED = Decimal(100)
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """One paid order as far as one merchant is concerned."""

    order_id: int
    packaging: str
    merchant_subtotal: Decimal  # the merchant's lines
    order_subtotal: Decimal  # all lines of the order (all merchants)
    certified_subtotal: Decimal  # the merchant's lines of products green certified on the payment day
    label_total_kg: Decimal | None = None  # label of the active factor set, if computed
    label_saving_kg: Decimal | None = None


@dataclass(frozen=True, slots=True)
class MerchantPeriodFacts:
    """Everything the measured KPIs of one merchant over one period read."""

    active_products: int
    certified_products: int  # active and green certified at the end of the period
    vehicle: str
    shipments: int  # the merchant's shipments shipped in the period
    orders: tuple[OrderFacts, ...] = field(default_factory=tuple)


def facts_from_json(data: dict[str, Any]) -> MerchantPeriodFacts:
    """Rebuild the facts stored with a measured report (Decimals were stored as exact strings)."""

    def decimal(value: Any) -> Decimal | None:
        return None if value is None else Decimal(value)

    orders = tuple(
        OrderFacts(
            order_id=item["order_id"],
            packaging=item["packaging"],
            merchant_subtotal=Decimal(item["merchant_subtotal"]),
            order_subtotal=Decimal(item["order_subtotal"]),
            certified_subtotal=Decimal(item["certified_subtotal"]),
            label_total_kg=decimal(item["label_total_kg"]),
            label_saving_kg=decimal(item["label_saving_kg"]),
        )
        for item in data["orders"]
    )
    return MerchantPeriodFacts(
        active_products=data["active_products"],
        certified_products=data["certified_products"],
        vehicle=data["vehicle"],
        shipments=data["shipments"],
        orders=orders,
    )


def share(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """``part / whole`` in percent, to 0.01; None when there is nothing to measure."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


def _attributed(kg: Decimal, order: OrderFacts) -> Decimal:
    """The merchant's part of an order's label, pro rata to its share of the order's subtotal."""
    if order.order_subtotal <= 0:
        return ZERO
    return kg * order.merchant_subtotal / order.order_subtotal


def certified_product_share(facts: MerchantPeriodFacts) -> Decimal | None:
    return share(facts.certified_products, facts.active_products)


def green_packaging_order_share(facts: MerchantPeriodFacts) -> Decimal | None:
    green = sum(1 for order in facts.orders if order.packaging in GREEN_PACKAGING)
    return share(green, len(facts.orders))


def _per_order(facts: MerchantPeriodFacts, kg_of: Callable[[OrderFacts], Decimal | None]) -> Decimal | None:
    labelled = [(order, kg_of(order)) for order in facts.orders]
    values = [_attributed(kg, order) for order, kg in labelled if kg is not None]
    if not values:
        return None
    return (sum(values, ZERO) / len(values)).quantize(KG_PLACES, rounding=ROUND_HALF_UP)


def kgco2e_per_order(facts: MerchantPeriodFacts) -> Decimal | None:
    """Mean kgCO2e per paid order (labels of the active factor set; shared orders split by subtotal)."""
    return _per_order(facts, lambda order: order.label_total_kg)


def saving_kgco2e_per_order(facts: MerchantPeriodFacts) -> Decimal | None:
    """Mean kgCO2e saved per paid order against the label's baseline (split as above)."""
    return _per_order(facts, lambda order: order.label_saving_kg)


def certified_sales_share(facts: MerchantPeriodFacts) -> Decimal | None:
    certified = sum((order.certified_subtotal for order in facts.orders), ZERO)
    total = sum((order.merchant_subtotal for order in facts.orders), ZERO)
    return share(certified, total)


def clean_last_mile_share(facts: MerchantPeriodFacts) -> Decimal | None:
    """Share of the period's deliveries made by electric van or cargo bike (the shop's vehicle)."""
    if not facts.shipments:
        return None
    clean = facts.shipments if facts.vehicle in CLEAN_VEHICLES else 0
    return share(clean, facts.shipments)


MEASURES: dict[str, Callable[[MerchantPeriodFacts], Decimal | None]] = {
    CERTIFIED_PRODUCT_SHARE: certified_product_share,
    GREEN_PACKAGING_ORDER_SHARE: green_packaging_order_share,
    KGCO2E_PER_ORDER: kgco2e_per_order,
    SAVING_KGCO2E_PER_ORDER: saving_kgco2e_per_order,
    CERTIFIED_SALES_SHARE: certified_sales_share,
    CLEAN_LAST_MILE_SHARE: clean_last_mile_share,
}


def measure(code: str, facts: MerchantPeriodFacts) -> Decimal | None:
    return MEASURES[code](facts)


# --- commitment status ------------------------------------------------------------------------------

ON_TRACK = "on_track"
OFF_TRACK = "off_track"
ACHIEVED = "achieved"
MISSED = "missed"
NO_DATA = "no_data"


@dataclass(frozen=True, slots=True)
class CommitmentPlan:
    baseline_value: Decimal
    baseline_date: datetime.date
    target_value: Decimal
    target_date: datetime.date
    higher_is_better: bool


@dataclass(frozen=True, slots=True)
class CommitmentProgress:
    status: str
    latest_value: Decimal | None
    latest_date: datetime.date | None
    expected_value: Decimal | None  # the straight line from baseline to target at the latest date
    progress_percent: Decimal | None  # share of the baseline-to-target distance covered
    history: tuple[tuple[datetime.date, Decimal], ...]


def _better_or_equal(value: Decimal, reference: Decimal, *, higher_is_better: bool) -> bool:
    return value >= reference if higher_is_better else value <= reference


def expected_value(plan: CommitmentPlan, on: datetime.date) -> Decimal:
    """The straight line from baseline to target at ``on`` (flat before the baseline and after the target)."""
    span = (plan.target_date - plan.baseline_date).days
    elapsed = min(max((on - plan.baseline_date).days, 0), span)
    fraction = Decimal(elapsed) / Decimal(span) if span > 0 else Decimal(1)
    return plan.baseline_value + (plan.target_value - plan.baseline_value) * fraction


def progress_percent(plan: CommitmentPlan, value: Decimal) -> Decimal | None:
    distance = plan.target_value - plan.baseline_value
    if distance == 0:
        return None
    return ((value - plan.baseline_value) * HUNDRED / distance).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


def commitment_progress(
    plan: CommitmentPlan, points: Sequence[tuple[datetime.date, Decimal]], *, today: datetime.date
) -> CommitmentProgress:
    """Status of a commitment from its reports, each dated by the end of its period.

    Achieved when the latest value meets the target; missed when the target date has passed without
    it; otherwise on track while the latest value is at or beyond the straight line from baseline to
    target at its date (direction respected), off track when it is behind it.
    """
    history = tuple(sorted(points, key=lambda point: point[0]))
    if not history:
        status = MISSED if today > plan.target_date else NO_DATA
        return CommitmentProgress(status, None, None, None, None, history)
    latest_date, latest = history[-1]
    expected = expected_value(plan, latest_date)
    higher = plan.higher_is_better
    if _better_or_equal(latest, plan.target_value, higher_is_better=higher):
        status = ACHIEVED
    elif today > plan.target_date:
        status = MISSED
    elif _better_or_equal(latest, expected, higher_is_better=higher):
        status = ON_TRACK
    else:
        status = OFF_TRACK
    return CommitmentProgress(
        status=status,
        latest_value=latest,
        latest_date=latest_date,
        expected_value=expected.quantize(KG_PLACES, rounding=ROUND_HALF_UP),
        progress_percent=progress_percent(plan, latest),
        history=history,
    )


def member_score(progress_values: Sequence[Decimal]) -> Decimal | None:
    """A member's leaderboard score: mean progress (capped at 100%) over measured commitments."""
    if not progress_values:
        return None
    capped = [min(value, HUNDRED) for value in progress_values]
    return (sum(capped, ZERO) / len(capped)).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


def month_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day of the month of ``day``."""
    start = day.replace(day=1)
    following = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, following - datetime.timedelta(days=1)


def previous_month(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    return month_bounds(day.replace(day=1) - datetime.timedelta(days=1))
