"""Voucher rules of docs/domain.md: redemption eligibility, cancellation, expiry, voids, campaign states."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from marketplace.core.errors import DomainError
from tests.factories import CategoryFactory, ProductFactory, StaffFactory, UserFactory
from tests.vouchers.factories import certified_product, make_allocation, make_campaign, make_order
from vouchers import services
from vouchers.buckets import allocation_issued_amount
from vouchers.models import (
    Allocation,
    AllocationBucket,
    BudgetEntry,
    Campaign,
    EntryKind,
    Voucher,
    VoucherStatus,
)
from vouchers.reconcile import reconcile


def _code(exc: pytest.ExceptionInfo[DomainError]) -> str:
    return exc.value.code


def _claim(allocation: Allocation, user=None) -> Voucher:
    result = services.voucher_claim(user=user or UserFactory(), allocation_id=allocation.pk)
    services.voucher_journal_drain()
    return Voucher.objects.get(code=result.code)


@pytest.mark.django_db
class TestRedeem:
    def test_discount_is_the_face_value_on_green_lines_reaching_the_minimum_spend(self):
        product, _ = certified_product(price=Decimal("60.00"))
        voucher = _claim(make_allocation(face_value="10.00", min_spend="50.00"))
        order = make_order(user=voucher.owner, lines=[(product, 1)])

        discount = services.voucher_redeem_for_order(user=voucher.owner, code=voucher.code, order=order)

        assert discount.amount == Decimal("10.00")
        voucher.refresh_from_db()
        assert voucher.status == VoucherStatus.REDEEMED
        assert voucher.order_id == order.pk

    def test_minimum_spend_counts_eligible_lines_only(self):
        green, _ = certified_product(price=Decimal("30.00"))
        plain = ProductFactory(price=Decimal("500.00"))
        voucher = _claim(make_allocation(face_value="10.00", min_spend="50.00"))
        order = make_order(user=voucher.owner, lines=[(green, 1), (plain, 1)])

        with pytest.raises(DomainError) as exc:
            services.voucher_redeem_for_order(user=voucher.owner, code=voucher.code, order=order)

        assert _code(exc) == "min_spend_not_met"
        assert Voucher.objects.get(pk=voucher.pk).status == VoucherStatus.ISSUED

    def test_uncertified_products_are_never_discounted(self):
        plain = ProductFactory(price=Decimal("500.00"))
        voucher = _claim(make_allocation())
        order = make_order(user=voucher.owner, lines=[(plain, 2)])

        with pytest.raises(DomainError) as exc:
            services.voucher_redeem_for_order(user=voucher.owner, code=voucher.code, order=order)
        assert _code(exc) == "not_eligible"

    def test_category_scope_includes_subcategories_and_excludes_others(self):
        top = CategoryFactory()
        child = CategoryFactory(parent=top)
        inside, _ = certified_product(category=child, price=Decimal("80.00"))
        outside, _ = certified_product(price=Decimal("80.00"))
        allocation = make_allocation(category=top)
        voucher = _claim(allocation)

        wrong = make_order(user=voucher.owner, lines=[(outside, 1)])
        with pytest.raises(DomainError) as exc:
            services.voucher_redeem_for_order(user=voucher.owner, code=voucher.code, order=wrong)
        assert _code(exc) == "not_eligible"

        right = make_order(user=voucher.owner, lines=[(inside, 1)])
        assert (
            services.voucher_redeem_for_order(user=voucher.owner, code=voucher.code, order=right).amount == 10
        )

    def test_merchant_scope(self):
        product, _ = certified_product(price=Decimal("80.00"))
        other, _ = certified_product(price=Decimal("80.00"))
        voucher = _claim(make_allocation(merchant=product.merchant))
        order = make_order(user=voucher.owner, lines=[(other, 1)])
        with pytest.raises(DomainError) as exc:
            services.voucher_redeem_for_order(user=voucher.owner, code=voucher.code, order=order)
        assert _code(exc) == "not_eligible"

    def test_another_shoppers_code_is_refused(self):
        product, _ = certified_product(price=Decimal("80.00"))
        voucher = _claim(make_allocation())
        thief = UserFactory()
        order = make_order(user=thief, lines=[(product, 1)])
        with pytest.raises(DomainError) as exc:
            services.voucher_redeem_for_order(user=thief, code=voucher.code, order=order)
        assert exc.value.status_code == 400

    def test_expired_voucher_is_refused(self):
        product, _ = certified_product(price=Decimal("80.00"))
        voucher = _claim(make_allocation())
        Voucher.objects.filter(pk=voucher.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        order = make_order(user=voucher.owner, lines=[(product, 1)])
        with pytest.raises(DomainError) as exc:
            services.voucher_redeem_for_order(user=voucher.owner, code=voucher.code, order=order)
        assert _code(exc) == "not_eligible"

    def test_cancelling_the_order_gives_the_voucher_back(self):
        product, _ = certified_product(price=Decimal("80.00"))
        voucher = _claim(make_allocation())
        order = make_order(user=voucher.owner, lines=[(product, 1)])
        services.voucher_redeem_for_order(user=voucher.owner, code=voucher.code, order=order)

        services.voucher_unredeem_for_order(order=order)

        voucher.refresh_from_db()
        assert voucher.status == VoucherStatus.ISSUED
        assert voucher.order_id is None
        assert BudgetEntry.objects.filter(voucher=voucher, kind=EntryKind.UNREDEEM).count() == 1
        # Usable again on another order.
        again = make_order(user=voucher.owner, lines=[(product, 1)])
        assert (
            services.voucher_redeem_for_order(user=voucher.owner, code=voucher.code, order=again).amount == 10
        )
        assert reconcile() == []

    def test_cancelling_after_expiry_expires_the_voucher_and_releases_its_budget(self):
        product, _ = certified_product(price=Decimal("80.00"))
        allocation = make_allocation()
        voucher = _claim(allocation)
        order = make_order(user=voucher.owner, lines=[(product, 1)])
        services.voucher_redeem_for_order(user=voucher.owner, code=voucher.code, order=order)
        Voucher.objects.filter(pk=voucher.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

        services.voucher_unredeem_for_order(order=order)

        voucher.refresh_from_db()
        assert voucher.status == VoucherStatus.EXPIRED
        assert allocation_issued_amount(allocation.pk) == 0
        assert reconcile() == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
class TestBudgetRelease:
    def test_expiry_releases_budget_that_can_be_claimed_again(self, backend):
        allocation = make_allocation(budget="10.00", face_value="10.00", per_user_limit=1)
        first = services.voucher_claim(user=UserFactory(), allocation_id=allocation.pk)
        with pytest.raises(DomainError) as exc:
            services.voucher_claim(user=UserFactory(), allocation_id=allocation.pk)
        assert _code(exc) == "budget_exhausted"
        services.voucher_journal_drain()

        expired = services.voucher_expire_due(now=timezone.now() + timedelta(days=8))

        assert expired == 1
        assert Voucher.objects.get(code=first.code).status == VoucherStatus.EXPIRED
        assert services.voucher_expire_due(now=timezone.now() + timedelta(days=8)) == 0  # idempotent
        services.voucher_claim(user=UserFactory(), allocation_id=allocation.pk)
        services.voucher_journal_drain()
        assert reconcile() == []

    def test_staff_void_releases_the_face_value(self, backend):
        allocation = make_allocation(budget="10.00", face_value="10.00")
        claimed = services.voucher_claim(user=UserFactory(), allocation_id=allocation.pk)
        services.voucher_journal_drain()

        voucher = services.voucher_void(code=claimed.code, user=StaffFactory())

        assert voucher.status == VoucherStatus.VOID
        services.voucher_claim(user=UserFactory(), allocation_id=allocation.pk)
        services.voucher_journal_drain()
        assert reconcile() == []

    def test_paused_and_ended_campaigns_stop_claims_resume_reopens(self, backend):
        allocation = make_allocation()
        staff = allocation.campaign.created_by
        services.campaign_transition(campaign_id=allocation.campaign_id, user=staff, action="pause")
        with pytest.raises(DomainError) as exc:
            services.voucher_claim(user=UserFactory(), allocation_id=allocation.pk)
        assert _code(exc) == "not_active"

        services.campaign_transition(campaign_id=allocation.campaign_id, user=staff, action="resume")
        services.voucher_claim(user=UserFactory(), allocation_id=allocation.pk)

        services.campaign_transition(campaign_id=allocation.campaign_id, user=staff, action="end")
        with pytest.raises(DomainError) as exc:
            services.voucher_claim(user=UserFactory(), allocation_id=allocation.pk)
        assert _code(exc) == "not_active"

    def test_claims_outside_the_claim_window_are_not_active(self, backend):
        campaign = make_campaign()
        allocation = make_allocation(
            campaign=campaign,
            claim_starts_at=timezone.now() + timedelta(hours=1),
            claim_ends_at=timezone.now() + timedelta(hours=2),
        )
        with pytest.raises(DomainError) as exc:
            services.voucher_claim(user=UserFactory(), allocation_id=allocation.pk)
        assert _code(exc) == "not_active"

    def test_expiry_is_capped_by_the_campaign_end(self, backend):
        campaign = make_campaign(ends_at=timezone.now() + timedelta(days=2))
        allocation = make_allocation(campaign=campaign, valid_days=30)
        result = services.voucher_claim(user=UserFactory(), allocation_id=allocation.pk)
        assert abs((result.expires_at - campaign.ends_at).total_seconds()) < 1


@pytest.mark.django_db
class TestCampaignsAndAllocations:
    def test_a_100_million_budget_is_exact(self):
        campaign = make_campaign(total_budget="100000000.00")
        make_allocation(campaign=campaign, budget="99999999.99", face_value="0.01", min_spend="0.01")
        campaign.refresh_from_db()
        assert campaign.total_budget == Decimal("100000000.00")
        assert campaign.total_budget - campaign.allocated == Decimal("0.01")

    def test_allocation_beyond_the_unallocated_budget_is_refused(self):
        campaign = make_campaign(total_budget="100.00")
        make_allocation(campaign=campaign, budget="80.00")
        with pytest.raises(DomainError) as exc:
            make_allocation(campaign=campaign, budget="30.00")
        assert _code(exc) == "budget_exhausted"
        assert Campaign.objects.get(pk=campaign.pk).allocated == Decimal("80.00")

    def test_min_spend_below_face_value_is_refused(self):
        with pytest.raises(DomainError) as exc:
            make_allocation(face_value="20.00", min_spend="10.00")
        assert exc.value.status_code == 400

    def test_total_budget_never_goes_below_allocated(self):
        campaign = make_campaign(total_budget="100.00")
        make_allocation(campaign=campaign, budget="80.00")
        with pytest.raises(DomainError):
            services.campaign_update(
                campaign=campaign, user=campaign.created_by, total_budget=Decimal("79.99")
            )
        updated = services.campaign_update(
            campaign=campaign, user=campaign.created_by, total_budget=Decimal("80")
        )
        assert updated.total_budget == Decimal("80.00")

    def test_transition_rules(self):
        campaign = make_campaign(activate=False)
        staff = campaign.created_by
        with pytest.raises(DomainError) as exc:
            services.campaign_transition(campaign_id=campaign.pk, user=staff, action="pause")
        assert _code(exc) == "invalid_transition"
        services.campaign_transition(campaign_id=campaign.pk, user=staff, action="activate")
        same = services.campaign_transition(campaign_id=campaign.pk, user=staff, action="activate")
        assert same.status == "active"

    def test_the_ledger_is_append_only(self):
        voucher = _claim(make_allocation())
        entry = BudgetEntry.objects.get(voucher=voucher)
        with pytest.raises(TypeError):
            BudgetEntry.objects.filter(pk=entry.pk).update(amount=1)
        with pytest.raises(TypeError):
            entry.save()

    def test_reconcile_command_reports_a_difference_and_exits_non_zero(self, capsys):
        allocation = make_allocation()
        _claim(allocation)
        call_command("reconcile_vouchers", "--no-redis")
        empty = AllocationBucket.objects.filter(allocation=allocation, issued_amount=0).first()
        AllocationBucket.objects.filter(pk=empty.pk).update(issued_amount=Decimal("10.00"))
        with pytest.raises(CommandError):
            call_command("reconcile_vouchers", "--no-redis")
        assert f"allocation {allocation.pk}: buckets 20.00 != ledger 10.00" in capsys.readouterr().out
