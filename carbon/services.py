"""Writes of the carbon app: labels (fetch -> engine -> insert), factor sets, publication and recomputation.

Idempotency: a label is unique per (order, factor set); inserts use ``ON CONFLICT DO NOTHING`` so a
redelivered task, a concurrent worker or the beat sweep never produce a second label or an error.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from carbon import engine
from carbon.factor_data import load_factor_set_data
from carbon.inputs import factor_table_for_set, order_input, orders_for_labels, product_input
from carbon.models import CarbonLabel, Factor, FactorSet, ProductFootprint, Recomputation
from green_venue import services as venue_services
from marketplace.catalog.models import Product
from marketplace.core.errors import DomainError, InvalidInput
from marketplace.orders.models import Order

logger = logging.getLogger(__name__)

ACTIVE_SET_CACHE_KEY = "carbon:active-factor-set-id"


# --- which orders a factor set applies to ---------------------------------------------------------


def orders_applicable_to(factor_set: FactorSet) -> QuerySet[Order]:
    """Orders that reached ``paid`` while the set was active or before it was published (see
    docs/carbon-method.md, "Labels, factor sets and recomputation")."""
    if factor_set.published_at is None:
        return Order.objects.none()
    queryset = Order.objects.filter(paid_at__isnull=False)
    if factor_set.superseded_at is not None:
        queryset = queryset.filter(paid_at__lt=factor_set.superseded_at)
    return queryset


def orders_missing_label(factor_set: FactorSet) -> QuerySet[Order]:
    labelled = CarbonLabel.objects.filter(order=OuterRef("pk"), factor_set=factor_set)
    return orders_applicable_to(factor_set).filter(~Exists(labelled))


def factor_sets_applicable_to(order: Order) -> QuerySet[FactorSet]:
    if order.paid_at is None:
        return FactorSet.objects.none()
    return FactorSet.objects.filter(published_at__isnull=False).filter(
        Q(superseded_at__isnull=True) | Q(superseded_at__gt=order.paid_at)
    )


# --- labels ---------------------------------------------------------------------------------------


def _label_row(*, order: Order, factor_set: FactorSet, table: engine.FactorTable) -> CarbonLabel:
    inputs = order_input(order)
    result = engine.compute_label(inputs, table)
    details = {
        "factor_set_version": result.factor_set_version,
        "lines": engine.to_jsonable(result.lines),
        "packaging": engine.to_jsonable(result.packaging),
        "legs": engine.to_jsonable(result.legs),
        "notes": list(result.notes),
        "factor_keys": list(result.factor_keys),
        "last_mile_km": str(inputs.last_mile_km),
    }
    return CarbonLabel(
        order=order,
        factor_set=factor_set,
        inputs=engine.to_jsonable(inputs),
        details=details,
        product_kgco2e=result.product_kgco2e,
        packaging_kgco2e=result.packaging_kgco2e,
        transport_kgco2e=result.transport_kgco2e,
        total_kgco2e=result.total_kgco2e,
        baseline_kgco2e=result.baseline_kgco2e,
        saving_kgco2e=result.saving_kgco2e,
        grade=result.grade,
        quality=result.quality,
        uncertainty_low_kgco2e=result.uncertainty_low,
        uncertainty_high_kgco2e=result.uncertainty_high,
        engine_version=result.engine_version,
    )


def carbon_labels_compute_batch(*, factor_set_id: int, order_ids: Iterable[int]) -> int:
    """Compute and insert the labels of these orders for one factor set; returns how many were computed
    (a label a concurrent worker inserted first is dropped by the unique constraint, not duplicated).

    Orders that do not apply to the set or already have its label are skipped, so running a batch twice
    (a redelivered task after a worker died) changes nothing."""
    factor_set = FactorSet.objects.filter(pk=factor_set_id).first()
    if factor_set is None:
        return 0
    ids = sorted(set(order_ids))
    orders = list(
        orders_for_labels().filter(pk__in=ids).filter(pk__in=orders_missing_label(factor_set).values("pk"))
    )
    if not orders:
        return 0
    table = factor_table_for_set(factor_set)
    rows = []
    for order in orders:
        try:
            rows.append(_label_row(order=order, factor_set=factor_set, table=table))
        except (engine.MissingFactor, ValueError, ArithmeticError):
            # One order the engine cannot label (bad data, a factor missing from the set) must not block
            # the batch or the payment that enqueued it; the beat sweep tries it again.
            logger.exception(
                "carbon label of order %s under factor set %s failed", order.pk, factor_set.version
            )
    created = CarbonLabel.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)


def carbon_label_order_compute(*, order_id: int) -> int:
    """Compute and store the labels a paid order is missing: normally one, for the active factor set
    (also any set that applied when it was paid, if a publication raced the payment)."""
    order = Order.objects.filter(pk=order_id, paid_at__isnull=False).first()
    if order is None:
        return 0
    created = 0
    for factor_set in factor_sets_applicable_to(order).order_by("id"):
        created += carbon_labels_compute_batch(factor_set_id=factor_set.pk, order_ids=[order_id])
    return created


# --- factor sets ----------------------------------------------------------------------------------

_ROW_FIELDS = ("key", "value", "unit", "scope", "source", "table")


@transaction.atomic
def factor_set_create(
    *, version: str, sources: list[dict[str, Any]], rows: list[dict[str, Any]], description: str = ""
) -> FactorSet:
    """A new draft factor set (not active until published). Every row names its source and scope."""
    if FactorSet.objects.filter(version=version).exists():
        raise DomainError(_("A factor set with this version already exists."), code="duplicate_version")
    codes = {source.get("code") for source in sources}
    for row in rows:
        missing = [name for name in _ROW_FIELDS if not row.get(name)]
        if missing:
            raise InvalidInput(
                _("Factor %(key)s lacks %(fields)s.") % {"key": row.get("key"), "fields": ", ".join(missing)}
            )
        if row["source"] not in codes:
            raise InvalidInput(_("Factor %(key)s names an unknown source.") % {"key": row["key"]})
    factor_set = FactorSet.objects.create(version=version, sources=sources, description=description)
    Factor.objects.bulk_create(
        Factor(
            factor_set=factor_set,
            key=row["key"],
            value=row["value"],
            unit=row["unit"],
            scope=row["scope"],
            source=row["source"],
            table=row["table"],
            proxy=bool(row.get("proxy", False)),
            note=row.get("note", ""),
        )
        for row in rows
    )
    return factor_set


def factor_set_create_from_file(*, path: Path, version: str | None = None) -> FactorSet:
    data = load_factor_set_data(path)
    return factor_set_create(
        version=version or data["version"],
        sources=data["sources"],
        rows=data["factors"],
        description=data.get("description", ""),
    )


def factor_set_publish(*, factor_set: FactorSet) -> Recomputation | None:
    """Make the set the active one and recompute every applicable order's label in the background.

    Publishing the active set again changes nothing. Past labels stay: new ones are added beside them."""
    with transaction.atomic():
        # Lock every set in primary-key order: two staff publishing at once serialise here.
        sets = {fs.pk: fs for fs in FactorSet.objects.select_for_update().order_by("pk")}
        target = sets[factor_set.pk]
        if target.is_active:
            return None
        if target.superseded_at is not None:
            raise DomainError(
                _("A superseded factor set cannot be published again."), code="invalid_transition"
            )
        missing = factor_table_for_set(target).missing_keys()
        if missing:
            raise InvalidInput(
                _("The factor set lacks required factors: %(keys)s.") % {"keys": ", ".join(missing)}
            )
        now = timezone.now()
        FactorSet.objects.filter(is_active=True).update(is_active=False, superseded_at=now)
        target.is_active = True
        target.published_at = now
        target.save(update_fields=["is_active", "published_at"])
        recomputation = Recomputation.objects.create(
            factor_set=target, total_orders=orders_applicable_to(target).count()
        )
        recomputation_id = recomputation.pk

        def enqueue() -> None:
            from carbon import tasks

            cache.delete(ACTIVE_SET_CACHE_KEY)
            tasks.carbon_recompute.delay(recomputation_id)
            tasks.carbon_product_footprints_refresh.delay()

        transaction.on_commit(enqueue)
    factor_set.refresh_from_db()
    return recomputation


def _id_batches(queryset: QuerySet[Any], size: int, limit: int | None = None) -> Iterator[list[int]]:
    """Order ids in ascending batches (keyset pagination: constant memory whatever the number of orders)."""
    last_id = 0
    seen = 0
    while limit is None or seen < limit:
        take = size if limit is None else min(size, limit - seen)
        ids = list(queryset.filter(pk__gt=last_id).order_by("pk").values_list("pk", flat=True)[:take])
        if not ids:
            return
        yield ids
        seen += len(ids)
        last_id = ids[-1]


def carbon_recompute_enqueue(*, recomputation_id: int) -> int:
    """Split the orders still missing the set's label into batches of ``CARBON_BATCH_SIZE`` and enqueue
    one task per batch. Running it again (a redelivered task) enqueues only what is still missing."""
    from carbon import tasks

    recomputation = Recomputation.objects.select_related("factor_set").filter(pk=recomputation_id).first()
    if recomputation is None:
        return 0
    factor_set = recomputation.factor_set
    batches = 0
    for ids in _id_batches(orders_missing_label(factor_set), settings.CARBON_BATCH_SIZE):
        tasks.carbon_label_batch.delay(factor_set.pk, ids)
        batches += 1
    Recomputation.objects.filter(pk=recomputation.pk).update(
        batches_enqueued=batches, enqueued_at=timezone.now()
    )
    return batches


def carbon_labels_sweep() -> int:
    """Beat: enqueue the labels still missing for orders paid a while ago (a lost task, a dead worker,
    a broker outage). Bounded by ``CARBON_SWEEP_LIMIT`` orders per set and run."""
    from carbon import tasks

    before = timezone.now() - timedelta(seconds=settings.CARBON_SWEEP_GRACE_SECONDS)
    enqueued = 0
    for factor_set in FactorSet.objects.filter(published_at__isnull=False).order_by("id"):
        missing = orders_missing_label(factor_set).filter(paid_at__lt=before)
        for ids in _id_batches(missing, settings.CARBON_BATCH_SIZE, limit=settings.CARBON_SWEEP_LIMIT):
            tasks.carbon_label_batch.delay(factor_set.pk, ids)
            enqueued += len(ids)
    if enqueued:
        logger.info("carbon sweep enqueued %s missing labels", enqueued)
    return enqueued


# --- product estimates (venue facet and ordering) -------------------------------------------------


def products_with_stale_footprint(factor_set: FactorSet) -> QuerySet[Product]:
    return Product.objects.filter(
        Q(carbon_footprint__isnull=True)
        | ~Q(carbon_footprint__factor_set=factor_set)
        | Q(carbon_footprint__computed_at__lt=F("updated_at"))
    )


def product_footprints_refresh(*, product_ids: Iterable[int] | None = None, limit: int | None = None) -> int:
    """Store the per-unit estimate and grade of products whose estimate is missing, older than the
    product or of an earlier factor set (all of them, or those of ``product_ids``). Returns how many."""
    factor_set = FactorSet.objects.filter(is_active=True).first()
    if factor_set is None:
        return 0
    table = factor_table_for_set(factor_set)
    stale = products_with_stale_footprint(factor_set)
    if product_ids is not None:
        stale = stale.filter(pk__in=list(product_ids))
    refreshed = 0
    for ids in _id_batches(stale, settings.CARBON_BATCH_SIZE, limit=limit):
        # Taken before reading: a product edited meanwhile stays older than its estimate's timestamp
        # and is refreshed again next time.
        computed_at = timezone.now()
        rows = []
        for product in Product.objects.filter(pk__in=ids).select_related("category", "category__parent"):
            estimate = engine.product_estimate(product_input(product), table)
            rows.append(
                ProductFootprint(
                    product=product,
                    factor_set=factor_set,
                    kgco2e=estimate.kgco2e,
                    typical_kgco2e=estimate.typical_kgco2e,
                    tier=estimate.tier,
                    factor_key=estimate.factor_key,
                    grade=estimate.grade,
                    computed_at=computed_at,
                )
            )
        ProductFootprint.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["product"],
            update_fields=[
                "factor_set",
                "kgco2e",
                "typical_kgco2e",
                "tier",
                "factor_key",
                "grade",
                "computed_at",
            ],
        )
        # The venue filters and orders by these estimates from its own read model (and bumps its cache).
        venue_services.venue_footprints_publish(
            footprints=[
                venue_services.FootprintForVenue(
                    product_id=row.product_id,
                    factor_set_version=factor_set.version,
                    kgco2e=row.kgco2e,
                    tier=row.tier,
                    grade=row.grade,
                )
                for row in rows
            ]
        )
        refreshed += len(rows)
    return refreshed
