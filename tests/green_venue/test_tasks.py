from __future__ import annotations

import datetime

import pytest

from green_venue.models import CertificateNotice, CertificateReviewEntry, CertificateStatus
from green_venue.selectors import marketplace_today
from green_venue.services import certificates_expire, certificates_warn_expiring
from green_venue.tasks import certificates_daily
from tests.conftest import client_for
from tests.green_venue.factories import certified_product

pytestmark = pytest.mark.django_db


def test_daily_task_expires_after_the_last_valid_day_and_logs_it():
    today = marketplace_today()
    _, ends_today = certified_product(valid_until=today)
    _, ended = certified_product(valid_until=today - datetime.timedelta(days=1))
    _, pending = certified_product(
        valid_until=today - datetime.timedelta(days=3), status=CertificateStatus.SUBMITTED
    )
    _, revoked = certified_product(
        valid_until=today - datetime.timedelta(days=3), status=CertificateStatus.REVOKED
    )

    result = certificates_daily.delay().get()
    assert result["expired"] == 2
    for certificate, expected in (
        (ends_today, CertificateStatus.VERIFIED),
        (ended, CertificateStatus.EXPIRED),
        (pending, CertificateStatus.EXPIRED),
        (revoked, CertificateStatus.REVOKED),
    ):
        certificate.refresh_from_db()
        assert certificate.status == expected
    entry = CertificateReviewEntry.objects.get(certificate=ended)
    assert (entry.action, entry.from_status, entry.to_status, entry.actor) == (
        "expired",
        "verified",
        "expired",
        None,
    )
    assert CertificateNotice.objects.filter(certificate=ended, kind="expired").count() == 1
    # Running again changes nothing.
    assert certificates_expire() == 0
    assert CertificateReviewEntry.objects.filter(certificate=ended).count() == 1


def test_expiry_is_in_the_marketplace_time_zone(settings, monkeypatch):
    from django.utils import timezone

    from green_venue.selectors import green_certified_q
    from marketplace.catalog.models import Product

    settings.TIME_ZONE = "Asia/Shanghai"
    last_day = datetime.date(2026, 6, 1)
    product, certificate = certified_product(valid_until=last_day)
    certificate.valid_from = datetime.date(2026, 1, 1)
    certificate.save()
    # 15:30 UTC on the last day is 23:30 in Shanghai: still valid, and the task leaves it alone.
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 6, 1, 15, 30, tzinfo=datetime.UTC))
    assert marketplace_today() == last_day
    assert Product.objects.filter(green_certified_q(), pk=product.pk).exists()
    assert certificates_expire() == 0
    # 23:30 UTC on the last day is already 07:30 the next day in Shanghai: out of the venue at once.
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 6, 1, 23, 30, tzinfo=datetime.UTC))
    assert marketplace_today() == datetime.date(2026, 6, 2)
    assert not Product.objects.filter(green_certified_q(), pk=product.pk).exists()
    assert certificates_expire() == 1


def test_thirty_day_warning_once_and_listed_for_the_merchant():
    today = marketplace_today()
    product, soon = certified_product(valid_until=today + datetime.timedelta(days=30))
    certified_product(valid_until=today + datetime.timedelta(days=31))
    certified_product(valid_until=today + datetime.timedelta(days=5), status=CertificateStatus.SUBMITTED)
    assert certificates_warn_expiring() == 1
    assert certificates_warn_expiring() == 0
    notices = client_for(product.merchant.owner).get("/api/v1/certificate-notices/").json()["results"]
    assert [(n["certificate"], n["kind"], n["valid_until"]) for n in notices] == [
        (soon.pk, "expiring_soon", soon.valid_until.isoformat())
    ]
    # Another merchant sees none of it.
    _, other = certified_product()
    assert client_for(other.merchant.owner).get("/api/v1/certificate-notices/").json()["count"] == 0


def test_renewed_certificate_gets_a_new_warning_for_its_new_end():
    today = marketplace_today()
    _, certificate = certified_product(valid_until=today + datetime.timedelta(days=10))
    assert certificates_warn_expiring() == 1
    certificate.valid_until = today + datetime.timedelta(days=20)
    certificate.save()
    assert certificates_warn_expiring() == 1
