"""The carbon engine without a database: a worked example by hand, scopes, baseline and properties."""

from __future__ import annotations

import os
from dataclasses import replace
from decimal import ROUND_DOWN, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carbon import engine
from carbon.engine import (
    SCOPE_GENERATION,
    SCOPE_TTW,
    SCOPE_WTW,
    LineInput,
    OrderInput,
    Point,
    ProductInput,
    ShipmentInput,
    compute_label,
)
from carbon.factor_data import default_factor_table, load_factor_set_data

FACTORS = default_factor_table()
SHANGHAI = Point(Decimal("31.23040"), Decimal("121.47370"))
BEIJING = Point(Decimal("39.90420"), Decimal("116.40740"))
GUANGZHOU = Point(Decimal("23.12910"), Decimal("113.26440"))
THREE = Decimal("0.001")


def _3(value: Decimal) -> Decimal:
    """Three places as a hand calculation writes them (truncated: 0.15 x 1.110292 = 0.16654 is 0.166)."""
    return value.quantize(THREE, rounding=ROUND_DOWN)


def _product(**overrides: object) -> ProductInput:
    values: dict[str, object] = {
        "product_id": 1,
        "category_slug": "kettles",
        "parent_category_slug": "home-appliances",
        "weight_grams": 1000,
        "unit_price": Decimal("199.00"),
    }
    values.update(overrides)
    return ProductInput(**values)


def _order(
    *,
    packaging: str = "standard",
    vehicle: str = "diesel_van",
    origin: Point = BEIJING,
    destination: Point = SHANGHAI,
    products: tuple[ProductInput, ...] | None = None,
    quantity: int = 1,
) -> OrderInput:
    lines = tuple(LineInput(product=p, quantity=quantity) for p in (products or (_product(),)))
    return OrderInput(
        destination=destination,
        packaging=packaging,
        last_mile_km=Decimal(15),
        shipments=(ShipmentInput(origin=origin, vehicle=vehicle, lines=lines),),
    )


# --- a worked example by hand ---------------------------------------------------------------------


def test_worked_example_packaging_line_haul_and_last_mile():
    # 1.0 kg product in a 0.15 kg box with 88% recycled board.
    box = engine.box_mass_kg(Decimal("1.0"), FACTORS)
    assert box == Decimal("0.15")
    packaging = engine.material_kgco2e(
        mass_kg=box,
        recycled_share=FACTORS.value("packaging.recycled_share"),
        primary=FACTORS.value("material.board.primary"),
        recycled=FACTORS.value("material.board.recycled"),
    )
    assert _3(packaging) == Decimal("0.166")
    shipped = Decimal("1.15")
    k = FACTORS.value("transport.road_distance_factor")
    line_haul = engine.transport_kgco2e(
        mass_kg=shipped, distance_km=Decimal(1200) * k, factor_per_tkm=FACTORS.value("transport.hgv.wtw")
    )
    assert _3(line_haul) == Decimal("0.181")
    last_mile = engine.transport_kgco2e(
        mass_kg=shipped, distance_km=Decimal(15) * k, factor_per_tkm=FACTORS.value("transport.van_diesel.wtw")
    )
    assert _3(last_mile) == Decimal("0.014")
    assert (packaging + line_haul + last_mile).quantize(Decimal("0.01")) == Decimal("0.36")


def test_worked_example_through_the_whole_label():
    # Same-city shipment: no line haul; the recycled box and the 15 km last mile of the example.
    label = compute_label(_order(packaging="recycled", origin=SHANGHAI), FACTORS)
    assert _3(label.packaging_kgco2e) == Decimal("0.166")
    (leg,) = label.legs
    assert (leg.kind, leg.scope, leg.mass_kg) == ("last_mile", SCOPE_WTW, Decimal("1.15"))
    assert _3(leg.kgco2e) == Decimal("0.014")
    # Kettles fall back to their parent, home appliances: 6.5 kgCO2e per kg of product, category tier.
    assert label.product_kgco2e == Decimal("6.5000")
    assert label.lines[0].tier == "category"


def test_line_haul_uses_great_circle_times_road_factor():
    label = compute_label(_order(), FACTORS)
    line_haul = next(leg for leg in label.legs if leg.kind == "line_haul")
    great_circle = engine.great_circle_km(BEIJING, SHANGHAI)
    assert Decimal(1060) < great_circle < Decimal(1075)  # Beijing-Shanghai is about 1,067 km
    assert line_haul.distance_km == great_circle * Decimal("1.05")
    assert line_haul.scope == SCOPE_WTW
    assert "distance_estimated_great_circle" in label.notes


