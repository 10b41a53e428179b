"""The chaos script's invariant checks are not vacuous: they pass on a consistent database and name the
problem when an acknowledged voucher is lost, the ledger disagrees, a limit is exceeded or a 500 was seen."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from django.db.models import F

from benchmarks.chaos_checks import Checks, Setup, check_invariants, prepare
from vouchers import services
from vouchers.models import AllocationBucket

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def setup() -> Setup:
    return prepare(shoppers=3, per_user_limit=1, budget_vouchers=2, face_value=Decimal("10.00"), stock=5)


def _claim(setup: Setup, index: int) -> tuple[str, int, int]:
    from marketplace.accounts.models import User

    user = User.objects.get(pk=setup.shoppers[index].user_id)
    result = services.voucher_claim(user=user, allocation_id=setup.scarce_allocation_id)
    return result.code, user.pk, setup.scarce_allocation_id


def _check(setup: Setup, acknowledged: list[tuple[str, int, int]], **statuses: int) -> Checks:
    return check_invariants(
        setup,
        acknowledged=acknowledged,
        reconcile_output=(0, "ledger, vouchers, budget buckets and counters agree"),
        statuses=Counter(
            {"claim 201": len(acknowledged), **{k.replace("_", " "): n for k, n in statuses.items()}}
        ),
        unexpected=[],
    )


def _failed(checks: Checks) -> dict[str, list[str]]:
    return {name: problems for name, problems, _ in checks.results if problems}


def test_a_consistent_run_passes_every_check(setup):
    checks = _check(setup, [_claim(setup, 0), _claim(setup, 1)])
    assert _failed(checks) == {}
    assert checks.ok


def test_an_acknowledged_code_missing_from_the_database_is_reported_lost(setup):
    acknowledged = [_claim(setup, 0), ("LOSTCODE1234", setup.shoppers[1].user_id, setup.scarce_allocation_id)]
    failed = _failed(_check(setup, acknowledged))
    lost = "every acknowledged voucher exists exactly once (nothing lost)"
    assert list(failed) == [lost]
    assert "LOSTCODE1234" in failed[lost][0]


def test_a_counter_that_disagrees_with_the_ledger_and_a_limit_exceeded_are_reported(setup):
    code, user_id, allocation_id = _claim(setup, 0)
    bucket = AllocationBucket.objects.filter(allocation_id=allocation_id, issued_amount=0).first()
    AllocationBucket.objects.filter(pk=bucket.pk).update(issued_amount=F("issued_amount") + 10)
    # The client was told twice for one shopper with a limit of one.
    failed = _failed(_check(setup, [(code, user_id, allocation_id), (code, user_id, allocation_id)]))
    assert "4 ledger balances; counters agree after reconciliation" in failed
    assert "2 per-user limit held" in failed


def test_a_500_answer_is_a_violation(setup):
    failed = _failed(_check(setup, [_claim(setup, 0)], claim_500=1))
    assert failed == {"no 500 answers": ["claim 500: 1"]}


def test_discounted_lines_are_judged_by_checkouts_own_eligibility_rule(setup):
    """The chaos check and checkout share one eligibility rule: an order checkout accepted passes; once
    its voucher's allocation covers another category only, its green lines no longer count - as a
    checkout would now refuse them - and the check names the order."""
    from marketplace.accounts.models import User
    from marketplace.catalog.models import Category, City, Product
    from marketplace.orders import services as orders
    from vouchers.models import Allocation

    code, user_id, allocation_id = _claim(setup, 0)
    user = User.objects.get(pk=user_id)
    orders.cart_add_item(user=user, product=Product.objects.get(pk=setup.products.green_big))
    order = orders.order_place(
        user=user,
        shipping_city=City.objects.get(slug="shanghai"),
        address="1 Chaos Road",
        packaging="recycled",
        voucher_code=code,
    )
    assert order.discount == setup.face_value
    assert _failed(_check(setup, [(code, user_id, allocation_id)])) == {}

    Allocation.objects.filter(pk=allocation_id).update(category=Category.objects.get(slug="food-beverages"))

    eligibility = "3 a voucher backs at most one live order; discount = face value; eligible lines only"
    failed = _failed(_check(setup, [(code, user_id, allocation_id)]))
    assert list(failed) == [eligibility]
    assert f"order {order.pk}: eligible lines 0 < minimum spend" in failed[eligibility][0]
