"""Bundled reference data: the category tree and the city list, loaded idempotently by slug.

The loaders take the model classes as arguments so the data migration can pass its historical models
and the demo command the current ones. Loading twice changes nothing; loading after the file gained
rows adds them and brings names and positions of existing rows up to date. Rows that are not in the
file are left alone (a shop may point at them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent
CATEGORIES_FILE = DATA_DIR / "categories.json"
CITIES_FILE = DATA_DIR / "cities.json"

CATEGORY_FIELDS = ("name_en", "name_zh", "position", "parent_id")
CITY_FIELDS = ("name_en", "name_zh", "province_en", "province_zh", "latitude", "longitude", "population_rank")


@dataclass(frozen=True, slots=True)
class LoadResult:
    created: int
    updated: int


@cache
def read_categories() -> tuple[dict[str, Any], ...]:
    """Top categories as in the file, each with its ``children`` list."""
    with CATEGORIES_FILE.open(encoding="utf-8") as fh:
        return tuple(json.load(fh)["categories"])


@cache
def read_cities() -> tuple[dict[str, Any], ...]:
    with CITIES_FILE.open(encoding="utf-8") as fh:
        return tuple(json.load(fh)["cities"])


def category_slugs() -> list[str]:
    """Every slug of the file, top categories before their children."""
    slugs: list[str] = []
    for top in read_categories():
        slugs.append(top["slug"])
        slugs.extend(child["slug"] for child in top["children"])
    return slugs


def _upsert(model: Any, rows: dict[str, dict[str, Any]], fields: tuple[str, ...]) -> LoadResult:
    existing = {obj.slug: obj for obj in model.objects.filter(slug__in=list(rows))}
    to_create = [model(slug=slug, **values) for slug, values in rows.items() if slug not in existing]
    to_update = []
    for slug, obj in existing.items():
        values = rows[slug]
        if any(getattr(obj, field) != values[field] for field in fields):
            for field in fields:
                setattr(obj, field, values[field])
            to_update.append(obj)
    model.objects.bulk_create(to_create)
    if to_update:
        model.objects.bulk_update(to_update, list(fields))
    return LoadResult(created=len(to_create), updated=len(to_update))


def load_categories(category_model: Any) -> LoadResult:
    tops = read_categories()
    top_rows = {
        top["slug"]: {
            "name_en": top["name_en"],
            "name_zh": top["name_zh"],
            "position": top["position"],
            "parent_id": None,
        }
        for top in tops
    }
    first = _upsert(category_model, top_rows, CATEGORY_FIELDS)
    parent_ids = dict(category_model.objects.filter(slug__in=list(top_rows)).values_list("slug", "id"))
    child_rows = {
        child["slug"]: {
            "name_en": child["name_en"],
            "name_zh": child["name_zh"],
            "position": child["position"],
            "parent_id": parent_ids[top["slug"]],
        }
        for top in tops
        for child in top["children"]
    }
    second = _upsert(category_model, child_rows, CATEGORY_FIELDS)
    return LoadResult(created=first.created + second.created, updated=first.updated + second.updated)


def unload_categories(category_model: Any) -> None:
    """Delete the file's categories, children first (fails if a product still uses one)."""
    slugs = category_slugs()
    category_model.objects.filter(slug__in=slugs, parent__isnull=False).delete()
    category_model.objects.filter(slug__in=slugs).delete()


def load_cities(city_model: Any) -> LoadResult:
    rows = {
        city["slug"]: {
            "name_en": city["name_en"],
            "name_zh": city["name_zh"],
            "province_en": city["province_en"],
            "province_zh": city["province_zh"],
            "latitude": Decimal(city["latitude"]),
            "longitude": Decimal(city["longitude"]),
            "population_rank": city["population_rank"],
        }
        for city in read_cities()
    }
    return _upsert(city_model, rows, CITY_FIELDS)


def unload_cities(city_model: Any) -> None:
    """Delete the file's cities (fails if a shop still names one)."""
    city_model.objects.filter(slug__in=[city["slug"] for city in read_cities()]).delete()
