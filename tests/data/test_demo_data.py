"""``manage.py load_demo_data``: a believable marketplace, the same on every run, created once."""

from __future__ import annotations

import random
import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from marketplace.accounts.models import User
from marketplace.catalog.data import read_categories
from marketplace.catalog.models import MAX_PRICE, MAX_WEIGHT_GRAMS, Category, Product
from marketplace.demo.catalog import product_spec, retail_price
from marketplace.demo.people import SHOPS
from marketplace.demo.product_data import TEMPLATES
from marketplace.demo.steps import DemoContext, demo_credentials, run_demo
from merchants.models import Merchant


def load_demo(*args: str) -> str:
    out = StringIO()
    call_command("load_demo_data", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "merchants": Merchant.objects.count(),
        "products": Product.objects.count(),
        "categories": Category.objects.count(),
    }


def demo_products() -> list[tuple[str, str, str]]:
    return sorted(
        Product.objects.filter(merchant__owner__username__startswith="demo_").values_list(
            "merchant__name", "name_en", "price"
        )
    )


def broken_step(ctx: DemoContext) -> None:
    raise RuntimeError("step failed")


@pytest.fixture
def demo(db) -> str:
    return load_demo()


# --- pure parts -----------------------------------------------------------------------------------


def test_every_subcategory_has_sane_templates():
    subcategories = {child["slug"] for top in read_categories() for child in top["children"]}
    assert set(TEMPLATES) == subcategories
    for slug, templates in TEMPLATES.items():
        for template in templates:
            assert 0 < template.price[0] <= template.price[1] <= MAX_PRICE, (slug, template.noun_en)
            assert 0 < template.weight[0] <= template.weight[1] <= MAX_WEIGHT_GRAMS, (slug, template.noun_en)
            assert all(size.count("|") == 1 for size in template.sizes), (slug, template.noun_en)
            assert 0 <= template.own_box <= 1


def test_product_specs_are_valid_products_in_both_languages():
    rng = random.Random(1)
    for slug in TEMPLATES:
        for _ in range(5):
            spec = product_spec(
                rng, subcategory=slug, brand_en="Testa", brand_zh="测试", city_en="Hefei", city_zh="合肥"
            )
            assert spec.name_en.startswith("Testa ") and spec.name_zh.startswith("测试")
            assert spec.price > 0 and re.fullmatch(r"\d*9|\d{1,2}\.90", str(spec.price)), spec.price
            assert 0 < spec.weight_grams <= MAX_WEIGHT_GRAMS
            assert (spec.declared_footprint_kg is None) == (spec.declared_footprint_document == "")
            assert "Hefei" in spec.description_en and "合肥" in spec.description_zh


def test_retail_prices_look_like_shop_prices():
    assert str(retail_price(39)) == "39.90"
    assert str(retail_price(123)) == "129"
    assert str(retail_price(6912)) == "6999"


# --- the command ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_builds_a_believable_marketplace(demo):
    shops = Merchant.objects.filter(owner__username__startswith="demo_merchant")
    assert shops.count() == len(SHOPS) >= 30
    assert len({shop.owner_id for shop in shops}) == shops.count()
    assert shops.values("city").distinct().count() >= 20
    assert set(shops.values_list("last_mile_vehicle", flat=True)) == {
        "diesel_van",
        "electric_van",
        "cargo_bike",
    }

    products = Product.objects.filter(merchant__in=shops)
    assert products.count() >= 500
    assert not products.filter(category__parent__isnull=True).exists(), "products sit in subcategories"
    assert not products.filter(name_zh="").exists() and not products.filter(description_zh="").exists()
    assert products.values("category").distinct().count() >= 100
    assert 0 < products.filter(ships_in_own_box=True).count() < products.count()
    with_footprint = products.filter(declared_footprint_kg__isnull=False)
    assert 3 <= with_footprint.count() <= 50
    assert not with_footprint.filter(declared_footprint_document="").exists()
    assert min(shops.annotate(n=Count("products")).values_list("n", flat=True)) >= 10

    assert User.objects.filter(username__startswith="demo_shopper", merchant__isnull=True).count() == 20
    staff = User.objects.get(username="demo_admin")
    assert staff.is_staff and staff.is_superuser


@pytest.mark.django_db
def test_demo_products_pass_model_validation(demo):
    for product in Product.objects.order_by("id")[::7]:
        product.full_clean()


@pytest.mark.django_db
def test_running_twice_creates_nothing_new(demo):
    before = counts()
    names_before = demo_products()

    output = load_demo()

    assert counts() == before
    assert demo_products() == names_before
    assert "Created: nothing new" in output


@pytest.mark.django_db
def test_the_same_data_is_generated_every_time(demo):
    first = demo_products()
    # Products the demo's past orders bought stay (order lines protect them); the rest is made again.
    Product.objects.filter(merchant__owner__username__startswith="demo_", order_lines__isnull=True).delete()

    load_demo()

    assert demo_products() == first


@pytest.mark.django_db
def test_missing_rows_are_filled_in_without_duplicates(demo):
    before = counts()
    Product.objects.filter(merchant__owner__username="demo_merchant03", order_lines__isnull=True).delete()

    load_demo()

    assert counts() == before


@pytest.mark.django_db
def test_printed_credentials_are_demo_only_and_sign_in(demo):
    assert "DEMO ONLY" in demo
    for role, username, password in demo_credentials():
        assert username in demo and password in demo
        user = authenticate(username=username, password=password)
        assert user is not None and user.role == role


@pytest.mark.django_db
def test_a_failing_step_leaves_nothing_behind():
    before = counts()

    with pytest.raises(RuntimeError, match="step failed"):
        run_demo(
            DemoContext(out=StringIO(), err=StringIO()),
            steps=[
                "marketplace.demo.people.load_people",
                "marketplace.demo.catalog.load_products",
                "tests.data.test_demo_data.broken_step",
            ],
        )
    assert counts() == before


@pytest.mark.django_db
def test_scale_is_refused_clearly_without_postgresql(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        load_demo("--scale", "--products", "10")
    assert not Product.objects.exists()


@pytest.mark.django_db
def test_sizes_without_scale_are_refused():
    with pytest.raises(CommandError, match="add --scale"):
        load_demo("--products", "10")
