"""Voucher services: campaigns, allocations, claims, redemption at checkout, expiry and voids. Checkout
(marketplace.orders) calls ``voucher_redeem_for_order`` and ``voucher_unredeem_for_order``."""

from __future__ import annotations

import contextlib
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.core.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from marketplace.core.money import Money
from vouchers.backends import ClaimResult, get_backend
from vouchers.buckets import create_buckets
from vouchers.errors import (
    AlreadyRedeemed,
    BudgetExhausted,
    ClaimsUnavailable,
    IdempotencyMismatch,
    MinSpendNotMet,
    NotEligible,
)
from vouchers.ledger import release_voucher_budget
from vouchers.models import (
    Allocation,
    BudgetEntry,
    Campaign,
    CampaignStatus,
    EntryKind,
    Voucher,
    VoucherStatus,
)

IDEMPOTENCY_NAMESPACE = uuid.UUID("6d1b7c8e-2f0a-4a57-9a55-3c0f1c6b9e21")
MAX_BUDGET = Decimal("999999999999.99")

_TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    # action: (states it applies to, the state it leads to)
    "activate": ((CampaignStatus.DRAFT,), CampaignStatus.ACTIVE),
    "pause": ((CampaignStatus.ACTIVE,), CampaignStatus.PAUSED),
    "resume": ((CampaignStatus.PAUSED,), CampaignStatus.ACTIVE),
    "end": ((CampaignStatus.ACTIVE, CampaignStatus.PAUSED), CampaignStatus.ENDED),
}


CAMPAIGN_ACTIONS = tuple(_TRANSITIONS)


def campaign_actions(campaign: Campaign) -> list[str]:
    """The transitions that apply to the campaign in its current state (what staff are offered)."""
    return [action for action, (sources, _target) in _TRANSITIONS.items() if campaign.status in sources]


def _redis_backend() -> bool:
    return bool(settings.VOUCHER_CLAIM_BACKEND == "redis")


def _require_staff(user: Any) -> None:
    if not getattr(user, "is_staff", False):
        raise Forbidden(_("Only staff manage voucher campaigns."))


def _campaign_changed(campaign_id: int) -> None:
    """Inside the change's transaction: the redis backend's copy of the campaign is dropped now and
    replaced by the new version after the commit."""
    if not _redis_backend():
        return
    from vouchers.backends import redis_journal

    redis_journal.forget_campaign(campaign_id)

    def push() -> None:
        redis_journal.push_campaign(Campaign.objects.get(pk=campaign_id))

    transaction.on_commit(push)


