"""Venue search at scale: ``search=`` reads the listing's stored upper-cased text, which a trigram index
serves on PostgreSQL, and the venue (migrations included) still works on SQLite, the embedded default."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from green_venue.models import VenueListing
from green_venue.venue import VenueFilters, VenueQuery
from tests.green_venue.factories import certified_product

ROOT = Path(__file__).resolve().parents[2]


def _plan(query: VenueQuery) -> str:
    where, params = query._rows_sql("l")
    with connection.cursor() as cursor:
        # A test table is tiny, so a scan would win anyway: ask whether the index can serve the search
        # (SET LOCAL ends with the test's transaction).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # leaves bitmap scans: the search's index or none
        table = VenueListing._meta.db_table
        cursor.execute(f"EXPLAIN SELECT l.product_id FROM {table} l WHERE {where}", params)  # noqa: S608
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("search", ["bamboo", "BAMBOO kettle", "电热水壶"])
def test_search_terms_of_three_characters_use_the_trigram_index(search):
    certified_product(name_en="Bamboo kettle", name_zh="竹制电热水壶")
    plan = _plan(VenueQuery(filters=VenueFilters(search=search)))
    assert "venue_listing_search_trgm" in plan, plan
    # The stored text is compared as it is: no UPPER(...) of every row at query time.
    assert "upper(l.search_text" not in plan.lower() and "upper((l.search_text" not in plan.lower()


@pytest.mark.django_db
def test_the_listing_stores_the_search_text_upper_cased():
    product, _ = certified_product(
        name_en="Bamboo kettle", name_zh="竹制电热水壶", description_en="Boils fast"
    )
    row = VenueListing.objects.get(product=product)
    assert "BAMBOO KETTLE" in row.search_text
    assert "竹制电热水壶" in row.search_text
    assert "BOILS FAST" in row.search_text
    product.name_en = "Steel kettle"
    product.save()
    row = VenueListing.objects.get(product=product)  # rewritten in the save's transaction
    assert "STEEL KETTLE" in row.search_text and "BAMBOO" not in row.search_text


SQLITE_SCRIPT = """
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from tests.green_venue.factories import certified_product

call_command("migrate", verbosity=0)
certified_product(name_en="Bamboo kettle", name_zh="竹制电热水壶")
certified_product(name_en="Steel pan", name_zh="不锈钢锅")
client = Client()
cases = (("", 2), ("search=bamboo", 1), ("search=竹制", 1), ("search=KETTLE+竹", 1), ("search=0%25", 0))
for query, expected in cases:
    answer = client.get("/api/v1/venue/products/?" + query, HTTP_HOST="localhost")
    assert answer.status_code == 200, (query, answer.content[:500])
    assert answer.json()["count"] == expected, (query, answer.json()["count"])
    assert len(answer.json()["results"]) == expected
page = client.get("/venue/products/?search=竹制", HTTP_HOST="localhost")
assert page.status_code == 200 and "Bamboo kettle" in page.content.decode()
print("ok")
"""


@pytest.mark.slow
def test_venue_search_works_on_sqlite(tmp_path):
    """Fresh SQLite database: the PostgreSQL-only steps of the migrations are skipped, and listing,
    facets and search (English and two-character Chinese) answer."""
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{tmp_path / 'venue.sqlite3'}",
        DJANGO_SETTINGS_MODULE="marketplace.settings",
        VENUE_CACHE_SECONDS="0",
        PYTHONPATH=str(ROOT),
    )
    result = subprocess.run(
        [sys.executable, "-c", SQLITE_SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")
