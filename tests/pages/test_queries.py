"""List pages run a fixed number of queries, whatever the number of rows they show."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.orders import services as order_services
from tests.factories import CityFactory, MerchantFactory, ProductFactory, UserFactory
from tests.pages.conftest import client_as
from tests.pages.factories import World


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def _more_products(world: World, count: int) -> list[Any]:
    return [
        ProductFactory(
            merchant=MerchantFactory(city=CityFactory()),
            category=world.category,
            price=Decimal("10"),
            stock=50,
        )
        for _ in range(count)
    ]


def _paid_order(user: Any, product: Any, world: World) -> None:
    order_services.cart_add_item(user=user, product=product, quantity=1)
    order = order_services.order_place(
        user=user, shipping_city=world.city, address="1 Road", packaging="standard", voucher_code=None
    )
    order_services.order_pay(order=order)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,url",
    [
        ("home", lambda w: reverse("catalog:home")),
        ("category", lambda w: reverse("catalog:category", args=[w.top_category.slug])),
        ("search", lambda w: reverse("catalog:search") + "?q=Product"),
    ],
)
def test_catalog_lists_do_not_grow_with_products(
    world: World, name: str, url: Callable[[World], str]
) -> None:
    client = client_as(world.shopper)
    _more_products(world, 1)
    few = _queries(client, url(world))
    _more_products(world, 6)
    assert _queries(client, url(world)) == few, name


@pytest.mark.django_db
def test_cart_order_list_and_shipments_do_not_grow_with_rows(world: World) -> None:
    buyer = UserFactory()
    client = client_as(buyer)
    products = [ProductFactory(merchant=world.merchant, category=world.category, stock=50) for _ in range(4)]
    _paid_order(buyer, products[0], world)
    order_services.cart_add_item(user=buyer, product=products[0], quantity=1)
    few = {
        "cart": _queries(client, reverse("orders:cart")),
        "orders": _queries(client, reverse("orders:order-list")),
        "shipments": _queries(client_as(world.merchant_user), reverse("orders:merchant-shipments")),
    }
    for product in products[1:]:
        _paid_order(buyer, product, world)
    for product in products[1:]:
        order_services.cart_add_item(user=buyer, product=product, quantity=1)
    many = {
        "cart": _queries(client, reverse("orders:cart")),
        "orders": _queries(client, reverse("orders:order-list")),
        "shipments": _queries(client_as(world.merchant_user), reverse("orders:merchant-shipments")),
    }
    assert many == few
