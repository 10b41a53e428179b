"""The pure KPI and status math, without a database (hand-computed figures)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from merchants.alliance import kpis
from merchants.alliance.kpis import CommitmentPlan, MerchantPeriodFacts, OrderFacts

D = Decimal


def _order(order_id: int, packaging: str, mine: str, whole: str, certified: str, kg=None, saving=None):
    return OrderFacts(
        order_id=order_id,
        packaging=packaging,
        merchant_subtotal=D(mine),
        order_subtotal=D(whole),
        certified_subtotal=D(certified),
        label_total_kg=None if kg is None else D(kg),
        label_saving_kg=None if saving is None else D(saving),
    )


FACTS = MerchantPeriodFacts(
    active_products=8,
    certified_products=3,
    vehicle="electric_van",
    shipments=4,
    orders=(
        _order(1, "recycled", "100.00", "100.00", "100.00", kg="2.0000", saving="1.0000"),
        _order(2, "standard", "50.00", "200.00", "0.00", kg="8.0000", saving="4.0000"),  # a quarter is ours
        _order(3, "none", "30.00", "30.00", "10.00"),  # no label yet
    ),
)


def test_certified_product_share_is_certified_over_active():
    assert kpis.certified_product_share(FACTS) == D("37.50")  # 3 / 8


def test_green_packaging_share_counts_recycled_reusable_and_none():
    assert kpis.green_packaging_order_share(FACTS) == D("66.67")  # 2 of 3 orders


def test_kgco2e_per_order_splits_shared_orders_and_skips_unlabelled():
    # order 1: 2.0 kg, all ours; order 2: 8.0 kg x 50/200 = 2.0 kg; order 3 has no label -> mean of 2.0, 2.0
    assert kpis.kgco2e_per_order(FACTS) == D("2.0000")
    # savings: 1.0 and 4.0 x 1/4 = 1.0
    assert kpis.saving_kgco2e_per_order(FACTS) == D("1.0000")


def test_certified_sales_share_is_certified_gmv_over_paid_gmv():
    # (100 + 0 + 10) / (100 + 50 + 30) = 110 / 180
    assert kpis.certified_sales_share(FACTS) == D("61.11")


def test_clean_last_mile_share_follows_the_vehicle():
    assert kpis.clean_last_mile_share(FACTS) == D("100.00")
    diesel = MerchantPeriodFacts(active_products=1, certified_products=0, vehicle="diesel_van", shipments=3)
    assert kpis.clean_last_mile_share(diesel) == D("0.00")


def test_nothing_to_measure_gives_no_value():
    empty = MerchantPeriodFacts(active_products=0, certified_products=0, vehicle="cargo_bike", shipments=0)
    for code in kpis.MEASURES:
        assert kpis.measure(code, empty) is None


HIGHER = CommitmentPlan(D("20"), datetime.date(2026, 1, 1), D("60"), datetime.date(2026, 12, 31), True)
LOWER = CommitmentPlan(D("10"), datetime.date(2026, 1, 1), D("5"), datetime.date(2026, 12, 31), False)
MID = datetime.date(2026, 7, 2)  # 182 of 364 days: the straight line is half-way


@pytest.mark.parametrize(
    ("plan", "value", "today", "status"),
    [
        (HIGHER, "40", MID, kpis.ON_TRACK),  # exactly on the line
        (HIGHER, "39.9", MID, kpis.OFF_TRACK),
        (HIGHER, "60", MID, kpis.ACHIEVED),
        (HIGHER, "59", datetime.date(2027, 1, 1), kpis.MISSED),
        (LOWER, "7.5", MID, kpis.ON_TRACK),
        (LOWER, "7.6", MID, kpis.OFF_TRACK),
        (LOWER, "5", MID, kpis.ACHIEVED),
        (LOWER, "4.9", datetime.date(2027, 6, 1), kpis.ACHIEVED),
        (LOWER, "6", datetime.date(2027, 1, 1), kpis.MISSED),
    ],
)
def test_commitment_status_respects_direction(plan, value, today, status):
    result = kpis.commitment_progress(plan, [(MID, D(value))], today=today)
    assert result.status == status


def test_latest_value_decides_and_history_is_sorted():
    points = [(MID, D("45")), (datetime.date(2026, 3, 31), D("25"))]
    result = kpis.commitment_progress(HIGHER, points, today=MID)
    assert result.latest_value == D("45")
    assert [day for day, _ in result.history] == [datetime.date(2026, 3, 31), MID]
    assert result.progress_percent == D("62.50")  # (45 - 20) / (60 - 20)
    assert result.expected_value == D("40.0000")


def test_no_reports_is_no_data_then_missed():
    assert kpis.commitment_progress(HIGHER, [], today=MID).status == kpis.NO_DATA
    assert kpis.commitment_progress(HIGHER, [], today=datetime.date(2027, 1, 1)).status == kpis.MISSED


def test_member_score_caps_overachievement():
    assert kpis.member_score([D("150"), D("50")]) == D("75.00")
    assert kpis.member_score([]) is None


def test_previous_month_bounds():
    assert kpis.previous_month(datetime.date(2026, 3, 15)) == (
        datetime.date(2026, 2, 1),
        datetime.date(2026, 2, 28),
    )
    assert kpis.previous_month(datetime.date(2026, 1, 1)) == (
        datetime.date(2025, 12, 1),
        datetime.date(2025, 12, 31),
    )


@given(
    baseline=st.decimals(min_value=0, max_value=100, places=2),
    delta=st.decimals(min_value=D("0.01"), max_value=100, places=2),
    days=st.integers(min_value=0, max_value=400),
)
def test_the_line_runs_from_baseline_to_target(baseline, delta, days):
    plan = CommitmentPlan(
        baseline, datetime.date(2026, 1, 1), baseline + delta, datetime.date(2026, 12, 31), True
    )
    on = datetime.date(2026, 1, 1) + datetime.timedelta(days=days)
    expected = kpis.expected_value(plan, on)
    assert baseline <= expected <= baseline + delta
    # A value exactly on the line is on track (or achieved at the end).
    status = kpis.commitment_progress(plan, [(on, expected)], today=on).status
    assert status in (kpis.ON_TRACK, kpis.ACHIEVED)
