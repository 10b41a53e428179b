"""Helpers to build carts and orders through the real services (so tests exercise the same paths)."""

from __future__ import annotations

import threading
from typing import Any

from marketplace.catalog.models import City, Product
from marketplace.core.money import Money
from marketplace.orders import services
from marketplace.orders.models import Order
from marketplace.orders.payments import PaymentResult
from tests.factories import CityFactory, ProductFactory, UserFactory

__all__ = [
    "CityFactory",
    "CountingPaymentProvider",
    "ProductFactory",
    "UserFactory",
    "fill_cart",
    "place_order",
]


def fill_cart(user: Any, *lines: tuple[Product, int]) -> None:
    for product, quantity in lines:
        services.cart_add_item(user=user, product=product, quantity=quantity)


def place_order(
    user: Any,
    *lines: tuple[Product, int],
    city: City | None = None,
    packaging: str = "standard",
    voucher_code: str | None = None,
) -> Order:
    fill_cart(user, *lines)
    return services.order_place(
        user=user,
        shipping_city=city or CityFactory(),
        address="1 Green Road, Apt 2",
        packaging=packaging,
        voucher_code=voucher_code,
    )


class CountingPaymentProvider:
    """A demo-like provider that counts the charges and refunds it was asked for (thread-safe)."""

    name = "counting"
    lock = threading.Lock()
    charges: list[str] = []
    refunds: list[str] = []
    fail_charges = False

    @classmethod
    def reset(cls) -> None:
        with cls.lock:
            cls.charges = []
            cls.refunds = []
            cls.fail_charges = False

    def charge(self, order: Order, idempotency_key: str) -> PaymentResult:
        with self.lock:
            self.charges.append(idempotency_key)
        if self.fail_charges:
            return PaymentResult(
                succeeded=False,
                reference="",
                amount=Money(order.total, order.currency),
                error="Card declined.",
            )
        return PaymentResult(
            succeeded=True, reference=f"count-{idempotency_key}", amount=Money(order.total, order.currency)
        )

    def refund(self, payment: Any) -> PaymentResult:
        with self.lock:
            self.refunds.append(payment.reference)
        return PaymentResult(
            succeeded=True,
            reference=f"{payment.reference}-refund",
            amount=Money(payment.amount, payment.currency),
        )
