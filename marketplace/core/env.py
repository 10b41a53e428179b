"""Typed readers for environment variables.

Every setting of the project is read here or in ``marketplace.settings`` through these helpers, so a
bad value fails loudly at start-up instead of surfacing as odd behaviour later.
"""

from __future__ import annotations

import os
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit, urlunsplit


class ImproperlyConfiguredEnv(RuntimeError):
    """An environment variable holds a value the project cannot use."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    """The variable's value; set-but-empty counts as unset, as in most deployment tools."""
    value = os.environ.get(name)
    return None if value is None or value.strip() == "" else value


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    raw = _raw(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfiguredEnv(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    raw = _raw(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfiguredEnv(f"{name}={raw!r} is not an integer") from exc
    if minimum is not None and value < minimum:
        raise ImproperlyConfiguredEnv(f"{name}={value} is below its minimum {minimum}")
    if maximum is not None and value > maximum:
        raise ImproperlyConfiguredEnv(f"{name}={value} is above its maximum {maximum}")
    return value


def env_decimal(name: str, default: str) -> Decimal:
    raw = _raw(name) or default
    try:
        return Decimal(raw)
    except InvalidOperation as exc:
        raise ImproperlyConfiguredEnv(f"{name}={raw!r} is not a decimal number") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = _raw(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = _raw(name) or default
    if value not in choices:
        raise ImproperlyConfiguredEnv(f"{name}={value!r} must be one of {', '.join(choices)}")
    return value


def env_rate(name: str, default: str) -> tuple[int, int]:
    """Parse a rate such as ``"10/m"`` into (requests, window in seconds)."""
    raw = _raw(name) or default
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    try:
        count_text, unit = raw.strip().split("/")
        count = int(count_text)
        window = units[unit.strip().lower()[:1]]
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfiguredEnv(f"{name}={raw!r} is not a rate like 10/m (s, m, h or d)") from exc
    if count < 1:
        raise ImproperlyConfiguredEnv(f"{name}={raw!r} must allow at least one request")
    return count, window


def redis_url_with_db(url: str, db: int) -> str:
    """The same Redis server as ``url`` with another database number."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, parts.fragment))
