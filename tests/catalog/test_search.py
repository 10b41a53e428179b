"""Catalog search (the ``/search/`` page and ``GET /products/?search=``): names in either language,
any case, served by trigram indexes on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection

from marketplace.catalog import selectors
from marketplace.catalog.models import Product
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_search_finds_either_name_in_any_case_and_two_chinese_characters(client, api_client):
    kettle = ProductFactory(name_en="Electric Kettle", name_zh="节能电热水壶")
    ProductFactory(name_en="Bamboo towel", name_zh="竹纤维毛巾")
    for text in ("kettle", "ELECTRIC kettle", "水壶", "热水壶"):
        answer = api_client.get("/api/v1/products/", {"search": text})
        assert [item["id"] for item in answer.json()["results"]] == [kettle.pk], text
        assert "Electric Kettle" in client.get("/search/", {"q": text}).content.decode()
    assert api_client.get("/api/v1/products/", {"search": "冰箱"}).json()["count"] == 0
    # LIKE's wildcards are matched literally.
    assert api_client.get("/api/v1/products/", {"search": "%"}).json()["count"] == 0


@pytest.mark.postgres
@pytest.mark.parametrize("text,index", [("kettle", "name_en"), ("电热水壶", "name_zh")])
def test_search_is_served_by_the_trigram_indexes(text, index):
    ProductFactory(name_en="Electric kettle", name_zh="节能电热水壶")
    queryset = Product.objects.filter(selectors.product_name_search_q(text)).order_by().values("pk")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # A test table is tiny, so a scan would win anyway: ask whether the indexes can serve the search
        # (SET LOCAL ends with the test's transaction).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # leaves bitmap scans: the search's index or none
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"catalog_product_{index}_trgm" in plan, plan