# --- baseline, saving, grade ------------------------------------------------------------------------


def test_an_ordinary_order_grades_c_with_no_saving():
    label = compute_label(_order(), FACTORS)
    assert label.total_kgco2e == label.baseline_kgco2e
    assert label.saving_kgco2e == 0
    assert label.grade == "C"


def test_declared_lower_footprint_recycled_box_and_cargo_bike_move_toward_a():
    product = _product(declared_kg=Decimal("2.0"), declared_document="https://example.com/epd.pdf")
    label = compute_label(_order(products=(product,), packaging="recycled", vehicle="cargo_bike"), FACTORS)
    assert label.lines[0].tier == "declared"
    assert label.saving_kgco2e > 0
    assert label.total_kgco2e + label.saving_kgco2e == label.baseline_kgco2e
    assert label.grade == "A"


def test_declared_footprint_without_document_is_not_used():
    product = _product(declared_kg=Decimal("0.1"), declared_document="")
    label = compute_label(_order(products=(product,)), FACTORS)
    assert label.lines[0].tier == "category"


def test_unknown_category_falls_back_to_spend_based_and_says_so():
    product = _product(category_slug="mystery", parent_category_slug=None, unit_price=Decimal("100.00"))
    label = compute_label(_order(products=(product,)), FACTORS)
    assert label.lines[0].tier == "spend"
    assert label.lines[0].factor_key == "product.spend_cny.default"
    assert label.product_kgco2e > 0  # missing data is never zero
    assert label.quality == "low"
    assert "product_default_spend_factor" in label.notes


def test_electric_van_is_generation_only_and_compared_with_diesel_ttw():
    label = compute_label(_order(vehicle="electric_van"), FACTORS)
    last_mile = next(leg for leg in label.legs if leg.kind == "last_mile")
    assert last_mile.scope == SCOPE_GENERATION
    assert last_mile.baseline_scope == SCOPE_TTW
    # 1.125 kWh/tkm x 0.5366 kgCO2/kWh, about 0.60: only about 5% below the diesel van's TTW 0.631.
    assert last_mile.factor_per_tkm.quantize(Decimal("0.01")) == Decimal("0.60")
    ratio = last_mile.kgco2e / last_mile.baseline_kgco2e
    assert Decimal("0.9") < ratio < Decimal("1")
    # The UK grid figure is never used for China.
    assert "transport.van_bev_uk.wtw" not in label.factor_keys
    assert "last_mile_generation_only_scope" in label.notes
    assert label.quality == "low"  # category tier (medium), dropped one level for the partial scope


def test_reusable_box_counts_its_return_leg_in_packaging():
    label = compute_label(_order(packaging="reusable"), FACTORS)
    returns = [leg for leg in label.legs if leg.kind.startswith("return_")]
    assert {leg.kind for leg in returns} == {"return_line_haul", "return_last_mile"}
    (item,) = label.packaging
    pp_share = item.kgco2e - sum(leg.kgco2e for leg in returns)
    assert pp_share == (item.box_kg * Decimal("2.5776") / 20).quantize(engine.KG)
    assert label.transport_kgco2e == sum(
        leg.kgco2e for leg in label.legs if not leg.kind.startswith("return_")
    )


def test_no_box_only_when_every_product_ships_in_its_own_box():
    own = _product(ships_in_own_box=True)
    assert compute_label(_order(packaging="none", products=(own,)), FACTORS).packaging_kgco2e == 0
    fallback = compute_label(_order(packaging="none"), FACTORS)
    assert fallback.packaging[0].choice == "standard"
    assert "packaging_none_not_possible_standard_box_assumed" in fallback.notes
    assert set(engine.packaging_estimates(_order(products=(own,)), FACTORS)) == {
        "standard",
        "recycled",
        "reusable",
        "none",
    }
    assert "none" not in engine.packaging_estimates(_order(), FACTORS)


