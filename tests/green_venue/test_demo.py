from __future__ import annotations

import re

import pytest
from django.db.models import Q

from green_venue.models import Certificate, CertificationScheme
from green_venue.selectors import green_certified_q
from green_venue.services import normalise_number
from marketplace.catalog.models import Category, Product
from marketplace.demo.certificates import NUMBER_FORMATS, certify_products
from tests.factories import CategoryFactory, MerchantFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_every_seeded_scheme_has_a_number_format_matching_its_pattern():
    for scheme in CertificationScheme.objects.all():
        for serial in (0, 7, 123_456, 999_999):
            number = normalise_number(NUMBER_FORMATS[scheme.code](serial))
            assert re.fullmatch(scheme.number_pattern, number), (scheme.code, number)


def test_demo_certifies_a_third_and_every_pick_is_green():
    fridges = Category.objects.filter(slug="refrigerators").first() or CategoryFactory(slug="refrigerators")
    merchant = MerchantFactory()
    products = [ProductFactory(merchant=merchant, category=fridges) for _ in range(30)]
    condition = Q(pk__in=[p.pk for p in products])
    created = certify_products(condition)
    assert created >= 1
    green = Product.objects.filter(green_certified_q(), condition).count()
    assert green == 10
    assert certify_products(condition) == 0  # idempotent
    assert Certificate.objects.count() == created
