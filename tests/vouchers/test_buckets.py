"""Budget buckets (vouchers.buckets): the split admits exactly the vouchers the budget covers, claims never
answer budget_exhausted while a bucket has room, releases go back, and reconcile notices a broken bucket."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from marketplace.core.errors import DomainError
from tests.factories import StaffFactory, UserFactory
from tests.vouchers.factories import make_allocation, make_campaign
from tests.vouchers.test_concurrency import run_in_threads, settle
from vouchers import services
from vouchers.buckets import allocation_issued_amount, bucket_budgets
from vouchers.models import Allocation, AllocationBucket, Voucher
from vouchers.reconcile import reconcile


def _buckets(allocation: Allocation) -> list[tuple[Decimal, Decimal]]:
    return list(
        AllocationBucket.objects.filter(allocation=allocation)
        .order_by("index")
        .values_list("budget", "issued_amount")
    )


def _claim(allocation: Allocation) -> str:
    try:
        services.voucher_claim(user=UserFactory(), allocation_id=allocation.pk)
    except DomainError as exc:
        return exc.code
    return "ok"


# --- the split ------------------------------------------------------------------------------------
def test_the_split_admits_exactly_the_whole_vouchers_of_the_budget():
    # 1,000.00 / 30.00 covers 33 vouchers; 10.00 stays unissuable, as it is without buckets.
    budgets = bucket_budgets(budget=Decimal("1000.00"), face_value=Decimal("30.00"), buckets=16)
    assert len(budgets) == 16
    assert sum(budgets) == Decimal("990.00")
    assert sorted({budget / Decimal("30.00") for budget in budgets}) == [2, 3]


def test_never_more_buckets_than_vouchers():
    assert (
        bucket_budgets(budget=Decimal("55.00"), face_value=Decimal("10.00"), buckets=16)
        == [Decimal("10.00")] * 5
    )


@pytest.mark.django_db
def test_an_allocation_gets_the_configured_number_of_buckets_at_most_one_per_voucher(settings):
    settings.VOUCHER_BUDGET_BUCKETS = 16
    campaign = make_campaign()
    small = make_allocation(campaign=campaign, budget="50.00", face_value="10.00")
    large = make_allocation(campaign=campaign, budget="1005.00", face_value="10.00")
    settings.VOUCHER_BUDGET_BUCKETS = 4
    fewer = make_allocation(campaign=campaign, budget="1000.00", face_value="10.00")

    assert _buckets(small) == [(Decimal("10.00"), Decimal(0))] * 5
    assert len(_buckets(large)) == 16
    assert sum(budget for budget, _ in _buckets(large)) == Decimal("1000.00")
    assert _buckets(fewer) == [(Decimal("250.00"), Decimal(0))] * 4
    assert reconcile(check_fast_counters=False) == []


# --- claims ---------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_a_budget_not_a_multiple_of_the_face_issues_floor_budget_over_face_under_50_threads(
    backend, settings
):
    settings.VOUCHER_BUDGET_BUCKETS = 16
    allocation = make_allocation(budget="337.00", face_value="10.00", per_user_limit=1)  # 33 vouchers
    shoppers = [UserFactory() for _ in range(200)]

    def claim(user: Any) -> Callable[[], Any]:
        return lambda: services.voucher_claim(user=user, allocation_id=allocation.pk)

    outcomes = Counter(run_in_threads([claim(user) for user in shoppers], threads=50))
    settle()

    assert outcomes == {"ok": 33, "budget_exhausted": 167}
    assert Voucher.objects.filter(allocation=allocation).count() == 33
    assert len(_buckets(allocation)) == 16
    assert all(issued == budget for budget, issued in _buckets(allocation))  # every bucket used up
    assert allocation_issued_amount(allocation.pk) == Decimal("330.00")
    assert reconcile() == []


@pytest.mark.django_db
def test_the_last_voucher_is_issued_when_every_other_bucket_is_full(settings):
    settings.VOUCHER_BUDGET_BUCKETS = 16
    allocation = make_allocation(budget="160.00", face_value="10.00")  # 16 buckets of one voucher

    outcomes = [_claim(allocation) for _ in range(17)]

    assert outcomes == ["ok"] * 16 + ["budget_exhausted"]
    assert all(issued == budget for budget, issued in _buckets(allocation))


def _wait_until_a_claim_waits_for_a_row_lock() -> None:
    """Poll PostgreSQL until some backend waits for a row lock (the claim under test), at most 30 s."""
    deadline = time.monotonic() + 30
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype IN ('transactionid', 'tuple')"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the claim never waited for the bucket")


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@pytest.mark.parametrize(("in_flight_takes_it", "expected"), [(False, "ok"), (True, "budget_exhausted")])
def test_a_claim_waits_for_the_only_bucket_with_room_while_another_transaction_holds_it(
    settings, in_flight_takes_it, expected
):
    settings.VOUCHER_CLAIM_BACKEND = "database"
    settings.VOUCHER_BUDGET_BUCKETS = 16
    allocation = make_allocation(budget="30.00", face_value="10.00")  # 3 buckets of one voucher
    assert [_claim(allocation), _claim(allocation)] == ["ok", "ok"]
    shopper = UserFactory()
    held = threading.Event()
    release = threading.Event()
    outcome: list[str] = []

    def in_flight() -> None:
        # Another transaction holds the one bucket with room (a claim or a release not yet committed).
        try:
            with transaction.atomic():
                bucket = (
                    AllocationBucket.objects.select_for_update()
                    .filter(allocation=allocation, issued_amount=0)
                    .get()
                )
                held.set()
                release.wait(timeout=30)
                if in_flight_takes_it:
                    AllocationBucket.objects.filter(pk=bucket.pk).update(issued_amount=bucket.budget)
        finally:
            connection.close()

    def claim() -> None:
        try:
            services.voucher_claim(user=shopper, allocation_id=allocation.pk)
            outcome.append("ok")
        except DomainError as exc:
            outcome.append(exc.code)
        finally:
            connection.close()

    holder = threading.Thread(target=in_flight)
    holder.start()
    assert held.wait(timeout=30)
    claimer = threading.Thread(target=claim)
    claimer.start()
    try:
        _wait_until_a_claim_waits_for_a_row_lock()
    finally:
        release.set()
        holder.join(timeout=30)
        claimer.join(timeout=30)

    assert outcome == [expected]
    assert Voucher.objects.filter(owner=shopper).count() == (1 if expected == "ok" else 0)
    assert all(issued == budget for budget, issued in _buckets(allocation))


# --- releases -------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_a_voided_voucher_goes_back_to_a_bucket_and_can_be_claimed_again(backend):
    allocation = make_allocation(budget="20.00", face_value="10.00")  # 2 buckets of one voucher
    first = services.voucher_claim(user=UserFactory(), allocation_id=allocation.pk)
    services.voucher_claim(user=UserFactory(), allocation_id=allocation.pk)
    assert _claim(allocation) == "budget_exhausted"
    settle()

    services.voucher_void(code=first.code, user=StaffFactory())

    assert allocation_issued_amount(allocation.pk) == Decimal("10.00")
    assert sorted(issued for _, issued in _buckets(allocation)) == [Decimal(0), Decimal("10.00")]
    assert _claim(allocation) == "ok"
    assert _claim(allocation) == "budget_exhausted"
    settle()
    assert allocation_issued_amount(allocation.pk) == Decimal("20.00")
    assert reconcile() == []


# --- reconcile ------------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.postgres
def test_reconcile_reports_a_bucket_over_its_budget(settings):
    settings.VOUCHER_CLAIM_BACKEND = "database"
    allocation = make_allocation(budget="50.00", face_value="10.00")
    _claim(allocation)
    bucket = AllocationBucket.objects.filter(allocation=allocation, issued_amount=0).order_by("index")[0]
    with connection.cursor() as cursor:
        # Only a dropped constraint (or a bug below it) lets a bucket overdraw; the test's transaction
        # rolls the DDL back (checking the deferred foreign keys first, as ALTER TABLE needs).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "ALTER TABLE vouchers_allocationbucket DROP CONSTRAINT allocation_bucket_issued_within_budget"
        )
        cursor.execute(
            "UPDATE vouchers_allocationbucket SET issued_amount = 20.00 WHERE id = %s", [bucket.pk]
        )

    problems = reconcile()

    assert f"allocation {allocation.pk} bucket {bucket.index}: issued 20.00 outside 0..10.00" in problems
    assert f"allocation {allocation.pk}: buckets 30.00 != ledger 10.00" in problems


@pytest.mark.django_db
def test_reconcile_reports_buckets_that_disagree_with_the_ledger_or_the_budget(settings):
    settings.VOUCHER_CLAIM_BACKEND = "database"
    allocation = make_allocation(budget="50.00", face_value="10.00")
    _claim(allocation)
    empty = list(AllocationBucket.objects.filter(allocation=allocation, issued_amount=0).order_by("index"))
    AllocationBucket.objects.filter(pk=empty[0].pk).update(issued_amount=Decimal("10.00"))
    AllocationBucket.objects.filter(pk=empty[1].pk).update(
        budget=Decimal("20.00"), issued_amount=Decimal("5.00")
    )

    problems = reconcile()

    assert problems == [
        f"allocation {allocation.pk}: buckets 25.00 != ledger 10.00",
        f"allocation {allocation.pk}: buckets' budgets 60.00 > budget 50.00",
        f"allocation {allocation.pk} bucket {empty[1].index}: issued 5.00 is not whole vouchers of 10.00",
    ]


# --- the migration --------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_the_migration_spreads_existing_issued_amounts_over_buckets_and_back(settings):
    settings.VOUCHER_BUDGET_BUCKETS = 16
    before = [("vouchers", "0002_allocationbucket")]
    latest = [("vouchers", "0004_remove_allocation_issued_amount")]
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        apps = executor.loader.project_state(before).apps
        campaign = apps.get_model("vouchers", "Campaign").objects.create(
            name="old",
            total_budget=Decimal("10000.00"),
            allocated=Decimal("1037.00"),
            starts_at="2026-11-01T00:00:00Z",
            ends_at="2026-11-30T00:00:00Z",
        )
        old = apps.get_model("vouchers", "Allocation")
        window = {"claim_starts_at": campaign.starts_at, "claim_ends_at": campaign.ends_at}
        common = {"campaign": campaign, "min_spend": Decimal("50.00"), "valid_days": 7, **window}
        # 1,000.00 / 30.00: 33 vouchers in 16 buckets, 20 of them issued; 37.00 / 10.00: 3 vouchers, all.
        big = old.objects.create(
            name="big",
            budget=Decimal("1000.00"),
            face_value=Decimal("30.00"),
            issued_amount=Decimal("600.00"),
            **common,
        )
        small = old.objects.create(
            name="small",
            budget=Decimal("37.00"),
            face_value=Decimal("10.00"),
            issued_amount=Decimal("30.00"),
            **common,
        )

        executor = MigrationExecutor(connection)
        executor.migrate(latest)

        big_buckets = _buckets(Allocation.objects.get(pk=big.pk))
        assert len(big_buckets) == 16
        assert sum(budget for budget, _ in big_buckets) == Decimal("990.00")
        assert sum(issued for _, issued in big_buckets) == Decimal("600.00")
        assert all(issued <= budget and issued % 30 == 0 for budget, issued in big_buckets)
        assert _buckets(Allocation.objects.get(pk=small.pk)) == [(Decimal("10.00"), Decimal("10.00"))] * 3

        executor = MigrationExecutor(connection)
        executor.migrate(before)
        apps = executor.loader.project_state(before).apps
        issued = dict(apps.get_model("vouchers", "Allocation").objects.values_list("name", "issued_amount"))
        assert issued == {"big": Decimal("600.00"), "small": Decimal("30.00")}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