# --- campaigns ------------------------------------------------------------------------------------
def campaign_create(
    *, user: Any, name: str, total_budget: Decimal, starts_at: datetime, ends_at: datetime
) -> Campaign:
    _require_staff(user)
    if ends_at <= starts_at:
        raise InvalidInput(_("The campaign must end after it starts."), field="ends_at")
    campaign = Campaign(
        name=name, total_budget=total_budget, starts_at=starts_at, ends_at=ends_at, created_by=user
    )
    campaign.full_clean(exclude=["created_by"])
    campaign.save()
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, user: Any, **values: Any) -> Campaign:
    """Name and total budget any time (never below ``allocated``); the window only while draft."""
    _require_staff(user)
    unknown = set(values) - {"name", "total_budget", "starts_at", "ends_at"}
    if unknown:
        raise InvalidInput(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if "total_budget" in values:
        # One conditional UPDATE: a parallel allocation cannot slip between the check and the write.
        changed = Campaign.objects.filter(pk=campaign.pk, allocated__lte=values["total_budget"]).update(
            total_budget=values["total_budget"]
        )
        if not changed:
            raise InvalidInput(
                _("The total budget cannot go below the allocated %(amount)s.")
                % {"amount": campaign.allocated},
                field="total_budget",
            )
        campaign.refresh_from_db()
    if "starts_at" in values or "ends_at" in values:
        if campaign.status != CampaignStatus.DRAFT:
            raise InvalidInput(
                _("The window can only change while the campaign is a draft."), field="ends_at"
            )
        starts_at = values.get("starts_at", campaign.starts_at)
        ends_at = values.get("ends_at", campaign.ends_at)
        if ends_at <= starts_at:
            raise InvalidInput(_("The campaign must end after it starts."), field="ends_at")
        outside = campaign.allocations.filter(claim_starts_at__lt=starts_at) | campaign.allocations.filter(
            claim_ends_at__gt=ends_at
        )
        if outside.exists():
            raise InvalidInput(
                _("An allocation's claim window would fall outside the campaign."), field="ends_at"
            )
        campaign.starts_at, campaign.ends_at = starts_at, ends_at
        campaign.version += 1
        _campaign_changed(campaign.pk)
    if "name" in values:
        campaign.name = values["name"]
    campaign.save(update_fields=["name", "starts_at", "ends_at", "version"])
    return campaign


@transaction.atomic
def campaign_transition(*, campaign_id: int, user: Any, action: str) -> Campaign:
    """activate / pause / resume / end. Asking for the state it is already in changes nothing."""
    _require_staff(user)
    sources, target = _TRANSITIONS[action]
    campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound(_("No voucher campaign matches the given id."))
    if campaign.status == target:
        return campaign
    if campaign.status not in sources:
        raise InvalidTransition(
            _("A %(status)s campaign cannot be %(action)sd.") % {"status": campaign.status, "action": action}
        )
    if action == "activate" and campaign.ends_at <= timezone.now():
        raise InvalidTransition(_("This campaign's window is over."))
    campaign.status = target
    campaign.version += 1
    campaign.save(update_fields=["status", "version"])
    _campaign_changed(campaign.pk)
    if target == CampaignStatus.ACTIVE:
        _warm_after_commit(campaign.pk)
    return campaign


# --- allocations ----------------------------------------------------------------------------------
@transaction.atomic
def allocation_create(
    *,
    campaign_id: int,
    user: Any,
    name: str,
    budget: Decimal,
    face_value: Decimal,
    min_spend: Decimal,
    per_user_limit: int,
    claim_starts_at: datetime,
    claim_ends_at: datetime,
    valid_days: int,
    category: Any = None,
    merchant: Any = None,
    budget_buckets: int | None = None,
) -> Allocation:
    """A slice of the campaign's budget, split into budget buckets in the same transaction:
    ``budget_buckets`` of them (default ``VOUCHER_BUDGET_BUCKETS``), never more than the vouchers the
    budget covers."""
    _require_staff(user)
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound(_("No voucher campaign matches the given id."))
    if campaign.status == CampaignStatus.ENDED:
        raise InvalidTransition(_("An ended campaign takes no new allocations."))
    if min_spend < face_value:
        raise InvalidInput(_("The minimum spend must be at least the face value."), field="min_spend")
    if face_value > budget:
        raise InvalidInput(_("The budget must cover at least one voucher."), field="budget")
    if claim_ends_at <= claim_starts_at:
        raise InvalidInput(_("The claim window must end after it starts."), field="claim_ends_at")
    if claim_starts_at < campaign.starts_at or claim_ends_at > campaign.ends_at:
        raise InvalidInput(
            _("The claim window must lie inside the campaign's window."), field="claim_starts_at"
        )
    # Conditional UPDATE on the campaign's counter: two allocations created at once cannot together
    # exceed the total budget (the check constraint allocated <= total_budget is the backstop).
    taken = Campaign.objects.filter(pk=campaign.pk, allocated__lte=F("total_budget") - budget).update(
        allocated=F("allocated") + budget
    )
    if not taken:
        raise BudgetExhausted(_("The campaign's unallocated budget is smaller than this allocation."))
    allocation = Allocation(
        campaign=campaign,
        name=name,
        budget=budget,
        face_value=face_value,
        min_spend=min_spend,
        per_user_limit=per_user_limit,
        claim_starts_at=claim_starts_at,
        claim_ends_at=claim_ends_at,
        valid_days=valid_days,
        category=category,
        merchant=merchant,
    )
    allocation.full_clean(exclude=["campaign", "category", "merchant"])
    allocation.save()
    create_buckets(allocation=allocation, buckets=budget_buckets)
    if campaign.status == CampaignStatus.ACTIVE:
        _warm_after_commit(campaign.pk)
    return allocation


# --- claims ---------------------------------------------------------------------------------------
def idempotent_claim_id(*, user_id: int, idempotency_key: str) -> uuid.UUID:
    return uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"{user_id}:{idempotency_key}")


