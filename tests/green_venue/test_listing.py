"""The denormalised venue listing stays exact: every path that changes "green certified" shows at once,
with the venue cache off and on, and the listing always equals its definition over the source tables."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from carbon.models import FactorSet, ProductFootprint
from green_venue import services
from green_venue.listing import COLUMNS, listing_rebuild, listing_source
from green_venue.models import CertificateStatus, VenueListing
from green_venue.selectors import green_certified_product_ids, marketplace_today
from green_venue.services import FootprintForVenue, venue_footprints_publish
from marketplace.catalog.models import Category
from merchants.alliance.models import MembershipStatus
from tests.factories import CategoryFactory, StaffFactory
from tests.green_venue.factories import SchemeGradeFactory, certified_product
from tests.merchants.alliance.factories import active_member

pytestmark = pytest.mark.django_db

URL = "/api/v1/venue/products/"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(params=[0, 300], ids=["cache-off", "cache-on"])
def cache_seconds(request, settings):
    settings.VENUE_CACHE_SECONDS = request.param
    return request.param


def _ids(api_client, query: str = "") -> list[int]:
    response = api_client.get(f"{URL}?{query}")
    assert response.status_code == 200, response.content
    return sorted(item["id"] for item in response.json()["results"])


def _facet_total(api_client, query: str = "") -> int:
    return api_client.get(f"{URL}?{query}").json()["count"]


def assert_listing_exact() -> None:
    """The stored rows are exactly what the definition over the source tables gives."""
    stored = set(VenueListing.objects.values_list(*COLUMNS))
    assert stored == set(listing_source())


def _assert_listed(api_client, product_ids: list[int]) -> None:
    assert _ids(api_client) == sorted(product_ids)
    assert _facet_total(api_client) == len(product_ids)
    # The venue agrees with the one definition of "green certified" in the selectors.
    assert green_certified_product_ids(product_ids=product_ids) == set(product_ids)
    assert_listing_exact()


def test_every_path_shows_at_once(api_client, cache_seconds, monkeypatch):
    staff = StaffFactory()
    product, certificate = certified_product(status=CertificateStatus.SUBMITTED)
    other, _ = certified_product()
    _assert_listed(api_client, [other.pk])

    # verify (with evidence uploaded by the merchant)
    services.certificate_add_evidence(
        certificate=certificate,
        user=product.merchant.owner,
        upload=SimpleUploadedFile("c.pdf", PDF, content_type="application/pdf"),
    )
    services.certificate_verify(certificate=certificate, user=staff)
    _assert_listed(api_client, [product.pk, other.pk])

    # revoke
    certificate.refresh_from_db()
    services.certificate_revoke(certificate=certificate, user=staff, reason="Registry says withdrawn")
    _assert_listed(api_client, [other.pk])

    # reject (a second, submitted certificate of the product never shows)
    _p, submitted = certified_product(product=product, status=CertificateStatus.SUBMITTED)
    _assert_listed(api_client, [other.pk])
    services.certificate_reject(certificate=submitted, user=staff, reason="Number not in the registry")
    _assert_listed(api_client, [other.pk])

    # product deactivated, then active again
    other.active = False
    other.save()
    _assert_listed(api_client, [])
    other.active = True
    other.save()
    _assert_listed(api_client, [other.pk])

    # merchant suspended, then active again
    other.merchant.status = "suspended"
    other.merchant.save()
    _assert_listed(api_client, [])
    other.merchant.status = "active"
    other.merchant.save()
    _assert_listed(api_client, [other.pk])

    # category changed to one the scheme does not cover, then back
    covered = other.category
    other.category = CategoryFactory()
    other.save()
    _assert_listed(api_client, [])
    other.category = covered
    other.save()
    _assert_listed(api_client, [other.pk])

    # expiry by date: no write at all, the next day it is gone
    expiring, _ = certified_product(valid_until=marketplace_today())
    _assert_listed(api_client, [other.pk, expiring.pk])
    later = timezone.now() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert _ids(api_client) == [other.pk]
    assert _facet_total(api_client) == 1


def test_grade_and_scope_changes_of_the_scheme_show_at_once(api_client, cache_seconds):
    grade = SchemeGradeFactory(code="1", qualifies=True)
    product, certificate = certified_product(scheme=grade.scheme, grade=grade)
    _assert_listed(api_client, [product.pk])
    grade.qualifies = False
    grade.save()
    _assert_listed(api_client, [])
    grade.qualifies = True
    grade.save()
    _assert_listed(api_client, [product.pk])
    # A scope on the top category covers its subcategories; removing it removes the product.
    certificate.scheme.category_scopes.all().delete()
    _assert_listed(api_client, [])


def test_subcategory_is_covered_by_a_scope_on_its_top_category(api_client, cache_seconds):
    top = CategoryFactory()
    sub = CategoryFactory(parent=top)
    product, _ = certified_product(category=sub, scope_slug=top.slug)
    _assert_listed(api_client, [product.pk])
    assert _ids(api_client, f"category={top.slug}") == [product.pk]
    assert _ids(api_client, f"category={sub.slug}") == [product.pk]
    renamed = Category.objects.get(pk=top.pk)
    renamed.slug = "renamed-top"
    renamed.save()  # the scope names the old slug: the scheme no longer applies
    _assert_listed(api_client, [])


def test_certificate_products_added_and_removed_through_the_relation(api_client, cache_seconds):
    product, certificate = certified_product()
    second, _ = certified_product(category=product.category)
    certificate.products.add(second)
    certificate.products.remove(product)
    assert set(VenueListing.objects.filter(certificate=certificate).values_list("product_id", flat=True)) == {
        second.pk
    }
    certificate.products.clear()
    assert not VenueListing.objects.filter(certificate=certificate).exists()
    assert_listing_exact()


def test_rebuild_gives_the_same_rows():
    certified_product()
    certified_product(status=CertificateStatus.SUBMITTED)
    before = set(VenueListing.objects.values_list("product_id", "certificate_id"))
    listing_rebuild()
    assert set(VenueListing.objects.values_list("product_id", "certificate_id")) == before
    assert len(before) == 1


def _footprint(product, kg: str, grade: str) -> ProductFootprint:
    """A stored estimate, pushed into the venue as the carbon app's refresh does."""
    factor_set = FactorSet.objects.filter(is_active=True).first() or FactorSet.objects.create(
        version="venue-test", is_active=True
    )
    footprint = ProductFootprint.objects.create(
        product=product,
        factor_set=factor_set,
        kgco2e=Decimal(kg),
        typical_kgco2e=Decimal("10"),
        tier="category",
        factor_key="test",
        grade=grade,
        computed_at=timezone.now(),
    )
    venue_footprints_publish(
        footprints=[FootprintForVenue(product.pk, factor_set.version, Decimal(kg), "category", grade)]
    )
    return footprint


