"""How the redis backend talks to the claims Redis server: one client per URL, the Lua scripts run by their
SHA (sent in full only when the server does not know them yet), and the server's run id, which tells a
restarted server from the one claims were opened on."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

import redis
from django.conf import settings

LUA_DIR = Path(__file__).resolve().parent.parent.parent / "lua"

_clients: dict[str, redis.Redis] = {}


def claims_client() -> redis.Redis:
    url = settings.VOUCHER_REDIS_URL
    client = _clients.get(url)
    if client is None:
        timeout = settings.VOUCHER_REDIS_TIMEOUT_MS / 1000
        client = redis.Redis.from_url(
            url,
            socket_connect_timeout=timeout,
            socket_timeout=timeout,
            decode_responses=True,
            # One reconnect for a pooled connection a restart closed; never on a timeout, where the
            # script may have run (the script also refuses a claim id it has already journaled).
            retry=redis.retry.Retry(redis.backoff.NoBackoff(), 1, supported_errors=(redis.ConnectionError,)),
            health_check_interval=0,
        )
        _clients[url] = client
    return client


def reset_connections() -> None:
    """Forget clients and caches (tests switch servers)."""
    for client in _clients.values():
        client.close()
    _clients.clear()


@cache
def _script_source(name: str) -> str:
    return (LUA_DIR / f"{name}.lua").read_text()


@cache
def _script_sha(name: str) -> str:
    return hashlib.sha1(_script_source(name).encode(), usedforsecurity=False).hexdigest()


def run_script(client: redis.Redis, name: str, keys: list[str], args: list[Any]) -> Any:
    """Run ``vouchers/lua/<name>.lua``: by its SHA, and in full when the server does not have it."""
    source = _script_source(name)
    sha = _script_sha(name)
    try:
        return client.evalsha(sha, len(keys), *keys, *args)
    except redis.exceptions.NoScriptError:
        return client.eval(source, len(keys), *keys, *args)


def server_run_id(client: redis.Redis) -> str:
    """The server's run id, new at every start: the ``open`` key holds the one claims were opened on."""
    return str(client.info("server")["run_id"])