def test_uncertainty_range_contains_the_total_and_widens_with_worse_data():
    declared = _product(declared_kg=Decimal("10.0"), declared_document="https://example.com/epd.pdf")
    good = compute_label(_order(products=(declared,)), FACTORS)
    poor = compute_label(_order(products=(_product(category_slug="x", parent_category_slug=None),)), FACTORS)
    for label in (good, poor):
        assert label.uncertainty_low <= label.total_kgco2e <= label.uncertainty_high
    assert good.quality == "high"
    good_width = (good.uncertainty_high - good.uncertainty_low) / good.total_kgco2e
    poor_width = (poor.uncertainty_high - poor.uncertainty_low) / poor.total_kgco2e
    assert good_width < poor_width


@pytest.mark.parametrize(
    ("ratio", "grade"),
    [("0.6", "A"), ("0.61", "B"), ("0.85", "B"), ("1.15", "C"), ("1.5", "D"), ("1.51", "E")],
)
def test_grade_bounds(ratio, grade):
    assert engine.grade_for_ratio(Decimal(ratio)) == grade


def test_product_estimate_for_the_venue():
    typical = engine.product_estimate(_product(), FACTORS)
    assert (typical.tier, typical.grade, typical.kgco2e) == ("category", "C", Decimal("6.5000"))
    low = engine.product_estimate(
        _product(declared_kg=Decimal("3.0"), declared_document="https://example.com/pcf.pdf"), FACTORS
    )
    assert (low.tier, low.grade) == ("declared", "A")


def test_every_default_factor_row_has_source_scope_and_table():
    data = load_factor_set_data()
    assert FACTORS.missing_keys() == []
    assert all(row["source"] and row["scope"] and row["table"] for row in data["factors"])
    assert FACTORS.value("grid.cn.generation") == Decimal("0.5366")


def test_label_never_uses_floats():
    label = compute_label(_order(), FACTORS)
    for value in (
        label.total_kgco2e,
        label.baseline_kgco2e,
        label.uncertainty_high,
        *[leg.kgco2e for leg in label.legs],
    ):
        assert isinstance(value, Decimal)


# --- properties ---------------------------------------------------------------------------------------

latitudes = st.decimals(min_value=Decimal("18"), max_value=Decimal("53"), places=4)
longitudes = st.decimals(min_value=Decimal("73"), max_value=Decimal("135"), places=4)
points = st.builds(Point, latitudes, longitudes)
products = st.builds(
    ProductInput,
    product_id=st.integers(1, 1000),
    category_slug=st.sampled_from(["kettles", "tees", "novel", "unknown"]),
    parent_category_slug=st.sampled_from(["home-appliances", "clothing", "books", None]),
    weight_grams=st.integers(1, 50_000),
    unit_price=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2),
    declared_kg=st.one_of(st.none(), st.decimals(min_value=0, max_value=Decimal("500"), places=3)),
    declared_document=st.sampled_from(["", "https://example.com/epd.pdf"]),
    ships_in_own_box=st.booleans(),
)
shipments = st.builds(
    ShipmentInput,
    origin=points,
    vehicle=st.sampled_from(engine.VEHICLES),
    lines=st.lists(
        st.builds(LineInput, product=products, quantity=st.integers(1, 20)), min_size=1, max_size=4
    ).map(tuple),
    line_haul_mode=st.sampled_from(engine.LINE_HAUL_MODES),
)
orders = st.builds(
    OrderInput,
    destination=points,
    packaging=st.sampled_from(engine.PACKAGING_CHOICES),
    last_mile_km=st.integers(1, 100).map(Decimal),
    shipments=st.lists(shipments, min_size=1, max_size=3).map(tuple),
)


@given(orders)
def test_breakdown_sums_to_the_total(order):
    label = compute_label(order, FACTORS)
    assert label.product_kgco2e + label.packaging_kgco2e + label.transport_kgco2e == label.total_kgco2e
    assert sum(line.kgco2e for line in label.lines) == label.product_kgco2e
    assert sum(item.kgco2e for item in label.packaging) == label.packaging_kgco2e
    assert label.baseline_kgco2e - label.saving_kgco2e == label.total_kgco2e
    assert label.uncertainty_low <= label.total_kgco2e <= label.uncertainty_high
    assert label.grade in "ABCDE"


