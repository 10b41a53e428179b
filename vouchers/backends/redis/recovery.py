"""Opening, closing and recovering claims. Claims pass only while the ``open`` key holds the server's run
id, so a restarted server (a new run id, and perhaps a counter that lost writes) refuses every claim
until ``claims_recover`` has drained the journal into the ledger, set each loaded allocation's counter
from the ledger and reopened claims. One process recovers at a time, under a lock it keeps alive; the
others wait a little, then answer 503.
"""

from __future__ import annotations

import logging
import secrets
import time
from decimal import Decimal

import redis
from django.conf import settings
from django.db import transaction

from vouchers.backends.redis.counters import loaded_allocation_ids, released_claim_ids
from vouchers.backends.redis.journal import journal_drain
from vouchers.backends.redis.keys import (
    allocation_key,
    open_key,
    prefixed,
    released_key,
    to_cents,
    user_counts_key,
)
from vouchers.backends.redis.server import claims_client, server_run_id
from vouchers.errors import ClaimsUnavailable
from vouchers.ledger import ledger_net_by_allocation

logger = logging.getLogger(__name__)


def _scan_delete(client: redis.Redis, pattern: str) -> None:
    batch: list[str] = []
    for key in client.scan_iter(match=pattern, count=1000):
        batch.append(key)
        if len(batch) >= 1000:
            client.delete(*batch)
            batch = []
    if batch:
        client.delete(*batch)


def claims_recover() -> bool:
    """Journal -> ledger, counters from the ledger, then reopen claims. Returns True when claims are
    open afterwards; False when another process is recovering (claims answer 503 meanwhile)."""
    client = claims_client()
    token = secrets.token_hex(8)
    lock = prefixed("recovering")
    if not client.set(lock, token, nx=True, ex=settings.VOUCHER_RECOVERY_LOCK_SECONDS):
        return False
    try:
        # Close first: a claim in flight is atomic, so after this nothing new enters the journal.
        client.delete(open_key())

        def keep_lock() -> None:
            # A long drain must not let the lock lapse: a second recovery could reopen claims early.
            if client.get(lock) != token:
                raise ClaimsUnavailable("recovery lock lost")
            client.expire(lock, settings.VOUCHER_RECOVERY_LOCK_SECONDS)

        while journal_drain(between_batches=keep_lock):
            pass
        keep_lock()
        with transaction.atomic():
            net = ledger_net_by_allocation()
        for allocation_id in loaded_allocation_ids(client):
            released = released_claim_ids(allocation_id)
            pipe = client.pipeline(transaction=True)
            pipe.hset(allocation_key(allocation_id), "issued", to_cents(net.get(allocation_id, Decimal(0))))
            pipe.delete(released_key(allocation_id))
            if released:
                pipe.sadd(released_key(allocation_id), *released)
            # The per-user counts are reloaded from the database with the allocation on its next claim.
            pipe.delete(user_counts_key(allocation_id))
            pipe.execute()
        _scan_delete(client, prefixed("c:*"))
        _scan_delete(client, prefixed("u:*"))  # per-user count keys of the previous layout, if any
        _scan_delete(client, prefixed("t:*"))  # tokens forgotten while the server was away may have come back
        client.set(open_key(), server_run_id(client))
        logger.info("claims Redis recovered and reopened")
        return True
    finally:
        if client.get(lock) == token:
            client.delete(lock)


def wait_until_open(client: redis.Redis) -> bool:
    """Another process is recovering: wait a little for it rather than failing the claim at once."""
    deadline = time.monotonic() + settings.VOUCHER_RECOVERY_WAIT_MS / 1000
    while time.monotonic() < deadline:
        time.sleep(0.02)
        if client.get(open_key()) == server_run_id(client):
            return True
    return False


def claims_open() -> bool:
    client = claims_client()
    return bool(client.get(open_key()) == server_run_id(client))
