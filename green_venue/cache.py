"""Exact caching of venue answers: a version number that every relevant write bumps.

A cached answer is keyed by the venue version, the marketplace date (validity is by calendar day, so
midnight in TIME_ZONE starts new keys) and the request. Any write that can change what the venue shows
- a certificate's status or products, a scheme's scope or grades, a product, shop or category saved -
bumps the version, at once and again when its transaction commits, so the next request computes afresh:
a revoked certificate's product is gone on the very next request.

Writes that bypass model signals (``QuerySet.update``, ``bulk_create``) do not bump the version; the
venue output leaves out what those change in the core (stock), and bulk loaders call ``venue_bump``
themselves. ``VENUE_CACHE_SECONDS`` bounds any staleness left (for example a bump lost while the cache
server was unreachable); 0 turns caching off.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "green_venue:version"
T = TypeVar("T")
# Single flight: how long a computing request holds its lock, and how long others wait for its answer.
LOCK_SECONDS = 10
WAIT_SECONDS = 3.0
POLL_SECONDS = 0.02


def venue_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh (or flushed) cache starts from the clock, never from a number older keys could carry.
        version = time.time_ns()
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY, version)
    return int(version)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def venue_bump() -> None:
    """Invalidate every cached venue answer now, and again once the current transaction commits (so an
    answer computed from the pre-commit data in between cannot survive)."""
    _bump()
    transaction.on_commit(_bump)


def cache_key(*parts: Any) -> str:
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()[:32]
    return f"green_venue:answer:{digest}"


def cached_peek(parts: tuple[Any, ...]) -> Any:
    """The cached answer for ``parts`` under the current version, or None (nothing computed)."""
    if settings.VENUE_CACHE_SECONDS <= 0:
        return None
    return cache.get(cache_key(venue_version(), *parts))


def cached(parts: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()``, cached under the current venue version and ``parts`` (the caller includes the date).

    Single flight: after a bump, the first request computes while identical requests wait briefly for
    its answer instead of all hitting the database at once.
    """
    seconds = settings.VENUE_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    key = cache_key(venue_version(), *parts)
    value = cache.get(key)
    if value is not None:
        return value
    lock = f"{key}:computing"
    owner = cache.add(lock, 1, timeout=LOCK_SECONDS)
    if owner is False:  # another process is computing (None: the cache is down, so just compute)
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            value = cache.get(key)
            if value is not None:
                return value
    try:
        value = compute()
        cache.set(key, value, timeout=seconds)
    finally:
        if owner:
            cache.delete(lock)
    return value
