"""Which user an API token names, as the claims Redis remembers it: with it a claim authenticates inside
its own round trip (``claim.RedisClaimBackend.claim_by_token``). Only an optimisation, so a claims Redis
that cannot be told is logged and otherwise ignored: the claim then authenticates the usual way."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import redis

from vouchers.backends.redis.keys import token_key
from vouchers.backends.redis.server import claims_client

logger = logging.getLogger(__name__)


def remember_token(*, key: str, user_id: int, seconds: int) -> None:
    """Remember which user an API token names for ``seconds`` (the token cache's lifetime), so the
    shopper's claims authenticate inside the claim's one round trip. Only an optimisation: with the
    claims Redis unreachable the claim authenticates the usual way."""
    try:
        claims_client().set(token_key(key), user_id, ex=seconds)
    except redis.RedisError as exc:
        logger.warning("API token not remembered in the claims Redis: %s", exc)


def forget_tokens(keys: Iterable[str]) -> None:
    """Forget which user these API tokens name (a user saved, a token deleted): their next claim
    authenticates the usual way. With the claims Redis unreachable the entries lapse after
    ``TOKEN_CACHE_SECONDS``, and a restarted server's recovery deletes them all."""
    names = [token_key(key) for key in keys]
    if not names:
        return
    try:
        claims_client().delete(*names)
    except redis.RedisError as exc:
        logger.warning("API tokens not forgotten in the claims Redis: %s", exc)
