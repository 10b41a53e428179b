"""CSRF on every page form and every session-authenticated API write; a strict CSP on every page.

The page URLs are walked from the resolver, so a new page is covered without touching this file: a POST
without the CSRF token must be refused (403) before any view runs, for every pattern.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

from tests.factories import MerchantFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

CONVERTER_SAMPLES = {"int": "1", "slug": "x", "str": "x", "path": "x", "uuid": str(uuid.uuid4())}
SKIPPED_PREFIXES = ("admin/", "api/v1/", "static/", "media/")


def _routes(patterns: list[Any], prefix: str = "") -> list[str]:
    routes: list[str] = []
    for entry in patterns:
        route = str(entry.pattern)
        if not hasattr(entry.pattern, "_route"):  # a regex pattern: none among the pages
            continue
        if isinstance(entry, URLResolver):
            routes.extend(_routes(entry.url_patterns, prefix + route))
        elif isinstance(entry, URLPattern):
            routes.append(prefix + route)
    return routes


def _concrete(route: str) -> str:
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: CONVERTER_SAMPLES[str(m.group(1) or "str")], route)


PAGE_ROUTES = sorted(
    {route for route in _routes(get_resolver().url_patterns) if not route.startswith(SKIPPED_PREFIXES)}
)


def test_the_walk_finds_the_pages() -> None:
    assert len(PAGE_ROUTES) > 20
    assert "accounts/login/" in PAGE_ROUTES
    assert "healthz/" in PAGE_ROUTES


@pytest.mark.parametrize("route", PAGE_ROUTES)
def test_page_post_without_csrf_token_is_refused(route: str) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="csrf-victim"))
    response = client.post(_concrete(route), {"name": "x", "quantity": "1", "reason": "x"})
    assert response.status_code == 403, f"/{route} accepted a POST without a CSRF token"


def _api_writes() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(
        (method, path)
        for path, item in schema["paths"].items()
        for method in item
        if method in {"post", "put", "patch", "delete"}
    )


# The two anonymous endpoints have no session to ride on: token and register take credentials.
NO_SESSION = {"/api/v1/auth/token/", "/api/v1/auth/register/"}


@pytest.mark.parametrize(("method", "path"), [w for w in _api_writes() if w[1] not in NO_SESSION])
def test_api_write_with_a_session_needs_the_csrf_token(method: str, path: str) -> None:
    """A page's session cookie must not let another site's form call the API (SessionAuthentication)."""
    user = StaffFactory(username="csrf-staff")
    MerchantFactory(owner=user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    concrete = re.sub(r"\{(\w+)\}", "1", path)
    response = getattr(client, method)(concrete, data=json.dumps({}), content_type="application/json")
    assert response.status_code == 403, f"{method.upper()} {path}: {response.status_code}"
    assert "CSRF" in response.json()["detail"]


def _page_get_routes() -> list[str]:
    return [route for route in PAGE_ROUTES if "<" not in route and route not in {"accounts/logout/"}]


@pytest.mark.parametrize("route", _page_get_routes())
def test_pages_send_a_strict_content_security_policy(route: str) -> None:
    client = Client()
    client.force_login(StaffFactory(username="csp-staff"))
    response = client.get("/" + route)
    policy = response.headers.get("Content-Security-Policy", "")
    assert policy, f"/{route} ({response.status_code}) has no Content-Security-Policy header"
    directives = {
        name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy and "*" not in policy
    if response.status_code == 200 and "text/html" in response.headers.get("Content-Type", ""):
        html = response.content.decode()
        # Inline code would be blocked by this policy, so a page relying on it would be broken.
        inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", html)
        handlers = re.findall(r"<[^>]+\son[a-z]+\s*=", html)
        assert not inline_scripts, f"/{route} has inline <script> blocks"
        assert not handlers, f"/{route} has inline event handlers: {handlers[:3]}"
        assert not re.search(r"<[^>]+\sstyle\s*=", html), f"/{route} has inline style attributes"
