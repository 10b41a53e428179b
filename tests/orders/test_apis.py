from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.orders import services
from marketplace.orders.models import CartItem, Order, Payment, Shipment
from tests.conftest import client_for
from tests.factories import CityFactory, MerchantFactory, ProductFactory, UserFactory
from tests.orders.factories import fill_cart, place_order

pytestmark = pytest.mark.django_db


def _checkout_payload(city, **overrides):
    payload = {
        "shipping_city": city.slug,
        "address": "8 Bamboo Lane",
        "packaging": "standard",
        "voucher": None,
    }
    payload.update(overrides)
    return payload


def test_anonymous_callers_get_401(api_client):
    order = place_order(UserFactory(), (ProductFactory(), 1))
    for method, url in [
        ("get", "/api/v1/cart/"),
        ("post", "/api/v1/cart/items/"),
        ("patch", "/api/v1/cart/items/1/"),
        ("post", "/api/v1/checkout/"),
        ("get", "/api/v1/orders/"),
        ("get", f"/api/v1/orders/{order.pk}/"),
        ("post", f"/api/v1/orders/{order.pk}/pay/"),
        ("post", f"/api/v1/orders/{order.pk}/cancel/"),
        ("get", "/api/v1/shipments/"),
        ("post", "/api/v1/shipments/1/ship/"),
    ]:
        assert getattr(api_client, method)(url, {}).status_code == 401, url


def test_cart_add_merge_update_and_remove():
    user = UserFactory()
    client = client_for(user)
    product = ProductFactory(price=Decimal("19.90"), stock=10, ships_in_own_box=True)

    first = client.post("/api/v1/cart/items/", {"product": product.pk, "quantity": 2})
    assert first.status_code == 201, first.content
    again = client.post("/api/v1/cart/items/", {"product": product.pk, "quantity": 1})
    assert again.status_code == 201
    assert again.json()["quantity"] == 3
    cart = client.get("/api/v1/cart/").json()
    assert cart["subtotal"] == "59.70"
    assert cart["currency"] == "CNY"
    assert cart["packaging_options"] == ["standard", "recycled", "reusable", "none"]
    [item] = cart["items"]
    assert item["product"]["id"] == product.pk
    assert item["line_total"] == "59.70"

    patched = client.patch(f"/api/v1/cart/items/{item['id']}/", {"quantity": 5})
    assert patched.status_code == 200
    assert patched.json()["quantity"] == 5
    assert client.delete(f"/api/v1/cart/items/{item['id']}/").status_code == 204
    assert client.get("/api/v1/cart/").json()["items"] == []


