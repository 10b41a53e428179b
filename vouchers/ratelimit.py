"""Claim rate limits per shopper and per client IP (``CLAIM_RATE_LIMIT``, ``CLAIM_RATE_LIMIT_PER_IP``).

Fixed windows counted with an atomic Redis INCR when ``REDIS_URL`` is set (a database cache would
undercount under concurrency), with the local cache otherwise. A cache outage lets claims through: the
budget and per-user limits do not depend on it.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache

from vouchers.errors import RateLimited

logger = logging.getLogger(__name__)


def _counts(keys: list[tuple[str, int]]) -> list[int]:
    """Increment each fixed-window counter; one round trip to Redis for all of them."""
    if settings.REDIS_URL:
        import redis
        from django_redis import get_redis_connection

        try:
            client = get_redis_connection("default")
            pipe = client.pipeline(transaction=False)
            for key, window in keys:
                full_key = f"{settings.CACHE_KEY_PREFIX}:rl:{key}"
                pipe.incr(full_key)
                pipe.expire(full_key, window + 1, nx=True)
            replies = pipe.execute()
            return [int(count) for count in replies[::2]]
        except redis.RedisError as exc:
            logger.warning("rate limit not counted, Redis unavailable: %s", exc)
            return [0 for _ in keys]
    return [_count_in_cache(key, window) for key, window in keys]


def _count_in_cache(key: str, window: int) -> int:
    cache_key = f"rl:{key}"
    cache.add(cache_key, 0, window + 1)
    try:
        return int(cache.incr(cache_key))
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, window + 1)
        return 1


def check_claim_rate(*, user_id: int, ip: str) -> None:
    now = time.time()
    scopes = (
        ("u", str(user_id), settings.CLAIM_RATE_LIMIT),
        ("ip", ip or "unknown", settings.CLAIM_RATE_LIMIT_PER_IP),
    )
    keys = [(f"claim:{scope}:{ident}:{int(now // window)}", window) for scope, ident, (_, window) in scopes]
    for count, (_, _, (limit, window)) in zip(_counts(keys), scopes, strict=True):
        if count > limit:
            slot = int(now // window)
            raise RateLimited(retry_after=int((slot + 1) * window - now) + 1)
