"""Invariants 1-4 of docs/invariants.md under real concurrency on PostgreSQL, for each claim backend."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction

from marketplace.core.errors import DomainError
from tests.factories import StaffFactory, UserFactory
from tests.vouchers.factories import certified_product, make_allocation, make_campaign, make_order
from vouchers import services
from vouchers.buckets import allocation_issued_amount
from vouchers.models import BudgetEntry, Campaign, EntryKind, Voucher, VoucherStatus
from vouchers.reconcile import reconcile

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def run_in_threads(calls: list[Callable[[], Any]], *, threads: int) -> list[str]:
    """Run every call on a pool of ``threads`` threads released together by a barrier; each thread closes
    its database connection. Returns "ok" or the DomainError code per call."""
    barrier = threading.Barrier(threads)
    chunks = [calls[i::threads] for i in range(threads)]

    def worker(chunk: list[Callable[[], Any]]) -> list[str]:
        outcomes = []
        try:
            barrier.wait(timeout=30)
            for call in chunk:
                try:
                    call()
                    outcomes.append("ok")
                except DomainError as exc:
                    outcomes.append(exc.code)
        finally:
            connection.close()
        return outcomes

    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(worker, chunks))
    return [outcome for chunk in results for outcome in chunk]


def settle() -> None:
    """Persist the redis backend's journal (the beat task's work); a no-op for the database backend."""
    services.voucher_journal_drain()


def test_200_shoppers_50_threads_get_exactly_the_50_vouchers_the_budget_covers(backend):
    allocation = make_allocation(budget="500.00", face_value="10.00", min_spend="50.00", per_user_limit=1)
    shoppers = [UserFactory() for _ in range(200)]

    def claim(user: Any) -> Callable[[], Any]:
        return lambda: services.voucher_claim(user=user, allocation_id=allocation.pk)

    outcomes = Counter(run_in_threads([claim(user) for user in shoppers], threads=50))
    settle()

    assert outcomes == {"ok": 50, "budget_exhausted": 150}
    assert Voucher.objects.filter(allocation=allocation).count() == 50
    assert Voucher.objects.filter(allocation=allocation).values("owner").distinct().count() == 50
    assert allocation_issued_amount(allocation.pk) == Decimal("500.00")
    reserves = BudgetEntry.objects.filter(allocation=allocation, kind=EntryKind.RESERVE).count()
    assert reserves == 50
    assert reconcile() == []


def test_one_shopper_claiming_30_times_in_parallel_gets_one_voucher(backend):
    allocation = make_allocation(budget="1000.00", per_user_limit=1)
    shopper = UserFactory()
    calls = [lambda: services.voucher_claim(user=shopper, allocation_id=allocation.pk) for _ in range(30)]

    outcomes = Counter(run_in_threads(calls, threads=30))
    settle()

    assert outcomes == {"ok": 1, "limit_reached": 29}
    assert Voucher.objects.filter(owner=shopper).count() == 1
    assert reconcile() == []


def test_per_user_limit_above_one_holds_in_parallel(backend):
    allocation = make_allocation(budget="1000.00", per_user_limit=3)
    shopper = UserFactory()
    calls = [lambda: services.voucher_claim(user=shopper, allocation_id=allocation.pk) for _ in range(20)]

    outcomes = Counter(run_in_threads(calls, threads=20))
    settle()

    assert outcomes == {"ok": 3, "limit_reached": 17}
    assert sorted(Voucher.objects.filter(owner=shopper).values_list("seq", flat=True)) == [1, 2, 3]


def test_allocations_created_at_once_never_exceed_the_campaign_budget():
    campaign = make_campaign(total_budget="1000.00")
    staff = StaffFactory()
    now_start, now_end = campaign.starts_at, campaign.ends_at

    def create() -> None:
        services.allocation_create(
            campaign_id=campaign.pk,
            user=staff,
            name="slice",
            budget=Decimal("300.00"),
            face_value=Decimal("10.00"),
            min_spend=Decimal("20.00"),
            per_user_limit=1,
            claim_starts_at=now_start,
            claim_ends_at=now_end,
            valid_days=3,
        )

    outcomes = Counter(run_in_threads([create] * 10, threads=10))

    assert outcomes == {"ok": 3, "budget_exhausted": 7}
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert campaign.allocated == Decimal("900.00")
    assert campaign.allocations.count() == 3
    assert reconcile(check_fast_counters=False) == []


def test_one_voucher_in_20_parallel_checkouts_backs_exactly_one_order(backend):
    product, _ = certified_product(price=Decimal("80.00"))
    allocation = make_allocation(face_value="10.00", min_spend="50.00")
    shopper = UserFactory()
    claimed = services.voucher_claim(user=shopper, allocation_id=allocation.pk)
    # Not drained on purpose: an acknowledged voucher is usable at checkout at once.
    orders = [make_order(user=shopper, lines=[(product, 1)]) for _ in range(20)]
    discounts: list[tuple[int, Decimal]] = []
    lock = threading.Lock()

    def checkout(order: Any) -> Callable[[], None]:
        def run() -> None:
            with transaction.atomic():
                discount = services.voucher_redeem_for_order(user=shopper, code=claimed.code, order=order)
                with lock:
                    discounts.append((order.pk, discount.amount))

        return run

    outcomes = Counter(run_in_threads([checkout(order) for order in orders], threads=20))

    assert outcomes == {"ok": 1, "already_redeemed": 19}
    assert [amount for _, amount in discounts] == [Decimal("10.00")]
    voucher = Voucher.objects.get(code=claimed.code)
    assert voucher.status == VoucherStatus.REDEEMED
    assert voucher.order_id == discounts[0][0]
    assert BudgetEntry.objects.filter(voucher=voucher, kind=EntryKind.REDEEM).count() == 1
    assert reconcile() == []


def test_parallel_claims_with_one_idempotency_key_issue_one_voucher(backend):
    allocation = make_allocation(budget="1000.00", per_user_limit=5)
    shopper = UserFactory()
    codes: list[str] = []
    lock = threading.Lock()

    def claim() -> None:
        result = services.voucher_claim(
            user=shopper, allocation_id=allocation.pk, idempotency_key="tap-twice"
        )
        with lock:
            codes.append(result.code)

    outcomes = Counter(run_in_threads([claim] * 10, threads=10))
    settle()

    assert outcomes == {"ok": 10}
    assert len(set(codes)) == 1
    assert Voucher.objects.filter(owner=shopper).count() == 1
    assert reconcile() == []
