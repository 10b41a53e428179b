"""Beat tasks of the orders app: thin wrappers around services (docs/architecture.md, "Background work")."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="orders.cancel_unpaid_expired", acks_late=True, reject_on_worker_lost=True)
def orders_cancel_unpaid_expired() -> int:
    """Every minute: cancel orders unpaid for ``PAYMENT_TIMEOUT_MINUTES`` and give their stock back."""
    from marketplace.orders import services

    return services.orders_cancel_unpaid_expired()


@shared_task(name="orders.deliver_after_shipping", acks_late=True, reject_on_worker_lost=True)
def orders_deliver_after_shipping() -> int:
    """Daily: orders shipped ``ORDER_AUTO_DELIVER_DAYS`` ago count as delivered."""
    from marketplace.orders import services

    return services.orders_deliver_after_shipping()
