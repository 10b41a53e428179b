"""Data and invariant checks of the chaos script (``benchmarks/chaos.py``). Runs in the script's own process
once ``django.setup()`` has read the script's environment (its database and its private claims Redis).

The invariants are the marketplace's promises under load (budgets and per-user limits hold, nothing
acknowledged is lost, the ledger balances, stock is conserved, every paid order is labelled), checked on
what the database holds after the journal drain and the recovery, against what the clients were told
(every 201 of a claim). The issued figure and voucher eligibility are the vouchers app's own functions,
so these checks judge by the rules checkout and the staff pages apply rather than by copies of them.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from benchmarks.chaos_load import Products, Shopper

STAFF = "chaos-staff"
SHOPPER_PREFIX = "chaos-shopper-"
CITY = "shanghai"
GREEN_SCHEME = "china-green-product"
GREEN_CATEGORY = "air-purifiers"  # under home-appliances, which the China Green Product scheme covers


@dataclass(frozen=True)
class Setup:
    campaign_id: int
    scarce_allocation_id: int  # its budget covers fewer vouchers than the shoppers ask for
    plentiful_allocation_id: int  # its budget covers every claim the per-user limit allows
    per_user_limit: int
    face_value: Decimal
    shoppers: list[Shopper]
    products: Products
    initial_stock: dict[int, int]


def prepare(
    *, shoppers: int, per_user_limit: int, budget_vouchers: int, face_value: Decimal, stock: int
) -> Setup:
    """Shoppers with tokens; an active campaign with a scarce allocation (its budget covers
    ``budget_vouchers``, fewer than the shoppers may claim) and a plentiful one (claims succeed all along,
    so acknowledged claims keep flowing whatever the throughput, across the claims Redis crash); a shop with
    two green-certified products and one plain one."""
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from green_venue.models import Certificate, CertificateProduct, CertificateStatus, CertificationScheme
    from green_venue.selectors import marketplace_today
    from marketplace.accounts.models import User
    from marketplace.catalog.models import Category, City, Product
    from merchants.models import Merchant
    from vouchers import services

    staff = User.objects.create(username=STAFF, is_staff=True)
    users = User.objects.bulk_create(
        [User(username=f"{SHOPPER_PREFIX}{i}") for i in range(shoppers)], batch_size=1000
    )
    tokens = Token.objects.bulk_create([Token(user=u, key=Token.generate_key()) for u in users])
    now = timezone.now()
    scarce = face_value * budget_vouchers
    plentiful = face_value * shoppers * per_user_limit
    campaign = services.campaign_create(
        user=staff,
        name="chaos",
        total_budget=scarce + plentiful + face_value * 100,
        starts_at=now - timedelta(minutes=5),
        ends_at=now + timedelta(days=1),
    )
    services.campaign_transition(campaign_id=campaign.pk, user=staff, action="activate")
    allocations = []
    for name, slice_budget in (("scarce", scarce), ("plentiful", plentiful)):
        allocations.append(
            services.allocation_create(
                campaign_id=campaign.pk,
                user=staff,
                name=name,
                budget=slice_budget,
                face_value=face_value,
                min_spend=face_value * 10,
                per_user_limit=per_user_limit,
                claim_starts_at=now - timedelta(minutes=5),
                claim_ends_at=now + timedelta(days=1),
                valid_days=7,
            ).pk
        )

    city = City.objects.get(slug="beijing")
    owner = User.objects.create(username="chaos-merchant")
    merchant = Merchant.objects.create(owner=owner, name="Chaos green shop", city=city)
    category = Category.objects.get(slug=GREEN_CATEGORY)
    min_spend = face_value * 10

    def product(name: str, price: Decimal) -> Product:
        return Product.objects.create(
            merchant=merchant,
            category=category,
            name_en=name,
            name_zh=name,
            price=price,
            stock=stock,
            weight_grams=3000,
        )

    green_big = product("Green purifier", min_spend + face_value)  # alone above the minimum spend
    green_small = product("Green filter", (min_spend * 6 / 10).quantize(Decimal("0.01")))  # two are
    plain = product("Plain purifier", min_spend * 3)
    certificate = Certificate.objects.create(
        merchant=merchant,
        scheme=CertificationScheme.objects.get(code=GREEN_SCHEME),
        number="CGP-CHAOS-0001",
        holder=merchant.name,
        valid_from=marketplace_today() - datetime.timedelta(days=30),
        valid_until=marketplace_today() + datetime.timedelta(days=300),
        status=CertificateStatus.VERIFIED,
        submitted_by=owner,
    )
    for green in (green_big, green_small):
        CertificateProduct.objects.create(certificate=certificate, product=green)
    return Setup(
        campaign_id=campaign.pk,
        scarce_allocation_id=allocations[0],
        plentiful_allocation_id=allocations[1],
        per_user_limit=per_user_limit,
        face_value=face_value,
        shoppers=[Shopper(user_id=t.user_id, token=t.key) for t in tokens],
        products=Products(green_big=green_big.pk, green_small=green_small.pk, plain=plain.pk),
        initial_stock={p.pk: stock for p in (green_big, green_small, plain)},
    )


def publish_new_factor_set(version: str) -> int:
    """Publish a new factor set: every paid order gets one more label, recomputed by the worker."""
    from carbon import services
    from carbon.factor_data import DEFAULT_FACTOR_SET_FILE

    factor_set = services.factor_set_create_from_file(path=DEFAULT_FACTOR_SET_FILE, version=version)
    services.factor_set_publish(factor_set=factor_set)
    return factor_set.pk


def labels_missing() -> int:
    """(order, factor set) pairs the one-label-per-set rule (docs/invariants.md) requires and the database
    does not hold yet."""
    from carbon.models import FactorSet
    from carbon.services import orders_missing_label

    return sum(
        orders_missing_label(factor_set).count()
        for factor_set in FactorSet.objects.filter(published_at__isnull=False)
    )


class Checks:
    """Results of every check, in order; a check holds when it has no problem lines."""

    def __init__(self) -> None:
        self.results: list[tuple[str, list[str], str]] = []

    def add(self, name: str, problems: list[str], detail: str = "") -> None:
        self.results.append((name, problems, detail))

    @property
    def ok(self) -> bool:
        return all(not problems for _, problems, _ in self.results)


def _sample(problems: list[str], limit: int = 5) -> list[str]:
    return problems[:limit] + ([f"... and {len(problems) - limit} more"] if len(problems) > limit else [])


def check_invariants(
    setup: Setup,
    *,
    acknowledged: list[tuple[str, int, int]],
    reconcile_output: tuple[int, str],
    statuses: Counter[str],
    unexpected: list[str],
) -> Checks:
    from django.db.models import Count, F, Q, Sum

    from carbon.models import CarbonLabel
    from marketplace.catalog.models import Product
    from marketplace.orders.models import Order, OrderLine, OrderStatus, Shipment
    from vouchers.models import (
        Allocation,
        BudgetEntry,
        Campaign,
        EntryKind,
        Voucher,
        VoucherStatus,
        bucket_issued_sum,
    )
    from vouchers.reconcile import reconcile
    from vouchers.selectors import (
        allocation_issued,
        allocation_voucher_counts,
        allocation_with_counts,
        voucher_eligibility,
    )

    checks = Checks()

    def allocations() -> Any:
        """Read afresh for each check: what the issued figure counts, and what the budget buckets hold."""
        return allocation_with_counts(queryset=Allocation.objects.order_by("pk")).annotate(
            issued_amount=bucket_issued_sum()
        )

    # 1. Budgets.
    problems: list[str] = []
    details = []
    for allocation in allocations():
        counts = allocation_voucher_counts(allocation=allocation)
        issued = allocation_issued(allocation=allocation, counts=counts)
        details.append(
            f"allocation {allocation.pk}: {counts.issued} vouchers, {issued} of {allocation.budget}"
        )
        if issued > allocation.budget or allocation.issued_amount > allocation.budget:
            problems.append(
                f"allocation {allocation.pk}: issued {issued} (buckets {allocation.issued_amount}) > "
                f"budget {allocation.budget}"
            )
    for campaign in Campaign.objects.order_by("pk"):
        total = Allocation.objects.filter(campaign=campaign).aggregate(s=Sum("budget"))["s"] or Decimal(0)
        if total > campaign.total_budget or campaign.allocated > campaign.total_budget:
            problems.append(
                f"campaign {campaign.pk}: allocations {total} > total budget {campaign.total_budget}"
            )
    checks.add("1 issued <= budget; allocations <= campaign budget", problems, "; ".join(details))

    # 2. Per-user limit, in the database and in what the clients were told.
    over = (
        Voucher.objects.values("allocation_id", "owner_id", "per_user_limit")
        .annotate(n=Count("id"))
        .filter(n__gt=F("per_user_limit"))
    )
    problems = [
        f"user {row['owner_id']} holds {row['n']} vouchers of allocation {row['allocation_id']}"
        for row in over
    ]
    told = Counter((user_id, allocation_id) for _, user_id, allocation_id in acknowledged)
    problems += [
        f"user {u} was given {n} vouchers of allocation {a} (limit {setup.per_user_limit})"
        for (u, a), n in told.items()
        if n > setup.per_user_limit
    ]
    most = max(told.values(), default=0)
    checks.add("2 per-user limit held", _sample(problems), f"most acknowledged to one shopper: {most}")

    # Nothing acknowledged is lost: each 201's code is in the database once, owned by the shopper told.
    codes = [code for code, _, _ in acknowledged]
    stored = {
        row["code"]: row
        for row in Voucher.objects.filter(code__in=codes).values("code", "owner_id", "allocation_id")
    }
    problems = []
    duplicates = [code for code, n in Counter(codes).items() if n > 1]
    problems += [f"code {code} was acknowledged twice" for code in duplicates]
    for code, user_id, allocation_id in acknowledged:
        found = stored.get(code)
        if found is None:
            problems.append(f"acknowledged code {code} (user {user_id}) is not in the database")
        elif found["owner_id"] != user_id or found["allocation_id"] != allocation_id:
            problems.append(
                f"code {code} is user {found['owner_id']}'s of allocation {found['allocation_id']}, "
                f"acknowledged to user {user_id} from allocation {allocation_id}"
            )
    in_db = Voucher.objects.count()
    checks.add(
        "every acknowledged voucher exists exactly once (nothing lost)",
        _sample(problems),
        f"{len(codes)} acknowledged, {in_db} in the database "
        f"({in_db - len(set(codes) & set(stored))} issued whose 201 never reached the client)",
    )

    # 3. A voucher backs at most one live order; discount is the face value or nothing; eligible lines only.
    problems = []
    live_orders = Order.objects.exclude(status=OrderStatus.CANCELLED)
    for row in (
        live_orders.exclude(voucher_code="").values("voucher_code").annotate(n=Count("id")).filter(n__gt=1)
    ):
        problems.append(f"voucher {row['voucher_code']} backs {row['n']} live orders")
    vouchers = {
        v.code: v
        for v in Voucher.objects.select_related("allocation").filter(
            code__in=live_orders.exclude(voucher_code="").values("voucher_code")
        )
    }
    discounted = list(live_orders.filter(discount__gt=0).prefetch_related("lines"))
    for order in discounted:
        voucher = vouchers.get(order.voucher_code)
        if voucher is None or order.discount != voucher.face_value:
            problems.append(f"order {order.pk}: discount {order.discount} without its voucher's face value")
            continue
        if voucher.status != VoucherStatus.REDEEMED or voucher.order_id != order.pk:
            problems.append(
                f"order {order.pk}: voucher {voucher.code} is {voucher.status} for order {voucher.order_id}"
            )
        # Judged by checkout's own rule (scope included), today, as a checkout now would judge it.
        eligibility = voucher_eligibility(voucher=voucher, lines=order.lines.all())
        if not eligibility.min_spend_met:
            problems.append(
                f"order {order.pk}: eligible lines {eligibility.subtotal} < minimum spend {voucher.min_spend}"
            )
    for order in live_orders.filter(discount=0).exclude(voucher_code=""):
        problems.append(f"order {order.pk} names voucher {order.voucher_code} but has no discount")
    redeemed_elsewhere = Voucher.objects.filter(status=VoucherStatus.REDEEMED).exclude(
        order__status__in=[s for s in OrderStatus.values if s != OrderStatus.CANCELLED]
    )
    problems += [f"voucher {v.code} is redeemed without a live order" for v in redeemed_elsewhere]
    problems += unexpected
    checks.add(
        "3 a voucher backs at most one live order; discount = face value; eligible lines only",
        _sample(problems),
        f"{live_orders.count()} live orders, {len(discounted)} discounted",
    )

    # 4. Ledger balances, and every counter agrees after reconciliation.
    problems = []
    sums = {
        row["allocation_id"]: row
        for row in BudgetEntry.objects.values("allocation_id").annotate(
            reserve=Sum("amount", filter=Q(kind=EntryKind.RESERVE), default=Decimal(0)),
            release=Sum("amount", filter=Q(kind=EntryKind.RELEASE), default=Decimal(0)),
            redeem=Count("id", filter=Q(kind=EntryKind.REDEEM)),
            unredeem=Count("id", filter=Q(kind=EntryKind.UNREDEEM)),
        )
    }
    for allocation in allocations():
        row = sums.get(
            allocation.pk, {"reserve": Decimal(0), "release": Decimal(0), "redeem": 0, "unredeem": 0}
        )
        net = row["reserve"] - row["release"]
        counts = allocation_voucher_counts(allocation=allocation)
        issued = allocation_issued(allocation=allocation, counts=counts)
        if not (net == issued == allocation.issued_amount):
            problems.append(
                f"allocation {allocation.pk}: reserves - releases {net}, issued figure {issued}, "
                f"buckets {allocation.issued_amount}"
            )
        if row["redeem"] - row["unredeem"] != counts.redeemed:
            problems.append(
                f"allocation {allocation.pk}: {row['redeem']} redeems - {row['unredeem']} unredeems != "
                f"{counts.redeemed} redeemed vouchers"
            )
    problems += [f"reconcile(): {line}" for line in reconcile()]
    exit_code, output = reconcile_output
    if exit_code != 0:
        problems.append(f"manage.py reconcile_vouchers exited {exit_code}: {output}")
    checks.add(
        "4 ledger balances; counters agree after reconciliation",
        _sample(problems),
        f"reconcile_vouchers: {output.splitlines()[-1] if output else '(no output)'}",
    )

    # 5. Stock never negative, conserved; every order whole.
    problems = []
    for product in Product.objects.filter(pk__in=setup.initial_stock):
        sold = (
            OrderLine.objects.filter(product=product)
            .exclude(order__status=OrderStatus.CANCELLED)
            .aggregate(n=Sum("quantity"))["n"]
            or 0
        )
        if product.stock < 0:
            problems.append(f"product {product.pk}: stock {product.stock}")
        if product.stock + sold != setup.initial_stock[product.pk]:
            problems.append(
                f"product {product.pk}: stock {product.stock} + sold {sold} != "
                f"initial {setup.initial_stock[product.pk]}"
            )
    broken = Order.objects.annotate(
        n_lines=Count("lines", distinct=True),
        n_shipments=Count("shipments", distinct=True),
        line_sum=Sum("lines__line_total"),
    ).filter(Q(n_lines=0) | Q(n_shipments=0))
    problems += [f"order {o.pk} has {o.n_lines} lines and {o.n_shipments} shipments" for o in broken]
    for order in Order.objects.prefetch_related("lines"):
        subtotal = sum((line.line_total for line in order.lines.all()), Decimal(0))
        if order.subtotal != subtotal or order.total != order.subtotal - order.discount:
            problems.append(
                f"order {order.pk}: subtotal {order.subtotal}, lines {subtotal}, total {order.total}"
            )
    orphans = Shipment.objects.filter(order__isnull=True).count()
    if orphans:
        problems.append(f"{orphans} shipments without an order")
    stock_detail = ", ".join(
        f"{p.name_en} {p.stock}" for p in Product.objects.filter(pk__in=setup.initial_stock).order_by("pk")
    )
    checks.add("5 stock never negative; orders whole", _sample(problems), f"stock left: {stock_detail}")

    # 6. One label per paid order and applicable factor set.
    problems = []
    missing = labels_missing()
    if missing:
        problems.append(f"{missing} (order, factor set) labels missing")
    for row in CarbonLabel.objects.values("order", "factor_set").annotate(n=Count("id")).filter(n__gt=1):
        problems.append(f"order {row['order']} has {row['n']} labels of factor set {row['factor_set']}")
    paid = Order.objects.filter(paid_at__isnull=False).count()
    checks.add(
        "6 every paid order has exactly one label per factor set",
        _sample(problems),
        f"{paid} paid orders, {CarbonLabel.objects.count()} labels",
    )

    # No answer was a 500 (a 500 is always a bug).
    errors = {label: n for label, n in statuses.items() if label.split(" ")[1].startswith("500")}
    checks.add("no 500 answers", [f"{label}: {n}" for label, n in errors.items()])
    return checks