@given(
    mass=st.decimals(min_value=0, max_value=Decimal("100"), places=4),
    share=st.decimals(min_value=0, max_value=1, places=3),
)
def test_recycled_board_never_emits_more_than_virgin_of_the_same_mass(mass, share):
    primary, recycled = FACTORS.value("material.board.primary"), FACTORS.value("material.board.recycled")
    virgin = engine.material_kgco2e(
        mass_kg=mass, recycled_share=Decimal(0), primary=primary, recycled=recycled
    )
    mixed = engine.material_kgco2e(mass_kg=mass, recycled_share=share, primary=primary, recycled=recycled)
    assert mixed <= virgin


@given(order=orders)
def test_recycled_box_label_never_emits_more_packaging_than_standard(order):
    standard = compute_label(replace(order, packaging="standard"), FACTORS)
    recycled = compute_label(replace(order, packaging="recycled"), FACTORS)
    assert recycled.packaging_kgco2e <= standard.packaging_kgco2e
    assert recycled.total_kgco2e <= standard.total_kgco2e


@given(order=orders, extra_km=st.integers(0, 500))
def test_a_longer_last_mile_never_emits_less(order, extra_km):
    near = compute_label(order, FACTORS)
    far = compute_label(replace(order, last_mile_km=order.last_mile_km + extra_km), FACTORS)
    assert far.transport_kgco2e >= near.transport_kgco2e
    assert far.total_kgco2e >= near.total_kgco2e


@given(
    mass=st.decimals(min_value=Decimal("0.001"), max_value=Decimal("1000"), places=3),
    near=st.decimals(min_value=0, max_value=Decimal("5000"), places=1),
    extra=st.decimals(min_value=0, max_value=Decimal("5000"), places=1),
)
def test_a_longer_distance_never_emits_less(mass, near, extra):
    factor = FACTORS.value("transport.hgv.wtw")
    a = engine.transport_kgco2e(mass_kg=mass, distance_km=near, factor_per_tkm=factor)
    b = engine.transport_kgco2e(mass_kg=mass, distance_km=near + extra, factor_per_tkm=factor)
    assert b >= a


@given(origin=points, destination=points)
def test_a_farther_origin_on_the_same_meridian_never_emits_less(origin, destination):
    # Moving the origin farther north of a destination to its south lengthens the great circle.
    dest = Point(Decimal("18"), origin.longitude)
    near = Point(origin.latitude, origin.longitude)
    far = Point(min(Decimal("53"), origin.latitude + 5), origin.longitude)
    base = _order(origin=near, destination=dest)
    assert (
        compute_label(
            replace(base, shipments=(replace(base.shipments[0], origin=far),)), FACTORS
        ).total_kgco2e
        >= compute_label(base, FACTORS).total_kgco2e
    )


def test_ci_profile_is_derandomised():
    from hypothesis import settings

    if os.environ.get("CI", "").lower() == "true":
        assert settings().derandomize


def test_a_proxy_product_factor_is_flagged_on_the_label():
    label = compute_label(_order(), FACTORS)
    assert FACTORS.require("product.category_kg.home-appliances").proxy
    assert "product_factor_is_an_estimate" in label.notes


def test_every_catalog_category_has_factors():
    import json
    from pathlib import Path

    tree = json.loads((Path(__file__).parents[2] / "marketplace/catalog/data/categories.json").read_text())
    slugs = [top["slug"] for top in tree["categories"]] + [
        child["slug"] for top in tree["categories"] for child in top.get("children", [])
    ]
    assert slugs
    for slug in slugs:
        assert FACTORS.get(f"product.category_kg.{slug}") is not None, slug
        assert FACTORS.get(f"product.spend_cny.{slug}") is not None, slug


def test_the_engine_imports_no_django():
    import subprocess
    import sys

    code = (
        "import sys, carbon.engine, carbon.factor_data; "
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('django', 'rest_framework', 'celery')]; "
        "assert not loaded, loaded"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_beat_entries_name_registered_tasks():
    from django.conf import settings

    from marketplace.celery import app

    app.loader.import_default_modules()
    for entry in ("carbon-sweep-unlabelled", "carbon-product-footprints-refresh"):
        assert settings.CELERY_BEAT_SCHEDULE[entry]["task"] in app.tasks
    task = app.tasks["carbon.label_batch"]
    assert task.acks_late and task.reject_on_worker_lost and task.max_retries == 5


def test_an_order_without_products_is_never_high_quality():
    label = compute_label(
        OrderInput(destination=SHANGHAI, packaging="standard", last_mile_km=Decimal(15), shipments=()),
        FACTORS,
    )
    assert (label.total_kgco2e, label.quality) == (0, "low")
