"""Races on real PostgreSQL: real threads released together by a barrier, each on its own connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from marketplace.core.errors import DomainError
from marketplace.orders import services
from marketplace.orders.models import Order, Payment
from tests.conftest import client_for
from tests.factories import CityFactory, ProductFactory, UserFactory
from tests.orders.factories import fill_cart, place_order

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def run_together(callables: list[Callable[[], Any]]) -> list[Any]:
    """Run every callable in its own thread, all released at once; return results or exceptions."""
    barrier = threading.Barrier(len(callables))
    results: list[Any] = [None] * len(callables)

    def worker(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except BaseException as exc:  # recorded and asserted on by the test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(callables)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    return results


def test_ten_shoppers_buying_the_last_unit_get_exactly_one_order():
    product = ProductFactory(stock=10, name_en="Last solar lamp")
    city = CityFactory()
    shoppers = [UserFactory() for _ in range(10)]
    for shopper in shoppers:
        fill_cart(shopper, (product, 1))
    product.stock = 1
    product.save(update_fields=["stock"])

    def buy(shopper: Any) -> Callable[[], Any]:
        return lambda: services.order_place(
            user=shopper, shipping_city=city, address="1 Road", packaging="standard", voucher_code=None
        )

    results = run_together([buy(shopper) for shopper in shoppers])

    orders = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, DomainError)]
    unexpected = [r for r in results if not isinstance(r, (Order, DomainError))]
    assert unexpected == []
    assert len(orders) == 1
    assert {e.code for e in refused} == {"out_of_stock"}
    assert len(refused) == 9
    assert all("Last solar lamp" in e.detail for e in refused)
    product.refresh_from_db()
    assert product.stock == 0
    assert Order.objects.count() == 1


def test_ten_shoppers_through_the_api_get_one_201_and_nine_409():
    product = ProductFactory(stock=10)
    city = CityFactory()
    shoppers = [UserFactory() for _ in range(10)]
    for shopper in shoppers:
        fill_cart(shopper, (product, 1))
    product.stock = 1
    product.save(update_fields=["stock"])
    clients = [client_for(shopper) for shopper in shoppers]
    payload = {"shipping_city": city.slug, "address": "1 Road", "packaging": "standard", "voucher": None}

    def checkout(client: Any) -> Callable[[], Any]:
        return lambda: client.post("/api/v1/checkout/", payload, format="json")

    responses = run_together([checkout(client) for client in clients])

    assert all(not isinstance(r, BaseException) for r in responses), responses
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 9
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"out_of_stock"}
    product.refresh_from_db()
    assert product.stock == 0
    assert Order.objects.count() == 1


def test_two_cancels_at_once_give_the_stock_back_once():
    product = ProductFactory(stock=5)
    order = place_order(UserFactory(), (product, 3))

    results = run_together([lambda: services.order_cancel(order=order) for _ in range(2)])

    assert all(isinstance(r, Order) for r in results), results
    product.refresh_from_db()
    assert product.stock == 5
    order.refresh_from_db()
    assert order.status == "cancelled"


def test_two_payments_at_once_charge_once(counting_provider):
    order = place_order(UserFactory(), (ProductFactory(), 2))

    results = run_together([lambda: services.order_pay(order=order) for _ in range(4)])

    assert all(isinstance(r, Order) and r.status == "paid" for r in results), results
    assert len(counting_provider.charges) == 1
    assert Payment.objects.filter(order=order).count() == 1


def test_cancel_racing_payment_ends_consistent(counting_provider):
    """Either the payment wins (then the cancel refunds it) or the cancel wins (the payment is refused):
    never a paid cancelled order without a refund, never stock given back twice."""
    product = ProductFactory(stock=3)
    order = place_order(UserFactory(), (product, 1))

    results = run_together(
        [lambda: services.order_pay(order=order), lambda: services.order_cancel(order=order)]
    )

    assert not [r for r in results if isinstance(r, BaseException) and not isinstance(r, DomainError)], (
        results
    )
    order.refresh_from_db()
    assert order.status == "cancelled"
    product.refresh_from_db()
    assert product.stock == 3
    charged = len(counting_provider.charges)
    assert len(counting_provider.refunds) == charged
    assert Payment.objects.filter(order=order, status="succeeded").count() == 0
