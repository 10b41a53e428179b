"""Totals are exact to the cent for any mix of prices and quantities (property tests)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketplace.catalog.models import MAX_PRICE
from marketplace.core.money import Money
from marketplace.orders import services
from marketplace.orders.models import Order, OrderLine
from marketplace.orders.pricing import order_totals
from tests.factories import CategoryFactory, CityFactory, MerchantFactory, ProductFactory, UserFactory
from tests.orders.factories import fill_cart

cents = st.integers(min_value=1, max_value=int(MAX_PRICE * 100))
quantities = st.integers(min_value=1, max_value=99)
lines_strategy = st.lists(st.tuples(cents, quantities), min_size=1, max_size=12)


@given(lines=lines_strategy, discount_cents=st.integers(min_value=0, max_value=10**9))
def test_pure_totals_equal_integer_cent_arithmetic(lines, discount_cents):
    totals = order_totals(
        lines=[(Money(Decimal(c) / 100), q) for c, q in lines], discount=Money(Decimal(discount_cents) / 100)
    )
    subtotal_cents = sum(c * q for c, q in lines)
    applied = min(discount_cents, subtotal_cents)
    assert totals.subtotal.amount == Decimal(subtotal_cents) / 100
    assert totals.discount.amount == Decimal(applied) / 100
    assert totals.total.amount == Decimal(subtotal_cents - applied) / 100
    assert totals.total.amount.as_tuple().exponent == -2


@pytest.mark.django_db
@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(st.tuples(cents, quantities), min_size=1, max_size=5))
def test_stored_and_served_totals_are_exact(lines):
    """Through checkout and the database: every stored line and the order's totals match cent math."""
    from tests.conftest import client_for

    with transaction.atomic():
        user = UserFactory()
        merchant = MerchantFactory()
        category = CategoryFactory()
        products = [
            ProductFactory(merchant=merchant, category=category, price=Decimal(c) / 100, stock=100)
            for c, _ in lines
        ]
        fill_cart(user, *[(product, q) for product, (_, q) in zip(products, lines, strict=True)])
        order = services.order_place(
            user=user, shipping_city=CityFactory(), address="x", packaging="standard", voucher_code=None
        )
        stored = Order.objects.get(pk=order.pk)
        expected_cents = sum(c * q for c, q in lines)
        assert stored.subtotal == Decimal(expected_cents) / 100
        assert stored.total == stored.subtotal
        for line in OrderLine.objects.filter(order=order):
            assert line.line_total == line.unit_price * line.quantity
        body = client_for(user).get(f"/api/v1/orders/{order.pk}/").json()
        assert body["subtotal"] == f"{Decimal(expected_cents) / 100:.2f}"
        assert body["total"] == body["subtotal"]
        assert sum(Decimal(line["line_total"]) for line in body["lines"]) == Decimal(body["subtotal"])
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_database_refuses_totals_that_do_not_add_up():
    from django.db import IntegrityError

    from tests.orders.factories import place_order

    order = place_order(UserFactory(), (ProductFactory(price=Decimal("0.99"), stock=5), 3))
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderLine.objects.filter(order=order).update(line_total=Decimal("2.96"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=order.pk).update(total=Decimal("2.98"))
    order.refresh_from_db()
    assert (order.subtotal, order.total) == (Decimal("2.97"), Decimal("2.97"))
