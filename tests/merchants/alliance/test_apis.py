"""The alliance API: who may act, transitions, bad input, the directory and the member badge."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from green_venue.models import CertificateReviewEntry
from merchants.alliance import kpis
from merchants.alliance.models import AllianceMembership, Commitment, MembershipStatusChange, ProgressReport
from merchants.alliance.selectors import alliance_member_merchant_ids, marketplace_today
from tests.conftest import client_for
from tests.factories import MerchantFactory, StaffFactory, UserFactory
from tests.merchants.alliance.factories import active_member, certified_products, commitment, report

pytestmark = pytest.mark.django_db

APPLY = {"pledges": ["green_products", "green_power"], "declarations": {"renewable_electricity_share": "35"}}


def _eligible_merchant(**values):
    merchant = MerchantFactory(**values)
    certified_products(merchant, 3)
    return merchant


def _apply(merchant):
    response = client_for(merchant.owner).post("/api/v1/alliance/applications/", APPLY, format="json")
    assert response.status_code == 201, response.content
    return response.json()


# --- enrolment ----------------------------------------------------------------------------------------


def test_application_shows_hard_criteria_with_pass_and_fail():
    merchant = MerchantFactory()
    certified_products(merchant, 2)
    body = _apply(merchant)
    criteria = {item["code"]: item for item in body["criteria"]}
    assert criteria["min_certified_products"]["passed"] is False
    assert criteria["min_certified_products"]["actual"] == "2"
    assert criteria["no_recent_revocation"]["passed"] is True
    assert body["criteria_passed"] is False
    assert body["status"] == "applied"
    assert body["pledges"] == ["green_products", "green_power"]
    assert body["declarations"] == {"renewable_electricity_share": "35.00"}


def test_a_recent_revocation_fails_the_criteria():
    merchant = _eligible_merchant()
    certificate = merchant.certificates.first()
    CertificateReviewEntry.objects.create(
        certificate=certificate, action="revoked", from_status="verified", to_status="revoked", reason="fraud"
    )
    body = _apply(merchant)
    assert {item["code"]: item["passed"] for item in body["criteria"]}["no_recent_revocation"] is False


def test_staff_approve_an_eligible_application_and_the_shop_gets_the_badge():
    merchant = _eligible_merchant()
    body = _apply(merchant)
    assert merchant.pk not in alliance_member_merchant_ids()
    response = client_for(StaffFactory()).post(f"/api/v1/alliance/applications/{body['id']}/approve/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "active"
    assert merchant.pk in alliance_member_merchant_ids()
    history = [(item["from_status"], item["to_status"]) for item in response.json()["history"]]
    assert history == [("", "applied"), ("applied", "active")]


def test_approval_is_refused_when_the_criteria_fail():
    merchant = MerchantFactory()
    body = _apply(merchant)
    response = client_for(StaffFactory()).post(f"/api/v1/alliance/applications/{body['id']}/approve/")
    assert response.status_code == 409
    assert response.json()["code"] == "criteria_not_met"
    assert AllianceMembership.objects.get(pk=body["id"]).status == "applied"


def test_only_staff_approve_reject_suspend_and_reinstate():
    merchant = _eligible_merchant()
    body = _apply(merchant)
    owner = client_for(merchant.owner)
    for action in ("approve", "reject"):
        response = owner.post(f"/api/v1/alliance/applications/{body['id']}/{action}/", {"reason": "x"})
        assert response.status_code == 403, action
    # Someone else cannot even see an application: 404.
    stranger = client_for(UserFactory())
    assert stranger.post(f"/api/v1/alliance/applications/{body['id']}/approve/").status_code == 404
    # Anonymous: 401.
    from rest_framework.test import APIClient

    assert APIClient().post(f"/api/v1/alliance/applications/{body['id']}/approve/").status_code == 401

    client_for(StaffFactory()).post(f"/api/v1/alliance/applications/{body['id']}/approve/")
    for action in ("suspend", "reinstate"):
        response = stranger.post(f"/api/v1/alliance/memberships/{body['id']}/{action}/", {"reason": "x"})
        assert response.status_code == 403, action  # an active member is public: visible, not allowed
        assert (
            owner.post(f"/api/v1/alliance/memberships/{body['id']}/{action}/", {"reason": "x"}).status_code
            == 403
        )
    assert AllianceMembership.objects.get(pk=body["id"]).status == "active"


def test_only_the_owner_withdraws():
    membership = active_member()
    for user in (UserFactory(), StaffFactory(), MerchantFactory().owner):
        response = client_for(user).post(f"/api/v1/alliance/memberships/{membership.pk}/withdraw/")
        assert response.status_code == 403
    response = client_for(membership.merchant.owner).post(
        f"/api/v1/alliance/memberships/{membership.pk}/withdraw/"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert membership.merchant_id not in alliance_member_merchant_ids()


def test_reject_needs_a_reason_which_the_member_sees():
    merchant = _eligible_merchant()
    body = _apply(merchant)
    staff = client_for(StaffFactory())
    response = staff.post(f"/api/v1/alliance/applications/{body['id']}/reject/", {"reason": "  "})
    assert response.status_code == 400
    assert response.json()["errors"] == {"reason": ["Give a reason; the merchant sees it."]}
    staff.post(f"/api/v1/alliance/applications/{body['id']}/reject/", {"reason": "Evidence missing"})
    mine = client_for(merchant.owner).get("/api/v1/alliance/applications/").json()["results"]
    assert [(item["status"], item["status_reason"]) for item in mine] == [("rejected", "Evidence missing")]
    # Rejected, the shop may apply again.
    assert _apply(merchant)["status"] == "applied"


def test_one_live_membership_per_shop():
    merchant = _eligible_merchant()
    _apply(merchant)
    response = client_for(merchant.owner).post("/api/v1/alliance/applications/", APPLY, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "already_applied"
    assert AllianceMembership.objects.filter(merchant=merchant).count() == 1


@pytest.mark.parametrize(
    "payload",
    [
        {"pledges": []},
        {"pledges": ["world_peace"]},
        {"pledges": ["green_power"], "declarations": {"renewable_electricity_share": "101"}},
    ],
)
def test_bad_application_is_400(payload):
    merchant = _eligible_merchant()
    response = client_for(merchant.owner).post("/api/v1/alliance/applications/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not AllianceMembership.objects.exists()


def test_a_shopper_without_a_shop_cannot_apply():
    response = client_for(UserFactory()).post("/api/v1/alliance/applications/", APPLY, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "not_a_merchant"


def test_suspended_member_loses_the_badge_and_leaves_the_directory_at_once(api_client):
    membership = active_member()
    assert [item["id"] for item in api_client.get("/api/v1/alliance/members/").json()["results"]] == [
        membership.pk
    ]
    response = client_for(StaffFactory()).post(
        f"/api/v1/alliance/memberships/{membership.pk}/suspend/", {"reason": "Greenwashing complaint"}
    )
    assert response.status_code == 200
    assert membership.merchant_id not in alliance_member_merchant_ids()
    assert api_client.get("/api/v1/alliance/members/").json()["results"] == []
    assert api_client.get(f"/api/v1/alliance/members/{membership.pk}/").status_code == 404
    # The member sees why.
    mine = client_for(membership.merchant.owner).get("/api/v1/alliance/applications/").json()["results"][0]
    assert (mine["status"], mine["status_reason"]) == ("suspended", "Greenwashing complaint")
    # Reinstated, back at once.
    client_for(StaffFactory()).post(f"/api/v1/alliance/memberships/{membership.pk}/reinstate/")
    assert membership.merchant_id in alliance_member_merchant_ids()


def test_repeating_a_transition_changes_nothing_and_a_wrong_one_is_409():
    membership = active_member()
    staff = client_for(StaffFactory())
    staff.post(f"/api/v1/alliance/memberships/{membership.pk}/suspend/", {"reason": "r"})
    again = staff.post(f"/api/v1/alliance/memberships/{membership.pk}/suspend/", {"reason": "r"})
    assert again.status_code == 200
    assert MembershipStatusChange.objects.filter(membership=membership).count() == 1
    wrong = staff.post(f"/api/v1/alliance/applications/{membership.pk}/approve/")
    assert wrong.status_code == 409
    assert wrong.json()["code"] == "invalid_transition"


def test_the_history_cannot_be_rewritten():
    membership = active_member()
    entry = MembershipStatusChange.objects.create(membership=membership, to_status="active")
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        MembershipStatusChange.objects.filter(pk=entry.pk).update(reason="x")


# --- KPIs and commitments -----------------------------------------------------------------------------


def test_kpi_catalogue_is_public(api_client):
    body = api_client.get("/api/v1/alliance/kpis/?page_size=100").json()
    by_code = {item["code"]: item for item in body["results"]}
    assert set(kpis.MEASURES) <= set(by_code)
    assert by_code["renewable_electricity_share"]["source"] == "declared"
    assert by_code["kgco2e_per_order"]["direction"] == "lower"
    assert set(by_code["certified_sales_share"]) == {
        "code",
        "name",
        "name_en",
        "name_zh",
        "unit",
        "definition",
        "direction",
        "source",
    }


def _commitment_payload(**overrides):
    today = marketplace_today()
    payload = {
        "kpi": "certified_product_share",
        "baseline_value": "20",
        "baseline_date": (today - datetime.timedelta(days=30)).isoformat(),
        "target_value": "60",
        "target_date": (today + datetime.timedelta(days=365)).isoformat(),
        "target_type": "intensity",
        "coverage": "All products sold on the marketplace",
        "verification_level": "platform_measured",
    }
    payload.update(overrides)
    return payload


def test_member_makes_a_commitment():
    membership = active_member()
    response = client_for(membership.merchant.owner).post(
        "/api/v1/alliance/commitments/", _commitment_payload()
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kpi"]["code"] == "certified_product_share"
    assert (body["status"], body["sparkline"]) == ("no_data", [])
    assert body["membership"] == membership.pk


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"target_date": (datetime.date.today() - datetime.timedelta(days=2)).isoformat()}, "target_date"),
        (
            {
                "baseline_date": (datetime.date.today() - datetime.timedelta(days=10)).isoformat(),
                "target_date": (datetime.date.today() - datetime.timedelta(days=20)).isoformat(),
            },
            "target_date",
        ),
        ({"target_value": "100.01"}, "target_value"),
        ({"baseline_value": "150"}, "baseline_value"),
        ({"kpi": "happiness_index"}, "kpi"),
        ({"target_value": "10"}, "target_value"),  # a target that does not improve on the baseline
        ({"baseline_value": "-1"}, "baseline_value"),
        ({"verification_level": "trust_me"}, "verification_level"),
        ({"coverage_percent": "0"}, "coverage_percent"),
        ({"baseline_date": "not-a-date"}, "baseline_date"),
    ],
)
def test_bad_commitment_is_400_and_writes_nothing(overrides, field):
    membership = active_member()
    response = client_for(membership.merchant.owner).post(
        "/api/v1/alliance/commitments/", _commitment_payload(**overrides)
    )
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not Commitment.objects.exists()


def test_lower_is_better_kpi_needs_a_lower_target():
    membership = active_member()
    client = client_for(membership.merchant.owner)
    payload = _commitment_payload(kpi="kgco2e_per_order", baseline_value="5", target_value="6")
    assert client.post("/api/v1/alliance/commitments/", payload).status_code == 400
    payload["target_value"] = "3.5"
    assert client.post("/api/v1/alliance/commitments/", payload).status_code == 201


def test_only_active_members_make_commitments():
    merchant = _eligible_merchant()
    _apply(merchant)  # applied, not yet active
    response = client_for(merchant.owner).post("/api/v1/alliance/commitments/", _commitment_payload())
    assert response.status_code == 403
    assert response.json()["code"] == "not_a_member"


def test_member_reports_a_declared_kpi_with_evidence():
    membership = active_member()
    item = commitment(
        membership, "renewable_electricity_share", baseline_date=marketplace_today().replace(day=1)
    )
    client = client_for(membership.merchant.owner)
    today = marketplace_today()
    url = f"/api/v1/alliance/commitments/{item.pk}/reports/"
    payload = {
        "period_start": today.replace(day=1).isoformat(),
        "period_end": today.isoformat(),
        "value": "42.5",
    }
    no_evidence = client.post(url, payload)
    assert no_evidence.status_code == 400
    payload["evidence_url"] = "https://example.com/green-power-certificate.pdf"
    response = client.post(url, payload)
    assert response.status_code == 201, response.content
    assert (response.json()["source"], response.json()["value"]) == ("declared", "42.5000")
    assert client.post(url, payload).json()["code"] == "already_reported"
    over = client.post(url, {**payload, "value": "100.5"})
    assert over.status_code == 400
    assert "value" in over.json()["errors"]
    assert ProgressReport.objects.count() == 1


def test_reports_only_by_the_owner_and_never_on_a_measured_kpi():
    membership = active_member()
    measured = commitment(membership, "certified_product_share")
    declared = commitment(membership, "renewable_electricity_share")
    today = marketplace_today()
    payload = {
        "period_start": today.replace(day=1).isoformat(),
        "period_end": today.isoformat(),
        "value": "50",
        "evidence_text": "Green power contract no. 42",
    }
    other = client_for(MerchantFactory().owner)
    assert other.post(f"/api/v1/alliance/commitments/{declared.pk}/reports/", payload).status_code == 403
    owner = client_for(membership.merchant.owner)
    response = owner.post(f"/api/v1/alliance/commitments/{measured.pk}/reports/", payload)
    assert response.status_code == 400
    assert not ProgressReport.objects.exists()


# --- directory and leaderboard --------------------------------------------------------------------------


def test_leaderboard_ranks_by_measured_progress_never_by_declarations(api_client):
    leader = active_member(MerchantFactory(name="Zeta"))
    second = active_member(MerchantFactory(name="Alpha"))
    boaster = active_member(MerchantFactory(name="Beta"))
    day = marketplace_today() - datetime.timedelta(days=1)
    # baseline 10 -> target 50 (higher): 30 is half-way, 20 is a quarter.
    report(commitment(leader, "certified_product_share"), day, "30")
    report(commitment(second, "certified_product_share"), day, "20")
    # The boaster only declares (100% progress) and a declared value on a measured KPI does not count.
    report(commitment(boaster, "renewable_electricity_share"), day, "50")
    report(commitment(boaster, "certified_sales_share"), day, "50", source="declared")

    body = api_client.get("/api/v1/alliance/members/?ordering=progress").json()
    assert [item["merchant"]["name"] for item in body["results"]] == ["Zeta", "Alpha", "Beta"]
    assert [item["measured_score"] for item in body["results"]] == ["50.00", "25.00", None]
    by_name = api_client.get("/api/v1/alliance/members/").json()
    assert [item["merchant"]["name"] for item in by_name["results"]] == ["Alpha", "Beta", "Zeta"]
    leader_commitment = body["results"][0]["commitments"][0]
    assert leader_commitment["sparkline"] == [[day.isoformat(), "30.0000"]]
    assert leader_commitment["progress_percent"] == "50.00"
    assert leader_commitment["status"] in ("on_track", "off_track")


def test_directory_query_count_does_not_grow_with_members(api_client):
    def run():
        with CaptureQueriesContext(connection) as queries:
            assert api_client.get("/api/v1/alliance/members/").status_code == 200
        return len(queries)

    member = active_member()
    report(commitment(member, "certified_product_share"), marketplace_today(), "15")
    few = run()
    for _ in range(4):
        member = active_member()
        item = commitment(member, "certified_product_share")
        report(item, marketplace_today(), "15")
        commitment(member, "renewable_electricity_share", baseline_value=Decimal("5"))
    assert run() == few
