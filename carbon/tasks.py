"""Carbon label tasks (thin wrappers around carbon.services).

Every task is idempotent (labels are unique per order and factor set), acknowledged late and rejected
back to the queue when its worker dies, and retried a bounded number of times on database or broker
trouble; the beat sweep catches anything that still slipped through.
"""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

RETRY = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(**RETRY)
def carbon_label_order(order_id: int) -> None:
    """Compute the carbon label of a paid order. Enqueued on commit by ``orders.services.order_pay``."""
    from carbon import services

    services.carbon_label_order_compute(order_id=order_id)


@shared_task(name="carbon.label_batch", **RETRY)
def carbon_label_batch(factor_set_id: int, order_ids: list[int]) -> int:
    from carbon import services

    return services.carbon_labels_compute_batch(factor_set_id=factor_set_id, order_ids=order_ids)


@shared_task(name="carbon.recompute", **RETRY)
def carbon_recompute(recomputation_id: int) -> int:
    from carbon import services

    return services.carbon_recompute_enqueue(recomputation_id=recomputation_id)


@shared_task(name="carbon.sweep_unlabelled", **RETRY)
def carbon_sweep_unlabelled() -> int:
    from carbon import services

    return services.carbon_labels_sweep()


@shared_task(name="carbon.product_footprints_refresh", **RETRY)
def carbon_product_footprints_refresh() -> int:
    from django.conf import settings

    from carbon import services

    return services.product_footprints_refresh(limit=settings.CARBON_SWEEP_LIMIT)
