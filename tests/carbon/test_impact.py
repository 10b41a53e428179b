"""The campaign impact report: figures against the hand-computed fixture, who may see it, the CSV, the
charts and a query count that does not grow with the data."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carbon.reports import charts, selectors
from carbon.reports.impact import (
    ImpactInputs,
    OrderGroup,
    VoucherTotals,
    compute_impact,
    share_percent,
)
from marketplace.orders.models import OrderStatus
from tests.carbon.impact_fixture import ImpactFixture, impact_fixture, local, make_order, make_voucher
from tests.conftest import client_for
from tests.factories import StaffFactory, UserFactory
from vouchers.models import VoucherStatus

D = Decimal


@pytest.fixture
def fx(db) -> ImpactFixture:
    return impact_fixture()


# --- pure parts -----------------------------------------------------------------------------------


def test_share_percent_rounds_half_up_and_survives_nothing():
    assert share_percent(D("311.00"), D("471.00")) == D("66.0")
    assert share_percent(1, 8) == D("12.5")
    assert share_percent(1, 16) == D("6.3")
    assert share_percent(0, 0) == D("0.0")


def test_nice_maximum_gives_round_axes():
    assert charts.nice_maximum(D("0")) == D(1)
    assert charts.nice_maximum(D("311")) == D("500")
    assert charts.nice_maximum(D("200")) == D("200")
    assert charts.nice_maximum(D("0.7655")) == D("1.0")
    assert charts.nice_maximum(D("2100")) == D("2500")


def test_column_chart_stacks_series_and_scales_to_the_axis():
    chart = charts.column_chart(
        categories=["a", "b"],
        series=[
            charts.Series("green", "#0f0", (D("200"), D("0"))),
            charts.Series("other", "#999", (D("30"), D("-5"))),
        ],
        width=264,
        height=264,
    )
    # plot 200 x 200 px, axis up to 250: 200 -> 160 px, 30 -> 24 px; zero and negative values draw nothing
    assert [(rect.height, rect.colour) for rect in chart.rects] == [(D("160.0"), "#0f0"), (D("24.0"), "#999")]
    green, other = chart.rects
    assert green.y + green.height == chart.baseline_y
    assert other.y + other.height == green.y
    assert [tick.label for tick in chart.ticks] == ["0", "62.5", "125", "187.5", "250"]


def test_report_of_no_activity_has_every_day_and_every_packaging_at_zero():
    day = datetime.date(2026, 11, 1)
    report = compute_impact(
        ImpactInputs(
            campaign_id=1,
            campaign_name="Quiet",
            campaign_status="active",
            starts_at=datetime.datetime(2026, 10, 31, 16, tzinfo=datetime.UTC),
            ends_at=datetime.datetime(2026, 11, 3, 16, tzinfo=datetime.UTC),
            total_budget=D("100.00"),
            allocated=D("0.00"),
            first_day=day,
            last_day=day + datetime.timedelta(days=2),
            factor_set=None,
            packaging_choices=("standard", "recycled"),
            orders=(OrderGroup(day=day, packaging="standard", orders=0, gmv=D(0), discount=D(0)),),
            green=(),
            labels=(),
            vouchers=(),
            voucher_totals=VoucherTotals(
                claimed=0, issued=0, issued_face=D(0), redeemed=0, redeemed_face=D(0)
            ),
        )
    )
    assert [row.day.day for row in report.daily] == [1, 2, 3]
    assert report.gmv == D("0.00") and report.green_share_percent == D("0.0")
    assert report.saved_percent == D("0.0")
    assert [(share.packaging, share.orders) for share in report.packaging] == [
        ("standard", 0),
        ("recycled", 0),
    ]


# --- figures against the fixture ------------------------------------------------------------------


def test_figures_match_the_hand_computed_campaign(fx):
    report = selectors.campaign_impact(campaign=fx.campaign)

    assert report.orders == 4
    assert report.gmv == D("471.00")
    assert report.green_gmv == D("311.00")
    assert report.green_share_percent == D("66.0")
    assert report.discount == D("20.00")
    assert (report.vouchers_claimed, report.vouchers_issued, report.vouchers_issued_face) == (
        5,
        3,
        D("45.00"),
    )
    assert (report.vouchers_redeemed, report.vouchers_redeemed_face) == (1, D("20.00"))
    assert report.labelled_orders == 3
    assert report.kgco2e == D("5.2350")
    assert report.baseline_kgco2e == D("6.2500")
    assert report.saved_kgco2e == D("1.0150")
    assert report.saved_percent == D("16.2")
    assert report.factor_set == "2025.1"
    assert [(share.packaging, share.orders, share.share_percent) for share in report.packaging] == [
        ("standard", 1, D("25.0")),
        ("recycled", 2, D("50.0")),
        ("reusable", 0, D("0.0")),
        ("none", 1, D("25.0")),
    ]


def test_daily_series_counts_each_order_on_its_local_payment_day(fx):
    report = selectors.campaign_impact(campaign=fx.campaign)
    rows = [
        (
            row.day,
            row.orders,
            row.gmv,
            row.green_gmv,
            row.discount,
            row.vouchers_claimed,
            row.vouchers_claimed_face,
            row.vouchers_redeemed,
            row.vouchers_redeemed_face,
            row.labelled_orders,
            row.kgco2e,
            row.baseline_kgco2e,
            row.saved_kgco2e,
        )
        for row in report.daily
    ]
    day0, day1, day2 = fx.days
    assert rows == [
        (
            day0,
            1,
            D("230.00"),
            D("200.00"),
            D("20.00"),
            2,
            D("25.00"),
            1,
            D("20.00"),
            1,
            D("1.2345"),
            D("2.0000"),
            D("0.7655"),
        ),
        # O2 was paid at 07:00 local time, 23:00 UTC the day before: it counts on its local day.
        (
            day1,
            1,
            D("30.00"),
            D("0.00"),
            D("0.00"),
            1,
            D("20.00"),
            0,
            D("0.00"),
            0,
            D("0.0000"),
            D("0.0000"),
            D("0.0000"),
        ),
        (
            day2,
            2,
            D("211.00"),
            D("111.00"),
            D("0.00"),
            2,
            D("10.00"),
            0,
            D("0.00"),
            2,
            D("4.0005"),
            D("4.2500"),
            D("0.2495"),
        ),
    ]


def test_green_is_judged_on_the_payment_day_not_today(fx):
    """The certificate of ``expiring`` ended on day 1: O1 (day 0) counts as green, O3 (day 2) does not,
    although the product is not green today."""
    from green_venue.selectors import green_certified_product_ids

    expiring = fx.products["expiring"]
    assert green_certified_product_ids(product_ids=[expiring.pk]) == set()
    report = selectors.campaign_impact(campaign=fx.campaign)
    assert [row.green_gmv for row in report.daily] == [D("200.00"), D("0.00"), D("111.00")]


def test_query_count_does_not_grow_with_orders_days_or_vouchers(fx):
    with CaptureQueriesContext(connection) as before:
        selectors.campaign_impact(campaign=fx.campaign)
    green, plain = fx.products["green"], fx.products["plain"]
    allocation = fx.allocations["A"]
    for index, day in enumerate(fx.days):
        for hour in (13, 14, 15):
            make_order(
                user=fx.shopper,
                lines=[(green, 1), (plain, 2)],
                paid_at=local(day, hour),
                packaging="reusable",
            )
        make_voucher(allocation, UserFactory(), seq=1, claimed_at=local(day, 16 + index))
    with CaptureQueriesContext(connection) as after:
        report = selectors.campaign_impact(campaign=fx.campaign)
    assert report.orders == 4 + 9
    assert len(after) == len(before) <= 8


def test_cancelling_a_counted_order_takes_it_out(fx):
    fx.orders["O4"].status = OrderStatus.CANCELLED
    fx.orders["O4"].save(update_fields=["status"])
    report = selectors.campaign_impact(campaign=fx.campaign)
    assert (report.orders, report.gmv, report.green_gmv) == (3, D("360.00"), D("200.00"))
    assert report.kgco2e == D("4.7345")


# --- the API --------------------------------------------------------------------------------------


def test_api_answers_staff_with_the_figures(fx):
    response = client_for(StaffFactory()).get(f"/api/v1/carbon/impact/?campaign={fx.campaign.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["campaign_id"] == fx.campaign.pk and body["green_judged_at"] == "payment_day"
    assert (body["gmv"], body["green_gmv"], body["green_share_percent"]) == ("471.00", "311.00", "66.0")
    assert (body["total_budget"], body["vouchers_issued_face"]) == ("100000000.00", "45.00")
    assert (body["kgco2e"], body["saved_kgco2e"], body["saved_percent"]) == ("5.2350", "1.0150", "16.2")
    assert body["packaging"][1] == {"packaging": "recycled", "orders": 2, "share_percent": "50.0"}
    assert [day["day"] for day in body["daily"]] == [day.isoformat() for day in fx.days]
    assert body["daily"][2]["saved_kgco2e"] == "0.2495"


def test_api_is_for_staff_only(fx, api_client):
    url = f"/api/v1/carbon/impact/?campaign={fx.campaign.pk}"
    assert api_client.get(url).status_code == 401
    assert client_for(UserFactory()).get(url).status_code == 403


@pytest.mark.parametrize("query", ["", "?campaign=", "?campaign=abc", "?campaign=0", "?campaign=-3"])
def test_api_rejects_a_missing_or_malformed_campaign(db, query):
    response = client_for(StaffFactory()).get(f"/api/v1/carbon/impact/{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "campaign" in response.json()["errors"]


def test_api_unknown_campaign_is_404(db):
    response = client_for(StaffFactory()).get("/api/v1/carbon/impact/?campaign=999999")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


# --- the page and its CSV -------------------------------------------------------------------------


def test_page_draws_accessible_charts_with_tables(fx, client):
    client.force_login(StaffFactory())
    response = client.get(f"/staff/impact/?campaign={fx.campaign.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") == 3 and html.count("<table") == 3
    assert 'aria-labelledby="impact-sales-chart-title impact-sales-chart-desc"' in html
    assert '<title id="impact-carbon-chart-title">' in html
    assert "¥471.00" in html and "¥311.00 (66.0%)" in html
    assert "5.2350" in html and "1.0150" in html
    assert "the day the order was paid" in html
    assert f'<option value="{fx.other_campaign.pk}"' in html


def test_page_defaults_to_a_campaign_and_refuses_others(fx, client):
    assert client.get("/staff/impact/").status_code == 302
    client.force_login(UserFactory())
    assert client.get("/staff/impact/").status_code == 403
    assert client.get(f"/staff/impact/{fx.campaign.pk}/summary.csv").status_code == 403
    client.force_login(StaffFactory())
    assert client.get("/staff/impact/").status_code == 200
    assert client.get("/staff/impact/?campaign=nope").status_code == 404
    assert client.get("/staff/impact/999999/daily.csv").status_code == 404


def test_page_without_campaigns_says_so(db, client):
    client.force_login(StaffFactory())
    response = client.get("/staff/impact/")
    assert response.status_code == 200 and b"There is no voucher campaign yet." in response.content


def _csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_summary_csv_has_the_same_figures_in_named_columns(fx, client):
    client.force_login(StaffFactory())
    response = client.get(f"/staff/impact/{fx.campaign.pk}/summary.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    (row,) = _csv(response)
    assert row["campaign_name"] == "Green week"
    assert row["orders"] == "4"
    assert (row["gmv_cny"], row["green_gmv_cny"], row["green_gmv_share_percent"]) == (
        "471.00",
        "311.00",
        "66.0",
    )
    assert (row["vouchers_issued"], row["vouchers_issued_face_value_cny"]) == ("3", "45.00")
    assert (row["vouchers_redeemed"], row["vouchers_redeemed_face_value_cny"]) == ("1", "20.00")
    assert (row["emitted_kgco2e"], row["baseline_kgco2e"], row["saved_kgco2e"]) == (
        "5.2350",
        "6.2500",
        "1.0150",
    )
    assert (row["packaging_recycled_orders"], row["packaging_recycled_share_percent"]) == ("2", "50.0")
    assert row["packaging_reusable_orders"] == "0"


def test_daily_csv_has_one_row_per_day(fx, client):
    client.force_login(StaffFactory())
    rows = _csv(client.get(f"/staff/impact/{fx.campaign.pk}/daily.csv"))
    assert [row["date"] for row in rows] == [day.isoformat() for day in fx.days]
    assert [row["gmv_cny"] for row in rows] == ["230.00", "30.00", "211.00"]
    assert [row["green_gmv_cny"] for row in rows] == ["200.00", "0.00", "111.00"]
    assert [row["vouchers_claimed"] for row in rows] == ["2", "1", "2"]
    assert [row["saved_kgco2e"] for row in rows] == ["0.7655", "0.0000", "0.2495"]


def test_csv_does_not_let_a_campaign_name_run_as_a_formula(fx, client):
    fx.campaign.name = '=HYPERLINK("http://evil")'
    fx.campaign.save(update_fields=["name"])
    client.force_login(StaffFactory())
    (row,) = _csv(client.get(f"/staff/impact/{fx.campaign.pk}/summary.csv"))
    assert row["campaign_name"].startswith("'=")


def test_vouchers_of_a_redeemed_then_cancelled_order_are_issued_again(fx):
    """A voucher given back by a cancelled order is issued, not redeemed (docs/domain.md, "Figures")."""
    from vouchers.models import Voucher

    Voucher.objects.filter(order=fx.orders["O1"]).update(
        status=VoucherStatus.ISSUED, order=None, redeemed_at=None
    )
    report = selectors.campaign_impact(campaign=fx.campaign)
    assert (report.vouchers_issued, report.vouchers_redeemed) == (3, 0)
    assert report.daily[0].vouchers_redeemed == 0


def test_a_campaign_that_has_not_started_shows_an_empty_report(db, client):
    from datetime import timedelta

    from django.utils import timezone

    from tests.carbon.impact_fixture import make_campaign

    now = timezone.now()
    campaign = make_campaign("Next year", now + timedelta(days=300), now + timedelta(days=310))
    report = selectors.campaign_impact(campaign=campaign)
    assert report.daily == () and report.orders == 0 and report.gmv == D("0.00")
    client.force_login(StaffFactory())
    response = client.get(f"/staff/impact/?campaign={campaign.pk}")
    assert response.status_code == 200 and response.content.decode().count("<svg") == 3
