"""Emission factor sets (versioned, sourced data), their factors, and the immutable carbon labels.

Every order that reached ``paid`` has exactly one label per factor set that applies to it - the set
active at payment and every set published later (docs/invariants.md, "One label per paid order and
factor set"; the method: docs/carbon-method.md).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.db.models.functions import Round
from django.utils.translation import gettext_lazy as _

KG_DIGITS = 14
KG_PLACES = 4


def _kg_field(**kwargs: Any) -> models.DecimalField:
    return models.DecimalField(max_digits=KG_DIGITS, decimal_places=KG_PLACES, **kwargs)


class FactorSet(models.Model):
    """A versioned set of emission factors. Exactly one is active; publishing a set supersedes the last."""

    version = models.CharField(max_length=40, unique=True)
    description = models.TextField(blank=True, max_length=2000)
    sources = models.JSONField(default=list, help_text=_("The publications the factors come from."))
    is_active = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When a later set was published; orders paid after get no label of this set."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="carbon_one_active_factor_set"
            ),
            models.CheckConstraint(
                condition=Q(is_active=False) | Q(published_at__isnull=False),
                name="carbon_active_set_is_published",
            ),
        ]

    def __str__(self) -> str:
        return self.version


class Factor(models.Model):
    factor_set = models.ForeignKey(FactorSet, on_delete=models.CASCADE, related_name="factors")
    key = models.CharField(max_length=100)
    value = models.DecimalField(max_digits=16, decimal_places=6)
    unit = models.CharField(max_length=40)
    scope = models.CharField(max_length=40, help_text=_("WTW, TTW, generation-only, cradle-to-gate..."))
    source = models.CharField(max_length=40, help_text=_("Code of one of the set's sources."))
    table = models.CharField(max_length=300, help_text=_("Table or row reference in the source."))
    proxy = models.BooleanField(
        default=False, help_text=_("A proxy or a value covering only part of the scope.")
    )
    note = models.TextField(blank=True, max_length=1000)

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["factor_set", "key"], name="carbon_factor_unique_key"),
            models.CheckConstraint(condition=Q(value__gte=0), name="carbon_factor_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.key} = {self.value} {self.unit}"


class ImmutableLabel(Exception):
    pass


class CarbonLabel(models.Model):
    """One order's label under one factor set. Never updated: a new set gives a new label beside it."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="carbon_labels")
    factor_set = models.ForeignKey(FactorSet, on_delete=models.PROTECT, related_name="labels")
    inputs = models.JSONField(help_text=_("Snapshot of the engine's inputs."))
    details = models.JSONField(help_text=_("Lines, packaging items, transport legs with scopes, notes."))
    product_kgco2e = _kg_field()
    packaging_kgco2e = _kg_field()
    transport_kgco2e = _kg_field()
    total_kgco2e = _kg_field()
    baseline_kgco2e = _kg_field()
    saving_kgco2e = _kg_field()
    grade = models.CharField(max_length=1)
    quality = models.CharField(max_length=10)
    uncertainty_low_kgco2e = _kg_field()
    uncertainty_high_kgco2e = _kg_field()
    engine_version = models.CharField(max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "factor_set"], name="carbon_label_one_per_order_and_set"
            ),
            models.CheckConstraint(
                condition=Q(grade__in=["A", "B", "C", "D", "E"]), name="carbon_label_grade"
            ),
            # Round() keeps the check exact on SQLite (the embedded default), which adds decimals as
            # floats: without it 21.66 + 0.2838 + 0.051 != 21.9948 there and a bulk insert that ignores
            # conflicts silently drops the label. On PostgreSQL it is a no-op on exact numerics.
            models.CheckConstraint(
                condition=Q(
                    total_kgco2e=Round(
                        models.F("product_kgco2e")
                        + models.F("packaging_kgco2e")
                        + models.F("transport_kgco2e"),
                        KG_PLACES,
                    )
                ),
                name="carbon_label_breakdown_sums",
            ),
        ]
        indexes = [models.Index(fields=["factor_set", "order"], name="carbon_label_set_order")]

    def __str__(self) -> str:
        return f"label of order {self.order_id} ({self.factor_set_id})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableLabel("carbon labels are immutable; publish a new factor set instead")
        super().save(*args, **kwargs)


class Recomputation(models.Model):
    """Background recomputation of labels after a factor set is published (progress for staff)."""

    factor_set = models.ForeignKey(FactorSet, on_delete=models.CASCADE, related_name="recomputations")
    total_orders = models.PositiveIntegerField(default=0)
    batches_enqueued = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"recomputation {self.pk} of {self.factor_set_id}"


class ProductFootprint(models.Model):
    """A product's estimated footprint per unit under the active factor set, stored so the venue can filter
    by grade and order by footprint in the database. Refreshed in the background (beat) when it is
    missing, older than the product, or of an earlier factor set."""

    product = models.OneToOneField(
        "catalog.Product", on_delete=models.CASCADE, related_name="carbon_footprint"
    )
    factor_set = models.ForeignKey(FactorSet, on_delete=models.CASCADE, related_name="+")
    kgco2e = _kg_field()
    typical_kgco2e = _kg_field(help_text=_("Category-typical footprint of one unit."))
    tier = models.CharField(max_length=10, help_text=_("declared, category or spend"))
    factor_key = models.CharField(max_length=100)
    grade = models.CharField(max_length=1, db_index=True)
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["kgco2e"], name="carbon_product_fp_kg")]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.kgco2e} kgCO2e ({self.grade})"
