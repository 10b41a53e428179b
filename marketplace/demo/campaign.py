"""Demo step: the "Green Double Eleven" voucher campaign, its allocations and vouchers claimed by demo
shoppers - all through ``vouchers.services``, so the budget ledger balances as in real use.

The window is placed around the day the demo is loaded (it began 18 days ago and ends in 14), so the
vouchers are claimable when the demo is served. The budget is the real 100,000,000.00 CNY; the
allocations are a scaled-down slice of it (the rest stays unallocated for staff to hand out).
Idempotent: the campaign is found by name, each allocation by its name, and a shopper claims only the
vouchers they do not already hold.
"""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.catalog.models import Category
from marketplace.core.errors import DomainError
from marketplace.demo.context import STAFF_USERNAME, DemoContext
from marketplace.demo.people import SHOPS, merchant_username, shopper_username
from merchants.models import Merchant
from vouchers import services
from vouchers.models import Allocation, Campaign, CampaignStatus, Voucher

CAMPAIGN_NAME = "Green Double Eleven"
CAMPAIGN_BUDGET = Decimal("100000000.00")
STARTED_DAYS_AGO = 18
ENDS_IN_DAYS = 14
TEA_SHOP_INDEX = next(index for index, shop in enumerate(SHOPS) if shop.brand_en == "Chashan")


class AllocationSpec(NamedTuple):
    name: str
    budget: str
    face_value: str
    min_spend: str
    per_user_limit: int
    valid_days: int
    category: str | None = None
    merchant_index: int | None = None
    opens_in_days: int = 0  # a claim window that opens later (a preview of the next wave)
    claimers: int = 0  # demo shoppers 1..n hold one voucher of it


GENERAL = "Green ¥20 off ¥199"
APPLIANCES = "Green ¥50 off ¥499 · Home appliances"
FOOD = "Green ¥10 off ¥99 · Food & drinks"
TEA = "Green ¥5 off ¥39 · Chashan Tea House"
PREVIEW = "Double Twelve preview ¥30 off ¥299"

ALLOCATIONS: tuple[AllocationSpec, ...] = (
    AllocationSpec(GENERAL, "20000000.00", "20.00", "199.00", 2, 10, claimers=14),
    AllocationSpec(
        APPLIANCES, "30000000.00", "50.00", "499.00", 1, 14, category="home-appliances", claimers=4
    ),
    AllocationSpec(FOOD, "10000000.00", "10.00", "99.00", 3, 7, category="food-beverages", claimers=10),
    AllocationSpec(TEA, "500000.00", "5.00", "39.00", 2, 7, merchant_index=TEA_SHOP_INDEX, claimers=3),
    AllocationSpec(PREVIEW, "5000000.00", "30.00", "299.00", 1, 7, opens_in_days=3),
)


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def _today() -> datetime.date:
    return timezone.localdate(timezone.now(), zoneinfo.ZoneInfo(settings.TIME_ZONE))


def demo_campaign() -> Campaign | None:
    return Campaign.objects.filter(name=CAMPAIGN_NAME).order_by("id").first()


def _ensure_campaign(ctx: DemoContext, staff: User) -> Campaign:
    campaign = demo_campaign()
    if campaign is not None:
        return campaign
    today = _today()
    campaign = services.campaign_create(
        user=staff,
        name=CAMPAIGN_NAME,
        total_budget=CAMPAIGN_BUDGET,
        starts_at=_local_midnight(today - datetime.timedelta(days=STARTED_DAYS_AGO)),
        ends_at=_local_midnight(today + datetime.timedelta(days=ENDS_IN_DAYS)),
    )
    campaign = services.campaign_transition(campaign_id=campaign.pk, user=staff, action="activate")
    ctx.count("voucher campaigns", 1)
    return campaign


def _ensure_allocations(ctx: DemoContext, campaign: Campaign, staff: User) -> dict[str, Allocation]:
    existing = {allocation.name: allocation for allocation in campaign.allocations.all()}
    if campaign.status == CampaignStatus.ENDED:
        return existing
    categories = dict(
        Category.objects.filter(
            slug__in=[spec.category for spec in ALLOCATIONS if spec.category]
        ).values_list("slug", "pk")
    )
    owners = [
        merchant_username(spec.merchant_index) for spec in ALLOCATIONS if spec.merchant_index is not None
    ]
    shops = {
        shop.owner.username: shop
        for shop in Merchant.objects.filter(owner__username__in=owners).select_related("owner")
    }
    for spec in ALLOCATIONS:
        if spec.name in existing:
            continue
        claim_starts_at = campaign.starts_at
        if spec.opens_in_days:
            claim_starts_at = _local_midnight(_today() + datetime.timedelta(days=spec.opens_in_days))
        shop = shops.get(merchant_username(spec.merchant_index)) if spec.merchant_index is not None else None
        try:
            existing[spec.name] = services.allocation_create(
                campaign_id=campaign.pk,
                user=staff,
                name=spec.name,
                budget=Decimal(spec.budget),
                face_value=Decimal(spec.face_value),
                min_spend=Decimal(spec.min_spend),
                per_user_limit=spec.per_user_limit,
                claim_starts_at=min(claim_starts_at, campaign.ends_at - datetime.timedelta(days=1)),
                claim_ends_at=campaign.ends_at,
                valid_days=spec.valid_days,
                category=Category.objects.get(pk=categories[spec.category]) if spec.category else None,
                merchant=shop,
            )
        except DomainError as exc:  # a campaign whose window has passed since an earlier run
            ctx.say(f"  allocation {spec.name!r} skipped: {exc.detail}")
            continue
        ctx.count("voucher allocations", 1)
    return existing


def _claim_for_shoppers(ctx: DemoContext, allocations: dict[str, Allocation]) -> None:
    services.voucher_journal_drain_quietly()  # the redis backend: claims of an earlier run are persisted
    wanted = [
        (spec, allocations[spec.name]) for spec in ALLOCATIONS if spec.claimers and spec.name in allocations
    ]
    usernames = [
        shopper_username(index) for index in range(max((spec.claimers for spec, _ in wanted), default=0))
    ]
    shoppers = {user.username: user for user in User.objects.filter(username__in=usernames)}
    held = set(
        Voucher.objects.filter(
            owner__username__in=usernames, allocation__in=[allocation for _, allocation in wanted]
        ).values_list("owner__username", "allocation_id")
    )
    now = timezone.now()
    for spec, allocation in wanted:
        if not allocation.claim_starts_at <= now < allocation.claim_ends_at:
            continue
        for index in range(spec.claimers):
            shopper = shoppers.get(shopper_username(index))
            if shopper is None or (shopper.username, allocation.pk) in held:
                continue
            try:
                services.voucher_claim(user=shopper, allocation_id=allocation.pk)
            except DomainError as exc:
                ctx.say(f"  claim of {spec.name!r} by {shopper.username} skipped: {exc.detail}")
                continue
            ctx.count("vouchers", 1)


def load_voucher_campaign(ctx: DemoContext) -> None:
    staff = User.objects.filter(username=STAFF_USERNAME).first()
    if staff is None:
        return
    campaign = _ensure_campaign(ctx, staff)
    allocations = _ensure_allocations(ctx, campaign, staff)
    if campaign.status == CampaignStatus.ACTIVE:
        _claim_for_shoppers(ctx, allocations)