def test_grade_filter_facet_footprint_ordering_and_card_field(api_client):
    low, _ = certified_product()
    high, _ = certified_product()
    none, _ = certified_product()
    _footprint(low, "1.500", "A")
    _footprint(high, "25.000", "D")
    body = api_client.get(f"{URL}?ordering=footprint").json()
    assert [item["id"] for item in body["results"]] == [low.pk, high.pk, none.pk]  # no estimate last
    assert body["results"][0]["footprint"] == {"kgco2e": "1.5000", "tier": "category", "grade": "A"}
    assert body["results"][2]["footprint"] is None
    assert body["facets"]["grade"] == [{"code": "A", "count": 1}, {"code": "D", "count": 1}]
    assert _ids(api_client, "grade=D") == [high.pk]
    assert api_client.get(f"{URL}?grade=D").json()["count"] == 1
    assert api_client.get(f"{URL}?grade=Q").status_code == 400


def test_footprint_shown_on_venue_cards(client):
    product, _ = certified_product()
    _footprint(product, "3.250", "B")
    page = client.get("/venue/products/").content.decode()
    assert "3.250 kgCO2e per unit" in page


def test_member_badge_and_suspended_member_loses_it_on_the_next_request(api_client, settings):
    settings.VENUE_CACHE_SECONDS = 300
    product, _ = certified_product()
    outsider, _ = certified_product()
    membership = active_member(merchant=product.merchant)
    flags = {item["id"]: item["alliance_member"] for item in api_client.get(URL).json()["results"]}
    assert flags == {product.pk: True, outsider.pk: False}
    membership.status = MembershipStatus.SUSPENDED
    membership.save()
    flags = {item["id"]: item["alliance_member"] for item in api_client.get(URL).json()["results"]}
    assert flags == {product.pk: False, outsider.pk: False}


