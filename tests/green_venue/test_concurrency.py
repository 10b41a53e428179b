from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from green_venue.models import Certificate
from green_venue.selectors import marketplace_today
from green_venue.services import DuplicateCertificate, certificate_submit
from tests.factories import CategoryFactory, MerchantFactory, ProductFactory
from tests.green_venue.factories import SchemeCategoryFactory, SchemeFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_merchants_submitting_the_same_number_at_once_get_one_live_certificate():
    category = CategoryFactory()
    scheme = SchemeFactory(number_pattern=r"TS-\d{4}")
    SchemeCategoryFactory(scheme=scheme, category_slug=category.slug)
    merchants = [MerchantFactory() for _ in range(4)]
    products = [ProductFactory(merchant=m, category=category) for m in merchants]
    barrier = threading.Barrier(len(merchants))
    outcomes: list[str] = []
    lock = threading.Lock()

    def submit(index: int) -> None:
        try:
            barrier.wait()
            try:
                certificate_submit(
                    user=merchants[index].owner,
                    scheme=scheme,
                    number="TS-7777",
                    holder="Holder",
                    valid_from=marketplace_today(),
                    valid_until=marketplace_today(),
                    product_ids=[products[index].pk],
                )
                result = "created"
            except DuplicateCertificate:
                result = "duplicate"
            with lock:
                outcomes.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(len(merchants))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["created", "duplicate", "duplicate", "duplicate"]
    assert Certificate.objects.filter(number="TS-7777").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writes_to_one_product_leave_the_venue_listing_exact():
    """A revocation, a shop suspension and a price change of the same product at once: each recomputes
    the product's listing rows under its lock, so the rows end as the source tables say."""
    from green_venue.listing import listing_source
    from green_venue.models import CertificateStatus, VenueListing
    from merchants.models import Merchant
    from tests.green_venue.factories import certified_product

    product, certificate = certified_product()
    _same, second = certified_product(product=product)
    barrier = threading.Barrier(3)
    errors: list[BaseException] = []

    def revoke() -> None:
        row = Certificate.objects.get(pk=certificate.pk)
        row.status = CertificateStatus.REVOKED
        row.save()

    def suspend() -> None:
        shop = Merchant.objects.get(pk=product.merchant_id)
        shop.status = "suspended"
        shop.save()

    def reprice() -> None:
        from marketplace.catalog.models import Product

        row = Product.objects.get(pk=product.pk)
        row.price = "42.00"
        row.save()

    def run(work) -> None:
        try:
            barrier.wait()
            work()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in (revoke, suspend, reprice)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    stored = set(
        VenueListing.objects.values_list(
            "product_id",
            "certificate_id",
            "scheme_id",
            "merchant_id",
            "category_id",
            "top_category_id",
            "price",
            "created_at",
            "valid_from",
            "valid_until",
        )
    )
    assert stored == set(listing_source()) == set()  # suspended shop: nothing listed
    shop = Merchant.objects.get(pk=product.merchant_id)
    shop.status = "active"
    shop.save()
    rows = list(VenueListing.objects.values_list("certificate_id", "price"))
    assert rows == [(second.pk, Decimal("42.00"))]
