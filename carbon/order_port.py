"""The carbon labels as orders see them: the implementation of ``marketplace.orders.ports``.

Registered at start-up by ``CarbonConfig.ready``; each method calls carbon's own selectors or tasks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Prefetch

from carbon import selectors, tasks
from marketplace.catalog.models import City, Product
from marketplace.orders.models import Order


class CarbonLabelsForOrders:
    def label_on_payment(self, *, order_id: int) -> None:
        # After the commit, so the worker finds the order paid; the beat sweep catches a lost enqueue.
        transaction.on_commit(lambda: tasks.carbon_label_order.delay(order_id))

    def labels_prefetch(self) -> Prefetch:
        return selectors.carbon_labels_prefetch()

    def label_data(self, *, order: Order) -> dict[str, Any] | None:
        return selectors.carbon_label_data_for_order(order)

    def packaging_footprints(
        self, *, items: Iterable[tuple[Product, int]], destination: City
    ) -> dict[str, dict[str, Any]]:
        return selectors.packaging_footprints_for_cart(items=items, destination=destination)
