"""Search and facet aids on the venue listing: the products' text for ``search=`` (with a trigram index on
PostgreSQL) and each product's row count (products with one row need no de-duplication in the facets;
a partial index finds the others).

Uncached ``search=`` requests spent most of their time in ``UPPER(...) LIKE`` over every product's four
text columns; the listing now stores that text upper-cased once per write. The GIN trigram index serves
``LIKE '%term%'`` for terms of three characters or more (shorter ones, such as a two-character Chinese
word, scan the listing's stored text, which is still far cheaper than upper-casing every product).
pg_trgm and GIN exist only on PostgreSQL: elsewhere (SQLite) these steps do nothing, as the carbon label
trigger does.
"""

from django.db import migrations, models

CREATE_INDEX = (
    "CREATE INDEX IF NOT EXISTS venue_listing_search_trgm "
    "ON green_venue_venuelisting USING gin (search_text gin_trgm_ops)"
)
DROP_INDEX = "DROP INDEX IF EXISTS venue_listing_search_trgm"


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Not Django's TrigramExtension: its reverse drops the extension, which the catalog's trigram
        # indexes use too; an unused extension left behind is harmless.
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(CREATE_INDEX)


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX)


def rebuild(apps, schema_editor):
    # The live definition of the rows (as in 0003): fills the new columns of existing rows.
    from green_venue.listing import listing_rebuild

    listing_rebuild()


class Migration(migrations.Migration):
    dependencies = [("green_venue", "0003_venue_listing")]

    operations = [
        migrations.AddField(
            model_name="venuelisting",
            name="product_rows",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="venuelisting",
            name="search_text",
            field=models.TextField(default=""),
        ),
        migrations.AddIndex(
            model_name="venuelisting",
            index=models.Index(
                condition=models.Q(("product_rows__gt", 1)), fields=["product"], name="venue_listing_multi"
            ),
        ),
        migrations.RunPython(create_search_index, drop_search_index),
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