def voucher_claim(
    *,
    user: Any,
    allocation_id: int,
    idempotency_key: str | None = None,
    rate_limit_ip: str | None = None,
    remember_token: str | None = None,
) -> ClaimResult:
    """Claim one voucher of the allocation for ``user`` with the configured backend.

    With an idempotency key the claim id is derived from (user, key), so a repeated or parallel request
    cannot issue a second voucher: it gets the first one back. ``rate_limit_ip`` (the client's address)
    applies ``CLAIM_RATE_LIMIT`` and ``CLAIM_RATE_LIMIT_PER_IP`` (RateLimited, 429); the redis backend
    counts them in the claim's own round trip. ``remember_token``: the API token ``user`` was just
    authenticated with, which the redis backend remembers for ``voucher_claim_by_token``.
    """
    if idempotency_key:
        claim_id = idempotent_claim_id(user_id=user.pk, idempotency_key=idempotency_key)
    else:
        claim_id = uuid.uuid4()
    result = get_backend().claim(
        user=user,
        allocation_id=allocation_id,
        claim_id=claim_id,
        idempotent=bool(idempotency_key),
        rate_limit_ip=rate_limit_ip,
        remember_token=remember_token,
    )
    if result.allocation_id != allocation_id:
        raise IdempotencyMismatch()
    return result


def voucher_claim_by_token(
    *, token: str, allocation_id: int, rate_limit_ip: str | None = None
) -> ClaimResult | None:
    """The flash-sale fast path (redis backend): claim for the shopper the claims Redis remembers for
    this API token, authentication and claim in one round trip. The claims Redis learns the token on
    the shopper's first claim after a full authentication and forgets it when the user is saved or the
    token deleted (``vouchers.signals``), like the token cache. None when the token is not known there
    (or the backend is the database one): authenticate as usual and call ``voucher_claim``."""
    if not _redis_backend():
        return None
    from vouchers.backends.redis_journal import RedisClaimBackend

    return RedisClaimBackend().claim_by_token(
        token=token, allocation_id=allocation_id, rate_limit_ip=rate_limit_ip
    )


def voucher_journal_drain() -> int:
    """Persist the redis backend's journal (beat). Nothing to do with the database backend."""
    if not _redis_backend():
        return 0
    from vouchers.backends import redis_journal

    return redis_journal.journal_drain()


def voucher_journal_drain_quietly() -> None:
    """Drain for a live figure page: a claims Redis outage leaves the figures as the database has them."""
    import redis

    with contextlib.suppress(redis.RedisError):
        voucher_journal_drain()


def voucher_sync_user(*, user_id: int) -> None:
    """Make the shopper's acknowledged claims visible in the database now (redis backend). A claims
    Redis outage only delays it: reading vouchers still works."""
    if not _redis_backend():
        return
    import redis

    from vouchers.backends import redis_journal

    with contextlib.suppress(redis.RedisError):
        redis_journal.journal_drain_user(user_id=user_id)


def voucher_claims_recover_if_needed() -> bool:
    """Recover the claims Redis when it restarted (its run id changed) or was never opened. True when
    claims are open afterwards; False while it is unreachable or another process is recovering."""
    if not _redis_backend():
        return True
    import redis

    from vouchers.backends import redis_journal

    try:
        return redis_journal.claims_open() or redis_journal.claims_recover()
    except (redis.RedisError, ClaimsUnavailable):
        return False


