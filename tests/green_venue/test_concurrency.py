from __future__ import annotations

import threading

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
