from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import client_for
from tests.factories import CategoryFactory, MerchantFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


def _product_payload(category_slug: str, **overrides: object) -> dict[str, object]:
    payload: dict[str, object] = {
        "name": "Bamboo toothbrush",
        "name_zh": "竹牙刷",
        "description": "A toothbrush with a bamboo handle.",
        "category": category_slug,
        "price": "19.90",
        "stock": 100,
        "weight_grams": 20,
    }
    payload.update(overrides)
    return payload


def test_merchant_lists_a_product_and_anyone_can_read_it(api_client):
    merchant = MerchantFactory()
    category = CategoryFactory()
    response = client_for(merchant.owner).post("/api/v1/products/", _product_payload(category.slug))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name_en"] == "Bamboo toothbrush"
    assert body["price"] == "19.90"
    assert body["merchant"]["id"] == merchant.pk

    listing = api_client.get("/api/v1/products/").json()
    assert [item["id"] for item in listing["results"]] == [body["id"]]
    assert set(listing) == {"count", "next", "previous", "results"}


def test_chinese_name_is_served_for_chinese_requests(api_client):
    product = ProductFactory(name_en="Kettle", name_zh="水壶")
    body = api_client.get(f"/api/v1/products/{product.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert body["name"] == "水壶"
    assert api_client.get(f"/api/v1/products/{product.pk}/").json()["name"] == "Kettle"


def test_merchant_cannot_edit_another_merchants_product():
    product = ProductFactory()
    intruder = MerchantFactory()
    response = client_for(intruder.owner).patch(f"/api/v1/products/{product.pk}/", {"price": "1.00"})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    product.refresh_from_db()
    assert str(product.price) == "99.00"


def test_anonymous_cannot_write(api_client):
    product = ProductFactory()
    assert api_client.patch(f"/api/v1/products/{product.pk}/", {"price": "1.00"}).status_code == 401
    assert api_client.post("/api/v1/products/", {}).status_code == 401
    assert api_client.post("/api/v1/merchants/", {"name": "x", "city": "beijing"}).status_code == 401


def test_shopper_without_shop_cannot_list_products():
    category = CategoryFactory()
    response = client_for(UserFactory()).post("/api/v1/products/", _product_payload(category.slug))
    assert response.status_code == 403
    assert response.json()["code"] == "not_a_merchant"


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"price": "-1.00"}, "price"),
        ({"price": "100000000000000"}, "price"),
        ({"price": "abc"}, "price"),
        ({"stock": -5}, "stock"),
        ({"stock": 10**12}, "stock"),
        ({"stock": "many"}, "stock"),
        ({"weight_grams": 0}, "weight_grams"),
        ({"category": "no-such-category"}, "category"),
        ({"name": "x" * 10_000}, "name"),
        ({"description": "x" * 10_000}, "description"),
    ],
)
def test_bad_product_input_is_a_400_with_the_error_format(override, field):
    merchant = MerchantFactory()
    category = CategoryFactory()
    response = client_for(merchant.owner).post(
        "/api/v1/products/", _product_payload(category.slug, **override)
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["errors"]
    assert body["detail"]


def test_malformed_json_is_a_400():
    merchant = MerchantFactory()
    response = client_for(merchant.owner).generic(
        "POST", "/api/v1/products/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_unknown_product_is_a_404(api_client):
    assert api_client.get("/api/v1/products/999999/").json()["code"] == "not_found"


@pytest.mark.parametrize("page_size", [1, 10, 50])
def test_product_list_uses_constant_queries_whatever_the_page_size(api_client, page_size):
    for _ in range(50):
        ProductFactory()
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(f"/api/v1/products/?page_size={page_size}")
    assert response.status_code == 200
    assert len(response.json()["results"]) == page_size
    assert len(queries) == 2  # count + page