def voucher_claims_warm(*, campaign_id: int | None = None) -> int:
    """Redis backend: recover the claims Redis if it restarted, then load every allocation shoppers can
    claim now or later (active campaigns; only ``campaign_id``'s when given) that it does not hold yet,
    so a flash sale's opening claims are one round trip each. Beat runs it with the journal drain, and a
    campaign's activation and new allocations run it at once. Returns how many allocations were loaded;
    a claims Redis outage only postpones it (the first claims load what is missing themselves)."""
    if not _redis_backend():
        return 0
    import redis

    from vouchers.backends import redis_journal

    allocations = Allocation.objects.filter(
        campaign__status=CampaignStatus.ACTIVE, claim_ends_at__gt=timezone.now()
    )
    if campaign_id is not None:
        allocations = allocations.filter(campaign_id=campaign_id)
    if not voucher_claims_recover_if_needed():
        return 0
    try:
        return redis_journal.preload_allocations(allocations.values_list("id", flat=True))
    except (redis.RedisError, ClaimsUnavailable):
        return 0


def _warm_after_commit(campaign_id: int) -> None:
    if _redis_backend():
        transaction.on_commit(lambda: voucher_claims_warm(campaign_id=campaign_id))


# --- release: expiry and void ---------------------------------------------------------------------
def _after_release(voucher: Voucher) -> None:
    if not _redis_backend():
        return
    from vouchers.backends import redis_journal

    allocation_id, claim_id, face = voucher.allocation_id, voucher.claim_id, voucher.face_value
    transaction.on_commit(
        lambda: redis_journal.push_release(allocation_id=allocation_id, claim_id=claim_id, face_value=face)
    )


def _release(voucher: Voucher, *, to_status: str, from_status: str, reason: str) -> bool:
    """Conditional status change then the ledger release, in the caller's transaction."""
    changed = Voucher.objects.filter(pk=voucher.pk, status=from_status).update(
        status=to_status, order=None, updated_at=timezone.now()
    )
    if not changed:
        return False
    release_voucher_budget(voucher=voucher, reason=reason)
    _after_release(voucher)
    return True


@transaction.atomic
def voucher_void(*, code: str, user: Any) -> Voucher:
    """Staff void an issued voucher; its face value goes back to the allocation."""
    if "\x00" in code:  # no code holds a NUL, and PostgreSQL text cannot be asked for one
        raise NotFound(_("No voucher matches the given code."))
    voucher = Voucher.objects.filter(code=code).first()
    if voucher is None and user.is_staff and _redis_backend():
        voucher_journal_drain_quietly()  # claimed a moment ago, not yet persisted
        voucher = Voucher.objects.filter(code=code).first()
    if voucher is None or (not user.is_staff and voucher.owner_id != user.pk):
        raise NotFound(_("No voucher matches the given code."))
    if not user.is_staff:
        raise Forbidden(_("Only staff void vouchers."))
    if voucher.status == VoucherStatus.VOID:
        return voucher
    if not _release(voucher, to_status=VoucherStatus.VOID, from_status=VoucherStatus.ISSUED, reason="void"):
        raise InvalidTransition(_("Only an issued voucher can be voided."))
    voucher.refresh_from_db()
    return voucher


def voucher_expire_due(*, now: datetime | None = None, batch_size: int = 500) -> int:
    """Expire issued vouchers past ``expires_at`` and release their budget; idempotent (beat)."""
    moment = now or timezone.now()
    expired = 0
    while True:
        due = list(
            Voucher.objects.filter(status=VoucherStatus.ISSUED, expires_at__lte=moment).order_by("id")[
                :batch_size
            ]
        )
        if not due:
            return expired
        for voucher in due:
            with transaction.atomic():
                if _release(
                    voucher,
                    to_status=VoucherStatus.EXPIRED,
                    from_status=VoucherStatus.ISSUED,
                    reason="expiry",
                ):
                    expired += 1
        if len(due) < batch_size:
            return expired


