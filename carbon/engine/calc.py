"""The computation: product, packaging and transport footprints, baseline, grade, quality, uncertainty."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from carbon.engine.grades import grade_for
from carbon.engine.values import (
    ENGINE_VERSION,
    GRAMS_PER_KG,
    KG,
    KG_PER_TONNE,
    KM,
    LINE_HAUL_MODES,
    PACKAGING_CHOICES,
    QUALITY_LEVELS,
    SCOPE_GENERATION,
    SCOPE_TTW,
    SCOPE_WTW,
    TIER_CATEGORY,
    TIER_DECLARED,
    TIER_SPEND,
    UNCERTAINTY,
    ZERO,
    FactorTable,
    FactorValue,
    LabelResult,
    LegResult,
    LineResult,
    OrderInput,
    PackagingResult,
    Point,
    ProductEstimate,
    ProductInput,
    ShipmentInput,
)

# --- small helpers ------------------------------------------------------------------------------


def _round(value: Decimal) -> Decimal:
    return value.quantize(KG, rounding=ROUND_HALF_UP)


def great_circle_km(origin: Point, destination: Point) -> Decimal:
    """Haversine distance on a 6371 km sphere. Trigonometry needs floats; the result is a Decimal."""
    lat1, lon1 = math.radians(float(origin.latitude)), math.radians(float(origin.longitude))
    lat2, lon2 = math.radians(float(destination.latitude)), math.radians(float(destination.longitude))
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    km = 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))
    return Decimal(repr(km)).quantize(KM, rounding=ROUND_HALF_UP)


def transport_kgco2e(*, mass_kg: Decimal, distance_km: Decimal, factor_per_tkm: Decimal) -> Decimal:
    """Emissions of carrying ``mass_kg`` over ``distance_km`` (already including the road factor)."""
    return mass_kg / KG_PER_TONNE * distance_km * factor_per_tkm


def material_kgco2e(
    *, mass_kg: Decimal, recycled_share: Decimal, primary: Decimal, recycled: Decimal
) -> Decimal:
    return mass_kg * (recycled_share * recycled + (1 - recycled_share) * primary)


def box_mass_kg(product_kg: Decimal, factors: FactorTable) -> Decimal:
    """A corrugated box sized by what it holds: a fixed part plus a share of the contents' mass."""
    return factors.value("packaging.box.base_kg") + factors.value("packaging.box.per_product_kg") * product_kg


# --- product --------------------------------------------------------------------------------------


def _category_factor(product: ProductInput, factors: FactorTable, family: str) -> FactorValue | None:
    for slug in (product.category_slug, product.parent_category_slug):
        if slug:
            row = factors.get(f"{family}.{slug}")
            if row is not None:
                return row
    return None


def typical_product_kgco2e(product: ProductInput, factors: FactorTable) -> tuple[Decimal, str, str]:
    """Category-typical footprint of one unit: per kg of the category, else spend-based. (kg, tier, key)"""
    per_kg = _category_factor(product, factors, "product.category_kg")
    if per_kg is not None:
        return per_kg.value * Decimal(product.weight_grams) / GRAMS_PER_KG, TIER_CATEGORY, per_kg.key
    per_cny = _category_factor(product, factors, "product.spend_cny") or factors.require(
        "product.spend_cny.default"
    )
    return per_cny.value * product.unit_price, TIER_SPEND, per_cny.key


def product_estimate(product: ProductInput, factors: FactorTable) -> ProductEstimate:
    """One unit's cradle-to-gate footprint by the best tier available, and its grade against the category."""
    typical, tier, key = typical_product_kgco2e(product, factors)
    kg = typical
    if product.declared_kg is not None and product.declared_document:
        kg, tier, key = product.declared_kg, TIER_DECLARED, "declared"
    return ProductEstimate(
        kgco2e=_round(kg),
        tier=tier,
        factor_key=key,
        typical_kgco2e=_round(typical),
        grade=grade_for(kg, typical),
    )


# --- transport ------------------------------------------------------------------------------------


def last_mile_factor(vehicle: str, factors: FactorTable) -> tuple[Decimal, str, str]:
    """(kgCO2e per tkm, scope, key) of the last-mile vehicle."""
    if vehicle == "diesel_van":
        return factors.value("transport.van_diesel.wtw"), SCOPE_WTW, "transport.van_diesel.wtw"
    if vehicle in ("electric_van", "cargo_bike"):
        energy_key = f"transport.{'van_electric' if vehicle == 'electric_van' else 'cargo_bike'}.kwh_per_tkm"
        grid = factors.value("grid.cn.generation")
        return factors.value(energy_key) * grid, SCOPE_GENERATION, f"{energy_key}*grid.cn.generation"
    raise ValueError(f"unknown last-mile vehicle {vehicle!r}")


def baseline_last_mile_factor(scope: str, factors: FactorTable) -> tuple[Decimal, str, str]:
    """The diesel van in the scope of the actual leg, so the saving compares like with like."""
    if scope == SCOPE_WTW:
        return factors.value("transport.van_diesel.wtw"), SCOPE_WTW, "transport.van_diesel.wtw"
    return factors.value("transport.van_diesel.ttw"), SCOPE_TTW, "transport.van_diesel.ttw"


