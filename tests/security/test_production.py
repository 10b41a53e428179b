"""Production settings (DEBUG=0) in a subprocess: secure cookies, HSTS, SSL redirect, check --deploy clean."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = r"""
import json
import django
django.setup()
from django.conf import settings
from django.test import Client

client = Client()
plain = client.get("/accounts/login/")
secure = client.get("/accounts/login/", secure=True)
print(json.dumps({
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "plain_status": plain.status_code,
    "plain_location": plain.headers.get("Location", ""),
    "secure_status": secure.status_code,
    "hsts": secure.headers.get("Strict-Transport-Security", ""),
    "csp": secure.headers.get("Content-Security-Policy", ""),
    "csrf_cookie_secure": (
        bool(secure.cookies["csrftoken"]["secure"]) if "csrftoken" in secure.cookies else None
    ),
}))
"""


def _production_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "SESSION_", "CSRF_")) and key not in {"TESTING", "DEBUG"}
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="shop.example.com,testserver",
        DJANGO_SETTINGS_MODULE="marketplace.settings",
        DATABASE_URL="sqlite://:memory:",
        # Only for the static files storage: the manifest needs collectstatic, which a test does not run.
        TESTING="1",
        **extra,
    )
    env.pop("REDIS_URL", None)
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.slow
def test_production_settings_are_secure_and_redirect_to_https() -> None:
    result = _run([sys.executable, "-c", PROBE], _production_env())
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["SESSION_COOKIE_SECURE"] is True
    assert seen["CSRF_COOKIE_SECURE"] is True
    assert seen["SECURE_SSL_REDIRECT"] is True
    assert seen["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert seen["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert seen["plain_status"] == 301
    assert seen["plain_location"].startswith("https://")
    assert seen["secure_status"] == 200
    assert "max-age=31536000" in seen["hsts"] and "includeSubDomains" in seen["hsts"]
    assert "'unsafe-inline'" not in seen["csp"] and "default-src 'self'" in seen["csp"]
    assert seen["csrf_cookie_secure"] is True


@pytest.mark.slow
def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = _production_env()
    env.pop("SECRET_KEY")
    result = _run([sys.executable, "-c", "import django; django.setup()"], env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.slow
def test_check_deploy_is_clean() -> None:
    env = _production_env()
    env.pop("TESTING")
    result = _run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
