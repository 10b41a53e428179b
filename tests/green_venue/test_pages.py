from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template

from green_venue.models import CertificateStatus
from green_venue.selectors import marketplace_today
from tests.factories import MerchantFactory, StaffFactory, UserFactory
from tests.green_venue.factories import SchemeFactory, certified_product

pytestmark = pytest.mark.django_db


def test_landing_shows_featured_categories_and_badged_products(client):
    product, certificate = certified_product(name_en="Solar lamp")
    certified_product(name_en="Revoked lamp", status=CertificateStatus.REVOKED)
    response = client.get("/venue/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Solar lamp" in html
    assert "Revoked lamp" not in html
    assert certificate.number in html
    assert certificate.scheme.name_en in html
    assert product.category.name_en in html


def test_listing_filters_and_facets(client):
    scheme = SchemeFactory(code="page-scheme", name_en="Page scheme")
    _product, certificate = certified_product(scheme=scheme, name_en="Bamboo chair", name_zh="竹椅")
    certified_product(name_en="Cotton shirt")
    response = client.get("/venue/products/?scheme=page-scheme")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bamboo chair" in html and "Cotton shirt" not in html
    assert certificate.number in html
    assert "Page scheme" in html
    assert (
        "竹椅" in client.get("/venue/products/?search=竹椅", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    )


def test_listing_with_bad_filters_is_400_page(client):
    response = client.get("/venue/products/?min_price=abc")
    assert response.status_code == 400
    assert "min_price" in response.content.decode()


def test_expired_product_is_not_shown_as_green_on_its_product_page_badges():
    product, certificate = certified_product(valid_until=marketplace_today() - datetime.timedelta(days=1))
    html = Template("{% load green_venue %}{% certification_badges product %}").render(
        Context({"product": product})
    )
    assert certificate.number not in html
    good, good_certificate = certified_product()
    html = Template("{% load green_venue %}{% certification_badges product %}").render(
        Context({"product": good})
    )
    assert good_certificate.number in html


def test_review_queue_is_staff_only(client):
    certified_product(status=CertificateStatus.SUBMITTED)
    assert client.get("/staff/certificates/").status_code == 302  # login first
    client.force_login(MerchantFactory().owner)
    assert client.get("/staff/certificates/").status_code == 403
    client.force_login(UserFactory())
    assert client.get("/staff/certificates/").status_code == 403


def test_staff_reject_and_revoke_from_the_queue(client):
    _, submitted = certified_product(status=CertificateStatus.SUBMITTED)
    _, verified = certified_product()
    client.force_login(StaffFactory())
    page = client.get("/staff/certificates/")
    assert submitted.number in page.content.decode()
    response = client.post(
        f"/staff/certificates/{submitted.pk}/reject/", {"reason": "Number unknown to registry"}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == CertificateStatus.REJECTED
    client.post(f"/staff/certificates/{verified.pk}/revoke/", {"reason": "Withdrawn"})
    verified.refresh_from_db()
    assert verified.status == CertificateStatus.REVOKED
    assert verified.review_entries.last().reason == "Withdrawn"


def test_merchant_cannot_use_the_review_actions(client):
    product, submitted = certified_product(status=CertificateStatus.SUBMITTED)
    client.force_login(product.merchant.owner)
    assert client.post(f"/staff/certificates/{submitted.pk}/reject/", {"reason": "x"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == CertificateStatus.SUBMITTED


def test_merchant_certificates_page_lists_own_and_notices(client):
    from green_venue.services import certificates_warn_expiring

    product, mine = certified_product(valid_until=marketplace_today() + datetime.timedelta(days=3))
    _, theirs = certified_product()
    certificates_warn_expiring()
    client.force_login(product.merchant.owner)
    html = client.get("/merchant/certificates/").content.decode()
    assert mine.number in html
    assert theirs.number not in html
    assert "expires on" in html
