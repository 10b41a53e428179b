"""What orders need from the carbon labels, which sit above orders: carbon reads orders to label them.

Orders cannot import carbon without a cycle between the two apps, so carbon fills this port when Django
starts (``carbon.apps.CarbonConfig.ready``), and orders call it where the effect is caused: checkout
shows the packaging estimates, payment requests the label, the order shows it. A missing registration is
a configuration error, reported by ``manage.py check`` (``orders.E003``) and raised on first use: a paid
order must never go unlabelled without anyone noticing. See docs/architecture.md, "Ports".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.db.models import Prefetch

    from marketplace.catalog.models import City, Product
    from marketplace.orders.models import Order


class OrderCarbonLabels(Protocol):
    def label_on_payment(self, *, order_id: int) -> None:
        """Request the label of an order just paid, once the payment commits."""

    def labels_prefetch(self) -> Prefetch:
        """A prefetch of the labels for order lists, so showing them costs one query per page."""

    def label_data(self, *, order: Order) -> dict[str, Any] | None:
        """The label the order shows (the active factor set's), or None while it is computed."""

    def packaging_footprints(
        self, *, items: Iterable[tuple[Product, int]], destination: City
    ) -> dict[str, dict[str, Any]]:
        """The estimated footprint of each packaging choice open to these items, for the checkout."""


_carbon_labels: OrderCarbonLabels | None = None


def register_carbon_labels(implementation: OrderCarbonLabels) -> None:
    global _carbon_labels
    _carbon_labels = implementation


def carbon_labels_registered() -> bool:
    return _carbon_labels is not None


def carbon_labels() -> OrderCarbonLabels:
    if _carbon_labels is None:
        raise ImproperlyConfigured(
            "No carbon label implementation is registered for orders: is 'carbon' in INSTALLED_APPS?"
        )
    return _carbon_labels
