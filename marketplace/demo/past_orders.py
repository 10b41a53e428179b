"""Demo step: past orders of the demo shoppers, placed through the orders services so that stock,
payments, shipments and vouchers stay consistent, then dated back into the campaign's window.

Each order is made now by the real path (cart -> checkout with or without a voucher -> payment ->
the merchant ships -> the shopper confirms, or a cancellation) and afterwards only its timestamps (and
those of its payment, shipments and redeemed voucher) are moved back to the day the plan gives, so
the shop's history and the campaign report look lived in. The pending order keeps "now" (it is
cancelled by the payment timeout like any other). Idempotent: every planned order has its own address
marker and is made once.
"""

from __future__ import annotations

import datetime
import math
import random
import zoneinfo
from decimal import Decimal
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from green_venue.selectors import green_certified_q
from marketplace.accounts.models import User
from marketplace.catalog.models import City, Product
from marketplace.core.errors import DomainError
from marketplace.demo.campaign import FOOD, GENERAL, demo_campaign
from marketplace.demo.context import MERCHANT_USERNAME_PREFIX, DemoContext
from marketplace.demo.people import SHOPPER_NAMES, shopper_username
from marketplace.orders import services as order_services
from marketplace.orders.models import CartItem, Order, OrderStatus, Payment, Shipment
from marketplace.orders.selectors import packaging_options_for_products
from vouchers import services as voucher_services
from vouchers.models import Allocation, Voucher, VoucherStatus
from vouchers.selectors import CandidateLine, voucher_eligible_lines

ADDRESS_MARKER = "Demo order "
MIN_STOCK = 20
EVERYDAY_PRICE = Decimal("1500.00")
SHIPPING_CITIES = (
    "shanghai",
    "beijing",
    "guangzhou",
    "shenzhen",
    "hangzhou",
    "chengdu",
    "wuhan",
    "nanjing",
    "xian",
    "chongqing",
)
STREETS = (
    "Century Avenue",
    "Chang'an Avenue",
    "Tianhe Road",
    "Shennan Boulevard",
    "West Lake Road",
    "Chunxi Road",
)
# Every choice shows up; "none" only where every product may ship in its own box (else recycled).
PACKAGING_CYCLE = ("recycled", "standard", "reusable", "none", "recycled", "standard", "recycled")

DELIVERED, SHIPPED, PAID = "delivered", "shipped", "paid"
CANCELLED_AFTER_PAYMENT, CANCELLED_UNPAID, PENDING = "cancelled_paid", "cancelled_unpaid", "pending"


class OrderPlan(NamedTuple):
    status: str
    days_ago: int  # 0: placed now (the pending order)
    hour: int
    voucher: str | None  # name of the demo allocation the shopper's voucher comes from


PLANS: tuple[OrderPlan, ...] = (
    OrderPlan(DELIVERED, 16, 10, GENERAL),
    OrderPlan(DELIVERED, 15, 21, None),
    OrderPlan(DELIVERED, 14, 9, FOOD),
    OrderPlan(DELIVERED, 13, 20, None),
    OrderPlan(DELIVERED, 12, 12, GENERAL),
    OrderPlan(CANCELLED_AFTER_PAYMENT, 11, 15, GENERAL),
    OrderPlan(DELIVERED, 10, 22, None),
    OrderPlan(DELIVERED, 9, 8, None),
    OrderPlan(CANCELLED_UNPAID, 8, 11, None),
    OrderPlan(DELIVERED, 7, 19, GENERAL),
    OrderPlan(DELIVERED, 6, 13, None),
    OrderPlan(SHIPPED, 5, 10, FOOD),
    OrderPlan(SHIPPED, 4, 20, None),
    OrderPlan(SHIPPED, 3, 9, GENERAL),
    OrderPlan(CANCELLED_AFTER_PAYMENT, 3, 14, None),
    OrderPlan(SHIPPED, 2, 21, None),
    OrderPlan(PAID, 1, 10, GENERAL),
    OrderPlan(PAID, 1, 19, None),
    OrderPlan(PAID, 1, 8, FOOD),
    OrderPlan(DELIVERED, 8, 17, None),
    OrderPlan(PAID, 2, 9, None),
    OrderPlan(PENDING, 0, 0, None),
)


