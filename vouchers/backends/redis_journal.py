"""The redis claim backend: one Lua script on ``VOUCHER_REDIS_URL`` checks the campaign, the window,
the budget counter and the shopper's count, then counts and appends a journal entry, atomically.

Durability: the claims Redis runs with ``appendonly yes`` and ``appendfsync always``, so the script's
writes are on disk before the reply reaches the web process, and only then is the shopper answered 201.
The journal is persisted to the database by ``journal_drain`` (beat, and synchronously for one shopper
when their vouchers are read or one is used at checkout), idempotent by claim id.

Recovery (docs/domain.md, "Recovery of the redis backend"): claims need the ``open`` key to hold the
Redis server's run id; a restarted server has a new run id, so claims answer 503 until
``claims_recover`` has (1) written every journal entry into the ledger, (2) set the counters from the
ledger and (3) reopened claims. A missing counter key means "not loaded" and is loaded from the
database, never read as zero.
"""

from __future__ import annotations

import logging
import secrets
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import redis
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count

from marketplace.core.errors import NotFound
from vouchers.backends import ClaimResult
from vouchers.backends.database import result_for
from vouchers.errors import (
    BudgetExhausted,
    ClaimsUnavailable,
    IdempotencyMismatch,
    LimitReached,
    NotActive,
    RateLimited,
    VoucherError,
)
from vouchers.ledger import ClaimRecord, ledger_net_by_allocation, persist_journaled_claim
from vouchers.models import Allocation, BudgetEntry, Campaign, EntryKind, Voucher, new_voucher_code

logger = logging.getLogger(__name__)

LUA_DIR = Path(__file__).resolve().parent.parent / "lua"
CENTS = Decimal(100)

_clients: dict[str, redis.Redis] = {}
_campaign_of_allocation: dict[int, int] = {}


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


def _run(client: redis.Redis, name: str, keys: list[str], args: list[Any]) -> Any:
    source = _script_source(name)
    sha = _script_sha(name)
    try:
        return client.evalsha(sha, len(keys), *keys, *args)
    except redis.exceptions.NoScriptError:
        return client.eval(source, len(keys), *keys, *args)


@cache
def _script_sha(name: str) -> str:
    import hashlib

    return hashlib.sha1(_script_source(name).encode(), usedforsecurity=False).hexdigest()


# --- keys -------------------------------------------------------------------------------------------
def _p(suffix: str) -> str:
    return f"{settings.VOUCHER_REDIS_PREFIX}{suffix}"


def open_key() -> str:
    return _p("open")


def journal_key() -> str:
    return _p("journal")


def allocation_key(allocation_id: int) -> str:
    return _p(f"a:{allocation_id}")


def released_key(allocation_id: int) -> str:
    return _p(f"a:{allocation_id}:rel")


def campaign_key(campaign_id: int) -> str:
    return _p(f"c:{campaign_id}")


def user_counts_key(allocation_id: int) -> str:
    """Hash user id -> vouchers claimed from the allocation (any state), plus ``_loaded``."""
    return _p(f"a:{allocation_id}:users")


def pending_key(user_id: int) -> str:
    return _p(f"p:{user_id}")


def idempotency_key(claim_id: uuid.UUID) -> str:
    return _p(f"i:{claim_id}")


def _cents(amount: Decimal) -> int:
    return int(amount * CENTS)


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _from_epoch(seconds: int | str) -> datetime:
    return datetime.fromtimestamp(int(seconds), tz=UTC)


# --- run id: the "open" token -------------------------------------------------------------------------
def _run_id(client: redis.Redis) -> str:
    return str(client.info("server")["run_id"])


# --- loading from the database ----------------------------------------------------------------------
def _campaign_id_of(allocation_id: int) -> int:
    campaign_id = _campaign_of_allocation.get(allocation_id)
    if campaign_id is None:
        found = Allocation.objects.filter(pk=allocation_id).values_list("campaign_id", flat=True).first()
        if found is None:
            raise NotFound("No voucher allocation matches the given id.")
        campaign_id = _campaign_of_allocation[allocation_id] = found
    return campaign_id


