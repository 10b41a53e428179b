"""Trigram indexes for catalog search on PostgreSQL.

The catalog's ``search`` (the ``/search/`` page and ``GET /products/?search=``) is ``icontains`` on the
English and Chinese names, which Django writes as ``UPPER("catalog_product"."name_en"::text) LIKE
UPPER('%term%')``: a GIN trigram index on exactly that expression serves it for terms of three
characters or more, instead of upper-casing every product's names (shorter terms, such as a
two-character Chinese word, still scan). pg_trgm and GIN exist only on PostgreSQL: elsewhere (SQLite)
these steps do nothing, as the carbon label trigger does.
"""

from django.db import migrations

INDEXES = {
    "catalog_product_name_en_trgm": "name_en",
    "catalog_product_name_zh_trgm": "name_zh",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Not Django's TrigramExtension: its reverse drops the extension, which the venue's trigram index
    # uses too; an unused extension left behind is harmless.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON catalog_product USING gin (UPPER({column}) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_seed_categories_and_cities")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
