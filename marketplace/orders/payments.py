"""The payment provider interface and the demo provider.

Checkout never talks to a payment service directly: ``order_pay`` asks the provider named by the
``PAYMENT_PROVIDER`` setting (a dotted path) to ``charge`` an order under an idempotency key, and
``order_cancel`` asks it to ``refund`` a payment. A real provider (Alipay, WeChat Pay, Stripe) is a class
with these two methods; every real API of that kind accepts an idempotency key, so a retried charge is the
same charge.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from marketplace.core.money import Money

if TYPE_CHECKING:
    from marketplace.orders.models import Order, Payment

DEMO_PROVIDER = "marketplace.orders.payments.DemoPaymentProvider"


@dataclass(frozen=True, slots=True)
class PaymentResult:
    succeeded: bool
    reference: str
    amount: Money
    error: str = ""


class PaymentProvider(Protocol):
    name: str

    def charge(self, order: Order, idempotency_key: str) -> PaymentResult:
        """Take ``order.total``; the same key must never charge twice."""
        ...

    def refund(self, payment: Payment) -> PaymentResult:
        """Give a successful payment back in full."""
        ...


class DemoPaymentProvider:
    """Succeeds at once. The reference is derived from the key, so a retry answers the same charge."""

    name = "demo"

    def charge(self, order: Order, idempotency_key: str) -> PaymentResult:
        digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:24]
        return PaymentResult(
            succeeded=True, reference=f"demo-{digest}", amount=Money(order.total, order.currency)
        )

    def refund(self, payment: Payment) -> PaymentResult:
        return PaymentResult(
            succeeded=True,
            reference=f"{payment.reference}-refund",
            amount=Money(payment.amount, payment.currency),
        )


@lru_cache(maxsize=4)
def _provider_for(path: str) -> PaymentProvider:
    provider: PaymentProvider = import_string(path)()
    return provider


def get_payment_provider() -> PaymentProvider:
    return _provider_for(getattr(settings, "PAYMENT_PROVIDER", DEMO_PROVIDER))