def line_haul_factor(mode: str, factors: FactorTable) -> tuple[Decimal, str, str]:
    if mode not in LINE_HAUL_MODES:
        raise ValueError(f"unknown line-haul mode {mode!r}")
    key = f"transport.{mode}.wtw"
    return factors.value(key), SCOPE_WTW, key


# --- the label ------------------------------------------------------------------------------------


@dataclass
class _Acc:
    """Running totals while one label is computed (internal)."""

    lines: list[LineResult] = field(default_factory=list)
    packaging: list[PackagingResult] = field(default_factory=list)
    legs: list[LegResult] = field(default_factory=list)
    notes: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    variance: Decimal = ZERO
    quality_drop: int = 0

    def spread(self, kg: Decimal, relative: Decimal) -> None:
        self.variance += (kg * relative) ** 2


def _packaging_for_shipment(
    index: int,
    shipment: ShipmentInput,
    choice: str,
    product_kg: Decimal,
    road_k: Decimal,
    order: OrderInput,
    factors: FactorTable,
    acc: _Acc,
) -> Decimal:
    """Adds the shipment's packaging item (and the reusable shipper's return leg); returns its mass."""
    box_kg = box_mass_kg(product_kg, factors)
    primary, recycled = factors.value("material.board.primary"), factors.value("material.board.recycled")
    baseline = _round(
        material_kgco2e(mass_kg=box_kg, recycled_share=ZERO, primary=primary, recycled=recycled)
    )
    acc.keys.update({"packaging.box.base_kg", "packaging.box.per_product_kg", "material.board.primary"})
    if choice == "none" and not all(line.product.ships_in_own_box for line in shipment.lines):
        acc.notes.add("packaging_none_not_possible_standard_box_assumed")
        choice = "standard"
    if choice == "none":
        acc.packaging.append(PackagingResult(index, "none", ZERO, ZERO, baseline))
        return ZERO
    if choice == "standard":
        kg = baseline
        mass = box_kg
    elif choice == "recycled":
        share = factors.value("packaging.recycled_share")
        acc.keys.update({"packaging.recycled_share", "material.board.recycled"})
        kg = _round(material_kgco2e(mass_kg=box_kg, recycled_share=share, primary=primary, recycled=recycled))
        mass = box_kg
    elif choice == "reusable":
        mass = box_kg * factors.value("packaging.reusable.mass_ratio")
        trips = factors.value("packaging.reusable.trips")
        acc.keys.update({"packaging.reusable.mass_ratio", "packaging.reusable.trips", "material.pp.primary"})
        kg = _round(mass * factors.value("material.pp.primary") / trips)
        kg += _return_leg(index, shipment, mass, road_k, order, factors, acc)
    else:
        raise ValueError(f"unknown packaging choice {choice!r}")
    acc.packaging.append(PackagingResult(index, choice, mass, kg, baseline))
    acc.spread(kg, UNCERTAINTY["packaging"])
    return mass


def _legs_for(shipment: ShipmentInput, order: OrderInput, road_k: Decimal) -> list[tuple[str, str, Decimal]]:
    """(kind, mode, distance) of the legs from the shipment's origin to the order's destination."""
    legs: list[tuple[str, str, Decimal]] = []
    line_haul = great_circle_km(shipment.origin, order.destination) * road_k
    if line_haul > 0:
        legs.append(("line_haul", shipment.line_haul_mode, line_haul))
    legs.append(("last_mile", shipment.vehicle, order.last_mile_km * road_k))
    return legs


def _leg(
    index: int,
    kind: str,
    mode: str,
    distance: Decimal,
    mass: Decimal,
    baseline_mass: Decimal,
    factors: FactorTable,
    acc: _Acc,
) -> LegResult:
    if kind == "line_haul":
        factor, scope, key = line_haul_factor(mode, factors)
        base_factor, base_scope, base_key = factor, scope, key  # same route and line-haul mode
    else:
        factor, scope, key = last_mile_factor(mode, factors)
        base_factor, base_scope, base_key = baseline_last_mile_factor(scope, factors)
    acc.keys.update(key.split("*") + base_key.split("*"))
    if scope == SCOPE_GENERATION:
        acc.notes.add("last_mile_generation_only_scope")
        acc.quality_drop = 1
    kg = _round(transport_kgco2e(mass_kg=mass, distance_km=distance, factor_per_tkm=factor))
    baseline = _round(
        transport_kgco2e(mass_kg=baseline_mass, distance_km=distance, factor_per_tkm=base_factor)
    )
    acc.spread(kg, UNCERTAINTY[scope])
    return LegResult(
        index, kind, mode, distance, mass, key, factor, scope, kg, baseline, base_key, base_scope
    )


def _return_leg(
    index: int,
    shipment: ShipmentInput,
    mass: Decimal,
    road_k: Decimal,
    order: OrderInput,
    factors: FactorTable,
    acc: _Acc,
) -> Decimal:
    """The empty reusable shipper goes back the way it came; its emissions count as packaging."""
    total = ZERO
    for kind, mode, distance in _legs_for(shipment, order, road_k):
        leg = _leg(index, kind, mode, distance, mass, ZERO, factors, acc)
        acc.legs.append(replace(leg, kind=f"return_{kind}", baseline_kgco2e=ZERO))
        total += leg.kgco2e
    return total


