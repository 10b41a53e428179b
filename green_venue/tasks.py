"""Thin, idempotent Celery tasks (beat): they call services and hold no rules."""

from __future__ import annotations

from celery import shared_task

from green_venue import services


@shared_task(name="green_venue.certificates_daily")
def certificates_daily() -> dict[str, int]:
    """Expire certificates past their last valid day and warn merchants of those ending soon.

    The venue does not wait for this: ``green_certified_q`` checks the dates itself. Safe to run twice.
    """
    expired = services.certificates_expire()
    warned = services.certificates_warn_expiring()
    return {"expired": expired, "warned": warned}
