"""Compare the records an allocation's budget is kept in: the vouchers, the ledger, the budget buckets
and the redis backend's counters. Used by ``manage.py reconcile_vouchers``, the chaos checks and the
tests.

The vouchers give the issued figure, defined once in ``vouchers.selectors.allocation_issued``, which this
module uses rather than recomputing. The ledger's reserves minus releases, the buckets' sum and the
claims Redis's counter are computed here on purpose: they are separate records, written by separate code
(ledger entries, bucket UPDATEs, the claim script), and each must come to the same amount as the issued
figure; reading each from its own source is how a write lost or doubled by one of them shows up.
Nothing here decides what "issued" means."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db.models import F, Q, Sum

from vouchers.ledger import ledger_net_by_allocation
from vouchers.models import Allocation, AllocationBucket, Campaign, bucket_issued_sum
from vouchers.selectors import allocation_issued, allocation_with_counts


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
    # ``issued_count`` for the issued figure; ``issued_amount``, the buckets' sum, to compare with it.
    allocations = allocation_with_counts(queryset=Allocation.objects.order_by("id")).annotate(
        issued_amount=bucket_issued_sum()
    )
    fast: dict[int, Decimal] = {}
    pending = 0
    if check_fast_counters is None:
        check_fast_counters = settings.VOUCHER_CLAIM_BACKEND == "redis"
    if check_fast_counters:
        from vouchers.backends.redis.counters import fast_counters
        from vouchers.backends.redis.journal import journal_length

        pending = journal_length()
        if pending:
            problems.append(f"journal: {pending} acknowledged claims not yet in the database (drain first)")
        fast = fast_counters()
    for allocation in allocations:
        from_vouchers = allocation_issued(allocation=allocation)
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
