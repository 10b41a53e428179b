"""Throttling of the login page: failed attempts counted per username and per client IP.

The API's token endpoint has DRF's scoped throttle (``LOGIN_RATE_LIMIT``); the page login counts only
failures, in fixed windows in the cache, so a shopper who types the password right is never slowed down,
while guessing one account's password (``LOGIN_PAGE_RATE_LIMIT``, per username) or many accounts' from one
address (``LOGIN_PAGE_RATE_LIMIT_PER_IP``) is refused until the window ends. A cache outage lets logins
through: the throttle slows guessing, the password check does not depend on it.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def _scopes(*, ip: str, username: str) -> list[tuple[str, int, int]]:
    """(cache key prefix, limit, window) for each counter that applies."""
    per_user, user_window = settings.LOGIN_PAGE_RATE_LIMIT
    per_ip, ip_window = settings.LOGIN_PAGE_RATE_LIMIT_PER_IP
    scopes = [(f"login-fail:ip:{ip or 'unknown'}", per_ip, ip_window)]
    if username:
        # Hashed: usernames may hold any character, cache keys may not.
        digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
        scopes.append((f"login-fail:user:{digest}", per_user, user_window))
    return scopes


def login_retry_after(*, ip: str, username: str) -> int | None:
    """Seconds until this username and address may try again, or None when they may try now."""
    now = time.time()
    waits = [
        int((now // window + 1) * window - now) + 1
        for prefix, limit, window in _scopes(ip=ip, username=username)
        if int(cache.get(f"{prefix}:{int(now // window)}", 0)) >= limit
    ]
    return max(waits) if waits else None


def login_failed(*, ip: str, username: str) -> None:
    now = time.time()
    for prefix, _limit, window in _scopes(ip=ip, username=username):
        key = f"{prefix}:{int(now // window)}"
        cache.add(key, 0, window + 1)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, window + 1)
