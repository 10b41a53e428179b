"""Compare the ledger, the vouchers, the allocation counters and the redis backend's counters
(DESIGN section 4, invariant 4). Used by ``manage.py reconcile_vouchers`` and the tests."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q

from vouchers.ledger import ledger_net_by_allocation
from vouchers.models import Allocation, Campaign, VoucherStatus


def reconcile(*, check_fast_counters: bool | None = None) -> list[str]:
    """Differences, one line each; empty when everything agrees."""
    problems: list[str] = []
    net = ledger_net_by_allocation()
    allocations = Allocation.objects.annotate(
        live=Count("vouchers", filter=Q(vouchers__status__in=[VoucherStatus.ISSUED, VoucherStatus.REDEEMED]))
    ).order_by("id")
    fast: dict[int, Decimal] = {}
    pending = 0
    if check_fast_counters is None:
        check_fast_counters = settings.VOUCHER_CLAIM_BACKEND == "redis"
    if check_fast_counters:
        from vouchers.backends import redis_journal

        pending = redis_journal.journal_length()
        if pending:
            problems.append(f"journal: {pending} acknowledged claims not yet in the database (drain first)")
        fast = redis_journal.fast_counters()
    for allocation in allocations:
        from_vouchers = allocation.face_value * allocation.live
        from_ledger = net.get(allocation.pk, Decimal(0))
        if from_ledger != from_vouchers:
            problems.append(f"allocation {allocation.pk}: ledger {from_ledger} != vouchers {from_vouchers}")
        if allocation.issued_amount != from_ledger:
            problems.append(
                f"allocation {allocation.pk}: counter {allocation.issued_amount} != ledger {from_ledger}"
            )
        if allocation.issued_amount > allocation.budget:
            problems.append(
                f"allocation {allocation.pk}: issued {allocation.issued_amount} > budget {allocation.budget}"
            )
        if allocation.pk in fast and fast[allocation.pk] != from_ledger and not pending:
            problems.append(
                f"allocation {allocation.pk}: redis counter {fast[allocation.pk]} != ledger {from_ledger}"
            )
    for campaign in Campaign.objects.prefetch_related("allocations").order_by("id"):
        budgets = sum((a.budget for a in campaign.allocations.all()), Decimal(0))
        if budgets != campaign.allocated:
            problems.append(
                f"campaign {campaign.pk}: allocated {campaign.allocated} != allocations {budgets}"
            )
        if campaign.allocated > campaign.total_budget:
            problems.append(
                f"campaign {campaign.pk}: allocated {campaign.allocated} > total {campaign.total_budget}"
            )
    return problems
