"""Seed the category tree and the city list from marketplace/catalog/data/*.json (idempotent by slug).

A later change to the data files ships as a new migration that calls the same loaders again.
"""

from django.db import migrations

from marketplace.catalog.data import load_categories, load_cities, unload_categories, unload_cities


def seed(apps, schema_editor):
    load_categories(apps.get_model("catalog", "Category"))
    load_cities(apps.get_model("catalog", "City"))


def unseed(apps, schema_editor):
    unload_categories(apps.get_model("catalog", "Category"))
    unload_cities(apps.get_model("catalog", "City"))


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