def _load_allocation(client: redis.Redis, allocation_id: int) -> None:
    # No claim on this allocation can pass while its counters are missing, so once the journal is drained
    # the database holds every claim it ever had: the budget counter and every shopper's count.
    journal_drain()
    allocation = Allocation.objects.get(pk=allocation_id)
    net = ledger_net_by_allocation([allocation_id]).get(allocation_id, Decimal(0))
    released = _released_claim_ids(allocation_id)
    staged = _p(f"a:{allocation_id}:users:staged:{secrets.token_hex(8)}")
    counts = (
        Voucher.objects.filter(allocation_id=allocation_id)
        .values_list("owner_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    batch: dict[str, int] = {}
    for owner_id, count in counts.iterator(chunk_size=USER_COUNT_BATCH):
        batch[str(owner_id)] = count
        if len(batch) >= USER_COUNT_BATCH:
            _stage_user_counts(client, staged, batch)
            batch = {}
    if batch:
        _stage_user_counts(client, staged, batch)
    _run(
        client,
        "load_allocation",
        [allocation_key(allocation_id), released_key(allocation_id), user_counts_key(allocation_id), staged],
        [
            _cents(allocation.budget),
            _cents(allocation.face_value),
            _cents(allocation.min_spend),
            allocation.per_user_limit,
            _epoch(allocation.claim_starts_at),
            _epoch(allocation.claim_ends_at),
            allocation.valid_days,
            _cents(net),
            *released,
        ],
    )


USER_COUNT_BATCH = 1000


def _stage_user_counts(client: redis.Redis, staged: str, batch: dict[str, int]) -> None:
    pipe = client.pipeline(transaction=False)
    pipe.hset(staged, mapping=batch)  # type: ignore[arg-type]
    pipe.expire(staged, 3600)  # a loader that dies leaves no garbage for long
    pipe.execute()


def _released_claim_ids(allocation_id: int) -> list[str]:
    keys = BudgetEntry.objects.filter(allocation_id=allocation_id, kind=EntryKind.RELEASE).values_list(
        "key", flat=True
    )
    return [key.split(":", 1)[1] for key in keys]


def preload_allocations(allocation_ids: Iterable[int]) -> int:
    """Load the allocations (and their campaigns) the claims Redis does not hold yet, before shoppers
    come: otherwise the first claims of a flash sale's opening second wait for the load (a journal drain
    and every shopper's count) and for each other. Returns how many were loaded; needs claims open."""
    ids = sorted(set(allocation_ids))
    if not ids:
        return 0
    client = claims_client()
    pipe = client.pipeline(transaction=False)
    for allocation_id in ids:
        pipe.exists(allocation_key(allocation_id))
        pipe.hexists(user_counts_key(allocation_id), "_loaded")
    answers = pipe.execute()
    missing = [
        allocation_id
        for index, allocation_id in enumerate(ids)
        if not (answers[2 * index] and answers[2 * index + 1])
    ]
    for allocation_id in missing:
        _load_allocation(client, allocation_id)
    campaigns = Campaign.objects.filter(allocations__id__in=ids).distinct()
    for campaign in campaigns:
        if not client.exists(campaign_key(campaign.pk)):
            put_campaign(client, campaign)
    return len(missing)


def put_campaign(client: redis.Redis, campaign: Campaign) -> None:
    _run(
        client,
        "put_campaign",
        [campaign_key(campaign.pk)],
        [campaign.status, _epoch(campaign.ends_at), campaign.version],
    )


# --- the claim ----------------------------------------------------------------------------------------
_REFUSALS: dict[str, type[VoucherError]] = {
    "not_active": NotActive,
    "limit_reached": LimitReached,
    "budget_exhausted": BudgetExhausted,
}


def _rate_limit_args(user_id: int | None, ip: str | None, now: int) -> tuple[list[str], list[int]]:
    """The rate-limit window keys and ARGV 7-10 of claim.lua (counted inside the claim's round trip);
    without a user id the script derives the user's key itself, from the same window."""
    if ip is None:
        unused = _p("rl:-")
        return [unused, unused], [0, 0, 0, 0]
    user_limit, user_window = settings.CLAIM_RATE_LIMIT
    ip_limit, ip_window = settings.CLAIM_RATE_LIMIT_PER_IP
    return (
        [
            _p(f"rl:u:{user_id}:{now // user_window}") if user_id is not None else _p("-"),
            _p(f"rl:ip:{ip or 'unknown'}:{now // ip_window}"),
        ],
        [user_limit, user_window, ip_limit, ip_window],
    )


def _replay(stored: str, *, allocation_id: int, claim_id: uuid.UUID) -> ClaimResult | None:
    """The stored answer of an Idempotency-Key: the first claim's result, or its refusal raised again."""
    parts = stored.split("|")
    if parts[0] == "ok":
        _, stored_allocation, code, expires, face, min_spend = parts
        return ClaimResult(
            code=code,
            face_value=Decimal(int(face)) / CENTS,
            min_spend=Decimal(int(min_spend)) / CENTS,
            expires_at=_from_epoch(expires),
            status="issued",
            claim_id=claim_id,
            allocation_id=int(stored_allocation),  # the service answers 422 when it differs
        )
    if parts[0] == "err":
        if int(parts[1]) != allocation_id:
            raise IdempotencyMismatch()
        raise _REFUSALS.get(parts[2], ClaimsUnavailable)()
    return None  # an older format: the claim id only; answered from the journal or the database


class RedisClaimBackend:
    def claim(
        self,
        *,
        user: Any,
        allocation_id: int,
        claim_id: uuid.UUID,
        idempotent: bool,
        rate_limit_ip: str | None = None,
        remember_token: str | None = None,
    ) -> ClaimResult:
        """One EVALSHA per claim in the steady state; the loads and the recovery run only when the
        script says a key is missing or claims are closed. ``rate_limit_ip`` (the client's address)
        turns on the per-user and per-IP limits, counted in the same script. ``remember_token`` (the API
        token the user was just authenticated with) lets the next claims name the user by the token."""
        result = self._claim(
            user_id=int(user.pk),
            token=remember_token or "",
            allocation_id=allocation_id,
            claim_id=claim_id,
            idempotent=idempotent,
            rate_limit_ip=rate_limit_ip,
        )
        if result is None:  # pragma: no cover - 'auth' is only answered when no user id is given
            raise ClaimsUnavailable()
        return result

    def claim_by_token(
        self, *, token: str, allocation_id: int, rate_limit_ip: str | None = None
    ) -> ClaimResult | None:
        """Claim for the shopper the claims Redis remembers for this API token, without an
        authentication round trip. None when it does not know the token or could not tell (the caller
        then authenticates the usual way and calls ``claim``)."""
        return self._claim(
            user_id=None,
            token=token,
            allocation_id=allocation_id,
            claim_id=uuid.uuid4(),
            idempotent=False,
            rate_limit_ip=rate_limit_ip,
        )

    def _claim(
        self,
        *,
        user_id: int | None,
        token: str,
        allocation_id: int,
        claim_id: uuid.UUID,
        idempotent: bool,
        rate_limit_ip: str | None,
    ) -> ClaimResult | None:
        by_token = user_id is None
        try:
            campaign_id = _campaign_id_of(allocation_id)
        except NotFound:
            if by_token:
                return None  # authenticate first: an unknown caller gets 401, not 404
            raise
        client = claims_client()
        claim = str(claim_id)
        unused = _p("-")
        keys = [
            _p("open"),
            _p(f"a:{allocation_id}"),
            _p(f"c:{campaign_id}"),
            _p(f"a:{allocation_id}:users"),
            _p("journal"),
            _p(f"p:{user_id}") if user_id is not None else unused,
            _p(f"i:{claim}"),
        ]
        code = new_voucher_code()
        ttl = settings.IDEMPOTENCY_TTL_SECONDS if idempotent else 0
        remember = settings.TOKEN_CACHE_SECONDS if token and not by_token else 0
        recovered = False
        answered = False
        try:
            for _attempt in range(6):
                now = int(time.time())
                rate_keys, rate_args = _rate_limit_args(user_id, rate_limit_ip, now)
                reply = _run(
                    client,
                    "claim",
                    [*keys, *rate_keys],
                    [
                        now,
                        claim,
                        code,
                        "" if user_id is None else user_id,
                        ttl,
                        allocation_id,
                        *rate_args,
                        token,
                        remember,
                        settings.VOUCHER_REDIS_PREFIX,
                    ],
                )
                outcome = reply[0]
                if outcome == "auth":
                    return None
                answered = True
                if outcome == "ok":
                    _, _seq, expires, face, min_spend = reply
                    return ClaimResult(
                        code=code,
                        face_value=Decimal(int(face)) / CENTS,
                        min_spend=Decimal(int(min_spend)) / CENTS,
                        expires_at=_from_epoch(expires),
                        status="issued",
                        claim_id=claim_id,
                        allocation_id=allocation_id,
                    )
                if outcome == "stored":
                    replayed = _replay(reply[1], allocation_id=allocation_id, claim_id=claim_id)
                    if replayed is not None:
                        return replayed
                    outcome, reply = "duplicate", ["duplicate", reply[1]]
                if outcome == "duplicate":
                    if user_id is None:  # pragma: no cover - token claims carry a fresh claim id
                        raise ClaimsUnavailable()
                    journal_drain_user(user_id=user_id)
                    voucher = Voucher.objects.filter(claim_id=reply[1]).first()
                    if voucher is None:  # journaled, but the database refused or lags: retry later
                        raise ClaimsUnavailable()
                    return result_for(voucher)
                if outcome == "rate_limited":
                    raise RateLimited(retry_after=int(reply[1]))
                if outcome == "closed":
                    if recovered or not (claims_recover() or _wait_until_open(client)):
                        raise ClaimsUnavailable()
                    recovered = True
                    continue
                if outcome == "noload_alloc":
                    _load_allocation(client, allocation_id)
                elif outcome == "noload_camp":
                    put_campaign(client, Campaign.objects.get(pk=campaign_id))
                elif outcome in _REFUSALS:
                    raise _REFUSALS[outcome]()
                else:  # pragma: no cover - a script the code does not know
                    raise ClaimsUnavailable()
        except redis.RedisError as exc:
            if by_token and not answered:
                return None  # the caller authenticates the usual way, then answers 503
            logger.warning("claims Redis unavailable: %s", exc)
            raise ClaimsUnavailable() from exc
        raise ClaimsUnavailable()


def remember_token(*, key: str, user_id: int, seconds: int) -> None:
    """Remember which user an API token names for ``seconds`` (the token cache's lifetime), so the
    shopper's claims authenticate inside the claim's one round trip. Only an optimisation: with the
    claims Redis unreachable the claim authenticates the usual way."""
    try:
        claims_client().set(_p(f"t:{key}"), user_id, ex=seconds)
    except redis.RedisError as exc:
        logger.warning("API token not remembered in the claims Redis: %s", exc)


def forget_tokens(keys: Iterable[str]) -> None:
    """Forget which user these API tokens name (a user saved, a token deleted): their next claim
    authenticates the usual way. With the claims Redis unreachable the entries lapse after
    ``TOKEN_CACHE_SECONDS``, and a restarted server's recovery deletes them all."""
    names = [_p(f"t:{key}") for key in keys]
    if not names:
        return
    try:
        claims_client().delete(*names)
    except redis.RedisError as exc:
        logger.warning("API tokens not forgotten in the claims Redis: %s", exc)


# --- releases -----------------------------------------------------------------------------------------
def push_release(*, allocation_id: int, claim_id: uuid.UUID, face_value: Decimal) -> None:
    """After a release committed in the database: give the face value back to the fast counter, once.
    If Redis is unreachable the counter stays high (never overspends) until the next recovery."""
    try:
        _run(
            claims_client(),
            "release",
            [allocation_key(allocation_id), released_key(allocation_id)],
            [str(claim_id), _cents(face_value)],
        )
    except redis.RedisError as exc:
        logger.warning("release of claim %s not pushed to the claims Redis: %s", claim_id, exc)


def push_campaign(campaign: Campaign) -> None:
    try:
        put_campaign(claims_client(), campaign)
    except redis.RedisError as exc:
        logger.warning("campaign %s state not pushed to the claims Redis: %s", campaign.pk, exc)


def forget_campaign(campaign_id: int) -> None:
    """Inside a campaign change's transaction: drop the fast copy (reloaded on the next claim); raises
    ClaimsUnavailable when the claims Redis cannot be told, which rolls the change back."""
    try:
        claims_client().delete(campaign_key(campaign_id))
    except redis.RedisError as exc:
        raise ClaimsUnavailable() from exc


# --- the journal -> the database ----------------------------------------------------------------------
def _parse(claim_id: str, entry: str) -> ClaimRecord:
    allocation_id, user_id, seq, code, claimed_at, expires_at = entry.split("|")
    return ClaimRecord(
        claim_id=uuid.UUID(claim_id),
        allocation_id=int(allocation_id),
        user_id=int(user_id),
        seq=int(seq),
        code=code,
        claimed_at=_from_epoch(claimed_at),
        expires_at=_from_epoch(expires_at),
    )


def _persist_entries(client: redis.Redis, entries: Iterable[tuple[str, str]]) -> int:
    written = 0
    for claim_id, entry in entries:
        record = _parse(claim_id, entry)
        try:
            if persist_journaled_claim(record):
                written += 1
        except (IntegrityError, Allocation.DoesNotExist):
            # The database refused it (a constraint the fast path should have kept): keep it in the
            # journal for an operator, reported by reconcile_vouchers, and go on with the others.
            logger.exception("journal entry %s refused by the database", claim_id)
            continue
        # Only after the database commit: a crash before this replays the entry, which is a no-op. Inside
        # a caller's transaction (checkout) the entry stays in the journal until that transaction commits,
        # so a checkout that rolls back never loses the claim.
        forget = _forgetter(client, claim_id, record.user_id)
        if connection.in_atomic_block:
            transaction.on_commit(forget, robust=True)
        else:
            forget()
    return written


def _forgetter(client: redis.Redis, claim_id: str, user_id: int) -> Callable[[], None]:
    def forget() -> None:
        pipe = client.pipeline(transaction=True)
        pipe.hdel(journal_key(), claim_id)
        pipe.srem(pending_key(user_id), claim_id)
        pipe.execute()

    return forget


def journal_drain(
    *,
    batch_size: int = 500,
    max_batches: int | None = None,
    between_batches: Callable[[], None] | None = None,
) -> int:
    """Persist journaled claims into the database; idempotent by claim id. Returns how many were new."""
    client = claims_client()
    written = 0
    batches = 0
    cursor = 0
    while True:
        if between_batches is not None:
            between_batches()
        cursor, chunk = client.hscan(journal_key(), cursor=cursor, count=batch_size)
        pairs: dict[Any, Any] = chunk  # type: ignore[assignment]
        written += _persist_entries(client, [(str(k), str(v)) for k, v in pairs.items()])
        batches += 1
        if cursor == 0 or (max_batches is not None and batches >= max_batches):
            break
    return written


def journal_drain_user(*, user_id: int) -> int:
    """Persist one shopper's acknowledged claims now, so a voucher is usable the moment it is claimed."""
    client = claims_client()
    claim_ids = sorted(client.smembers(pending_key(user_id)))
    if not claim_ids:
        return 0
    values = client.hmget(journal_key(), claim_ids)
    entries = [(str(cid), str(entry)) for cid, entry in zip(claim_ids, values, strict=True) if entry]
    gone = [cid for cid, entry in zip(claim_ids, values, strict=True) if not entry]
    if gone:
        client.srem(pending_key(user_id), *gone)
    return _persist_entries(client, entries)


def journal_length() -> int:
    return int(claims_client().hlen(journal_key()))


# --- recovery -----------------------------------------------------------------------------------------
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
    lock = _p("recovering")
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
        for allocation_id in _loaded_allocation_ids(client):
            released = _released_claim_ids(allocation_id)
            pipe = client.pipeline(transaction=True)
            pipe.hset(allocation_key(allocation_id), "issued", _cents(net.get(allocation_id, Decimal(0))))
            pipe.delete(released_key(allocation_id))
            if released:
                pipe.sadd(released_key(allocation_id), *released)
            # The per-user counts are reloaded from the database with the allocation on its next claim.
            pipe.delete(user_counts_key(allocation_id))
            pipe.execute()
        _scan_delete(client, _p("c:*"))
        _scan_delete(client, _p("u:*"))  # per-user count keys of the previous layout, if any
        _scan_delete(client, _p("t:*"))  # tokens forgotten while the server was away may have come back
        client.set(open_key(), _run_id(client))
        logger.info("claims Redis recovered and reopened")
        return True
    finally:
        if client.get(lock) == token:
            client.delete(lock)


def _wait_until_open(client: redis.Redis) -> bool:
    """Another process is recovering: wait a little for it rather than failing the claim at once."""
    deadline = time.monotonic() + settings.VOUCHER_RECOVERY_WAIT_MS / 1000
    while time.monotonic() < deadline:
        time.sleep(0.02)
        if client.get(open_key()) == _run_id(client):
            return True
    return False


def claims_open() -> bool:
    client = claims_client()
    return bool(client.get(open_key()) == _run_id(client))


def fast_counters() -> dict[int, Decimal]:
    """The claims Redis's budget counters (cents -> Decimal) of loaded allocations."""
    client = claims_client()
    result: dict[int, Decimal] = {}
    for allocation_id in _loaded_allocation_ids(client):
        issued = client.hget(allocation_key(allocation_id), "issued")
        if issued is not None:
            result[allocation_id] = Decimal(int(issued)) / CENTS
    return result


def _loaded_allocation_ids(client: redis.Redis) -> list[int]:
    """Ids of the allocation hashes (``a:<id>``, not their released sets or per-user counts)."""
    ids = []
    for key in client.scan_iter(match=_p("a:*"), count=1000):
        suffix = str(key)[len(_p("a:")) :]
        if suffix.isdigit():
            ids.append(int(suffix))
    return ids
