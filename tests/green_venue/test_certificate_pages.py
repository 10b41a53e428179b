"""The merchant's pages to submit a certificate and upload its evidence."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from green_venue.models import Certificate, CertificateStatus, EvidenceFile
from tests.factories import CategoryFactory, MerchantFactory, ProductFactory, StaffFactory, UserFactory
from tests.green_venue.factories import CertificateFactory, SchemeCategoryFactory, SchemeFactory

pytestmark = pytest.mark.django_db

NEW = "/merchant/certificates/new/"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _evidence_url(certificate_id: int) -> str:
    return f"/merchant/certificates/{certificate_id}/evidence/"


@pytest.fixture
def shop():
    merchant = MerchantFactory()
    category = CategoryFactory()
    scheme = SchemeFactory(code="page-scheme")
    SchemeCategoryFactory(scheme=scheme, category_slug=category.slug)
    product = ProductFactory(merchant=merchant, category=category, name_en="Solar kettle")
    client = Client()
    client.force_login(merchant.owner)
    return merchant, scheme, product, client


def _form(scheme, product, **changes):
    data = {
        "scheme": scheme.code,
        "number": "TS-1234",
        "holder": "Solar Kettles Ltd",
        "valid_from": "2026-01-01",
        "valid_until": "2027-01-01",
        "products": [product.pk],
    }
    data.update(changes)
    return data


def test_merchant_submits_then_uploads_evidence(shop):
    merchant, scheme, product, client = shop
    listing = client.get("/merchant/certificates/").content.decode()
    assert NEW in listing
    page = client.get(NEW)
    assert page.status_code == 200
    assert "Solar kettle" in page.content.decode()

    response = client.post(NEW, _form(scheme, product))
    certificate = Certificate.objects.get(merchant=merchant)
    assert response.status_code == 302
    assert response["Location"] == _evidence_url(certificate.pk)
    assert certificate.status == CertificateStatus.SUBMITTED
    assert list(certificate.products.all()) == [product]

    upload = SimpleUploadedFile("certificate.pdf", PDF, content_type="application/pdf")
    response = client.post(_evidence_url(certificate.pk), {"file": upload})
    assert response.status_code == 302
    assert response["Location"] == _evidence_url(certificate.pk)
    evidence = EvidenceFile.objects.get(certificate=certificate)
    assert evidence.content_type == "application/pdf"
    page = client.get(_evidence_url(certificate.pk)).content.decode()
    assert "certificate.pdf" in page
    assert "Evidence added" in page


def test_errors_are_shown_next_to_their_fields(shop):
    _merchant, scheme, product, client = shop
    response = client.post(NEW, _form(scheme, product, number="not-a-number"))
    assert response.status_code == 200
    assert not Certificate.objects.exists()
    html = response.content.decode()
    number_field = html.split('id="id_number_errors"', 1)[1].split("</ul>", 1)[0]
    assert "does not match the format" in number_field

    response = client.post(NEW, _form(scheme, product, valid_from="2027-01-01", valid_until="2026-01-01"))
    until_field = response.content.decode().split('id="id_valid_until_errors"', 1)[1].split("</ul>", 1)[0]
    assert "must not be before" in until_field
    assert not Certificate.objects.exists()


def test_upload_that_is_not_pdf_or_image_is_refused_next_to_the_field(shop):
    merchant, scheme, _product, client = shop
    certificate = CertificateFactory(merchant=merchant, scheme=scheme, status=CertificateStatus.SUBMITTED)
    upload = SimpleUploadedFile("notes.txt", b"just some text", content_type="application/pdf")
    response = client.post(_evidence_url(certificate.pk), {"file": upload})
    assert response.status_code == 200
    file_field = response.content.decode().split('id="id_file_errors"', 1)[1].split("</ul>", 1)[0]
    assert "PDF or an image" in file_field
    assert not EvidenceFile.objects.exists()


def test_cannot_cover_another_shops_product(shop):
    _merchant, scheme, _product, client = shop
    foreign = ProductFactory(category=_product.category)
    response = client.post(NEW, _form(scheme, foreign))
    assert response.status_code == 200
    assert 'id="id_products_errors"' in response.content.decode()
    assert not Certificate.objects.exists()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(NEW)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_users_without_a_shop_get_403(client):
    for user in (UserFactory(), StaffFactory()):
        client.force_login(user)
        assert client.get(NEW).status_code == 403
        assert client.post(NEW, {}).status_code == 403


def test_another_shops_certificate_is_404(shop):
    _merchant, scheme, _product, client = shop
    other = CertificateFactory(scheme=scheme, status=CertificateStatus.SUBMITTED)
    assert client.get(_evidence_url(other.pk)).status_code == 404
    upload = SimpleUploadedFile("certificate.pdf", PDF, content_type="application/pdf")
    assert client.post(_evidence_url(other.pk), {"file": upload}).status_code == 404
    assert client.get(_evidence_url(999_999)).status_code == 404
    assert not EvidenceFile.objects.exists()


def test_posts_without_a_csrf_token_are_refused(shop):
    merchant, scheme, product, _client = shop
    client = Client(enforce_csrf_checks=True)
    client.force_login(merchant.owner)
    assert client.post(NEW, _form(scheme, product)).status_code == 403
    certificate = CertificateFactory(merchant=merchant, scheme=scheme, status=CertificateStatus.SUBMITTED)
    upload = SimpleUploadedFile("certificate.pdf", PDF, content_type="application/pdf")
    assert client.post(_evidence_url(certificate.pk), {"file": upload}).status_code == 403
    assert Certificate.objects.count() == 1
    assert not EvidenceFile.objects.exists()
