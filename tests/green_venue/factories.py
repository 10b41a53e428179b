from __future__ import annotations

import datetime
from typing import Any

import factory
from factory.django import DjangoModelFactory

from green_venue.models import (
    Certificate,
    CertificateProduct,
    CertificateStatus,
    CertificationScheme,
    SchemeCategory,
    SchemeClaim,
    SchemeGrade,
)
from green_venue.selectors import marketplace_today
from tests.factories import CategoryFactory, MerchantFactory, ProductFactory


class SchemeFactory(DjangoModelFactory):
    class Meta:
        model = CertificationScheme
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"test-scheme-{n}")
    name_en = factory.Sequence(lambda n: f"Test scheme {n}")
    name_zh = factory.Sequence(lambda n: f"测试认证{n}")
    issuer_en = "Test issuer"
    authority_type = "independent"
    subject_level = "product"
    number_pattern = r"TS-\d{4}"
    number_example = "TS-0001"
    registry_url = "https://registry.example.com/"
    default_validity_days = 365


class SchemeCategoryFactory(DjangoModelFactory):
    class Meta:
        model = SchemeCategory

    scheme = factory.SubFactory(SchemeFactory)
    category_slug = factory.LazyFunction(lambda: CategoryFactory().slug)


class SchemeClaimFactory(DjangoModelFactory):
    class Meta:
        model = SchemeClaim

    scheme = factory.SubFactory(SchemeFactory)
    claim = "environmentally_friendly"


class SchemeGradeFactory(DjangoModelFactory):
    class Meta:
        model = SchemeGrade
        django_get_or_create = ("scheme", "code")

    scheme = factory.SubFactory(SchemeFactory)
    code = "1"
    name_en = factory.LazyAttribute(lambda o: f"Grade {o.code}")
    qualifies = True


class CertificateFactory(DjangoModelFactory):
    class Meta:
        model = Certificate

    merchant = factory.SubFactory(MerchantFactory)
    scheme = factory.SubFactory(SchemeFactory)
    number = factory.Sequence(lambda n: f"TS-{n:04d}")
    holder = factory.LazyAttribute(lambda o: o.merchant.name)
    grade = None
    valid_from = factory.LazyFunction(lambda: marketplace_today() - datetime.timedelta(days=30))
    valid_until = factory.LazyFunction(lambda: marketplace_today() + datetime.timedelta(days=300))
    status = CertificateStatus.VERIFIED
    submitted_by = factory.LazyAttribute(lambda o: o.merchant.owner)


def certified_product(
    *,
    scheme: Any = None,
    category: Any = None,
    scope_slug: str | None = None,
    status: str = CertificateStatus.VERIFIED,
    grade: Any = None,
    valid_until: datetime.date | None = None,
    product: Any = None,
    **product_kwargs: Any,
) -> tuple[Any, Any]:
    """A product with one certificate of a scheme scoped to its category (or to ``scope_slug``).

    Returns (product, certificate).
    """
    scheme = scheme or SchemeFactory()
    if product is None:
        category = category or CategoryFactory()
        product = ProductFactory(category=category, **product_kwargs)
    slug = scope_slug or product.category.slug
    SchemeCategory.objects.get_or_create(scheme=scheme, category_slug=slug)
    extra = {"valid_until": valid_until} if valid_until else {}
    if valid_until and valid_until < marketplace_today():
        extra["valid_from"] = valid_until - datetime.timedelta(days=100)
    certificate: Any = CertificateFactory(
        merchant=product.merchant, scheme=scheme, status=status, grade=grade, **extra
    )
    CertificateProduct.objects.create(certificate=certificate, product=product)
    return product, certificate
