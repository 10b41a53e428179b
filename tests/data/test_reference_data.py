"""The bundled category tree and city list: file contents, the data migration, idempotent loading."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from marketplace.catalog.data import (
    category_slugs,
    load_categories,
    load_cities,
    read_categories,
    read_cities,
    unload_categories,
    unload_cities,
)
from marketplace.catalog.models import Category, City
from tests.factories import MerchantFactory

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
HAN = re.compile(r"[\u4e00-\u9fff]")

# China's bounding box, generously (Hainan's southern tip to Mohe; Xinjiang's west to Fuyuan).
LATITUDE = (Decimal("18"), Decimal("54"))
LONGITUDE = (Decimal("73"), Decimal("135"))

# The capital of each of the 34 provincial-level divisions (municipalities and SARs are their own).
PROVINCIAL_CAPITALS = {
    "Beijing": "beijing",
    "Shanghai": "shanghai",
    "Tianjin": "tianjin",
    "Chongqing": "chongqing",
    "Hebei": "shijiazhuang",
    "Shanxi": "taiyuan",
    "Liaoning": "shenyang",
    "Jilin": "changchun",
    "Heilongjiang": "harbin",
    "Jiangsu": "nanjing",
    "Zhejiang": "hangzhou",
    "Anhui": "hefei",
    "Fujian": "fuzhou",
    "Jiangxi": "nanchang",
    "Shandong": "jinan",
    "Henan": "zhengzhou",
    "Hubei": "wuhan",
    "Hunan": "changsha",
    "Guangdong": "guangzhou",
    "Hainan": "haikou",
    "Sichuan": "chengdu",
    "Guizhou": "guiyang",
    "Yunnan": "kunming",
    "Shaanxi": "xian",
    "Gansu": "lanzhou",
    "Qinghai": "xining",
    "Taiwan": "taipei",
    "Inner Mongolia": "hohhot",
    "Guangxi": "nanning",
    "Tibet": "lhasa",
    "Ningxia": "yinchuan",
    "Xinjiang": "urumqi",
    "Hong Kong SAR": "hong-kong",
    "Macau SAR": "macau",
}

# Slugs other features refer to (certification scopes, carbon factors): renaming one breaks them.
REFERENCED_SLUGS = {
    "refrigerators",
    "air-conditioners",
    "washing-machines",
    "televisions",
    "water-heaters",
    "faucets-showers",
    "toilets",
    "laptops",
    "monitors",
    "lighting",
    "paper-products",
    "furniture",
    "bedding",
    "home-textiles",
    "womens-clothing",
    "mens-clothing",
    "organic-food",
    "tea",
    "baby-food",
    "cleaning-products",
    "cosmetics",
    "toys",
}


# --- the files ------------------------------------------------------------------------------------


def test_category_file_is_a_two_level_tree_of_unique_slugs():
    tops = read_categories()
    assert 15 <= len(tops) <= 22
    slugs = category_slugs()
    assert len(slugs) == len(set(slugs)), "a slug appears twice"
    assert all(SLUG.match(slug) for slug in slugs), [s for s in slugs if not SLUG.match(s)]
    for top in tops:
        assert 4 <= len(top["children"]) <= 8, top["slug"]
        assert all("children" not in child for child in top["children"]), "only two levels"
    assert [top["position"] for top in tops] == list(range(1, len(tops) + 1))


def test_every_category_has_an_english_and_a_chinese_name():
    for top in read_categories():
        for category in (top, *top["children"]):
            assert category["name_en"].strip() and not HAN.search(category["name_en"]), category["slug"]
            assert HAN.search(category["name_zh"]), category["slug"]


def test_category_file_has_the_slugs_other_features_refer_to():
    assert set(category_slugs()) >= REFERENCED_SLUGS


def test_carbon_hints_are_positive_numbers_on_every_category():
    for top in read_categories():
        for category in (top, *top["children"]):
            assert category["typical_footprint_kg_per_kg"] > 0, category["slug"]
            assert category["spend_factor_kg_per_cny"] > 0, category["slug"]


def test_city_file_has_every_provincial_capital_and_the_large_cities():
    cities = {city["slug"]: city for city in read_cities()}
    assert 70 <= len(cities) <= 100
    assert len(cities) == len(read_cities()), "a city slug appears twice"
    for province, slug in PROVINCIAL_CAPITALS.items():
        assert slug in cities, slug
        assert cities[slug]["province_en"] == province
        assert cities[slug]["provincial_capital"] is True
    assert sum(city["provincial_capital"] for city in cities.values()) == len(PROVINCIAL_CAPITALS)
    for slug in ("shenzhen", "dongguan", "foshan", "suzhou", "qingdao", "dalian", "xiamen", "ningbo"):
        assert slug in cities


def test_city_coordinates_lie_in_china_with_five_decimals():
    for city in read_cities():
        latitude, longitude = Decimal(city["latitude"]), Decimal(city["longitude"])
        assert LATITUDE[0] <= latitude <= LATITUDE[1], city["slug"]
        assert LONGITUDE[0] <= longitude <= LONGITUDE[1], city["slug"]
        assert latitude.as_tuple().exponent == -5 and longitude.as_tuple().exponent == -5, city["slug"]
        assert SLUG.match(city["slug"]) and HAN.search(city["name_zh"]) and HAN.search(city["province_zh"])


def test_city_coordinates_put_known_cities_where_they_are():
    cities = {city["slug"]: city for city in read_cities()}

    def position(slug: str) -> tuple[Decimal, Decimal]:
        return Decimal(cities[slug]["latitude"]), Decimal(cities[slug]["longitude"])

    # North of, east of: a swapped pair or a sign slip would break these.
    assert position("harbin")[0] > position("beijing")[0] > position("shanghai")[0] > position("guangzhou")[0]
    assert position("shanghai")[1] > position("chengdu")[1] > position("urumqi")[1]
    assert position("sanya")[0] < position("haikou")[0]


def test_population_ranks_are_unique_and_start_at_one():
    ranks = sorted(city["population_rank"] for city in read_cities() if city["population_rank"] is not None)
    assert ranks == list(range(1, len(ranks) + 1))
    assert {c["slug"] for c in read_cities() if c["population_rank"] in (1, 2)} == {"shanghai", "beijing"}


# --- the data migration ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_migration_seeded_the_tree_in_the_database():
    assert Category.objects.filter(parent__isnull=True, slug__in=category_slugs()).count() == len(
        read_categories()
    )
    assert Category.objects.filter(slug__in=category_slugs()).count() == len(category_slugs())
    # Two levels: no seeded subcategory has children, every subcategory's parent is a top category.
    assert not Category.objects.filter(parent__parent__isnull=False, slug__in=category_slugs()).exists()
    fridge = Category.objects.select_related("parent").get(slug="refrigerators")
    assert (fridge.parent.slug, fridge.name_en, fridge.name_zh) == (
        "home-appliances",
        "Refrigerators",
        "冰箱",
    )


@pytest.mark.django_db
def test_migration_seeded_the_cities_in_the_database():
    assert City.objects.filter(slug__in=[c["slug"] for c in read_cities()]).count() == len(read_cities())
    beijing = City.objects.get(slug="beijing")
    assert (beijing.name_zh, beijing.province_en, beijing.population_rank) == ("北京", "Beijing", 2)
    assert LATITUDE[0] <= beijing.latitude <= LATITUDE[1]


@pytest.mark.django_db
def test_loading_again_creates_nothing_and_repairs_edited_rows():
    Category.objects.filter(slug="tea").update(name_en="Tee", position=99)
    City.objects.filter(slug="xian").update(name_zh="错误")

    categories = load_categories(Category)
    cities = load_cities(City)

    assert (categories.created, categories.updated) == (0, 1)
    assert (cities.created, cities.updated) == (0, 1)
    tea = Category.objects.get(slug="tea")
    assert (tea.name_en, tea.parent.slug) == ("Tea", "food-beverages")
    assert City.objects.get(slug="xian").name_zh == "西安"
    assert load_categories(Category).updated == 0 and load_cities(City).updated == 0


@pytest.mark.django_db
def test_unload_then_load_restores_the_data():
    unload_categories(Category)
    unload_cities(City)
    assert not Category.objects.filter(slug__in=category_slugs()).exists()
    assert not City.objects.exists()

    assert load_categories(Category).created == len(category_slugs())
    assert load_cities(City).created == len(read_cities())


@pytest.mark.django_db
def test_loading_keeps_rows_that_are_not_in_the_file():
    shop = MerchantFactory(city__slug="atlantis")
    load_cities(City)
    assert City.objects.filter(slug="atlantis").exists()
    shop.refresh_from_db()
    assert shop.city.slug == "atlantis"
