"""The claim: one call of ``claim.lua`` checks that claims are open, the campaign's copy, the window, the
budget counter, the shopper's count and the rate limits, then counts and journals the claim, atomically.
Everything else here answers what the script reports: a missing counter or campaign is loaded and the
claim retried, closed claims are recovered (or waited for) once, a repeated claim id is answered with
the voucher it already made.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

import redis
from django.conf import settings

from marketplace.core.errors import NotFound
from vouchers.backends import ClaimResult
from vouchers.backends.database import result_for
from vouchers.backends.redis.campaigns import campaign_id_of, put_campaign
from vouchers.backends.redis.counters import load_allocation
from vouchers.backends.redis.journal import journal_drain_user
from vouchers.backends.redis.keys import (
    allocation_key,
    campaign_key,
    from_cents,
    from_epoch,
    idempotency_key,
    journal_key,
    open_key,
    pending_key,
    prefixed,
    user_counts_key,
)
from vouchers.backends.redis.recovery import claims_recover, wait_until_open
from vouchers.backends.redis.server import claims_client, run_script
from vouchers.errors import (
    BudgetExhausted,
    ClaimsUnavailable,
    IdempotencyMismatch,
    LimitReached,
    NotActive,
    RateLimited,
    VoucherError,
)
from vouchers.models import Campaign, Voucher, new_voucher_code

logger = logging.getLogger(__name__)

_REFUSALS: dict[str, type[VoucherError]] = {
    "not_active": NotActive,
    "limit_reached": LimitReached,
    "budget_exhausted": BudgetExhausted,
}


def _rate_limit_args(user_id: int | None, ip: str | None, now: int) -> tuple[list[str], list[int]]:
    """The rate-limit window keys and ARGV 7-10 of claim.lua (counted inside the claim's round trip);
    without a user id the script derives the user's key itself, from the same window."""
    if ip is None:
        unused = prefixed("rl:-")
        return [unused, unused], [0, 0, 0, 0]
    user_limit, user_window = settings.CLAIM_RATE_LIMIT
    ip_limit, ip_window = settings.CLAIM_RATE_LIMIT_PER_IP
    return (
        [
            prefixed(f"rl:u:{user_id}:{now // user_window}") if user_id is not None else prefixed("-"),
            prefixed(f"rl:ip:{ip or 'unknown'}:{now // ip_window}"),
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
            face_value=from_cents(face),
            min_spend=from_cents(min_spend),
            expires_at=from_epoch(expires),
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
            campaign_id = campaign_id_of(allocation_id)
        except NotFound:
            if by_token:
                return None  # authenticate first: an unknown caller gets 401, not 404
            raise
        client = claims_client()
        claim = str(claim_id)
        unused = prefixed("-")
        keys = [
            open_key(),
            allocation_key(allocation_id),
            campaign_key(campaign_id),
            user_counts_key(allocation_id),
            journal_key(),
            pending_key(user_id) if user_id is not None else unused,
            idempotency_key(claim_id),
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
                reply = run_script(
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
                        face_value=from_cents(face),
                        min_spend=from_cents(min_spend),
                        expires_at=from_epoch(expires),
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
                    if recovered or not (claims_recover() or wait_until_open(client)):
                        raise ClaimsUnavailable()
                    recovered = True
                    continue
                if outcome == "noload_alloc":
                    load_allocation(client, allocation_id)
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
