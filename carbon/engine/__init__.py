"""The carbon engine: pure functions over frozen dataclasses, no Django, no database.

Method (docs/carbon-method.md; fetch, then compute: docs/architecture.md)::

    E = sum(products) + sum(packaging) + sum(transport legs)
    packaging  = box_kg * (r * EF_recycled + (1 - r) * EF_primary)
    reusable   = shipper footprint / expected trips + the empty shipper's return leg
    transport  = (shipped_kg / 1000) * great_circle_km * 1.05 * EF

Every figure is a ``Decimal``. Each item (product line, packaging box, transport leg) is rounded to
0.1 g first and every total is the exact sum of its rounded items, so a label's breakdown always adds up.

Scopes: line haul is well-to-wheel (WTW). An electric van or cargo bike in China is computed from kWh per
tonne-km times the grid factor, which is generation-only CO2 (no upstream): such a leg is labelled
``generation-only`` and its baseline is the diesel van's tank-to-wheel figure, the closest like-for-like
scope, so a saving never compares figures of different scopes.
"""

from carbon.engine.calc import (
    baseline_last_mile_factor,
    box_mass_kg,
    compute_label,
    great_circle_km,
    last_mile_factor,
    line_haul_factor,
    material_kgco2e,
    packaging_estimates,
    product_estimate,
    to_jsonable,
    transport_kgco2e,
    typical_product_kgco2e,
)
from carbon.engine.grades import GRADE_BOUNDS, grade_for, grade_for_ratio
from carbon.engine.values import (
    ENGINE_VERSION,
    GRAMS_PER_KG,
    KG,
    KG_PER_TONNE,
    KM,
    LINE_HAUL_MODES,
    PACKAGING_CHOICES,
    QUALITY_LEVELS,
    REQUIRED_KEYS,
    SCOPE_CRADLE_TO_GATE,
    SCOPE_GENERATION,
    SCOPE_TTW,
    SCOPE_WTW,
    TIER_CATEGORY,
    TIER_DECLARED,
    TIER_SPEND,
    UNCERTAINTY,
    VEHICLES,
    ZERO,
    FactorTable,
    FactorValue,
    LabelResult,
    LegResult,
    LineInput,
    LineResult,
    MissingFactor,
    OrderInput,
    PackagingResult,
    Point,
    ProductEstimate,
    ProductInput,
    ShipmentInput,
)

__all__ = [
    "ENGINE_VERSION",
    "GRADE_BOUNDS",
    "GRAMS_PER_KG",
    "KG",
    "KG_PER_TONNE",
    "KM",
    "LINE_HAUL_MODES",
    "PACKAGING_CHOICES",
    "QUALITY_LEVELS",
    "REQUIRED_KEYS",
    "SCOPE_CRADLE_TO_GATE",
    "SCOPE_GENERATION",
    "SCOPE_TTW",
    "SCOPE_WTW",
    "TIER_CATEGORY",
    "TIER_DECLARED",
    "TIER_SPEND",
    "UNCERTAINTY",
    "VEHICLES",
    "ZERO",
    "FactorTable",
    "FactorValue",
    "LabelResult",
    "LegResult",
    "LineInput",
    "LineResult",
    "MissingFactor",
    "OrderInput",
    "PackagingResult",
    "Point",
    "ProductEstimate",
    "ProductInput",
    "ShipmentInput",
    "baseline_last_mile_factor",
    "box_mass_kg",
    "compute_label",
    "grade_for",
    "grade_for_ratio",
    "great_circle_km",
    "last_mile_factor",
    "line_haul_factor",
    "material_kgco2e",
    "packaging_estimates",
    "product_estimate",
    "to_jsonable",
    "transport_kgco2e",
    "typical_product_kgco2e",
]
