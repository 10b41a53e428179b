"""Demo step: green merchant alliance members, through ``merchants.alliance.services``: shops that meet
the criteria apply with pledges, staff approve most of them (two stay in the review queue), members
make commitments, report progress on their declared KPIs, and the platform measures its KPIs over the
last 30 days (after the demo's orders). Idempotent: a shop with any membership is left as it is, a
commitment per (member, KPI) and a report per period are made once."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db.models import Count

from green_venue.selectors import green_certified_q
from marketplace.accounts.models import User
from marketplace.catalog.models import Product
from marketplace.core.errors import DomainError
from marketplace.demo.context import STAFF_USERNAME, DemoContext
from marketplace.demo.people import SHOPS, merchant_username
from merchants.alliance import services
from merchants.alliance.models import AllianceMembership, Commitment, MembershipStatus, ProgressReport
from merchants.alliance.selectors import marketplace_today
from merchants.models import Merchant

MEMBERS = 6  # approved; the next two candidates stay "applied" for the staff queue
APPLICANTS = 2
PLEDGE_SETS = (
    ["green_products", "green_logistics"],
    ["green_products", "reduced_packaging"],
    ["green_products", "green_power", "green_logistics"],
    ["green_products", "green_power", "reduced_packaging", "green_logistics"],
)


class CommitmentSpec(NamedTuple):
    kpi: str
    baseline: str
    target: str
    level: str
    # Declared reports: values of the two last quarters (on track, behind...).
    reports: tuple[str, ...] = ()


COMMITMENTS: tuple[tuple[CommitmentSpec, ...], ...] = (
    (
        CommitmentSpec("certified_product_share", "20.00", "60.00", "platform_measured"),
        CommitmentSpec("renewable_electricity_share", "15.00", "50.00", "self_declared", ("21.00", "27.50")),
    ),
    (
        CommitmentSpec("green_packaging_order_share", "10.00", "50.00", "platform_measured"),
        CommitmentSpec(
            "scope_1_2_emissions", "120.0000", "80.0000", "limited_assurance", ("116.0000", "113.5000")
        ),
    ),
    (
        CommitmentSpec("certified_sales_share", "25.00", "70.00", "platform_measured"),
        CommitmentSpec(
            "recycled_packaging_material_share", "30.00", "80.00", "self_declared", ("38.00", "49.00")
        ),
        CommitmentSpec("kgco2e_per_order", "6.0000", "4.0000", "platform_measured"),
    ),
)
BASELINE_DAYS_AGO = 180
TARGET_IN_DAYS = 540
EVIDENCE_URL = "https://demo.example.com/alliance/evidence"


def _candidates(limit: int) -> list[Merchant]:
    """The first ``limit`` demo shops (in SHOPS order) that meet the alliance's criteria; the certified
    product count is read for all shops in one query before the full check of the few needed."""
    owners = [merchant_username(index) for index in range(len(SHOPS))]
    certified = dict(
        Product.objects.filter(green_certified_q(), merchant__owner__username__in=owners)
        .values("merchant__owner__username")
        .annotate(n=Count("id"))
        .values_list("merchant__owner__username", "n")
    )
    likely = [name for name in owners if certified.get(name, 0) >= settings.ALLIANCE_MIN_CERTIFIED_PRODUCTS]
    shops = {
        shop.owner.username: shop
        for shop in Merchant.objects.filter(owner__username__in=likely).select_related("owner")
    }
    chosen: list[Merchant] = []
    for name in likely:
        shop = shops.get(name)
        if shop is not None and all(c.passed for c in services.membership_criteria(merchant=shop)):
            chosen.append(shop)
            if len(chosen) == limit:
                break
    return chosen


def _quarters(today: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """The two last full 90-day periods after the baseline, oldest first."""
    end = today - datetime.timedelta(days=1)
    return [
        (end - datetime.timedelta(days=179), end - datetime.timedelta(days=90)),
        (end - datetime.timedelta(days=89), end),
    ]


def _commit(
    ctx: DemoContext, member: Merchant, specs: tuple[CommitmentSpec, ...], today: datetime.date
) -> None:
    owner = member.owner
    made = {
        c.kpi.code: c
        for c in Commitment.objects.filter(membership__merchant=member).select_related(
            "kpi", "membership__merchant"
        )
    }
    for spec in specs:
        commitment = made.get(spec.kpi)
        if commitment is None:
            try:
                commitment = services.commitment_create(
                    user=owner,
                    kpi_code=spec.kpi,
                    baseline_value=Decimal(spec.baseline),
                    baseline_date=today - datetime.timedelta(days=BASELINE_DAYS_AGO),
                    target_value=Decimal(spec.target),
                    target_date=today + datetime.timedelta(days=TARGET_IN_DAYS),
                    verification_level=spec.level,
                )
            except DomainError as exc:
                ctx.say(f"  commitment {spec.kpi} of {member.name} skipped: {exc.detail}")
                continue
            ctx.count("alliance commitments", 1)
        reported = set(
            ProgressReport.objects.filter(commitment=commitment).values_list("period_start", "period_end")
        )
        for (start, end), value in zip(_quarters(today), spec.reports, strict=False):
            if (start, end) in reported:
                continue
            services.progress_report_declare(
                commitment=commitment,
                user=owner,
                period_start=start,
                period_end=end,
                value=Decimal(value),
                evidence_url=f"{EVIDENCE_URL}/{member.pk}/{spec.kpi}/{end.isoformat()}",
                evidence_text="Utility bills and supplier statements (demo).",
            )
            ctx.count("alliance progress reports", 1)


def load_alliance(ctx: DemoContext) -> None:
    staff = User.objects.filter(username=STAFF_USERNAME).first()
    if staff is None:
        return
    today = marketplace_today()
    with_membership = set(AllianceMembership.objects.values_list("merchant_id", flat=True))
    candidates = _candidates(MEMBERS + APPLICANTS)
    for position, shop in enumerate(candidates):
        if shop.pk in with_membership:
            continue
        membership = services.membership_apply(
            user=shop.owner,
            pledges=PLEDGE_SETS[position % len(PLEDGE_SETS)],
            declarations={"renewable_electricity_percent": 10 + 5 * position},
        )
        ctx.count("alliance applications", 1)
        if position < MEMBERS:
            services.membership_approve(membership=membership, user=staff)
    members = list(
        AllianceMembership.objects.filter(status=MembershipStatus.ACTIVE, merchant__in=candidates[:MEMBERS])
        .select_related("merchant", "merchant__owner")
        .order_by("merchant_id")
    )
    for position, membership in enumerate(members):
        _commit(ctx, membership.merchant, COMMITMENTS[position % len(COMMITMENTS)], today)
    period_end = today - datetime.timedelta(days=1)
    for membership in members:
        services.membership_measure(
            membership_id=membership.pk,
            period_start=period_end - datetime.timedelta(days=29),
            period_end=period_end,
        )
