"""Carbon label tasks (thin wrappers around carbon.services)."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True)
def carbon_label_order(order_id: int) -> None:
    """Compute the carbon label of a paid order. Enqueued on commit by ``orders.services.order_pay``."""
    from carbon import services

    services.carbon_label_order_compute(order_id=order_id)
