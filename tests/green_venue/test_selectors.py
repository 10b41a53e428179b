from __future__ import annotations

import datetime

import pytest

from green_venue.models import CertificateStatus
from green_venue.selectors import green_certified_product_ids, green_certified_q, marketplace_today
from marketplace.catalog.models import Product
from tests.factories import CategoryFactory, ProductFactory
from tests.green_venue.factories import SchemeFactory, SchemeGradeFactory, certified_product

pytestmark = pytest.mark.django_db


def _green_ids(on=None) -> set[int]:
    return set(Product.objects.filter(green_certified_q(on=on)).values_list("pk", flat=True))


def test_verified_in_date_certificate_in_scope_makes_a_product_green():
    product, _ = certified_product()
    ProductFactory()  # no certificate
    assert _green_ids() == {product.pk}
    assert green_certified_product_ids(product_ids=[product.pk]) == {product.pk}


def test_scope_on_a_top_category_includes_its_subcategories():
    top = CategoryFactory(slug="appliances-top")
    child = CategoryFactory(slug="fridges-child", parent=top)
    product, _ = certified_product(category=child, scope_slug="appliances-top")
    assert _green_ids() == {product.pk}


def test_scheme_that_does_not_apply_to_the_category_does_not_count():
    product, _ = certified_product(scope_slug="some-other-category")
    assert _green_ids() == set()
    assert green_certified_product_ids(product_ids=[product.pk]) == set()


@pytest.mark.parametrize(
    "status",
    [
        CertificateStatus.SUBMITTED,
        CertificateStatus.REJECTED,
        CertificateStatus.REVOKED,
        CertificateStatus.EXPIRED,
    ],
)
def test_only_verified_certificates_count(status):
    certified_product(status=status)
    assert _green_ids() == set()


def test_valid_until_is_inclusive_and_yesterday_is_out():
    today = marketplace_today()
    last_day, _ = certified_product(valid_until=today)
    expired, _ = certified_product(valid_until=today - datetime.timedelta(days=1))
    assert _green_ids() == {last_day.pk}
    assert _green_ids(on=today + datetime.timedelta(days=1)) == set()
    assert expired.pk in _green_ids(on=today - datetime.timedelta(days=1))


def test_certificate_not_yet_valid_does_not_count():
    _product, certificate = certified_product()
    certificate.valid_from = marketplace_today() + datetime.timedelta(days=1)
    certificate.save()
    assert _green_ids() == set()


def test_non_qualifying_grade_does_not_count():
    scheme = SchemeFactory()
    grade_1 = SchemeGradeFactory(scheme=scheme, code="1", qualifies=True)
    grade_3 = SchemeGradeFactory(scheme=scheme, code="3", qualifies=False)
    good, _ = certified_product(scheme=scheme, grade=grade_1)
    certified_product(scheme=scheme, grade=grade_3)
    assert _green_ids() == {good.pk}


def test_inactive_product_or_merchant_is_not_green():
    inactive, _ = certified_product()
    inactive.active = False
    inactive.save()
    suspended, _ = certified_product()
    suspended.merchant.status = "suspended"
    suspended.merchant.save()
    assert _green_ids() == set()


def test_inactive_scheme_does_not_count():
    _product, certificate = certified_product()
    certificate.scheme.active = False
    certificate.scheme.save()
    assert _green_ids() == set()


def test_one_good_certificate_is_enough_among_bad_ones():
    product, _ = certified_product(status=CertificateStatus.REVOKED)
    certified_product(product=product)
    assert _green_ids() == {product.pk}
    # No duplicates from several certificates or scope rows.
    assert Product.objects.filter(green_certified_q()).count() == 1


def test_empty_ids_need_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert green_certified_product_ids(product_ids=[]) == set()
