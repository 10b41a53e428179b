"""Thin, idempotent Celery tasks (beat): they call services and hold no rules."""

from __future__ import annotations

from celery import shared_task

from vouchers import services


@shared_task(name="vouchers.journal_drain")
def journal_drain() -> int:
    """Persist the redis backend's acknowledged claims into the database (idempotent by claim id); a
    claims Redis that restarted is recovered first, and the allocations shoppers can claim are loaded
    into it before they come."""
    if not services.voucher_claims_recover_if_needed():
        return 0
    drained = services.voucher_journal_drain()
    services.voucher_claims_warm()
    return drained


@shared_task(name="vouchers.expire_due")
def expire_due() -> int:
    return services.voucher_expire_due()
