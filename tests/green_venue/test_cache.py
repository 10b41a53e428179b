from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from green_venue.cache import VERSION_KEY, venue_version
from green_venue.models import CertificateStatus
from green_venue.selectors import marketplace_today
from tests.green_venue.factories import certified_product

pytestmark = pytest.mark.django_db

URL = "/api/v1/venue/products/"


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.VENUE_CACHE_SECONDS = 300


def _ids(api_client, query: str = "") -> list[int]:
    return [item["id"] for item in api_client.get(f"{URL}?{query}").json()["results"]]


def test_a_repeated_request_is_answered_from_the_cache(api_client):
    product, _ = certified_product()
    assert _ids(api_client) == [product.pk]
    with CaptureQueriesContext(connection) as queries:
        assert _ids(api_client) == [product.pk]
    assert len(queries) == 0


def test_every_relevant_write_shows_on_the_next_request(api_client):
    product, certificate = certified_product()
    assert _ids(api_client) == [product.pk]
    product.price = "12.34"
    product.save()
    assert api_client.get(URL).json()["results"][0]["price"] == "12.34"
    product.merchant.status = "suspended"
    product.merchant.save()
    assert _ids(api_client) == []
    product.merchant.status = "active"
    product.merchant.save()
    assert _ids(api_client) == [product.pk]
    certificate.status = CertificateStatus.REVOKED
    certificate.save()
    assert _ids(api_client) == []


def test_scope_change_shows_on_the_next_request(api_client):
    product, certificate = certified_product()
    assert _ids(api_client) == [product.pk]
    certificate.scheme.category_scopes.all().delete()
    assert _ids(api_client) == []


def test_expiry_at_midnight_needs_no_write(api_client, monkeypatch):
    today = marketplace_today()
    product, _ = certified_product(valid_until=today)
    assert _ids(api_client) == [product.pk]
    later = timezone.now() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert _ids(api_client) == []


def test_lost_version_restarts_from_the_clock_not_from_zero(api_client):
    certified_product()
    before = venue_version()
    cache.delete(VERSION_KEY)
    after = venue_version()
    assert after != before
    assert after > 10**15  # nanoseconds since the epoch, never an old small number


@pytest.mark.parametrize("seconds", [0])
def test_cache_can_be_turned_off(api_client, settings, seconds):
    settings.VENUE_CACHE_SECONDS = seconds
    certified_product()
    api_client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        api_client.get(URL)
    assert len(queries) > 0


def test_identical_requests_wait_for_the_one_computing():
    import threading

    from green_venue.cache import cache_key, cached

    parts = ("test", "single-flight")
    key = cache_key(venue_version(), *parts)
    cache.add(f"{key}:computing", 1, timeout=10)  # someone else is computing

    def finish() -> None:
        cache.set(key, {"answer": 42}, timeout=60)

    timer = threading.Timer(0.2, finish)
    timer.start()

    def must_not_run() -> dict[str, int]:
        raise AssertionError("computed although another request was computing")

    assert cached(parts, must_not_run) == {"answer": 42}
    timer.join()


def test_a_failed_computation_releases_the_lock():
    from green_venue.cache import cache_key, cached

    parts = ("test", "failure")

    def broken() -> dict[str, int]:
        raise ValueError("bad filter")

    with pytest.raises(ValueError):
        cached(parts, broken)
    assert cache.get(f"{cache_key(venue_version(), *parts)}:computing") is None
    assert cached(parts, lambda: {"ok": 1}) == {"ok": 1}
