"""Green vouchers: campaigns, allocations, vouchers and the append-only budget ledger.

The database has the last word whatever the claim backend: check constraints keep each budget bucket's
issued face value within its budget (and the buckets together admit exactly the vouchers the allocation's
budget covers) and the campaign's allocations within its total budget, and a unique
(allocation, owner, seq) with ``seq <= per_user_limit`` caps each shopper's claims.
"""

from __future__ import annotations

import secrets
import uuid
from decimal import Decimal
from typing import Any, Self, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from marketplace.core.fields import MoneyAmountField


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


class Campaign(models.Model):
    name = models.CharField(max_length=200)
    total_budget = MoneyAmountField()
    # Sum of the allocations' budgets, kept by one conditional UPDATE per allocation.
    allocated = MoneyAmountField(default=0)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT, db_index=True
    )
    # Bumped by every change claims depend on (status, window), so a fast-path copy is never overwritten
    # by an older one.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(total_budget__gt=0), name="campaign_budget_positive"),
            models.CheckConstraint(condition=Q(allocated__gte=0), name="campaign_allocated_not_negative"),
            models.CheckConstraint(
                condition=Q(allocated__lte=F("total_budget")), name="campaign_allocated_within_budget"
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="campaign_window_valid"),
        ]

    def __str__(self) -> str:
        return self.name


def bucket_issued_sum() -> Coalesce:
    """An allocation's issued amount, face x (issued + redeemed vouchers) as the database holds it: the
    sum of its budget buckets. A subquery, so it composes with ``Count`` annotations in one annotate."""
    per_allocation = (
        AllocationBucket.objects.filter(allocation=OuterRef("pk"))
        .order_by()
        .values("allocation")
        .annotate(total=Sum("issued_amount"))
        .values("total")
    )
    return Coalesce(Subquery(per_allocation), Value(Decimal(0)), output_field=MoneyAmountField())


# Bound to Model, not to "Allocation": a forward reference here crashes mypy 1.19 with django-stubs
# ("Must not defer during final iteration") on a run without a cache.
_AllocationT = TypeVar("_AllocationT", bound=models.Model)


class AllocationQuerySet(models.QuerySet[_AllocationT]):
    def with_issued_amount(self) -> Self:
        """Annotate ``issued_amount`` (``bucket_issued_sum``)."""
        return self.annotate(issued_amount=bucket_issued_sum())


