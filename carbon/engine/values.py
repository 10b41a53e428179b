"""The engine's constants and frozen dataclasses: factor table, inputs and results (no Django)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

ENGINE_VERSION = "1.0.0"

KG = Decimal("0.0001")  # items are rounded to 0.1 g of CO2e
KM = Decimal("0.1")
ZERO = Decimal(0)
GRAMS_PER_KG = Decimal(1000)
KG_PER_TONNE = Decimal(1000)

SCOPE_WTW = "WTW"
SCOPE_TTW = "TTW"
SCOPE_GENERATION = "generation-only"
SCOPE_CRADLE_TO_GATE = "cradle-to-gate"

PACKAGING_CHOICES = ("standard", "recycled", "reusable", "none")
VEHICLES = ("diesel_van", "electric_van", "cargo_bike")
LINE_HAUL_MODES = ("hgv", "rail")

TIER_DECLARED = "declared"
TIER_CATEGORY = "category"
TIER_SPEND = "spend"
QUALITY_LEVELS = ("high", "medium", "low")

# Relative uncertainty of each kind of item (half-width of the range), combined root-sum-square.
UNCERTAINTY = {
    TIER_DECLARED: Decimal("0.10"),
    TIER_CATEGORY: Decimal("0.30"),
    TIER_SPEND: Decimal("0.50"),
    "packaging": Decimal("0.20"),
    SCOPE_WTW: Decimal("0.15"),  # distance is a great-circle estimate
    SCOPE_TTW: Decimal("0.15"),
    SCOPE_GENERATION: Decimal("0.30"),  # partial scope: upstream and non-CO2 gases missing
}

# Factor keys the engine cannot work without (a factor set missing one is refused at publication).
REQUIRED_KEYS = (
    "transport.road_distance_factor",
    "transport.hgv.wtw",
    "transport.rail.wtw",
    "transport.van_diesel.wtw",
    "transport.van_diesel.ttw",
    "transport.van_electric.kwh_per_tkm",
    "transport.cargo_bike.kwh_per_tkm",
    "grid.cn.generation",
    "material.board.primary",
    "material.board.recycled",
    "material.pp.primary",
    "packaging.recycled_share",
    "packaging.box.base_kg",
    "packaging.box.per_product_kg",
    "packaging.reusable.mass_ratio",
    "packaging.reusable.trips",
    "product.spend_cny.default",
)


class MissingFactor(KeyError):
    """The factor set has no row for a key the engine needs."""


# --- inputs ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FactorValue:
    key: str
    value: Decimal
    unit: str
    scope: str
    proxy: bool = False


@dataclass(frozen=True)
class FactorTable:
    version: str
    factors: Mapping[str, FactorValue] = field(hash=False)

    @classmethod
    def from_rows(cls, version: str, rows: Iterable[FactorValue]) -> FactorTable:
        return cls(version=version, factors={row.key: row for row in rows})

    def get(self, key: str) -> FactorValue | None:
        return self.factors.get(key)

    def require(self, key: str) -> FactorValue:
        try:
            return self.factors[key]
        except KeyError as exc:
            raise MissingFactor(key) from exc

    def value(self, key: str) -> Decimal:
        return self.require(key).value

    def missing_keys(self) -> list[str]:
        return [key for key in REQUIRED_KEYS if key not in self.factors]


@dataclass(frozen=True, slots=True)
class Point:
    latitude: Decimal
    longitude: Decimal


@dataclass(frozen=True, slots=True)
class ProductInput:
    product_id: int | None
    category_slug: str
    parent_category_slug: str | None
    weight_grams: int
    unit_price: Decimal
    declared_kg: Decimal | None = None
    declared_document: str = ""
    ships_in_own_box: bool = False


@dataclass(frozen=True, slots=True)
class LineInput:
    product: ProductInput
    quantity: int


@dataclass(frozen=True, slots=True)
class ShipmentInput:
    origin: Point
    vehicle: str
    lines: tuple[LineInput, ...]
    line_haul_mode: str = "hgv"


@dataclass(frozen=True, slots=True)
class OrderInput:
    destination: Point
    packaging: str
    last_mile_km: Decimal
    shipments: tuple[ShipmentInput, ...]


# --- outputs --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProductEstimate:
    kgco2e: Decimal
    tier: str
    factor_key: str
    typical_kgco2e: Decimal
    grade: str


@dataclass(frozen=True, slots=True)
class LineResult:
    shipment: int
    product_id: int | None
    quantity: int
    tier: str
    factor_key: str
    kgco2e: Decimal
    baseline_kgco2e: Decimal


@dataclass(frozen=True, slots=True)
class PackagingResult:
    shipment: int
    choice: str
    box_kg: Decimal
    kgco2e: Decimal
    baseline_kgco2e: Decimal


@dataclass(frozen=True, slots=True)
class LegResult:
    shipment: int
    kind: str  # line_haul, last_mile, return (the reusable shipper going back; counted in packaging)
    mode: str
    distance_km: Decimal
    mass_kg: Decimal
    factor_key: str
    factor_per_tkm: Decimal
    scope: str
    kgco2e: Decimal
    baseline_kgco2e: Decimal
    baseline_factor_key: str
    baseline_scope: str


@dataclass(frozen=True, slots=True)
class LabelResult:
    product_kgco2e: Decimal
    packaging_kgco2e: Decimal
    transport_kgco2e: Decimal
    total_kgco2e: Decimal
    baseline_kgco2e: Decimal
    saving_kgco2e: Decimal
    grade: str
    quality: str
    uncertainty_low: Decimal
    uncertainty_high: Decimal
    engine_version: str
    factor_set_version: str
    lines: tuple[LineResult, ...]
    packaging: tuple[PackagingResult, ...]
    legs: tuple[LegResult, ...]
    notes: tuple[str, ...]
    factor_keys: tuple[str, ...]