def test_landing_shows_a_strip_of_alliance_members_products(client):
    member_product, _ = certified_product(name_en="Member kettle")
    certified_product(name_en="Outsider kettle")
    page = client.get("/venue/").content.decode()
    assert "From green alliance members" not in page
    active_member(merchant=member_product.merchant)
    page = client.get("/venue/").content.decode()
    strip = page.split("From green alliance members", 1)[1].split("</section>", 1)[0]
    assert "Member kettle" in strip
    assert "Outsider kettle" not in strip
    assert "Green alliance member" in strip


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_fast_rows_equal_the_documented_serializer(language):
    from django.utils import translation

    from green_venue.venue import venue_badges
    from green_venue.venue_apis import VenueProductSerializer, venue_product_rows_by_id
    from marketplace.catalog.models import Product

    grade = SchemeGradeFactory(code="1", qualifies=True)
    product, _ = certified_product(scheme=grade.scheme, grade=grade, name_zh="节能冰箱")
    certified_product(product=product)
    plain, _ = certified_product()
    _footprint(product, "12.3456", "C")
    active_member(merchant=product.merchant)
    ids = [plain.pk, product.pk]
    with translation.override(language):
        by_id = Product.objects.select_related(
            "merchant", "merchant__city", "category", "category__parent", "venue_footprint"
        ).in_bulk(ids)
        products = [by_id[pk] for pk in ids]
        badges = venue_badges(product_ids=ids)
        members = {product.merchant_id}
        fast = venue_product_rows_by_id(ids, on=marketplace_today(), alliance_members=members)
        context = {"badges": badges, "alliance_members": members}
        slow = VenueProductSerializer(products, many=True, context=context).data
    assert fast == [dict(row) for row in slow]
    assert [len(row["badges"]) for row in fast] == [1, 2]
    assert fast[1]["footprint"]["grade"] == "C"