class Allocation(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="allocations")
    name = models.CharField(max_length=200)
    budget = MoneyAmountField()
    face_value = MoneyAmountField()
    min_spend = MoneyAmountField()
    per_user_limit = models.PositiveSmallIntegerField(default=1)
    claim_starts_at = models.DateTimeField()
    claim_ends_at = models.DateTimeField()
    valid_days = models.PositiveSmallIntegerField()
    category = models.ForeignKey(
        "catalog.Category", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    merchant = models.ForeignKey(
        "merchants.Merchant", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # The issued amount is no field of its own: it is the sum of the budget buckets (``buckets``), read
    # with ``Allocation.objects.with_issued_amount()`` or ``vouchers.buckets.allocation_issued_amount``.
    objects = AllocationQuerySet.as_manager()

    class Meta:
        ordering = ["claim_starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gt=0), name="allocation_budget_positive"),
            models.CheckConstraint(condition=Q(face_value__gt=0), name="allocation_face_positive"),
            models.CheckConstraint(
                condition=Q(min_spend__gte=F("face_value")), name="allocation_min_spend_covers_face"
            ),
            models.CheckConstraint(condition=Q(per_user_limit__gte=1), name="allocation_limit_positive"),
            models.CheckConstraint(condition=Q(valid_days__gte=1), name="allocation_valid_days_positive"),
            models.CheckConstraint(
                condition=Q(claim_ends_at__gt=F("claim_starts_at")), name="allocation_window_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AllocationBucket(models.Model):
    """A slice of an allocation's budget, in whole vouchers, so parallel claims spread over several rows
    instead of queueing on one (``vouchers.buckets``). ``issued_amount`` is face x the vouchers charged
    to this bucket and not released; the allocation's issued amount is the buckets' sum."""

    # No index of its own: the unique (allocation, index) serves every lookup by allocation.
    allocation = models.ForeignKey(
        Allocation, on_delete=models.CASCADE, related_name="buckets", db_index=False
    )
    index = models.PositiveSmallIntegerField()
    budget = MoneyAmountField()
    issued_amount = MoneyAmountField(default=0)

    class Meta:
        ordering = ["allocation", "index"]
        constraints = [
            models.UniqueConstraint(fields=["allocation", "index"], name="allocation_bucket_unique"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="allocation_bucket_budget_not_negative"),
            models.CheckConstraint(
                condition=Q(issued_amount__gte=0), name="allocation_bucket_issued_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(issued_amount__lte=F("budget")), name="allocation_bucket_issued_within_budget"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.allocation_id}/{self.index}: {self.issued_amount} of {self.budget}"


class VoucherStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    REDEEMED = "redeemed", _("Redeemed")
    EXPIRED = "expired", _("Expired")
    VOID = "void", _("Void")


# An alphabet without 0/O/1/I/L (31 symbols, log2 31 = 4.95 bits each): 17 characters are 84 bits.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 17


def new_voucher_code() -> str:
    # One draw from the OS (not one per character): a uniform number below 31**17, written in the alphabet.
    number = secrets.randbelow(len(CODE_ALPHABET) ** CODE_LENGTH)
    chars = []
    for _position in range(CODE_LENGTH):
        number, digit = divmod(number, len(CODE_ALPHABET))
        chars.append(CODE_ALPHABET[digit])
    return "GV" + "".join(chars)


class Voucher(models.Model):
    code = models.CharField(max_length=32, unique=True, default=new_voucher_code)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="vouchers")
    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="vouchers")
    # The owner's n-th claim on this allocation: unique per (allocation, owner), at most the limit.
    seq = models.PositiveSmallIntegerField()
    per_user_limit = models.PositiveSmallIntegerField(help_text=_("The allocation's limit at claim time."))
    claim_id = models.UUIDField(unique=True, default=uuid.uuid4)
    face_value = MoneyAmountField()
    min_spend = MoneyAmountField()
    status = models.CharField(
        max_length=10, choices=VoucherStatus.choices, default=VoucherStatus.ISSUED, db_index=True
    )
    claimed_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    redeemed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["allocation", "owner", "seq"], name="voucher_claim_seq_unique"),
            models.CheckConstraint(
                condition=Q(seq__gte=1, seq__lte=F("per_user_limit")), name="voucher_seq_within_limit"
            ),
            # One voucher per order, and an order exactly while redeemed.
            models.UniqueConstraint(
                fields=["order"], condition=Q(order__isnull=False), name="voucher_one_per_order"
            ),
            models.CheckConstraint(
                condition=Q(status="redeemed", order__isnull=False)
                | (~Q(status="redeemed") & Q(order__isnull=True)),
                name="voucher_order_iff_redeemed",
            ),
            models.CheckConstraint(condition=Q(face_value__gt=0), name="voucher_face_positive"),
        ]
        indexes = [models.Index(fields=["owner", "-claimed_at"], name="voucher_owner_claimed")]

    def __str__(self) -> str:
        return self.code


class EntryKind(models.TextChoices):
    RESERVE = "reserve", _("Reserve")
    RELEASE = "release", _("Release")
    REDEEM = "redeem", _("Redeem")
    UNREDEEM = "unredeem", _("Unredeem")


class AppendOnlyQuerySet(models.QuerySet["BudgetEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("the budget ledger is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("the budget ledger is append-only")


class BudgetEntry(models.Model):
    """One movement of an allocation's budget. ``key`` makes every write idempotent (a replayed
    journal entry or a retried task writes nothing new): ``reserve:<claim_id>``, ``release:<claim_id>``,
    ``redeem:<claim_id>:<order_id>``, ``unredeem:<claim_id>:<order_id>``."""

    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="entries")
    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    amount = MoneyAmountField()
    key = models.CharField(max_length=120, unique=True)
    order_id = models.BigIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name_plural = _("budget entries")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="budget_entry_positive")]
        indexes = [models.Index(fields=["allocation", "kind"], name="budget_entry_alloc_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} ({self.key})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("the budget ledger is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("the budget ledger is append-only")
