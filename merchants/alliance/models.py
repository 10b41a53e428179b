"""The green merchant alliance (docs/domain.md, "Alliance"): memberships, the KPI catalogue,
commitments and their progress reports.

A merchant has at most one *live* membership (applied, active or suspended); a rejected or withdrawn
one may apply again. Every status change is appended to ``MembershipStatusChange`` and never edited.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.core.i18n import BilingualNameMixin, prefers_chinese

VALUE_DIGITS = 16
VALUE_PLACES = 4


class Pledge(models.TextChoices):
    GREEN_PRODUCTS = "green_products", _("Green products")
    GREEN_POWER = "green_power", _("Green power")
    GREEN_LOGISTICS = "green_logistics", _("Green logistics")
    REDUCED_PACKAGING = "reduced_packaging", _("Less and recyclable packaging")


class MembershipStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    ACTIVE = "active", _("Active")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A merchant holds at most one membership in these statuses.
LIVE_MEMBERSHIP_STATUSES = (MembershipStatus.APPLIED, MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED)


class AllianceMembership(models.Model):
    merchant = models.ForeignKey(
        "merchants.Merchant", on_delete=models.PROTECT, related_name="alliance_memberships"
    )
    status = models.CharField(
        max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.APPLIED, db_index=True
    )
    pledges = models.JSONField(default=list, help_text=_("Codes of the pledges taken."))
    declarations = models.JSONField(
        default=dict, blank=True, help_text=_("Soft declarations (not checked by the platform).")
    )
    criteria = models.JSONField(
        default=list, help_text=_("The hard criteria checked by the platform at application, with results.")
    )
    criteria_passed = models.BooleanField(default=False)
    status_reason = models.TextField(
        blank=True,
        max_length=2000,
        help_text=_("Reason of the last rejection or suspension, shown to the member."),
    )
    applied_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-applied_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["merchant"],
                condition=Q(status__in=["applied", "active", "suspended"]),
                name="alliance_one_live_membership_per_merchant",
            ),
        ]

    def __str__(self) -> str:
        return f"membership {self.pk} of merchant {self.merchant_id} ({self.status})"


class MembershipHistoryQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("the membership history is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("the membership history is append-only")


class MembershipStatusChange(models.Model):
    """One step of a membership's life; entries are only ever added."""

    membership = models.ForeignKey(AllianceMembership, on_delete=models.PROTECT, related_name="history")
    from_status = models.CharField(max_length=20, choices=MembershipStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=MembershipStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipHistoryQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.membership_id}: {self.from_status or '-'} -> {self.to_status}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("the membership history is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("the membership history is append-only")


class KpiDirection(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class KpiSource(models.TextChoices):
    PLATFORM = "platform", _("Measured by the platform")
    DECLARED = "declared", _("Self-declared")


class KpiUnit(models.TextChoices):
    PERCENT = "percent", _("%")
    KGCO2E_PER_ORDER = "kgco2e_per_order", _("kgCO2e per order")
    TCO2E = "tco2e", _("tCO2e")


class Kpi(BilingualNameMixin):
    """An entry of the KPI catalogue (seeded by a data migration)."""

    code = models.SlugField(max_length=60, unique=True)
    unit = models.CharField(max_length=30, choices=KpiUnit.choices)
    direction = models.CharField(max_length=10, choices=KpiDirection.choices)
    source = models.CharField(max_length=10, choices=KpiSource.choices)
    definition_en = models.TextField(max_length=2000)
    definition_zh = models.TextField(blank=True, max_length=2000)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")

    @property
    def definition(self) -> str:
        if prefers_chinese():
            return self.definition_zh or self.definition_en
        return self.definition_en or self.definition_zh

    @property
    def is_share(self) -> bool:
        return self.unit == KpiUnit.PERCENT


class TargetType(models.TextChoices):
    ABSOLUTE = "absolute", _("Absolute")
    INTENSITY = "intensity", _("Intensity")


class VerificationLevel(models.TextChoices):
    """As disclosed to SBTi / CDP: who stands behind the figures."""

    SELF_DECLARED = "self_declared", _("Self-declared, not verified")
    PLATFORM_MEASURED = "platform_measured", _("Measured by the platform")
    LIMITED_ASSURANCE = "limited_assurance", _("Third-party verified, limited assurance")
    REASONABLE_ASSURANCE = "reasonable_assurance", _("Third-party verified, reasonable assurance")


class Commitment(models.Model):
    membership = models.ForeignKey(AllianceMembership, on_delete=models.PROTECT, related_name="commitments")
    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="commitments")
    baseline_value = models.DecimalField(max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    baseline_date = models.DateField()
    target_value = models.DecimalField(max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    target_date = models.DateField()
    target_type = models.CharField(max_length=20, choices=TargetType.choices, default=TargetType.INTENSITY)
    coverage = models.CharField(
        max_length=300, blank=True, help_text=_("What the target covers (e.g. all products sold online).")
    )
    coverage_percent = models.DecimalField(
        max_digits=5, decimal_places=2, default=100, help_text=_("Share of the activity the target covers.")
    )
    verification_level = models.CharField(max_length=30, choices=VerificationLevel.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "kpi"], name="alliance_one_commitment_per_kpi"),
            models.CheckConstraint(
                condition=Q(target_date__gt=models.F("baseline_date")), name="alliance_target_after_baseline"
            ),
            models.CheckConstraint(
                condition=Q(coverage_percent__gt=0) & Q(coverage_percent__lte=100),
                name="alliance_coverage_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"commitment {self.pk}: {self.kpi_id} {self.baseline_value} -> {self.target_value}"


class ProgressReport(models.Model):
    """A value of a commitment's KPI over a period; platform reports come from the monthly measurement."""

    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="reports")
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    evidence_url = models.URLField(blank=True, max_length=500)
    evidence_text = models.TextField(blank=True, max_length=2000)
    source = models.CharField(max_length=10, choices=KpiSource.choices)
    inputs = models.JSONField(
        default=dict, blank=True, help_text=_("The fetched numbers a measurement used.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period_end", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "period_start", "period_end", "source"],
                name="alliance_one_report_per_period_and_source",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="alliance_report_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment_id} {self.period_start}..{self.period_end}: {self.value}"


__all__ = [
    "AllianceMembership",
    "Commitment",
    "Kpi",
    "MembershipStatusChange",
    "ProgressReport",
]
