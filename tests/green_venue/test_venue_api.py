from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from green_venue.models import CertificateStatus
from green_venue.selectors import marketplace_today
from tests.conftest import client_for
from tests.factories import CategoryFactory, ProductFactory, StaffFactory
from tests.green_venue.factories import (
    SchemeClaimFactory,
    SchemeFactory,
    SchemeGradeFactory,
    certified_product,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/venue/products/"


def _ids(api_client, query: str = "") -> list[int]:
    response = api_client.get(f"{URL}?{query}")
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def test_only_green_certified_products_are_listed_with_their_badges(api_client):
    green, certificate = certified_product(name_en="Fridge")
    ProductFactory()  # not certified
    body = api_client.get(URL).json()
    assert set(body) == {"count", "next", "previous", "results", "facets"}
    assert [item["id"] for item in body["results"]] == [green.pk]
    badge = body["results"][0]["badges"]
    assert badge == [
        {
            "scheme": {"code": certificate.scheme.code, "name": certificate.scheme.name_en},
            "number": certificate.number,
            "grade": None,
            "registry_url": certificate.scheme.registry_url,
            "valid_from": certificate.valid_from.isoformat(),
            "valid_until": certificate.valid_until.isoformat(),
        }
    ]
    assert "green" not in body["results"][0]  # no generic green flag, only named badges


def test_must_hold_products_are_not_in_the_venue(api_client):
    yesterday = marketplace_today() - datetime.timedelta(days=1)
    scheme = SchemeFactory()
    grade_3 = SchemeGradeFactory(scheme=scheme, code="3", qualifies=False)
    certified_product(valid_until=yesterday)
    certified_product(status=CertificateStatus.REVOKED)
    certified_product(status=CertificateStatus.REJECTED)
    certified_product(status=CertificateStatus.SUBMITTED)
    certified_product(scheme=scheme, grade=grade_3)
    body = api_client.get(URL).json()
    assert body["count"] == 0
    assert body["results"] == []
    assert all(not facet for name, facet in body["facets"].items() if name != "price")
    assert all(bucket["count"] == 0 for bucket in body["facets"]["price"])


def test_last_valid_day_is_still_listed(api_client):
    product, _ = certified_product(valid_until=marketplace_today())
    assert _ids(api_client) == [product.pk]


def test_revocation_takes_the_product_out_on_the_next_request(api_client):
    product, certificate = certified_product()
    assert _ids(api_client) == [product.pk]
    response = client_for(StaffFactory()).post(
        f"/api/v1/certificates/{certificate.pk}/revoke/", {"reason": "Withdrawn by issuer"}
    )
    assert response.status_code == 200
    assert _ids(api_client) == []


def test_deactivated_product_leaves_the_venue(api_client):
    product, _ = certified_product()
    product.active = False
    product.save()
    assert _ids(api_client) == []


def test_filters_scheme_claim_category_price(api_client):
    top = CategoryFactory(slug="appliances")
    fridges = CategoryFactory(slug="fridges", parent=top)
    paper = CategoryFactory(slug="paper")
    energy = SchemeFactory(code="energy")
    SchemeClaimFactory(scheme=energy, claim="energy_saving")
    eco = SchemeFactory(code="eco")
    SchemeClaimFactory(scheme=eco, claim="environmentally_friendly")
    fridge, _ = certified_product(
        scheme=energy, category=fridges, scope_slug="appliances", price=Decimal("3000")
    )
    notebook, _ = certified_product(scheme=eco, category=paper, price=Decimal("12.50"))

    assert _ids(api_client, "scheme=energy") == [fridge.pk]
    assert _ids(api_client, "claim=environmentally_friendly") == [notebook.pk]
    assert _ids(api_client, "category=appliances") == [fridge.pk]
    assert _ids(api_client, "category=fridges") == [fridge.pk]
    assert _ids(api_client, "min_price=12.50&max_price=12.50") == [notebook.pk]
    assert _ids(api_client, "min_price=100") == [fridge.pk]
    assert _ids(api_client, "ordering=price") == [notebook.pk, fridge.pk]
    assert _ids(api_client, "ordering=-price") == [fridge.pk, notebook.pk]
    assert _ids(api_client, "scheme=energy&category=paper") == []


def test_scheme_filter_ignores_a_non_qualifying_certificate_of_that_scheme(api_client):
    energy = SchemeFactory(code="energy-graded")
    grade_3 = SchemeGradeFactory(scheme=energy, code="3", qualifies=False)
    product, _ = certified_product()  # green by another scheme
    certified_product(scheme=energy, grade=grade_3, product=product)
    assert _ids(api_client) == [product.pk]
    assert _ids(api_client, "scheme=energy-graded") == []
    badges = api_client.get(URL).json()["results"][0]["badges"]
    assert [b["scheme"]["code"] for b in badges] != ["energy-graded"]
    assert len(badges) == 1


def test_newest_first_by_default(api_client):
    first, _ = certified_product()
    second, _ = certified_product()
    assert _ids(api_client) == [second.pk, first.pk]
    assert _ids(api_client, "ordering=-created") == [second.pk, first.pk]


def test_search_english_and_two_character_chinese(api_client):
    kettle, _ = certified_product(name_en="Electric kettle", name_zh="节能电热水壶")
    certified_product(name_en="Bamboo towel", name_zh="竹纤维毛巾")
    assert _ids(api_client, "search=kettle") == [kettle.pk]
    assert _ids(api_client, "search=KETTLE electric") == [kettle.pk]
    assert _ids(api_client, "search=水壶") == [kettle.pk]
    assert _ids(api_client, "search=节能") == [kettle.pk]
    assert _ids(api_client, "search=冰箱") == []


@pytest.mark.postgres
def test_two_character_chinese_search_on_postgresql(api_client):
    assert connection.vendor == "postgresql"
    product, _ = certified_product(name_en="Fridge", name_zh="一级能效变频冰箱")
    assert _ids(api_client, "search=冰箱") == [product.pk]
    assert _ids(api_client, "search=能效") == [product.pk]


@pytest.mark.parametrize(
    "query",
    [
        "scheme=nope",
        "category=nope",
        "claim=shiny",
        "min_price=abc",
        "min_price=-1",
        "max_price=1e999",
        "min_price=NaN",
        "min_price=10&max_price=5",
        "ordering=name",
        "ordering=-footprint",
        "grade=Z",
        "page=999",
        "page_size=abc&page=x",
        "search=" + "x" * 101,
    ],
)
def test_bad_filter_values_are_400_or_404_never_500(api_client, query):
    certified_product()
    response = api_client.get(f"{URL}?{query}")
    assert response.status_code in (400, 404), (query, response.status_code)
    assert "code" in response.json()


def test_bad_filter_values_are_400(api_client):
    for query in ("scheme=nope", "category=nope", "min_price=abc", "ordering=-footprint", "grade=Z"):
        response = api_client.get(f"{URL}?{query}")
        assert response.status_code == 400, query
        assert response.json()["code"] == "invalid"


def test_facets_with_counts(api_client):
    top = CategoryFactory(slug="home")
    towels = CategoryFactory(slug="towels", parent=top)
    sheets = CategoryFactory(slug="sheets", parent=top)
    gots = SchemeFactory(code="gots-test", name_en="GOTS test")
    SchemeClaimFactory(scheme=gots, claim="organic")
    SchemeClaimFactory(scheme=gots, claim="environmentally_friendly")
    nordic = SchemeFactory(code="nordic-test")
    SchemeClaimFactory(scheme=nordic, claim="environmentally_friendly")
    towel, _ = certified_product(scheme=gots, category=towels, scope_slug="home", price=Decimal("59.00"))
    certified_product(scheme=nordic, product=towel, scope_slug="home")
    certified_product(scheme=gots, category=sheets, scope_slug="home", price=Decimal("499.99"))
    certified_product(scheme=nordic, category=sheets, scope_slug="home", price=Decimal("500.00"))

    facets = api_client.get(URL).json()["facets"]
    assert {f["code"]: f["count"] for f in facets["scheme"]} == {"gots-test": 2, "nordic-test": 2}
    assert {f["code"]: f["count"] for f in facets["claim"]} == {"organic": 2, "environmentally_friendly": 3}
    assert {f["slug"]: f["count"] for f in facets["category"]} == {"home": 3, "towels": 1, "sheets": 2}
    assert [(b["min_price"], b["max_price"], b["count"]) for b in facets["price"]] == [
        (None, "99.99", 1),
        ("100.00", "499.99", 1),
        ("500.00", "1999.99", 1),
        ("2000.00", "4999.99", 0),
        ("5000.00", None, 0),
    ]
    filtered = api_client.get(f"{URL}?scheme=nordic-test").json()["facets"]
    assert {f["code"]: f["count"] for f in filtered["scheme"]} == {"gots-test": 1, "nordic-test": 2}


def test_chinese_names_in_facets_and_badges(api_client):
    product, certificate = certified_product()
    body = api_client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert body["results"][0]["badges"][0]["scheme"]["name"] == certificate.scheme.name_zh
    assert body["facets"]["scheme"][0]["name"] == certificate.scheme.name_zh
    assert body["results"][0]["name"] == product.name_zh


def test_constant_number_of_queries_per_page(api_client):
    scheme = SchemeFactory(code="q-scheme")
    SchemeClaimFactory(scheme=scheme, claim="organic")
    category = CategoryFactory(slug="q-category")

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = api_client.get(f"{URL}?scheme=q-scheme&category=q-category&page_size=50")
        assert response.status_code == 200
        return len(queries)

    certified_product(scheme=scheme, category=category)
    small = measure()
    for _ in range(12):
        product, _cert = certified_product(scheme=scheme, category=category)
        certified_product(product=product)  # a second badge from another scheme
    large = measure()
    assert api_client.get(f"{URL}?scheme=q-scheme&category=q-category").json()["count"] == 13
    assert small == large
    assert large <= 10
