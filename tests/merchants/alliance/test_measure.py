"""Measured KPIs against a hand-computed fixture, through the real fetch (selectors) and the service."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from carbon.models import FactorSet
from green_venue.models import Certificate
from merchants.alliance import kpis, selectors, services, tasks
from merchants.alliance.models import ProgressReport
from tests.factories import MerchantFactory, ProductFactory
from tests.green_venue.factories import certified_product
from tests.merchants.alliance.factories import active_member, commitment, label, paid_order

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def shop():
    """One shop, its period (the last 20 days) and the figures a person computes by hand.

    Products: p1, p2 certified (p2 only from 4 days ago), p3 plain, p4 inactive -> 2 of 3 active certified.
    Orders paid in the period (ours):
      o1  p1 x1 = 100   recycled   label 3.0 kg, saving 1.0   certified at payment
      o2  p3 x3 = 150 (+ another shop's 300)  standard  label 8.0 / saving 2.0 -> ours 1/3
      o3  p2 x1 = 100   none       no label (and one of an old factor set, ignored)   certified at payment
      o7  p2 x1 = 100   reusable   paid 12 days ago, before p2's certificate -> not certified
    Not counted: a cancelled order, one paid before the period, one pending payment.
    """
    today = selectors.marketplace_today()
    day = lambda n: today - datetime.timedelta(days=n)  # noqa: E731
    merchant = MerchantFactory(last_mile_vehicle="cargo_bike")
    p1 = certified_product(merchant=merchant, price=D("100.00"))[0]
    p2, certificate = certified_product(merchant=merchant, price=D("100.00"))
    Certificate.objects.filter(pk=certificate.pk).update(valid_from=day(4))
    p3 = ProductFactory(merchant=merchant, price=D("50.00"))
    ProductFactory(merchant=merchant, price=D("10.00"), active=False)
    other = ProductFactory(price=D("300.00"))

    o1 = paid_order((p1, 1), paid_on=day(10), packaging="recycled", shipped_on=day(9), status="shipped")
    o2 = paid_order((p3, 3), (other, 1), paid_on=day(5))
    o3 = paid_order((p2, 1), paid_on=day(3), packaging="none", shipped_on=day(2), status="delivered")
    paid_order((p2, 1), paid_on=day(12), packaging="reusable")
    paid_order((p1, 5), paid_on=day(6), status="cancelled")
    paid_order((p1, 5), paid_on=day(25), packaging="recycled")
    paid_order((p1, 5), paid_on=day(2), status="pending_payment")
    label(o1, total="3.0", saving="1.0")
    label(o2, total="8.0", saving="2.0")
    old = FactorSet.objects.create(version="old-test", is_active=False)
    label(o3, total="50.0", saving="0", factor_set=old)
    return merchant, day(20), today


EXPECTED = {
    kpis.CERTIFIED_PRODUCT_SHARE: D("66.67"),  # 2 / 3
    kpis.GREEN_PACKAGING_ORDER_SHARE: D("75.00"),  # o1, o3, o7 of 4
    kpis.KGCO2E_PER_ORDER: D("2.8333"),  # (3.0 + 8.0 x 150/450) / 2
    kpis.SAVING_KGCO2E_PER_ORDER: D("0.8333"),  # (1.0 + 2.0 / 3) / 2
    kpis.CERTIFIED_SALES_SHARE: D("44.44"),  # (100 + 100) / (100 + 150 + 100 + 100)
    kpis.CLEAN_LAST_MILE_SHARE: D("100.00"),  # 2 shipments shipped in the period, by cargo bike
}


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_each_measured_kpi_matches_the_hand_computed_fixture(shop, code):
    merchant, start, end = shop
    facts = selectors.merchant_period_facts(merchant=merchant, period_start=start, period_end=end)
    assert kpis.measure(code, facts) == EXPECTED[code]


def test_diesel_van_deliveries_are_not_clean(shop):
    merchant, start, end = shop
    merchant.last_mile_vehicle = "diesel_van"
    merchant.save()
    facts = selectors.merchant_period_facts(merchant=merchant, period_start=start, period_end=end)
    assert kpis.clean_last_mile_share(facts) == D("0.00")


def test_measurement_appends_one_report_per_commitment_and_is_idempotent(shop):
    merchant, start, end = shop
    membership = active_member(merchant)
    commitments = {code: commitment(membership, code) for code in EXPECTED}
    declared = commitment(membership, "renewable_electricity_share")

    services.membership_measure(membership_id=membership.pk, period_start=start, period_end=end)
    services.membership_measure(membership_id=membership.pk, period_start=start, period_end=end)

    reports = ProgressReport.objects.filter(commitment__membership=membership)
    assert reports.count() == len(EXPECTED)
    for code, item in commitments.items():
        report = reports.get(commitment=item)
        assert (report.value, report.source) == (EXPECTED[code], "platform")
        assert report.inputs["facts"]["active_products"] == 3
        # Reproducible: the stored inputs give the stored value again, with no database.
        assert kpis.measure(code, kpis.facts_from_json(report.inputs["facts"])) == report.value
    assert not reports.filter(commitment=declared).exists()


def test_suspended_members_are_not_measured(shop):
    merchant, start, end = shop
    membership = active_member(merchant)
    commitment(membership, kpis.CERTIFIED_PRODUCT_SHARE)
    membership.status = "suspended"
    membership.save()
    services.alliance_measure_progress(period_start=start, period_end=end)
    assert not ProgressReport.objects.exists()


def test_monthly_task_measures_last_month_once():
    today = selectors.marketplace_today()
    start, end = kpis.previous_month(today)
    merchant = MerchantFactory(last_mile_vehicle="electric_van")
    product = ProductFactory(merchant=merchant)
    mid = start + datetime.timedelta(days=14)
    paid_order((product, 1), paid_on=mid, shipped_on=mid, status="shipped")
    membership = active_member(merchant)
    item = commitment(membership, kpis.CLEAN_LAST_MILE_SHARE)

    assert tasks.measure_progress.delay().get() == 1
    tasks.measure_progress.delay()

    report = ProgressReport.objects.get(commitment=item)
    assert (report.period_start, report.period_end, report.value) == (start, end, D("100.00"))


def test_staff_measure_on_demand_and_nobody_else(shop):
    from tests.conftest import client_for
    from tests.factories import StaffFactory

    merchant, start, end = shop
    membership = active_member(merchant)
    commitment(membership, kpis.CERTIFIED_SALES_SHARE)
    url = f"/api/v1/alliance/memberships/{membership.pk}/measure/"
    payload = {"period_start": start.isoformat(), "period_end": end.isoformat()}

    assert client_for(merchant.owner).post(url, payload).status_code == 403
    staff = client_for(StaffFactory())
    future = {**payload, "period_end": (end + datetime.timedelta(days=1)).isoformat()}
    assert staff.post(url, future).status_code == 400
    for _ in range(2):
        response = staff.post(url, payload)
        assert response.status_code == 200, response.content
        assert [(item["value"], item["source"]) for item in response.json()] == [("44.4400", "platform")]
    assert ProgressReport.objects.count() == 1
