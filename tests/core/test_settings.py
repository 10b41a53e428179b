"""Production mode is checked in a fresh interpreter: settings are read once per process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from marketplace.core.env import ImproperlyConfiguredEnv, env_bool, env_int, env_rate, redis_url_with_db

ROOT = Path(__file__).resolve().parents[2]


RUNTIME_VARS = {
    "SECRET_KEY",
    "DEBUG",
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "VOUCHER_REDIS_URL",
    "CELERY_TASK_ALWAYS_EAGER",
}


def _run_settings(env: dict[str, str], code: str = "from django.conf import settings; settings.SECRET_KEY"):
    clean = {k: v for k, v in os.environ.items() if k not in RUNTIME_VARS}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "marketplace.settings"
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _run_settings({"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_turns_on_secure_cookies_hsts_and_ssl_redirect():
    result = _run_settings(
        {"DEBUG": "0", "SECRET_KEY": "x" * 60},
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS > 0, s.SECURE_SSL_REDIRECT)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "True"]


def test_embedded_default_needs_nothing():
    result = _run_settings(
        {},
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], "
        "s.CELERY_TASK_ALWAYS_EAGER, s.VOUCHER_CLAIM_BACKEND)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "True",
        "database",
    ]


def test_bad_values_fail_loudly(monkeypatch):
    monkeypatch.setenv("X_BOOL", "maybe")
    monkeypatch.setenv("X_INT", "ten")
    monkeypatch.setenv("X_RATE", "10 per minute")
    with pytest.raises(ImproperlyConfiguredEnv):
        env_bool("X_BOOL", False)
    with pytest.raises(ImproperlyConfiguredEnv):
        env_int("X_INT", 1)
    with pytest.raises(ImproperlyConfiguredEnv):
        env_rate("X_RATE", "1/m")


def test_rates_and_redis_databases_are_parsed():
    assert env_rate("UNSET_RATE_FOR_TEST", "30/m") == (30, 60)
    assert redis_url_with_db("redis://localhost:6379/0", 2) == "redis://localhost:6379/2"


def test_every_environment_setting_is_listed_in_the_readme():
    import re

    readers = re.compile(r'env_(?:str|bool|int|decimal|list|choice|rate)\(\s*"([A-Z][A-Z0-9_]+)"')
    environ = re.compile(r'os\.environ(?:\.get)?[\[(]\s*"([A-Z][A-Z0-9_]+)"')
    sources = [ROOT / "marketplace" / "settings.py", ROOT / "gunicorn.conf.py"]
    names = {name for path in sources for name in readers.findall(path.read_text())}
    names |= set(environ.findall((ROOT / "gunicorn.conf.py").read_text()))
    readme = (ROOT / "README.md").read_text()
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert not missing, f"settings read from the environment but not in the README: {missing}"