def order_address(index: int) -> str:
    return f"{ADDRESS_MARKER}{index + 1:02d}, {100 + index * 7} {STREETS[index % len(STREETS)]}"


def demo_orders() -> Any:
    return Order.objects.filter(address__startswith=ADDRESS_MARKER)


class _Stock:
    """The demo's products, fetched once: all of them, and the green certified ones (which plain orders
    alternate with the others)."""

    def __init__(self) -> None:
        products = list(
            Product.objects.filter(
                merchant__owner__username__startswith=MERCHANT_USERNAME_PREFIX,
                active=True,
                stock__gte=MIN_STOCK,
            )
            .select_related("merchant", "category", "category__parent")
            .order_by("pk")
        )
        green_ids = set(
            Product.objects.filter(
                green_certified_q(), pk__in=[product.pk for product in products]
            ).values_list("pk", flat=True)
        )
        self.all = products
        self.green = [product for product in products if product.pk in green_ids]

    def for_voucher(self, rng: random.Random, allocation: Allocation) -> list[tuple[Product, int]]:
        """Lines the allocation's vouchers count (checkout's own rule) reaching its minimum spend."""
        candidates = [
            CandidateLine(
                product_id=product.pk,
                category_id=product.category_id,
                merchant_id=product.merchant_id,
                line_total=product.price,
            )
            for product in self.all
        ]
        counted = {
            line.product_id for line in voucher_eligible_lines(allocation=allocation, lines=candidates)
        }
        scope = [product for product in self.all if product.pk in counted]
        if not scope:
            return []
        product = rng.choice([p for p in scope if p.price >= allocation.min_spend] or scope)
        quantity = max(1, math.ceil(allocation.min_spend / product.price))
        return [(product, min(quantity, product.stock // 2))]

    def any(self, rng: random.Random, *, green: bool) -> list[tuple[Product, int]]:
        """One or two everyday products (an order of a 7,000-yuan fridge would dwarf the others), green
        certified or not: the plan alternates, so the venue's share of sales is visible but not total."""
        everyday = [product for product in self.all if product.price <= EVERYDAY_PRICE] or self.all
        green_ids = {product.pk for product in self.green}
        pool = [product for product in everyday if (product.pk in green_ids) == green] or everyday
        first = rng.choice(pool)
        lines = [(first, rng.choice((1, 1, 2)))]
        if rng.random() < 0.4:
            second = rng.choice(pool)
            if second.pk != first.pk:
                lines.append((second, 1))
        return lines


def _voucher_code(ctx: DemoContext, shopper: User, allocation: Allocation) -> str | None:
    voucher = Voucher.objects.filter(
        owner=shopper, allocation=allocation, status=VoucherStatus.ISSUED
    ).first()
    if voucher is not None:
        return voucher.code
    try:
        return voucher_services.voucher_claim(user=shopper, allocation_id=allocation.pk).code
    except DomainError as exc:
        ctx.say(f"  voucher of {allocation.name!r} for {shopper.username} skipped: {exc.detail}")
        return None


def _placed_at(plan: OrderPlan, now: datetime.datetime) -> datetime.datetime:
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    day = timezone.localdate(now, zone) - datetime.timedelta(days=plan.days_ago)
    return min(datetime.datetime.combine(day, datetime.time(plan.hour, 7 * plan.hour % 60), tzinfo=zone), now)


def _advance(order: Order, plan: OrderPlan) -> Order:
    """Take the order through its planned life with the services a shopper and a merchant use."""
    if plan.status == CANCELLED_UNPAID:
        return order_services.order_cancel(order=order, reason="payment_timeout")
    if plan.status == PENDING:
        return order
    order = order_services.order_pay(order=order)
    if plan.status == CANCELLED_AFTER_PAYMENT:
        return order_services.order_cancel(order=order, reason="shopper")
    if plan.status in (SHIPPED, DELIVERED):
        for shipment in Shipment.objects.filter(order=order).select_related("merchant").order_by("pk"):
            order_services.shipment_ship(merchant=shipment.merchant, shipment_id=shipment.pk)
        order.refresh_from_db()
    if plan.status == DELIVERED:
        order = order_services.order_confirm_receipt(order=order)
    return order


def _date_back(order: Order, plan: OrderPlan, placed: datetime.datetime) -> None:
    """Move the timestamps of an order made just now to the day its plan gives (same sequence)."""
    if plan.status == PENDING:
        return
    paid = placed + datetime.timedelta(minutes=4) if order.paid_at else None
    shipped = placed + datetime.timedelta(days=1, hours=2) if order.shipped_at else None
    delivered = placed + datetime.timedelta(days=3, hours=5) if order.delivered_at else None
    cancel_delay = (
        datetime.timedelta(hours=3) if paid else datetime.timedelta(minutes=settings.PAYMENT_TIMEOUT_MINUTES)
    )
    cancelled = placed + cancel_delay if order.cancelled_at else None
    Order.objects.filter(pk=order.pk).update(
        created_at=placed, paid_at=paid, shipped_at=shipped, delivered_at=delivered, cancelled_at=cancelled
    )
    Shipment.objects.filter(order=order).update(shipped_at=shipped, delivered_at=delivered)
    if paid:
        Payment.objects.filter(order=order).update(created_at=paid)
        Payment.objects.filter(order=order, refunded_at__isnull=False).update(refunded_at=cancelled)
    voucher = Voucher.objects.filter(order=order, status=VoucherStatus.REDEEMED).first()
    if voucher is not None:
        claimed = placed - datetime.timedelta(hours=3)
        shift = voucher.claimed_at - claimed
        Voucher.objects.filter(pk=voucher.pk).update(
            claimed_at=claimed, redeemed_at=placed, expires_at=voucher.expires_at - shift
        )


def load_past_orders(ctx: DemoContext) -> None:
    made = set(demo_orders().values_list("address", flat=True))
    todo = [(index, plan) for index, plan in enumerate(PLANS) if order_address(index) not in made]
    if not todo:
        return
    shoppers = {
        user.username: user
        for user in User.objects.filter(username__in=[shopper_username(i) for i in range(len(SHOPPER_NAMES))])
    }
    campaign = demo_campaign()
    allocations = (
        {allocation.name: allocation for allocation in campaign.allocations.all()} if campaign else {}
    )
    cities = list(City.objects.filter(slug__in=SHIPPING_CITIES).order_by("slug"))
    stock = _Stock()
    if not shoppers or not cities or not stock.all:
        return
    now = timezone.now()
    for index, plan in todo:
        rng = ctx.rng(f"past_orders:{index}")
        shopper = shoppers.get(shopper_username(index % len(SHOPPER_NAMES)))
        if shopper is None:
            continue
        allocation = allocations.get(plan.voucher) if plan.voucher else None
        lines = stock.for_voucher(rng, allocation) if allocation is not None else []
        code = _voucher_code(ctx, shopper, allocation) if allocation is not None and lines else None
        if not lines or code is None:
            lines = stock.any(rng, green=index % 2 == 1)
            code = None
        options = packaging_options_for_products(products=[product for product, _ in lines])
        wanted = PACKAGING_CYCLE[index % len(PACKAGING_CYCLE)]
        packaging = wanted if wanted in options else "recycled"
        CartItem.objects.filter(cart__user=shopper).delete()  # the demo shopper's own browsing is not ordered
        try:
            for product, quantity in lines:
                order_services.cart_add_item(user=shopper, product=product, quantity=quantity)
            order = order_services.order_place(
                user=shopper,
                shipping_city=rng.choice(cities),
                address=order_address(index),
                packaging=packaging,
                voucher_code=code,
            )
            order = _advance(order, plan)
        except DomainError as exc:
            CartItem.objects.filter(cart__user=shopper).delete()
            ctx.say(f"  demo order {index + 1} skipped: {exc.detail}")
            continue
        _date_back(order, plan, _placed_at(plan, now))
        ctx.count("orders", 1)


def demo_paid_order_ids() -> list[int]:
    return list(
        demo_orders()
        .filter(Q(paid_at__isnull=False), ~Q(status=OrderStatus.PENDING_PAYMENT))
        .values_list("pk", flat=True)
    )


__all__ = ["PLANS", "demo_orders", "demo_paid_order_ids", "load_past_orders", "order_address"]