def compute_label(order: OrderInput, factors: FactorTable) -> LabelResult:
    """The carbon label of one order: footprint, baseline, saving, grade, quality and uncertainty."""
    if order.packaging not in PACKAGING_CHOICES:
        raise ValueError(f"unknown packaging choice {order.packaging!r}")
    road_k = factors.value("transport.road_distance_factor")
    acc = _Acc()
    acc.keys.add("transport.road_distance_factor")
    tiers: set[str] = set()
    transport_legs: list[LegResult] = []
    for index, shipment in enumerate(order.shipments):
        product_kg = ZERO
        for line in shipment.lines:
            estimate = product_estimate(line.product, factors)
            tiers.add(estimate.tier)
            if estimate.factor_key != "declared":
                acc.keys.add(estimate.factor_key)
            if estimate.factor_key == "product.spend_cny.default":
                acc.notes.add("product_default_spend_factor")
            used = factors.get(estimate.factor_key)
            if used is not None and used.proxy:
                acc.notes.add("product_factor_is_an_estimate")
            kg = _round(estimate.kgco2e * line.quantity)
            baseline = _round(estimate.typical_kgco2e * line.quantity)
            acc.lines.append(
                LineResult(
                    index,
                    line.product.product_id,
                    line.quantity,
                    estimate.tier,
                    estimate.factor_key,
                    kg,
                    baseline,
                )
            )
            acc.spread(kg, UNCERTAINTY[estimate.tier])
            product_kg += Decimal(line.product.weight_grams * line.quantity) / GRAMS_PER_KG
        box_kg = _packaging_for_shipment(
            index, shipment, order.packaging, product_kg, road_k, order, factors, acc
        )
        baseline_box_kg = box_mass_kg(product_kg, factors)
        for kind, mode, distance in _legs_for(shipment, order, road_k):
            leg = _leg(
                index, kind, mode, distance, product_kg + box_kg, product_kg + baseline_box_kg, factors, acc
            )
            transport_legs.append(leg)
    acc.legs[:0] = transport_legs
    acc.notes.add("distance_estimated_great_circle")

    product = sum((line.kgco2e for line in acc.lines), ZERO)
    packaging = sum((item.kgco2e for item in acc.packaging), ZERO)
    transport = sum((leg.kgco2e for leg in transport_legs), ZERO)
    total = product + packaging + transport
    baseline = (
        sum((line.baseline_kgco2e for line in acc.lines), ZERO)
        + sum((item.baseline_kgco2e for item in acc.packaging), ZERO)
        + sum((leg.baseline_kgco2e for leg in transport_legs), ZERO)
    )
    quality = _quality(tiers, acc.quality_drop)
    spread = _round(acc.variance.sqrt()) if acc.variance > 0 else ZERO
    return LabelResult(
        product_kgco2e=product,
        packaging_kgco2e=packaging,
        transport_kgco2e=transport,
        total_kgco2e=total,
        baseline_kgco2e=baseline,
        saving_kgco2e=baseline - total,
        grade=grade_for(total, baseline),
        quality=quality,
        uncertainty_low=max(ZERO, total - spread),
        uncertainty_high=total + spread,
        engine_version=ENGINE_VERSION,
        factor_set_version=factors.version,
        lines=tuple(acc.lines),
        packaging=tuple(acc.packaging),
        legs=tuple(acc.legs),
        notes=tuple(sorted(acc.notes)),
        factor_keys=tuple(sorted(acc.keys)),
    )


def _quality(tiers: set[str], drop: int) -> str:
    """High when every product has a declared footprint; medium for category averages; low for
    spend-based estimates (or no product data at all). A partial-scope leg (generation-only) drops it
    one level."""
    if TIER_SPEND in tiers or not tiers:
        level = 2
    elif TIER_CATEGORY in tiers:
        level = 1
    else:
        level = 0
    return QUALITY_LEVELS[min(2, level + drop)]


def packaging_estimates(order: OrderInput, factors: FactorTable) -> dict[str, LabelResult]:
    """The label the order would get with each packaging choice open to it ("none" only when every
    product may ship in its own box)."""
    own_box = all(line.product.ships_in_own_box for shipment in order.shipments for line in shipment.lines)
    choices = [choice for choice in PACKAGING_CHOICES if choice != "none" or own_box]
    return {choice: compute_label(replace(order, packaging=choice), factors) for choice in choices}


def to_jsonable(value: Any) -> Any:
    """Dataclasses, tuples and Decimals as JSON-safe values (Decimals become strings, exactly).

    Walks the fields directly: ``dataclasses.asdict`` deep-copies everything first, which cost more than
    computing the label."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [to_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_jsonable(item) for key, item in value.items()}
    fields = getattr(value, "__dataclass_fields__", None)
    if fields is not None:
        return {name: to_jsonable(getattr(value, name)) for name in fields}
    return value
