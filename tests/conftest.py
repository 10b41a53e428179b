"""Shared fixtures. Tests marked ``postgres`` or ``redis`` need the real server: without it they are
skipped with the reason, except under ``CI=true``, where a missing server fails the run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

IN_CI = os.environ.get("CI", "").lower() == "true"

# Randomised tests are derandomised with capped examples under CI=true, so a submission never fails on
# a case unrelated to its change; locally they explore more.
hypothesis_settings.register_profile("ci", derandomize=True, max_examples=60, deadline=None)
hypothesis_settings.register_profile("dev", max_examples=150, deadline=None)
hypothesis_settings.load_profile("ci" if IN_CI else "dev")


def _redis_available() -> bool:
    if not settings.REDIS_URL:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


def _need(what: str, available: bool, how: str) -> None:
    if available:
        return
    message = f"needs {what}: {how}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: a missing server fails the run)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _require_servers(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("postgres"):
        _need(
            "PostgreSQL",
            connection.vendor == "postgresql",
            "run ./scripts/test with a PostgreSQL server on 127.0.0.1:5432 or set DATABASE_URL",
        )
    if request.node.get_closest_marker("redis"):
        _need("Redis", _redis_available(), "run ./scripts/test with Redis on 127.0.0.1:6379 or set REDIS_URL")


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    # Each test starts with an empty cache (token cache, throttles, rate limits).
    cache.clear()
    yield


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


def client_for(user: Any) -> APIClient:
    """An API client authenticated with the user's token, as a real client would be."""
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client
