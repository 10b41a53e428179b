"""The ledger balances (docs/invariants.md) for any sequence of operations: reserves - releases = face x
(issued + redeemed) = the sum of the allocation's budget buckets, and the issued face value never
exceeds the budget."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketplace.core.errors import DomainError
from tests.factories import StaffFactory, UserFactory
from tests.vouchers.factories import certified_product, make_allocation, make_order
from vouchers import services
from vouchers.buckets import allocation_issued_amount
from vouchers.models import Voucher, VoucherStatus
from vouchers.reconcile import reconcile

OPERATIONS = st.lists(
    st.tuples(st.sampled_from(["claim", "redeem", "cancel", "void", "expire"]), st.integers(0, 5)),
    min_size=1,
    max_size=25,
)


@pytest.mark.django_db
@settings(
    max_examples=30,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    deadline=None,
)
@given(operations=OPERATIONS, budget_vouchers=st.integers(1, 4), limit=st.integers(1, 2))
def test_the_ledger_balances_after_any_sequence_of_operations(operations, budget_vouchers, limit):
    product, _ = certified_product(price=Decimal("100.00"))
    allocation = make_allocation(
        budget=str(Decimal("10.00") * budget_vouchers),
        face_value="10.00",
        min_spend="50.00",
        per_user_limit=limit,
    )
    shoppers = [UserFactory() for _ in range(3)]
    staff = StaffFactory()
    orders: dict[int, object] = {}
    for operation, pick in operations:
        shopper = shoppers[pick % len(shoppers)]
        mine = list(Voucher.objects.filter(allocation=allocation, owner=shopper).order_by("id"))
        voucher = mine[pick % len(mine)] if mine else None
        try:
            with transaction.atomic():
                if operation == "claim":
                    services.voucher_claim(user=shopper, allocation_id=allocation.pk)
                elif operation == "redeem" and voucher is not None:
                    order = make_order(user=shopper, lines=[(product, 1)])
                    services.voucher_redeem_for_order(user=shopper, code=voucher.code, order=order)
                    orders[voucher.pk] = order
                elif operation == "cancel" and voucher is not None and voucher.pk in orders:
                    services.voucher_unredeem_for_order(order=orders.pop(voucher.pk))
                elif operation == "void" and voucher is not None:
                    services.voucher_void(code=voucher.code, user=staff)
                elif operation == "expire" and voucher is not None:
                    Voucher.objects.filter(pk=voucher.pk).update(
                        expires_at=timezone.now() - timedelta(seconds=1)
                    )
                    services.voucher_expire_due()
        except DomainError:
            pass
        assert allocation_issued_amount(allocation.pk) <= allocation.budget
        per_shopper = Voucher.objects.filter(allocation=allocation, owner=shopper).count()
        assert per_shopper <= limit
    assert reconcile(check_fast_counters=False) == []
    live = Voucher.objects.filter(
        allocation=allocation, status__in=[VoucherStatus.ISSUED, VoucherStatus.REDEEMED]
    )
    assert allocation_issued_amount(allocation.pk) == Decimal("10.00") * live.count()
