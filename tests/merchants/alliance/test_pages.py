"""Alliance pages: directory and leaderboard, member page, the merchant's section, the staff queue."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from merchants.alliance.models import AllianceMembership, Commitment
from merchants.alliance.selectors import marketplace_today
from merchants.alliance.views import sparkline_points
from tests.factories import MerchantFactory, StaffFactory, UserFactory
from tests.merchants.alliance.factories import active_member, certified_products, commitment, report

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.merchants.alliance.page_urlconf")]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_directory_lists_members_and_the_leaderboard_ranks_by_measured_progress(client):
    slow = active_member(MerchantFactory(name="Aardvark Goods"))
    fast = active_member(MerchantFactory(name="Zebra Goods"))
    day = marketplace_today() - datetime.timedelta(days=1)
    report(commitment(slow, "certified_product_share"), day, "12")
    report(commitment(fast, "certified_product_share"), day, "40")

    page = client.get("/alliance/").content.decode()
    assert page.index("Aardvark Goods") < page.index("Zebra Goods")
    board = client.get("/alliance/?ordering=progress").content.decode()
    assert board.index("Zebra Goods") < board.index("Aardvark Goods")
    assert "<polyline" in board


def test_suspended_member_page_is_gone(client):
    membership = active_member(MerchantFactory(name="Paused Shop"))
    assert client.get(f"/alliance/members/{membership.pk}/").status_code == 200
    membership.status = "suspended"
    membership.save()
    assert client.get(f"/alliance/members/{membership.pk}/").status_code == 404
    assert "Paused Shop" not in client.get("/alliance/").content.decode()


def test_merchant_applies_from_the_dashboard_and_sees_the_criteria():
    merchant = MerchantFactory()
    certified_products(merchant, 1)
    client = _client(merchant.owner)
    response = client.post(
        "/merchant/alliance/", {"action": "apply", "pledges": ["green_products", "reduced_packaging"]}
    )
    assert response.status_code == 302
    membership = AllianceMembership.objects.get(merchant=merchant)
    assert membership.pledges == ["green_products", "reduced_packaging"]
    page = client.get("/merchant/alliance/").content.decode()
    assert "Applied" in page
    assert "At least 3 green certified products" in page


def test_member_commits_from_the_dashboard_and_a_bad_target_is_shown_not_saved():
    membership = active_member()
    client = _client(membership.merchant.owner)
    today = marketplace_today()
    data = {
        "action": "commit",
        "kpi": "certified_product_share",
        "baseline_value": "20",
        "baseline_date": today.isoformat(),
        "target_value": "120",
        "target_date": (today + datetime.timedelta(days=200)).isoformat(),
        "target_type": "intensity",
        "verification_level": "platform_measured",
    }
    response = client.post("/merchant/alliance/", data)
    assert response.status_code == 200
    assert "A share cannot be above 100%." in response.content.decode()
    assert not Commitment.objects.exists()
    data["target_value"] = "60"
    assert client.post("/merchant/alliance/", data).status_code == 302
    assert Commitment.objects.filter(membership=membership).count() == 1


def test_staff_queue_is_for_staff_only_and_approves():
    merchant = MerchantFactory()
    certified_products(merchant, 3)
    membership = AllianceMembership.objects.create(merchant=merchant, pledges=["green_power"])
    assert _client(UserFactory()).get("/staff/alliance/").status_code == 403
    assert _client(merchant.owner).post(f"/staff/alliance/{membership.pk}/approve/").status_code == 403
    staff = _client(StaffFactory())
    assert str(merchant.name) in staff.get("/staff/alliance/").content.decode()
    assert staff.post(f"/staff/alliance/{membership.pk}/approve/").status_code == 302
    membership.refresh_from_db()
    assert membership.status == "active"


def test_sparkline_points_fit_the_box():
    history = [(1, Decimal(10)), (2, Decimal(30)), (3, Decimal(20))]
    assert sparkline_points(history) == "0.0,30.0 60.0,2.0 120.0,16.0"
    assert sparkline_points([]) == ""
