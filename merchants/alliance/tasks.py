"""Alliance tasks (thin wrappers around ``merchants.alliance.services``).

The monthly beat entry ``alliance-measure-progress`` enqueues one task per active member for last
month; each is idempotent (a period already measured is not measured again), so a retry or a second
run changes nothing.
"""

from __future__ import annotations

import datetime

from celery import shared_task


@shared_task(name="alliance.measure_membership", acks_late=True, reject_on_worker_lost=True)
def measure_membership(membership_id: int, period_start: str, period_end: str) -> None:
    from merchants.alliance import services

    services.membership_measure(
        membership_id=membership_id,
        period_start=datetime.date.fromisoformat(period_start),
        period_end=datetime.date.fromisoformat(period_end),
    )


@shared_task(name="alliance.measure_progress", acks_late=True, reject_on_worker_lost=True)
def measure_progress() -> int:
    """Last month's platform-measured KPIs of every active member, one task per member."""
    from merchants.alliance import kpis, selectors

    start, end = kpis.previous_month(selectors.marketplace_today())
    membership_ids = sorted(
        set(selectors.active_commitments_to_measure().values_list("membership_id", flat=True))
    )
    for membership_id in membership_ids:
        measure_membership.delay(membership_id, start.isoformat(), end.isoformat())
    return len(membership_ids)
