"""What the fuzzer found, pinned down as plain tests (fast, deterministic).

Fixed here: NUL characters in slug lookups (catalog, orders, merchants) were sent to PostgreSQL, which
refuses them with DataError (500); lists were described as bare arrays in the schema although every list
answers ``{count, next, previous, results}``; a registration without an email answered ``""`` where the
schema said ``format: email``; an order's ``carbon_label`` (null until computed) and a category's ``parent``
(null at the top level) were not nullable in the schema.
Known bugs in apps this suite may not edit are strict xfails.
"""

from __future__ import annotations

from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.authz.factories import build_world

pytestmark = pytest.mark.django_db

NUL = "bad\x00slug"


@pytest.fixture
def world(settings: Any, tmp_path: Any) -> Any:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    return build_world()


def _post(world: Any, role: str, path: str, body: dict[str, Any]) -> Any:
    return world.client(role).post(path, body, format="json")


@pytest.mark.postgres
def test_nul_in_a_product_category_is_a_400(world: Any) -> None:
    body = {"name": "Brush", "category": NUL, "price": "1.00", "stock": 1, "weight_grams": 1}
    response = _post(world, "merchant", "/api/v1/products/", body)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "category" in response.json()["errors"]


@pytest.mark.postgres
def test_nul_in_a_checkout_city_is_a_400(world: Any) -> None:
    body = {"shipping_city": NUL, "address": "1 Road", "packaging": "standard"}
    response = _post(world, "shopper", "/api/v1/checkout/", body)
    assert response.status_code == 400
    assert "shipping_city" in response.json()["errors"]


@pytest.mark.postgres
def test_nul_in_a_merchant_city_is_a_400(world: Any) -> None:
    response = _post(world, "shopper", "/api/v1/merchants/", {"name": "Shop", "city": NUL})
    assert response.status_code == 400
    assert "city" in response.json()["errors"]


@pytest.mark.postgres
def test_nul_in_a_certificate_scheme_is_a_400(world: Any) -> None:
    body = {
        "scheme": NUL,
        "number": "TS-0001",
        "holder": "Holder",
        "valid_from": "2026-01-01",
        "products": [world.product.pk],
    }
    world_client = world.client("merchant")
    world_client.raise_request_exception = False
    assert world_client.post("/api/v1/certificates/", body, format="json").status_code == 400


@pytest.mark.postgres
def test_nul_in_an_allocation_category_is_a_400(world: Any) -> None:
    body = {
        "name": "Ten off",
        "budget": "100.00",
        "face_value": "10.00",
        "min_spend": "50.00",
        "per_user_limit": 1,
        "claim_starts_at": world.campaign.starts_at.isoformat(),
        "claim_ends_at": world.campaign.ends_at.isoformat(),
        "valid_days": 7,
        "category": NUL,
    }
    client = world.client("staff")
    client.raise_request_exception = False
    response = client.post(f"/api/v1/voucher-campaigns/{world.campaign.pk}/allocations/", body, format="json")
    assert response.status_code == 400


@pytest.mark.postgres
def test_nul_in_a_voucher_code_url_is_a_404(world: Any) -> None:
    client = world.client("staff")
    client.raise_request_exception = False
    assert client.post("/api/v1/vouchers/GV%00X/void/").status_code == 404


def test_allocation_category_is_nullable_in_the_schema() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for name in ("AllocationOutput", "ClaimableAllocation"):
        assert schema["components"]["schemas"][name]["properties"]["category"].get("nullable") is True, name


def test_campaign_dates_before_1901_are_refused_or_rfc3339(world: Any) -> None:
    body = {
        "name": "Ancient",
        "total_budget": "10.00",
        "starts_at": "0398-01-22T01:00:00Z",
        "ends_at": "0911-12-05T01:00:00Z",
    }
    response = world.client("staff").post("/api/v1/voucher-campaigns/", body, format="json")
    assert response.status_code == 400
    assert "starts_at" in response.json()["errors"]


def test_category_parent_is_nullable_in_the_schema() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert schema["components"]["schemas"]["CategoryOutput"]["properties"]["parent"]["nullable"] is True


def test_order_carbon_label_is_nullable_in_the_schema() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert schema["components"]["schemas"]["OrderOutput"]["properties"]["carbon_label"]["nullable"] is True


def test_lists_are_described_as_paginated() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    for path in ("/api/v1/cities/", "/api/v1/orders/", "/api/v1/venue/products/", "/api/v1/vouchers/"):
        get = schema["paths"][path]["get"]
        ref = get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        paginated = components[ref.rsplit("/", 1)[1]]
        assert {"count", "next", "previous", "results"} <= set(paginated["properties"]), path
        assert {"page", "page_size"} <= {parameter["name"] for parameter in get["parameters"]}, path


def test_registration_without_email_matches_the_schema(api_client: Any, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    response = api_client.post(
        "/api/v1/auth/register/", {"username": "no-mail", "password": "a-Long-and-unusual-pass-42"}
    )
    assert response.status_code == 201
    assert response.json()["email"] == ""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    ref = schema["paths"]["/api/v1/auth/register/"]["post"]["responses"]["201"]["content"]["application/json"]
    component = schema["components"]["schemas"][ref["schema"]["$ref"].rsplit("/", 1)[1]]
    assert "format" not in component["properties"]["email"]