# --- checkout -------------------------------------------------------------------------------------
def _eligible_subtotal(*, voucher: Voucher, order: Any) -> Decimal:
    from green_venue.selectors import green_certified_product_ids

    allocation = voucher.allocation
    lines = list(order.lines.all())
    green = green_certified_product_ids(product_ids=[line.product_id for line in lines])
    category_ids: set[int] | None = None
    if allocation.category_id is not None:
        from marketplace.catalog.models import Category

        category_ids = {allocation.category_id} | set(
            Category.objects.filter(parent_id=allocation.category_id).values_list("id", flat=True)
        )
    total = Decimal(0)
    for line in lines:
        if line.product_id not in green:
            continue
        if category_ids is not None and line.category_id not in category_ids:
            continue
        if allocation.merchant_id is not None and line.merchant_id != allocation.merchant_id:
            continue
        total += line.line_total
    return total


def voucher_redeem_for_order(*, user: Any, code: str, order: Any) -> Money:
    """Apply the shopper's voucher ``code`` to ``order`` (inside the checkout transaction, after the
    order's lines exist). Returns the discount (the face value); raises a DomainError (a 409 with its
    code, docs/domain.md, "Eligibility") when the voucher cannot be applied, which rolls the whole
    checkout back.

    One conditional UPDATE (issued -> redeemed, not expired) decides among parallel checkouts: the
    others wait on the row and then find it redeemed (or take it if the first rolled back)."""
    code = (code or "").strip().upper()
    voucher = Voucher.objects.select_related("allocation").filter(code=code, owner=user).first()
    if voucher is None and _redis_backend():
        # Acknowledged a moment ago, not yet drained: persist the shopper's claims now.
        import redis

        from vouchers.backends import redis_journal

        try:
            redis_journal.journal_drain_user(user_id=user.pk)
        except redis.RedisError as exc:
            raise ClaimsUnavailable() from exc
        voucher = Voucher.objects.select_related("allocation").filter(code=code, owner=user).first()
    if voucher is None:
        raise InvalidInput(_("No voucher of yours has this code."), field="voucher")
    now = timezone.now()
    if voucher.status == VoucherStatus.REDEEMED:
        raise AlreadyRedeemed()
    if voucher.status != VoucherStatus.ISSUED or voucher.expires_at <= now:
        raise NotEligible(_("This voucher has expired or was voided."))
    eligible = _eligible_subtotal(voucher=voucher, order=order)
    if eligible <= 0:
        raise NotEligible(_("No green-certified item of this order is covered by the voucher."))
    if eligible < voucher.min_spend:
        raise MinSpendNotMet()
    taken = Voucher.objects.filter(pk=voucher.pk, status=VoucherStatus.ISSUED, expires_at__gt=now).update(
        status=VoucherStatus.REDEEMED, order=order, redeemed_at=now, updated_at=now
    )
    if not taken:
        voucher.refresh_from_db(fields=["status"])
        if voucher.status == VoucherStatus.REDEEMED:
            raise AlreadyRedeemed()
        raise NotEligible(_("This voucher has expired or was voided."))
    BudgetEntry.objects.create(
        allocation_id=voucher.allocation_id,
        voucher=voucher,
        kind=EntryKind.REDEEM,
        amount=voucher.face_value,
        key=f"redeem:{voucher.claim_id}:{order.pk}",
        order_id=order.pk,
    )
    return Money(voucher.face_value)


def voucher_unredeem_for_order(*, order: Any) -> None:
    """Give the voucher redeemed by ``order`` back (order cancelled, inside its transaction): issued
    again if it has not expired, else expired with its budget released."""
    voucher = Voucher.objects.select_for_update().filter(order=order, status=VoucherStatus.REDEEMED).first()
    if voucher is None:
        return
    now = timezone.now()
    BudgetEntry.objects.create(
        allocation_id=voucher.allocation_id,
        voucher=voucher,
        kind=EntryKind.UNREDEEM,
        amount=voucher.face_value,
        key=f"unredeem:{voucher.claim_id}:{order.pk}",
        order_id=order.pk,
    )
    if voucher.expires_at > now:
        Voucher.objects.filter(pk=voucher.pk).update(
            status=VoucherStatus.ISSUED, order=None, redeemed_at=None, updated_at=now
        )
    else:
        _release(
            voucher, to_status=VoucherStatus.EXPIRED, from_status=VoucherStatus.REDEEMED, reason="expiry"
        )
