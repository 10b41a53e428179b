"""Reference data first: the demo works even on a database whose seeded rows were flushed."""

from __future__ import annotations

from marketplace.catalog.data import load_categories, load_cities
from marketplace.catalog.models import Category, City
from marketplace.demo.context import DemoContext


def load_reference_data(ctx: DemoContext) -> None:
    ctx.count("categories", load_categories(Category).created)
    ctx.count("cities", load_cities(City).created)