def test_sql_form_of_the_filters_equals_the_orm_form():
    from green_venue.venue import ORDERINGS, VenueFilters, VenueQuery
    from tests.green_venue.factories import SchemeClaimFactory, SchemeFactory

    top = CategoryFactory()
    sub = CategoryFactory(parent=top)
    organic = SchemeFactory(code="sql-organic")
    SchemeClaimFactory(scheme=organic, claim="organic")
    energy = SchemeFactory(code="sql-energy")
    SchemeClaimFactory(scheme=energy, claim="energy_saving")
    products = []
    for index in range(8):
        product, _ = certified_product(
            scheme=organic if index % 2 else energy,
            category=sub if index % 3 else top,
            scope_slug=top.slug,
            price=Decimal(50 + 300 * index),
            name_en=f"Kettle {index}" if index % 2 else f"Lamp {index}",
        )
        products.append(product)
    certified_product(product=products[2], scheme=organic, scope_slug=top.slug)  # both schemes
    certified_product(product=products[4], scheme=energy, scope_slug=top.slug)  # the same scheme twice
    # One listed once and one listed twice, with text that tests the search's case folding, Chinese
    # and LIKE's wildcards (which must match literally).
    special, _ = certified_product(
        scheme=organic, category=sub, scope_slug=top.slug, name_en="Cotton tote 100% recycled_fibre"
    )
    special.name_zh, special.description_zh = "有机棉购物袋", "再生纤维 节能生产"
    special.save()
    certified_product(product=special, scheme=energy, scope_slug=top.slug)
    plain, _ = certified_product(scheme=energy, category=sub, scope_slug=top.slug, name_en="Tote 100 percent")
    plain.description_en = "Recycled fibre"
    plain.save()
    _footprint(products[1], "2.0000", "A")
    _footprint(products[2], "9.0000", "C")
    filter_sets = [
        VenueFilters(),
        VenueFilters(scheme="sql-organic", scheme_id=organic.pk),
        VenueFilters(scheme="sql-organic"),
        VenueFilters(claim="energy_saving"),
        VenueFilters(scheme="sql-organic", scheme_id=organic.pk, claim="energy_saving"),
        VenueFilters(category_id=top.pk, category_is_top=True),
        VenueFilters(category_id=sub.pk),
        VenueFilters(min_price=Decimal(300), max_price=Decimal(1500)),
        VenueFilters(search="kettle"),
        VenueFilters(search="KeTTle 3"),
        VenueFilters(search="节能"),
        VenueFilters(search="购物袋 TOTE"),
        VenueFilters(search="100%"),
        VenueFilters(search="0%"),
        VenueFilters(search="d_f"),
        VenueFilters(search="_"),
        VenueFilters(search="recycled fibre"),
        VenueFilters(search="tote", claim="organic"),
        VenueFilters(search="tote", scheme="sql-energy", scheme_id=energy.pk, claim="organic"),
        VenueFilters(grade="A"),
    ]
    for filters in filter_sets:
        for ordering in ORDERINGS:
            query = VenueQuery(filters=VenueFilters(**{**filters.__dict__, "ordering": ordering}))
            expected = query.page_ids_orm(0, 50)
            assert query.page_ids(0, 50) == expected, (filters, ordering)
            assert query.page_ids(1, 3) == expected[1:3], (filters, ordering)
            facets = query.facets()
            assert sum(bucket["count"] for bucket in facets["price"]) == len(expected), filters
            assert _facet_counts(facets) == _facet_counts_orm(query), filters
    both = VenueQuery(filters=VenueFilters(scheme="sql-organic", scheme_id=organic.pk, claim="energy_saving"))
    assert sorted(both.page_ids(0, 50)) == sorted([products[2].pk, special.pk])
    assert VenueQuery(filters=VenueFilters(search="0%")).page_ids(0, 50) == [special.pk]
    assert VenueQuery(filters=VenueFilters(search="节能")).page_ids(0, 50) == [special.pk]


def _facet_counts(facets: dict) -> dict:
    return {
        "scheme": {entry["code"]: entry["count"] for entry in facets["scheme"]},
        "claim": {entry["code"]: entry["count"] for entry in facets["claim"]},
        "category": {entry["slug"]: entry["count"] for entry in facets["category"]},
        "price": [bucket["count"] for bucket in facets["price"]],
    }


def _facet_counts_orm(query) -> dict:
    """The facets counted product by product from the ORM form of the query (the definition)."""
    from collections import Counter

    from green_venue.venue import PRICE_BUCKETS
    from marketplace.catalog.models import Product

    all_rows = query._all_rows_of_result()
    schemes = Counter(code for code, _ in set(all_rows.values_list("scheme__code", "product_id")))
    claim_pairs = all_rows.filter(scheme__claims__isnull=False).values_list(
        "scheme__claims__claim", "product_id"
    )
    claims = Counter(claim for claim, _ in set(claim_pairs))
    products = list(
        Product.objects.filter(pk__in=query.rows().values("product_id")).select_related("category__parent")
    )
    categories: Counter[str] = Counter()
    for product in products:
        categories[product.category.slug] += 1
        if product.category.parent:
            categories[product.category.parent.slug] += 1
    prices = [
        sum(1 for p in products if (low is None or p.price >= low) and (high is None or p.price < high))
        for low, high in PRICE_BUCKETS
    ]
    return {"scheme": dict(schemes), "claim": dict(claims), "category": dict(categories), "price": prices}