@pytest.mark.parametrize(
    "payload",
    [
        {"product": 999999, "quantity": 1},
        {"quantity": 1},
        {"product": "abc"},
        {"product": None, "quantity": 0},
    ],
)
def test_cart_bad_input_is_400(payload):
    response = client_for(UserFactory()).post("/api/v1/cart/items/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_cart_quantity_bounds_and_stock():
    client = client_for(UserFactory())
    product = ProductFactory(stock=3, name_en="Rare tea")
    assert client.post("/api/v1/cart/items/", {"product": product.pk, "quantity": 0}).status_code == 400
    assert client.post("/api/v1/cart/items/", {"product": product.pk, "quantity": 10**9}).status_code == 400
    response = client.post("/api/v1/cart/items/", {"product": product.pk, "quantity": 4})
    assert response.status_code == 409
    assert response.json()["code"] == "out_of_stock"
    assert "Rare tea" in response.json()["detail"]


def test_another_users_cart_item_is_404():
    owner = UserFactory()
    fill_cart(owner, (ProductFactory(), 1))
    item = CartItem.objects.get()
    intruder = client_for(UserFactory())
    assert intruder.patch(f"/api/v1/cart/items/{item.pk}/", {"quantity": 3}).status_code == 404
    assert intruder.delete(f"/api/v1/cart/items/{item.pk}/").status_code == 404
    item.refresh_from_db()
    assert item.quantity == 1


def test_checkout_answers_201_with_the_order():
    user = UserFactory()
    shop_a, shop_b = MerchantFactory(), MerchantFactory()
    pa = ProductFactory(merchant=shop_a, price=Decimal("33.33"), stock=5, name_en="Tea", name_zh="茶")
    pb = ProductFactory(merchant=shop_b, price=Decimal("0.01"), stock=10)
    fill_cart(user, (pa, 3), (pb, 7))
    city = CityFactory()
    response = client_for(user).post("/api/v1/checkout/", _checkout_payload(city), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending_payment"
    assert (body["subtotal"], body["discount"], body["total"]) == ("100.06", "0.00", "100.06")
    assert body["carbon_label"] is None
    assert body["shipping_city"] == city.slug
    assert body["payment_due_at"] is not None
    assert len(body["lines"]) == 2
    assert {s["merchant"]["id"] for s in body["shipments"]} == {shop_a.pk, shop_b.pk}
    tea = next(line for line in body["lines"] if line["product"] == pa.pk)
    assert (tea["unit_price"], tea["quantity"], tea["line_total"], tea["product_name"]) == (
        "33.33",
        3,
        "99.99",
        "Tea",
    )
    pa.refresh_from_db()
    assert pa.stock == 2


def test_checkout_with_an_empty_cart_is_409_cart_empty():
    response = client_for(UserFactory()).post(
        "/api/v1/checkout/", _checkout_payload(CityFactory()), format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "cart_empty"


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"shipping_city": "atlantis"}, "shipping_city"),
        ({"packaging": "gift-wrap"}, "packaging"),
        ({"address": ""}, "address"),
        ({"address": "x" * 501}, "address"),
    ],
)
def test_checkout_bad_input_is_400_and_creates_nothing(override, field):
    user = UserFactory()
    product = ProductFactory(stock=2)
    fill_cart(user, (product, 1))
    response = client_for(user).post(
        "/api/v1/checkout/", _checkout_payload(CityFactory(), **override), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Order.objects.exists()
    product.refresh_from_db()
    assert product.stock == 2


def test_packaging_none_when_a_product_needs_a_box_is_400():
    user = UserFactory()
    fill_cart(user, (ProductFactory(ships_in_own_box=True), 1), (ProductFactory(ships_in_own_box=False), 1))
    response = client_for(user).post(
        "/api/v1/checkout/", _checkout_payload(CityFactory(), packaging="none"), format="json"
    )
    assert response.status_code == 400
    assert "packaging" in response.json()["errors"]
    assert not Order.objects.exists()


def test_a_voucher_that_does_not_apply_fails_the_checkout_and_creates_nothing():
    user = UserFactory()
    product = ProductFactory(stock=2)
    fill_cart(user, (product, 1))
    response = client_for(user).post(
        "/api/v1/checkout/", _checkout_payload(CityFactory(), voucher="NO-SUCH-CODE"), format="json"
    )
    assert response.status_code in (400, 409)
    assert response.json()["code"]
    assert not Order.objects.exists()
    product.refresh_from_db()
    assert product.stock == 2


def test_another_shoppers_order_and_its_actions_are_404():
    order = place_order(UserFactory(), (ProductFactory(), 1))
    intruder = client_for(UserFactory())
    assert intruder.get(f"/api/v1/orders/{order.pk}/").status_code == 404
    for action in ("pay", "cancel", "confirm-receipt"):
        response = intruder.post(f"/api/v1/orders/{order.pk}/{action}/")
        assert response.status_code == 404, action
        assert response.json()["code"] == "not_found"
    assert intruder.get("/api/v1/orders/").json()["count"] == 0
    order.refresh_from_db()
    assert order.status == "pending_payment"
    assert not Payment.objects.exists()


def test_order_lifecycle_through_the_api():
    user = UserFactory()
    merchant = MerchantFactory()
    product = ProductFactory(merchant=merchant, stock=3)
    order = place_order(user, (product, 1))
    shopper = client_for(user)
    shop = client_for(merchant.owner)

    paid = shopper.post(f"/api/v1/orders/{order.pk}/pay/")
    assert paid.status_code == 200
    assert paid.json()["status"] == "paid"
    assert shopper.post(f"/api/v1/orders/{order.pk}/pay/").status_code == 200  # paying twice is harmless
    assert Payment.objects.filter(order=order).count() == 1

    shipments = shop.get("/api/v1/shipments/").json()
    assert shipments["count"] == 1
    [shipment] = shipments["results"]
    assert shipment["order"]["address"] == "1 Green Road, Apt 2"
    shipped = shop.post(f"/api/v1/shipments/{shipment['id']}/ship/")
    assert shipped.status_code == 200
    assert shipped.json()["status"] == "shipped"
    assert shop.post(f"/api/v1/shipments/{shipment['id']}/ship/").status_code == 200

    cancel = shopper.post(f"/api/v1/orders/{order.pk}/cancel/")
    assert cancel.status_code == 409
    assert cancel.json()["code"] == "invalid_transition"

    done = shopper.post(f"/api/v1/orders/{order.pk}/confirm-receipt/")
    assert done.status_code == 200
    assert done.json()["status"] == "delivered"
    assert shopper.post(f"/api/v1/orders/{order.pk}/confirm-receipt/").json()["status"] == "delivered"
    product.refresh_from_db()
    assert product.stock == 2


def test_paying_a_cancelled_order_is_409():
    user = UserFactory()
    product = ProductFactory(stock=3)
    order = place_order(user, (product, 2))
    client = client_for(user)
    cancelled = client.post(f"/api/v1/orders/{order.pk}/cancel/")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert client.post(f"/api/v1/orders/{order.pk}/cancel/").status_code == 200  # same state: no change
    response = client.post(f"/api/v1/orders/{order.pk}/pay/")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    product.refresh_from_db()
    assert product.stock == 3


def test_a_merchant_cannot_see_or_ship_another_merchants_shipment():
    merchant, other = MerchantFactory(), MerchantFactory()
    order = place_order(UserFactory(), (ProductFactory(merchant=merchant), 1))
    services.order_pay(order=order)
    shipment = Shipment.objects.get(order=order)
    other_client = client_for(other.owner)
    assert other_client.get("/api/v1/shipments/").json()["count"] == 0
    response = other_client.post(f"/api/v1/shipments/{shipment.pk}/ship/")
    assert response.status_code == 404
    shipment.refresh_from_db()
    assert shipment.status == "pending"

    shopper_only = client_for(UserFactory())
    assert shopper_only.get("/api/v1/shipments/").status_code == 403
    assert shopper_only.post(f"/api/v1/shipments/{shipment.pk}/ship/").status_code == 403


def test_unpaid_orders_are_not_in_the_merchants_shipments_and_cannot_ship():
    merchant = MerchantFactory()
    order = place_order(UserFactory(), (ProductFactory(merchant=merchant), 1))
    client = client_for(merchant.owner)
    assert client.get("/api/v1/shipments/").json()["count"] == 0
    response = client.post(f"/api/v1/shipments/{order.shipments.get().pk}/ship/")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_order_list_runs_a_constant_number_of_queries():
    user = UserFactory()
    client = client_for(user)
    place_order(user, (ProductFactory(), 1))
    client.get("/api/v1/orders/")  # warm the token cache
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/orders/").json()["count"] == 1
    for _ in range(4):
        place_order(user, (ProductFactory(), 1), (ProductFactory(), 2), (ProductFactory(), 1))
    with CaptureQueriesContext(connection) as many:
        body = client.get("/api/v1/orders/").json()
    assert body["count"] == 5
    assert sum(len(order["lines"]) for order in body["results"]) == 13
    assert len(many) == len(one)


def test_shipment_list_runs_a_constant_number_of_queries():
    merchant = MerchantFactory()
    client = client_for(merchant.owner)
    first = place_order(UserFactory(), (ProductFactory(merchant=merchant), 1))
    services.order_pay(order=first)
    client.get("/api/v1/shipments/")
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/shipments/")
    for _ in range(4):
        order = place_order(
            UserFactory(), (ProductFactory(merchant=merchant), 1), (ProductFactory(merchant=merchant), 2)
        )
        services.order_pay(order=order)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/shipments/").json()["count"] == 5
    assert len(many) == len(one)


def test_order_list_filters_by_status_and_rejects_unknown_status():
    user = UserFactory()
    client = client_for(user)
    paid = place_order(user, (ProductFactory(), 1))
    services.order_pay(order=paid)
    place_order(user, (ProductFactory(), 1))
    assert [o["id"] for o in client.get("/api/v1/orders/?status=paid").json()["results"]] == [paid.pk]
    assert client.get("/api/v1/orders/?status=bogus").status_code == 400
    assert client.get("/api/v1/orders/not-a-number/").status_code == 404


def test_cart_runs_a_constant_number_of_queries():
    user = UserFactory()
    client = client_for(user)
    fill_cart(user, (ProductFactory(), 1))
    client.get("/api/v1/cart/")
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/cart/")
    fill_cart(user, *[(ProductFactory(), 2) for _ in range(5)])
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/v1/cart/").json()["items"]) == 6
    assert len(many) == len(one)


def test_a_paid_order_shows_its_carbon_label(django_capture_on_commit_callbacks):
    user = UserFactory()
    order = place_order(user, (ProductFactory(stock=3), 1))
    shopper = client_for(user)
    assert shopper.get(f"/api/v1/orders/{order.pk}/").json()["carbon_label"] is None

    with django_capture_on_commit_callbacks(execute=True):
        assert shopper.post(f"/api/v1/orders/{order.pk}/pay/").status_code == 200

    label = shopper.get(f"/api/v1/orders/{order.pk}/").json()["carbon_label"]
    assert label is not None
    assert Decimal(label["total_kgco2e"]) > 0
    assert label["grade"] in {"A", "B", "C", "D", "E"}
    listed = shopper.get("/api/v1/orders/").json()["results"][0]["carbon_label"]
    assert listed["total_kgco2e"] == label["total_kgco2e"]
