"""The voucher HTTP contract (docs/api.md): who may call what, the claim answer, errors,
Idempotency-Key and rate limits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import StaffFactory, UserFactory
from tests.vouchers.factories import make_allocation, make_campaign
from vouchers.models import Voucher

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings):
    settings.CLAIM_RATE_LIMIT = (1000, 60)
    settings.CLAIM_RATE_LIMIT_PER_IP = (1000, 60)


def _window() -> dict[str, str]:
    now = timezone.now()
    return {
        "starts_at": (now - timedelta(hours=1)).isoformat(),
        "ends_at": (now + timedelta(days=10)).isoformat(),
    }


def test_staff_run_a_campaign_end_to_end_with_live_figures():
    staff = client_for(StaffFactory())
    created = staff.post(
        "/api/v1/voucher-campaigns/", {"name": "Green week", "total_budget": "1000.00", **_window()}
    )
    assert created.status_code == 201, created.content
    campaign = created.json()
    assert campaign["status"] == "draft"
    assert campaign["unallocated"] == "1000.00"
    assert staff.post(f"/api/v1/voucher-campaigns/{campaign['id']}/activate/").json()["status"] == "active"
    now = timezone.now()
    allocation = staff.post(
        f"/api/v1/voucher-campaigns/{campaign['id']}/allocations/",
        {
            "name": "10 off 50",
            "budget": "300.00",
            "face_value": "10.00",
            "min_spend": "50.00",
            "per_user_limit": 1,
            "claim_starts_at": (now - timedelta(minutes=1)).isoformat(),
            "claim_ends_at": (now + timedelta(days=1)).isoformat(),
            "valid_days": 7,
        },
    )
    assert allocation.status_code == 201, allocation.content
    allocation_id = allocation.json()["id"]

    shopper = client_for(UserFactory())
    claimable = shopper.get("/api/v1/voucher-allocations/").json()
    assert [item["id"] for item in claimable["results"]] == [allocation_id]
    claim = shopper.post(f"/api/v1/voucher-allocations/{allocation_id}/claim/")
    assert claim.status_code == 201, claim.content
    body = claim.json()
    assert set(body) == {"code", "face_value", "min_spend", "expires_at", "status"}
    assert body["face_value"] == "10.00"
    assert body["status"] == "issued"
    assert len(body["code"]) >= 16

    figures = staff.get(f"/api/v1/voucher-campaigns/{campaign['id']}/").json()
    assert figures["allocated"] == "300.00"
    assert figures["unallocated"] == "700.00"
    assert figures["issued"] == "10.00"
    assert figures["redeemed"] == "0.00"
    assert figures["remaining"] == "290.00"

    paused = staff.post(f"/api/v1/voucher-campaigns/{campaign['id']}/pause/")
    assert paused.json()["status"] == "paused"
    refused = client_for(UserFactory()).post(f"/api/v1/voucher-allocations/{allocation_id}/claim/")
    assert refused.status_code == 409
    assert refused.json()["code"] == "not_active"


def test_who_may_call_what(api_client):
    allocation = make_allocation()
    campaign_id = allocation.campaign_id
    shopper = client_for(UserFactory())
    assert api_client.post("/api/v1/voucher-campaigns/", {}).status_code == 401
    assert api_client.post(f"/api/v1/voucher-allocations/{allocation.pk}/claim/").status_code == 401
    assert api_client.get("/api/v1/vouchers/").status_code == 401
    assert api_client.get("/api/v1/voucher-allocations/").status_code == 200
    assert shopper.post("/api/v1/voucher-campaigns/", {"name": "x"}).status_code == 403
    assert shopper.get(f"/api/v1/voucher-campaigns/{campaign_id}/").status_code == 403
    assert shopper.post(f"/api/v1/voucher-campaigns/{campaign_id}/pause/").status_code == 403
    assert client_for(StaffFactory()).get("/api/v1/voucher-campaigns/999999/").status_code == 404
    assert shopper.post("/api/v1/voucher-allocations/999999/claim/").status_code == 404


def test_shoppers_see_only_their_own_vouchers_and_only_staff_void():
    allocation = make_allocation(per_user_limit=2)
    alice, bob = UserFactory(), UserFactory()
    code = client_for(alice).post(f"/api/v1/voucher-allocations/{allocation.pk}/claim/").json()["code"]

    assert [v["code"] for v in client_for(alice).get("/api/v1/vouchers/").json()["results"]] == [code]
    assert client_for(bob).get("/api/v1/vouchers/").json()["results"] == []
    assert client_for(bob).post(f"/api/v1/vouchers/{code}/void/").status_code == 404
    assert client_for(alice).post(f"/api/v1/vouchers/{code}/void/").status_code == 403
    voided = client_for(StaffFactory()).post(f"/api/v1/vouchers/{code}/void/")
    assert voided.status_code == 200
    assert voided.json()["status"] == "void"
    assert client_for(alice).get("/api/v1/vouchers/?status=void").json()["count"] == 1


def test_own_voucher_list_has_constant_queries():
    allocation = make_allocation(per_user_limit=5)
    shopper = UserFactory()
    client = client_for(shopper)
    client.post(f"/api/v1/voucher-allocations/{allocation.pk}/claim/")
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/vouchers/")
    for _ in range(3):
        client.post(f"/api/v1/voucher-allocations/{allocation.pk}/claim/")
    with CaptureQueriesContext(connection) as four:
        assert client.get("/api/v1/vouchers/").json()["count"] == 4
    assert len(four.captured_queries) == len(one.captured_queries)


@pytest.mark.parametrize(
    "payload",
    [
        {"total_budget": "-5"},
        {"total_budget": "abc"},
        {"total_budget": "1000000000000000"},
        {"ends_at": "yesterday"},
    ],
)
def test_bad_campaign_input_is_400(payload):
    data = {"name": "x", "total_budget": "10.00", **_window(), **payload}
    response = client_for(StaffFactory()).post("/api/v1/voucher-campaigns/", data)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_allocation_window_outside_campaign_is_400():
    campaign = make_campaign()
    response = client_for(campaign.created_by).post(
        f"/api/v1/voucher-campaigns/{campaign.pk}/allocations/",
        {
            "name": "late",
            "budget": "100.00",
            "face_value": "10.00",
            "min_spend": "10.00",
            "claim_starts_at": campaign.starts_at.isoformat(),
            "claim_ends_at": (campaign.ends_at + timedelta(days=1)).isoformat(),
            "valid_days": 3,
        },
    )
    assert response.status_code == 400
    assert Voucher.objects.count() == 0


def test_budget_exhausted_is_409():
    allocation = make_allocation(budget="10.00", face_value="10.00")
    assert (
        client_for(UserFactory()).post(f"/api/v1/voucher-allocations/{allocation.pk}/claim/").status_code
        == 201
    )
    refused = client_for(UserFactory()).post(f"/api/v1/voucher-allocations/{allocation.pk}/claim/")
    assert refused.status_code == 409
    assert refused.json()["code"] == "budget_exhausted"


def test_idempotency_key_replays_the_first_answer_and_refuses_another_allocation():
    allocation = make_allocation(per_user_limit=3)
    other = make_allocation(campaign=allocation.campaign, per_user_limit=3)
    client = client_for(UserFactory())
    url = f"/api/v1/voucher-allocations/{allocation.pk}/claim/"

    first = client.post(url, HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post(url, HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Voucher.objects.count() == 1
    mismatch = client.post(f"/api/v1/voucher-allocations/{other.pk}/claim/", HTTP_IDEMPOTENCY_KEY="k-1")
    assert mismatch.status_code == 422
    assert mismatch.json()["code"] == "idempotency_mismatch"
    assert client.post(url, HTTP_IDEMPOTENCY_KEY="k-2").status_code == 201
    assert Voucher.objects.count() == 2


def test_idempotency_key_replays_errors_too():
    allocation = make_allocation(budget="10.00", face_value="10.00")
    taken = client_for(UserFactory()).post(f"/api/v1/voucher-allocations/{allocation.pk}/claim/").json()
    client = client_for(UserFactory())
    url = f"/api/v1/voucher-allocations/{allocation.pk}/claim/"
    assert client.post(url, HTTP_IDEMPOTENCY_KEY="x").status_code == 409
    # The budget comes back; a new request would succeed, the replayed one answers as the first did.
    assert client_for(StaffFactory()).post(f"/api/v1/vouchers/{taken['code']}/void/").status_code == 200
    replay = client.post(url, HTTP_IDEMPOTENCY_KEY="x")
    assert replay.status_code == 409
    assert replay.json()["code"] == "budget_exhausted"
    assert client.post(url, HTTP_IDEMPOTENCY_KEY="y").status_code == 201


def test_rate_limit_answers_429_with_retry_after(settings):
    settings.CLAIM_RATE_LIMIT = (2, 60)
    allocation = make_allocation(per_user_limit=10)
    client = client_for(UserFactory())
    url = f"/api/v1/voucher-allocations/{allocation.pk}/claim/"
    assert client.post(url).status_code == 201
    assert client.post(url).status_code == 201
    limited = client.post(url)
    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited"
    assert 1 <= int(limited["Retry-After"]) <= 61
    assert Voucher.objects.count() == 2


def test_per_ip_rate_limit(settings):
    settings.CLAIM_RATE_LIMIT_PER_IP = (3, 60)
    allocation = make_allocation()
    url = f"/api/v1/voucher-allocations/{allocation.pk}/claim/"
    codes = [client_for(UserFactory()).post(url).status_code for _ in range(5)]
    assert codes == [201, 201, 201, 429, 429]


def test_patch_campaign_budget_never_below_allocated():
    allocation = make_allocation(budget="500.00")
    staff = client_for(allocation.campaign.created_by)
    url = f"/api/v1/voucher-campaigns/{allocation.campaign_id}/"
    refused = staff.patch(url, {"total_budget": "499.99"})
    assert refused.status_code == 400
    assert refused.json()["errors"]["total_budget"]
    accepted = staff.patch(url, {"total_budget": "500.00", "name": "Renamed"})
    assert accepted.status_code == 200
    assert accepted.json()["total_budget"] == "500.00"
    assert accepted.json()["unallocated"] == "0.00"
    assert accepted.json()["name"] == "Renamed"
