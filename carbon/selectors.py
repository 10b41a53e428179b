"""Reads of the carbon app: the label an order shows, factor sets, a shopper's account, estimates."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Prefetch, QuerySet, Sum
from django.db.models.functions import TruncMonth

from carbon import engine
from carbon.inputs import cart_input, factor_table_for_set, product_input
from carbon.models import CarbonLabel, Factor, FactorSet, Recomputation
from carbon.services import ACTIVE_SET_CACHE_KEY, orders_applicable_to
from marketplace.catalog.models import City, Product

ACTIVE_SET_CACHE_SECONDS = 60
ZERO = Decimal(0)


def active_factor_set() -> FactorSet | None:
    return FactorSet.objects.filter(is_active=True).first()


def active_factor_set_id() -> int | None:
    """Cached briefly (publishing clears it) so a list of orders does not ask once per order."""
    cached = cache.get(ACTIVE_SET_CACHE_KEY)
    if cached is not None:
        return int(cached)
    factor_set_id = FactorSet.objects.filter(is_active=True).values_list("pk", flat=True).first()
    if factor_set_id is not None:
        cache.set(ACTIVE_SET_CACHE_KEY, factor_set_id, ACTIVE_SET_CACHE_SECONDS)
    return factor_set_id


def carbon_label_for_order(order: Any) -> CarbonLabel | None:
    """The label the order shows: the one of the active factor set, or None while it is computed.

    Uses ``order.carbon_labels`` when a list prefetched it (``carbon_labels_prefetch()``)."""
    factor_set_id = active_factor_set_id()
    if factor_set_id is None:
        return None
    prefetched = getattr(order, "_prefetched_objects_cache", {}).get("carbon_labels")
    if prefetched is not None:
        return next((label for label in prefetched if label.factor_set_id == factor_set_id), None)
    return (
        CarbonLabel.objects.select_related("factor_set")
        .filter(order=order, factor_set_id=factor_set_id)
        .first()
    )


def carbon_labels_prefetch() -> Prefetch:
    """For order lists: ``Order.objects.prefetch_related(carbon_labels_prefetch())``."""
    return Prefetch("carbon_labels", queryset=CarbonLabel.objects.select_related("factor_set"))


def carbon_label_data(label: CarbonLabel) -> dict[str, Any]:
    """The label as the API and pages show it (kgCO2e as decimal strings)."""
    details = label.details
    return {
        "factor_set": label.factor_set.version,
        "engine_version": label.engine_version,
        "total_kgco2e": str(label.total_kgco2e),
        "breakdown": {
            "product_kgco2e": str(label.product_kgco2e),
            "packaging_kgco2e": str(label.packaging_kgco2e),
            "transport_kgco2e": str(label.transport_kgco2e),
        },
        "baseline_kgco2e": str(label.baseline_kgco2e),
        "saving_kgco2e": str(label.saving_kgco2e),
        "grade": label.grade,
        "quality": label.quality,
        "uncertainty": {
            "low_kgco2e": str(label.uncertainty_low_kgco2e),
            "high_kgco2e": str(label.uncertainty_high_kgco2e),
        },
        "transport_legs": [
            {
                key: leg[key]
                for key in (
                    "kind",
                    "mode",
                    "distance_km",
                    "scope",
                    "kgco2e",
                    "baseline_kgco2e",
                    "baseline_scope",
                )
            }
            for leg in details.get("legs", [])
        ],
        "notes": details.get("notes", []),
        "created_at": label.created_at.isoformat(),
    }


def carbon_label_data_for_order(order: Any) -> dict[str, Any] | None:
    label = carbon_label_for_order(order)
    return carbon_label_data(label) if label is not None else None


def label_factors(label: CarbonLabel) -> list[Factor]:
    """The factors a label used, with their sources ("how this was calculated")."""
    keys = label.details.get("factor_keys", [])
    return list(label.factor_set.factors.filter(key__in=keys).order_by("key"))


def factor_set_list() -> QuerySet[FactorSet]:
    return FactorSet.objects.filter(published_at__isnull=False).prefetch_related(
        Prefetch("factors", queryset=Factor.objects.order_by("key"))
    )


def recomputation_progress(factor_set: FactorSet) -> dict[str, Any]:
    """Labels of the set against the orders it applies to, counted live (a dead worker cannot leave the
    figure wrong), with the latest recomputation run."""
    total = orders_applicable_to(factor_set).count()
    done = CarbonLabel.objects.filter(factor_set=factor_set).count()
    run = Recomputation.objects.filter(factor_set=factor_set).first()
    return {
        "factor_set": factor_set.version,
        "is_active": factor_set.is_active,
        "orders": total,
        "labelled": done,
        "percent": 100 if total == 0 else min(100, done * 100 // total),
        "batches_enqueued": run.batches_enqueued if run else 0,
        "started_at": run.started_at.isoformat() if run else None,
        "enqueued_at": run.enqueued_at.isoformat() if run and run.enqueued_at else None,
    }


def carbon_account_for_user(user: Any) -> dict[str, Any]:
    """A shopper's kgCO2e and saving against conventional orders, per month of payment (labels of the
    active factor set, one per order)."""
    factor_set_id = active_factor_set_id()
    labels = CarbonLabel.objects.filter(order__user=user, factor_set_id=factor_set_id)
    months = (
        labels.annotate(month=TruncMonth("order__paid_at"))
        .values("month")
        .annotate(
            orders=Count("id"),
            kgco2e=Sum("total_kgco2e"),
            saving=Sum("saving_kgco2e"),
            baseline=Sum("baseline_kgco2e"),
        )
        .order_by("-month")
    )
    rows = [
        {
            "month": row["month"].strftime("%Y-%m"),
            "orders": row["orders"],
            "kgco2e": str(row["kgco2e"]),
            "baseline_kgco2e": str(row["baseline"]),
            "saving_kgco2e": str(row["saving"]),
        }
        for row in months
    ]
    totals = labels.aggregate(orders=Count("id"), kgco2e=Sum("total_kgco2e"), saving=Sum("saving_kgco2e"))
    factor_set = FactorSet.objects.filter(pk=factor_set_id).first() if factor_set_id is not None else None
    return {
        "factor_set": factor_set.version if factor_set else None,
        "orders": totals["orders"],
        "kgco2e": str(totals["kgco2e"] or ZERO.quantize(Decimal("0.0001"))),
        "saving_kgco2e": str(totals["saving"] or ZERO.quantize(Decimal("0.0001"))),
        "months": rows,
    }


def product_footprint_estimate(
    product: Product, *, table: engine.FactorTable | None = None
) -> engine.ProductEstimate | None:
    """One unit's estimated footprint, data tier and grade against its category (venue, product page)."""
    if table is None:
        factor_set = active_factor_set()
        if factor_set is None:
            return None
        table = factor_table_for_set(factor_set)
    return engine.product_estimate(product_input(product), table)


def packaging_footprints_for_cart(
    *, items: Iterable[tuple[Product, int]], destination: City
) -> dict[str, dict[str, Any]]:
    """For the checkout: the estimated kgCO2e of each packaging choice open to these items (``none`` only
    when every product may ship in its own box), with the order total and grade it would give.

    ``items`` are (product, quantity) pairs; products with ``merchant__city`` and ``category__parent``
    joined keep this at a constant number of queries."""
    items = list(items)
    factor_set = active_factor_set()
    if factor_set is None or not items:
        return {}
    table = factor_table_for_set(factor_set)
    estimates = engine.packaging_estimates(cart_input(items=items, destination=destination), table)
    return {
        choice: {
            "packaging_kgco2e": str(result.packaging_kgco2e),
            "total_kgco2e": str(result.total_kgco2e),
            "saving_kgco2e": str(result.saving_kgco2e),
            "grade": result.grade,
        }
        for choice, result in estimates.items()
    }
