"""The demo's feature data: the "Green Double Eleven" campaign with claimed vouchers, past orders made
through the real services (stock, payments and vouchers consistent, carbon labels computed) and alliance
members with commitments and progress - created once, whatever the number of runs."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.db.models import Sum
from django.utils import timezone

from carbon.models import CarbonLabel, FactorSet
from marketplace.catalog.models import Product
from marketplace.demo.campaign import CAMPAIGN_NAME
from marketplace.demo.past_orders import PLANS, demo_orders
from marketplace.demo.steps import DEMO_STEPS, DemoContext, run_demo
from marketplace.orders.models import OrderStatus, PaymentStatus, ShipmentStatus
from merchants.alliance.models import AllianceMembership, MembershipStatus, ProgressReport
from vouchers.buckets import allocation_issued_amount
from vouchers.models import BudgetEntry, Campaign, CampaignStatus, EntryKind, Voucher, VoucherStatus
from vouchers.selectors import allocation_figures, campaign_allocations, claimable_allocations

pytestmark = pytest.mark.django_db

FEATURE_STEPS = DEMO_STEPS[DEMO_STEPS.index("marketplace.demo.certificates.load_certificates") + 1 :]
BEFORE_FEATURES = DEMO_STEPS[: len(DEMO_STEPS) - len(FEATURE_STEPS)]


def run(steps: list[str]) -> DemoContext:
    return run_demo(DemoContext(out=StringIO(), err=StringIO()), steps=steps)


@pytest.fixture
def stock_before() -> dict[int, int]:
    """The catalog as the demo makes it, before any order took stock; then the feature steps."""
    run(BEFORE_FEATURES)
    stock = dict(Product.objects.values_list("pk", "stock"))
    run(FEATURE_STEPS)
    return stock


def test_feature_steps_come_after_the_certificates():
    assert FEATURE_STEPS == [
        "marketplace.demo.campaign.load_voucher_campaign",
        "marketplace.demo.past_orders.load_past_orders",
        "marketplace.demo.carbon_labels.load_carbon_labels",
        "marketplace.demo.alliance_members.load_alliance",
    ]


def test_the_campaign_is_live_with_claimable_allocations(stock_before):
    campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
    assert campaign.status == CampaignStatus.ACTIVE
    assert campaign.total_budget == Decimal("100000000.00")
    assert campaign.starts_at < timezone.now() < campaign.ends_at
    allocations = list(campaign_allocations(campaign=campaign))
    assert len(allocations) >= 4
    assert len({allocation.face_value for allocation in allocations}) >= 4
    assert any(a.category_id for a in allocations) and any(a.merchant_id for a in allocations)
    assert sum(a.budget for a in allocations) == campaign.allocated <= campaign.total_budget
    claimable = set(claimable_allocations().values_list("pk", flat=True))
    assert len(claimable) >= 4 and claimable < {a.pk for a in allocations}  # one opens later


def test_demo_shoppers_hold_vouchers_and_the_ledger_balances(stock_before):
    vouchers = Voucher.objects.filter(owner__username__startswith="demo_shopper")
    assert vouchers.filter(status=VoucherStatus.ISSUED).count() >= 10
    assert vouchers.filter(status=VoucherStatus.REDEEMED).count() >= 5
    assert vouchers.filter(owner__username="demo_shopper01", status=VoucherStatus.ISSUED).exists()
    campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
    for allocation in campaign_allocations(campaign=campaign):
        entries = dict(
            BudgetEntry.objects.filter(allocation=allocation)
            .values("kind")
            .annotate(total=Sum("amount"))
            .values_list("kind", "total")
        )
        balance = entries.get(EntryKind.RESERVE, Decimal(0)) - entries.get(EntryKind.RELEASE, Decimal(0))
        assert balance == allocation_figures(allocation).issued == allocation_issued_amount(allocation.pk)
        assert (
            allocation.vouchers.filter(status=VoucherStatus.REDEEMED).count()
            == (entries.get(EntryKind.REDEEM, Decimal(0)) - entries.get(EntryKind.UNREDEEM, Decimal(0)))
            / allocation.face_value
        )


def test_past_orders_cover_every_status_and_use_vouchers(stock_before):
    orders = demo_orders()
    assert orders.count() == len(PLANS)
    statuses = Counter(orders.values_list("status", flat=True))
    assert statuses[OrderStatus.DELIVERED] >= 5 and statuses[OrderStatus.SHIPPED] >= 3
    assert statuses[OrderStatus.PAID] >= 3 and statuses[OrderStatus.CANCELLED] >= 2
    assert statuses[OrderStatus.PENDING_PAYMENT] == 1
    with_voucher = orders.filter(discount__gt=0)
    assert with_voucher.count() >= 5
    for order in with_voucher.exclude(status=OrderStatus.CANCELLED):
        voucher = Voucher.objects.get(order=order)
        assert voucher.status == VoucherStatus.REDEEMED and voucher.face_value == order.discount
        assert voucher.code == order.voucher_code
        assert voucher.redeemed_at is not None
        assert voucher.claimed_at <= voucher.redeemed_at == order.created_at
    # A cancelled order gave its voucher back: issued again, usable.
    cancelled_with_voucher = orders.filter(status=OrderStatus.CANCELLED).exclude(voucher_code="")
    assert cancelled_with_voucher.exists()
    for order in cancelled_with_voucher:
        assert Voucher.objects.get(code=order.voucher_code).status == VoucherStatus.ISSUED
    assert len(set(orders.values_list("packaging", flat=True))) >= 3


def test_orders_are_consistent_with_stock_payments_and_time(stock_before):
    orders = demo_orders()
    taken: Counter[int] = Counter()
    for order in orders.exclude(status=OrderStatus.CANCELLED).prefetch_related("lines"):
        for line in order.lines.all():
            taken[line.product_id] += line.quantity
    for product_id, stock in Product.objects.filter(pk__in=list(stock_before)).values_list("pk", "stock"):
        assert stock == stock_before[product_id] - taken[product_id], product_id

    now = timezone.now()
    campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
    for order in orders.prefetch_related("payments", "shipments"):
        payments = list(order.payments.all())
        if order.paid_at is None:
            assert payments == []
            continue
        (payment,) = payments
        assert payment.amount == order.total
        assert campaign.starts_at <= order.created_at <= order.paid_at < now
        if order.status == OrderStatus.CANCELLED:
            assert payment.status == PaymentStatus.REFUNDED and order.paid_at < order.cancelled_at < now
        else:
            assert payment.status == PaymentStatus.SUCCEEDED
        if order.status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED):
            assert order.paid_at < order.shipped_at < now
            assert all(s.status != ShipmentStatus.PENDING for s in order.shipments.all())
        if order.status == OrderStatus.DELIVERED:
            assert order.shipped_at < order.delivered_at < now


def test_every_paid_order_has_its_carbon_label(stock_before):
    factor_set = FactorSet.objects.get(is_active=True)
    paid = demo_orders().filter(paid_at__isnull=False)
    assert paid.count() >= 15
    labelled = Counter(CarbonLabel.objects.filter(factor_set=factor_set).values_list("order_id", flat=True))
    assert {order_id: labelled[order_id] for order_id in paid.values_list("pk", flat=True)} == {
        order_id: 1 for order_id in paid.values_list("pk", flat=True)
    }
    assert not CarbonLabel.objects.filter(order__paid_at__isnull=True).exists()


def test_alliance_has_members_with_commitments_and_progress(stock_before):
    members = AllianceMembership.objects.filter(status=MembershipStatus.ACTIVE)
    assert members.count() >= 5
    assert AllianceMembership.objects.filter(status=MembershipStatus.APPLIED).count() >= 1
    for membership in members:
        assert membership.criteria_passed and membership.history.count() == 2
        assert membership.commitments.count() >= 2
    assert ProgressReport.objects.filter(source="declared").count() >= 4
    assert ProgressReport.objects.filter(source="platform").exists()


def test_running_again_creates_nothing_new(stock_before):
    def snapshot() -> dict[str, object]:
        return {
            "campaigns": Campaign.objects.count(),
            "vouchers": sorted(Voucher.objects.values_list("code", "status")),
            "orders": sorted(demo_orders().values_list("address", "status", "total")),
            "labels": CarbonLabel.objects.count(),
            "stock": sorted(Product.objects.values_list("pk", "stock")),
            "members": sorted(AllianceMembership.objects.values_list("merchant_id", "status")),
            "reports": ProgressReport.objects.count(),
            "ledger": BudgetEntry.objects.count(),
        }

    before = snapshot()
    ctx = run(DEMO_STEPS)
    assert snapshot() == before
    assert {name: rows for name, rows in ctx.created.items() if rows} == {}
