"""Compare the ledger, the vouchers, the budget buckets and the redis backend's counters (docs/invariants.md,
"Budget never overspent" and "The ledger balances"). Used by ``manage.py reconcile_vouchers`` and the
tests."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Q, Sum

from vouchers.ledger import ledger_net_by_allocation
from vouchers.models import Allocation, AllocationBucket, Campaign, VoucherStatus, bucket_issued_sum


def _bucket_problems() -> list[str]:
    """Buckets outside 0..budget (their check constraints forbid it: a dropped constraint or a bug) or
    holding part of a voucher (a release needs a bucket holding a whole face value)."""
    problems = []
    for bucket in AllocationBucket.objects.filter(
        Q(issued_amount__gt=F("budget")) | Q(issued_amount__lt=0)
    ).order_by("allocation_id", "index"):
        problems.append(
            f"allocation {bucket.allocation_id} bucket {bucket.index}: "
            f"issued {bucket.issued_amount} outside 0..{bucket.budget}"
        )
    for bucket in (
        AllocationBucket.objects.annotate(face=F("allocation__face_value"))
        .only("allocation_id", "index", "issued_amount")
        .order_by("allocation_id", "index")
        .iterator()
    ):
        if bucket.issued_amount % bucket.face:
            problems.append(
                f"allocation {bucket.allocation_id} bucket {bucket.index}: "
                f"issued {bucket.issued_amount} is not whole vouchers of {bucket.face}"
            )
    return problems


def reconcile(*, check_fast_counters: bool | None = None) -> list[str]:
    """Differences, one line each; empty when everything agrees."""
    problems: list[str] = []
    net = ledger_net_by_allocation()
    bucket_budgets = dict(
        AllocationBucket.objects.order_by()
        .values("allocation_id")
        .annotate(total=Sum("budget"))
        .values_list("allocation_id", "total")
    )
    allocations = Allocation.objects.annotate(
        issued_amount=bucket_issued_sum(),
        live=Count("vouchers", filter=Q(vouchers__status__in=[VoucherStatus.ISSUED, VoucherStatus.REDEEMED])),
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
                f"allocation {allocation.pk}: buckets {allocation.issued_amount} != ledger {from_ledger}"
            )
        if allocation.issued_amount > allocation.budget:
            problems.append(
                f"allocation {allocation.pk}: issued {allocation.issued_amount} > budget {allocation.budget}"
            )
        buckets_budget = bucket_budgets.get(allocation.pk, Decimal(0))
        if buckets_budget > allocation.budget:
            problems.append(
                f"allocation {allocation.pk}: buckets' budgets {buckets_budget} > budget {allocation.budget}"
            )
        if allocation.pk in fast and fast[allocation.pk] != from_ledger and not pending:
            problems.append(
                f"allocation {allocation.pk}: redis counter {fast[allocation.pk]} != ledger {from_ledger}"
            )
    problems += _bucket_problems()
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
