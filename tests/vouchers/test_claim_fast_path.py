"""The claim's fast path: a token-authenticated claim is answered by a lean view right after the
security middleware, with the redis backend in one claims-Redis script (rate limits, Idempotency-Key
answers, the claim and its journal entry). The HTTP contract must not change: the same bodies, codes and
headers as the DRF view, for both backends."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import client_for
from tests.factories import UserFactory
from tests.vouchers.factories import make_allocation
from vouchers import services
from vouchers.apis import VoucherOutputSerializer
from vouchers.backends.redis import keys, server
from vouchers.models import Voucher

pytestmark = pytest.mark.django_db

FAST_PATH = "vouchers.middleware.ClaimFastPathMiddleware"


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings: Any) -> None:
    settings.CLAIM_RATE_LIMIT = (1000, 60)
    settings.CLAIM_RATE_LIMIT_PER_IP = (1000, 60)
    settings.TOKEN_CACHE_SECONDS = 60


def _url(allocation_id: int) -> str:
    return f"/api/v1/voucher-allocations/{allocation_id}/claim/"


def test_the_fast_path_is_installed_for_claims(settings: Any) -> None:
    assert FAST_PATH in settings.MIDDLEWARE


def test_the_201_body_is_the_one_the_serializer_gives(backend: str) -> None:
    allocation = make_allocation(face_value="10.00", min_spend="50.00", valid_days=3)
    response = client_for(UserFactory()).post(_url(allocation.pk))

    assert response.status_code == 201, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    services.voucher_journal_drain()
    voucher = Voucher.objects.get(code=body["code"])
    assert body == dict(VoucherOutputSerializer(voucher).data)
    assert body["face_value"] == "10.00"
    assert body["min_spend"] == "50.00"


def test_anonymous_bad_and_inactive_tokens_get_the_api_s_401(api_client: APIClient, backend: str) -> None:
    allocation = make_allocation()
    anonymous = api_client.post(_url(allocation.pk))
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "not_authenticated"
    assert anonymous["WWW-Authenticate"] == "Token"

    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    refused = bad.post(_url(allocation.pk))
    assert refused.status_code == 401
    assert refused.json()["code"] == "authentication_failed"

    inactive = UserFactory()
    client = client_for(inactive)
    inactive.is_active = False
    inactive.save()
    assert client.post(_url(allocation.pk)).status_code == 401

    services.voucher_journal_drain()
    assert Voucher.objects.count() == 0


def test_session_authenticated_claims_still_need_the_csrf_token(backend: str) -> None:
    allocation = make_allocation()
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(UserFactory())
    refused = browser.post(_url(allocation.pk))
    assert refused.status_code == 403

    with_token = APIClient(enforce_csrf_checks=True)
    token, _ = Token.objects.get_or_create(user=UserFactory())
    with_token.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert with_token.post(_url(allocation.pk)).status_code == 201  # token calls need no CSRF token


def test_fast_path_and_full_stack_answer_alike(backend: str, settings: Any) -> None:
    allocation = make_allocation(per_user_limit=1)
    shopper = client_for(UserFactory())

    def answers() -> list[tuple[int, Any]]:
        taken = shopper.post(_url(allocation.pk), HTTP_ACCEPT_LANGUAGE="zh-hans")
        missing = shopper.post(_url(999_999), HTTP_ACCEPT_LANGUAGE="en")
        return [(taken.status_code, taken.json()), (missing.status_code, missing.json())]

    assert shopper.post(_url(allocation.pk)).status_code == 201
    fast = answers()
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != FAST_PATH]
    full = answers()

    assert fast == full
    assert fast[0][0] == 409
    assert fast[0][1]["code"] == "limit_reached"
    assert fast[0][1]["detail"] != "You have already claimed as many of these vouchers as allowed."  # Chinese
    assert fast[1][0] == 404


# --- the redis backend: everything in the claim's one script -------------------------------------------
@pytest.mark.redis
def test_a_shoppers_first_claim_on_a_loaded_allocation_needs_no_database_query(claims_redis: Any) -> None:
    allocation = make_allocation(per_user_limit=1)
    assert client_for(UserFactory()).post(_url(allocation.pk)).status_code == 201  # loads the allocation
    shopper = client_for(UserFactory())
    assert shopper.get("/api/v1/vouchers/").status_code == 200  # the token is in the cache now

    with CaptureQueriesContext(connection) as queries:
        response = shopper.post(_url(allocation.pk))

    assert response.status_code == 201
    assert queries.captured_queries == []


@pytest.mark.redis
def test_per_user_limit_holds_when_the_per_user_counts_are_reloaded(claims_redis: Any) -> None:
    allocation = make_allocation(per_user_limit=1)
    shopper = client_for(UserFactory())
    assert shopper.post(_url(allocation.pk)).status_code == 201
    services.voucher_journal_drain()
    # The counts disappear (an operator deleted the key): reloaded from the database, never read as zero.
    server.claims_client().delete(keys.user_counts_key(allocation.pk))

    again = shopper.post(_url(allocation.pk))

    assert again.status_code == 409
    assert again.json()["code"] == "limit_reached"
    assert client_for(UserFactory()).post(_url(allocation.pk)).status_code == 201


@pytest.mark.redis
def test_redis_rate_limit_answers_429_with_retry_after(claims_redis: Any, settings: Any) -> None:
    settings.CLAIM_RATE_LIMIT = (2, 60)
    allocation = make_allocation(per_user_limit=10)
    client = client_for(UserFactory())
    assert client.post(_url(allocation.pk)).status_code == 201
    assert client.post(_url(allocation.pk)).status_code == 201

    limited = client.post(_url(allocation.pk))

    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited"
    assert 1 <= int(limited["Retry-After"]) <= 61
    services.voucher_journal_drain()
    assert Voucher.objects.count() == 2


@pytest.mark.redis
def test_redis_per_ip_rate_limit(claims_redis: Any, settings: Any) -> None:
    settings.CLAIM_RATE_LIMIT_PER_IP = (3, 60)
    allocation = make_allocation()
    codes = [client_for(UserFactory()).post(_url(allocation.pk)).status_code for _ in range(5)]
    assert codes == [201, 201, 201, 429, 429]


@pytest.mark.redis
def test_redis_idempotency_key_replays_the_first_answer_and_refuses_another_allocation(
    claims_redis: Any,
) -> None:
    allocation = make_allocation(per_user_limit=3)
    other = make_allocation(campaign=allocation.campaign, per_user_limit=3)
    client = client_for(UserFactory())

    first = client.post(_url(allocation.pk), HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post(_url(allocation.pk), HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    mismatch = client.post(_url(other.pk), HTTP_IDEMPOTENCY_KEY="k-1")
    assert mismatch.status_code == 422
    assert mismatch.json()["code"] == "idempotency_mismatch"
    assert client.post(_url(allocation.pk), HTTP_IDEMPOTENCY_KEY="k-2").status_code == 201
    services.voucher_journal_drain()
    assert Voucher.objects.count() == 2


@pytest.mark.redis
def test_redis_idempotency_key_replays_errors_too(
    claims_redis: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from tests.factories import StaffFactory

    allocation = make_allocation(budget="10.00", face_value="10.00")
    other = make_allocation(campaign=allocation.campaign)
    taken = client_for(UserFactory()).post(_url(allocation.pk)).json()
    client = client_for(UserFactory())
    assert client.post(_url(allocation.pk), HTTP_IDEMPOTENCY_KEY="x").status_code == 409
    # The budget comes back; a new request would succeed, the replayed one answers as the first did.
    with django_capture_on_commit_callbacks(execute=True):  # the release reaches the counter on commit
        voided = client_for(StaffFactory()).post(f"/api/v1/vouchers/{taken['code']}/void/")
    assert voided.status_code == 200

    replay = client.post(_url(allocation.pk), HTTP_IDEMPOTENCY_KEY="x")

    assert replay.status_code == 409
    assert replay.json()["code"] == "budget_exhausted"
    assert client.post(_url(other.pk), HTTP_IDEMPOTENCY_KEY="x").status_code == 422
    assert client.post(_url(allocation.pk), HTTP_IDEMPOTENCY_KEY="y").status_code == 201


@pytest.mark.redis
def test_claims_answer_503_and_issue_nothing_while_the_claims_redis_is_down(claims_redis: Any) -> None:
    allocation = make_allocation()
    client = client_for(UserFactory())
    client.get("/api/v1/vouchers/")
    claims_redis.crash()
    try:
        response = client.post(_url(allocation.pk), HTTP_IDEMPOTENCY_KEY="during-outage")
        assert response.status_code == 503
        assert response.json()["code"] == "unavailable"
    finally:
        claims_redis.start()
    assert Voucher.objects.count() == 0


@pytest.mark.redis
def test_a_deactivated_user_is_refused_on_the_very_next_claim(claims_redis: Any) -> None:
    allocation = make_allocation(per_user_limit=5)
    shopper = UserFactory()
    client = client_for(shopper)
    assert client.post(_url(allocation.pk)).status_code == 201  # the claims Redis learns the token
    assert client.post(_url(allocation.pk)).status_code == 201  # ...and claims by it

    shopper.is_active = False
    shopper.save()

    refused = client.post(_url(allocation.pk))
    assert refused.status_code == 401
    assert refused.json()["code"] == "authentication_failed"
    services.voucher_journal_drain()
    assert Voucher.objects.filter(owner=shopper).count() == 2


@pytest.mark.redis
def test_a_deleted_token_is_refused_on_the_very_next_claim(claims_redis: Any) -> None:
    allocation = make_allocation(per_user_limit=5)
    shopper = UserFactory()
    client = client_for(shopper)
    assert client.post(_url(allocation.pk)).status_code == 201

    Token.objects.filter(user=shopper).delete()

    assert client.post(_url(allocation.pk)).status_code == 401


@pytest.mark.redis
def test_claims_by_a_known_token_keep_every_limit(claims_redis: Any, settings: Any) -> None:
    settings.CLAIM_RATE_LIMIT = (3, 60)
    allocation = make_allocation(budget="30.00", face_value="10.00", per_user_limit=2)
    shopper = client_for(UserFactory())
    codes = [shopper.post(_url(allocation.pk)).status_code for _ in range(4)]
    assert codes == [201, 201, 409, 429]  # per-user limit, then the per-user rate limit
    assert client_for(UserFactory()).post(_url(allocation.pk)).status_code == 201
    exhausted = client_for(UserFactory()).post(_url(allocation.pk))
    assert exhausted.json()["code"] == "budget_exhausted"
    services.voucher_journal_drain()
    assert Voucher.objects.count() == 3


def test_the_claim_keeps_its_description_in_the_api_schema() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/voucher-allocations/{allocation_id}/claim/"]["post"]

    names = [parameter["name"] for parameter in operation["parameters"]]
    assert names == ["Idempotency-Key", "allocation_id"]
    assert set(operation["responses"]) == {"201"}
    assert operation["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/VoucherOutput"
    }
    assert "description" not in operation
    voucher = schema["components"]["schemas"]["VoucherOutput"]
    assert set(voucher["properties"]) == {"code", "face_value", "min_spend", "expires_at", "status"}
