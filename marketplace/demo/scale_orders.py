"""``load_demo_data --scale`` orders: 1,000,000 historical orders of scale shoppers, written with COPY.

Each batch (orders, their shipments and lines) is one transaction, with ids reserved from the tables'
sequences first, so lines can point at their order and shipment without a round trip per row. Order
``k`` is always generated the same way (seeded by ``k``) and a re-run continues after the orders that
exist, so the command is idempotent and resumable. Orders are spread over the last 60 days: mostly
delivered, some shipped or paid and waiting, some cancelled for non-payment. They skip checkout on
purpose (no stock taken, no vouchers, no payments rows); paid ones get their carbon label from the
carbon app's sweep of unlabelled paid orders.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Model
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.catalog.models import City, Product
from marketplace.demo.context import DEMO_EMAIL_DOMAIN, DEMO_SEED, DemoContext, Progress
from marketplace.demo.scale import SCALE_MERCHANT_PREFIX
from merchants.models import Merchant

SCALE_SHOPPER_PREFIX = "scale_s"
ORDERS_PER_SCALE_SHOPPER = 20
HISTORY_DAYS = 60
STREETS = ("人民路", "解放路", "中山路", "建设路", "和平路", "新华路", "长江路", "文化路", "青年路", "花园路")
DISTRICTS = ("东城区", "西城区", "高新区", "新区", "经开区", "南湖区", "滨江区")
PACKAGING = ("standard", "recycled", "reusable")
PACKAGING_WEIGHTS = (60, 30, 10)
# status -> weight; pending_payment is left out: the payment-timeout task would cancel old ones at once.
STATUSES = ("delivered", "shipped", "paid", "cancelled")
STATUS_WEIGHTS = (72, 10, 8, 10)

ORDER_FIELDS = (
    "id", "user", "status", "shipping_city", "address", "packaging", "subtotal", "discount", "total",
    "currency", "voucher_code", "cancel_reason", "created_at", "paid_at", "cancelled_at", "shipped_at",
    "delivered_at",
)  # fmt: skip
SHIPMENT_FIELDS = ("id", "order", "merchant", "origin_city", "status", "shipped_at", "delivered_at")
LINE_FIELDS = (
    "id", "order", "product", "merchant", "shipment", "product_name_en", "product_name_zh", "unit_price",
    "quantity", "line_total", "weight_grams", "category",
)  # fmt: skip


class ScaleOrdersUnavailable(RuntimeError):
    """The Order model is missing or has required fields this loader does not fill."""


@dataclass(frozen=True, slots=True)
class _Item:
    id: int
    merchant_id: int
    price: Decimal
    weight_grams: int
    category_id: int
    name_en: str
    name_zh: str


def order_models() -> tuple[type[Model], type[Model], type[Model]]:
    """Order, Shipment, OrderLine, checked to have the fields written here (and no other required one)."""
    try:
        from marketplace.orders.models import Order, OrderLine, Shipment
    except ImportError as exc:
        raise ScaleOrdersUnavailable("marketplace.orders.models has no Order, Shipment or OrderLine") from exc
    for model, fields in ((Order, ORDER_FIELDS), (Shipment, SHIPMENT_FIELDS), (OrderLine, LINE_FIELDS)):
        known = set(_columns(model, fields))
        unknown_required = [
            field.column
            for field in model._meta.concrete_fields
            if field.column not in known and not field.null and not field.has_default()
        ]
        if unknown_required:
            raise ScaleOrdersUnavailable(
                f"{model.__name__} has required fields the scale loader does not fill: {unknown_required}"
            )
    return Order, Shipment, OrderLine


def _columns(model: type[Model], fields: Sequence[str]) -> list[str]:
    columns = []
    for name in fields:
        field = model._meta.get_field(name)
        if not isinstance(field, models.Field) or not field.column:
            raise ScaleOrdersUnavailable(f"{model.__name__}.{name} is not a column")
        columns.append(field.column)
    return columns


def _reserve_ids(model: type[Model], count: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy(model: type[Model], fields: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in _columns(model, fields))
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def ensure_scale_shoppers(ctx: DemoContext, *, count: int) -> list[int]:
    usernames = [f"{SCALE_SHOPPER_PREFIX}{i + 1:07d}" for i in range(count)]
    existing = set(
        User.objects.filter(username__startswith=SCALE_SHOPPER_PREFIX).values_list("username", flat=True)
    )
    new_users = [
        User(username=name, email=f"{name}@{DEMO_EMAIL_DOMAIN}", password=ctx.password_hash)
        for name in usernames
        if name not in existing
    ]
    progress = Progress(ctx.err, "scale shoppers", len(new_users))
    for start in range(0, len(new_users), ctx.batch_size):
        chunk = new_users[start : start + ctx.batch_size]
        with transaction.atomic():
            User.objects.bulk_create(chunk, batch_size=min(ctx.batch_size, 1000))
        progress.advance(len(chunk))
    progress.finish()
    ctx.count("scale users", len(new_users))
    ids = dict(User.objects.filter(username__startswith=SCALE_SHOPPER_PREFIX).values_list("username", "id"))
    return [ids[name] for name in usernames]


def _load_items() -> tuple[list[_Item], dict[int, list[_Item]], dict[int, int]]:
    items = [
        _Item(*row)
        for row in Product.objects.filter(merchant__owner__username__startswith=SCALE_MERCHANT_PREFIX)
        .order_by("id")
        .values_list("id", "merchant_id", "price", "weight_grams", "category_id", "name_en", "name_zh")
        .iterator(chunk_size=20_000)
    ]
    by_merchant: dict[int, list[_Item]] = {}
    for item in items:
        by_merchant.setdefault(item.merchant_id, []).append(item)
    merchant_cities = dict(
        Merchant.objects.filter(owner__username__startswith=SCALE_MERCHANT_PREFIX).values_list(
            "id", "city_id"
        )
    )
    return items, by_merchant, merchant_cities


def _order_rows(
    number: int,
    *,
    now: datetime,
    shoppers: list[int],
    cities: list[tuple[int, str]],
    items: list[_Item],
    by_merchant: dict[int, list[_Item]],
    merchant_cities: dict[int, int],
) -> tuple[tuple[Any, ...], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Order ``number`` as (order row, shipment rows, line rows) with ids left to fill (None)."""
    rng = random.Random(DEMO_SEED * 10_000_000 + number)
    status = rng.choices(STATUSES, weights=STATUS_WEIGHTS)[0]
    created = now - timedelta(seconds=rng.randint(3600, HISTORY_DAYS * 86_400))
    paid = created + timedelta(minutes=rng.randint(1, 25)) if status != "cancelled" else None
    shipped = (
        paid + timedelta(hours=rng.randint(4, 48)) if paid and status in ("shipped", "delivered") else None
    )
    delivered = shipped + timedelta(days=rng.randint(1, 4)) if shipped and status == "delivered" else None
    cancelled = created + timedelta(minutes=30) if status == "cancelled" else None
    shipment_status = "delivered" if delivered else "shipped" if shipped else "pending"

    city_id, city_zh = cities[rng.randrange(len(cities))]
    address = f"{city_zh}{rng.choice(DISTRICTS)}{rng.choice(STREETS)}{rng.randint(1, 999)}号"
    merchant_ids: list[int] = []
    for _ in range(2 if rng.random() < 0.2 else 1):
        merchant_id = items[rng.randrange(len(items))].merchant_id
        if merchant_id not in merchant_ids:
            merchant_ids.append(merchant_id)
    shipments = []
    lines = []
    subtotal = Decimal(0)
    for merchant_id in merchant_ids:
        shipments.append(
            (None, None, merchant_id, merchant_cities[merchant_id], shipment_status, shipped, delivered)
        )
        stock = by_merchant[merchant_id]
        for item in rng.sample(stock, min(len(stock), 1 if rng.random() < 0.7 else 2)):
            quantity = 1 if rng.random() < 0.8 else rng.randint(2, 3)
            line_total = item.price * quantity
            subtotal += line_total
            lines.append(
                (
                    None,
                    None,
                    item.id,
                    merchant_id,
                    len(shipments) - 1,
                    item.name_en,
                    item.name_zh,
                    item.price,
                    quantity,
                    line_total,
                    item.weight_grams,
                    item.category_id,
                )
            )
    order = (
        None, shoppers[number % len(shoppers)], status, city_id, address,
        rng.choices(PACKAGING, weights=PACKAGING_WEIGHTS)[0], subtotal, Decimal(0), subtotal, "CNY", "",
        "payment_timeout" if status == "cancelled" else "", created, paid, cancelled, shipped, delivered,
    )  # fmt: skip
    return order, shipments, lines


def ensure_scale_orders(ctx: DemoContext, *, total: int) -> None:
    Order, Shipment, OrderLine = order_models()
    shoppers = ensure_scale_shoppers(ctx, count=max(1, math.ceil(total / ORDERS_PER_SCALE_SHOPPER)))
    items, by_merchant, merchant_cities = _load_items()
    if not items:
        raise ScaleOrdersUnavailable("no scale products to order: run --scale with --products first")
    existing = Order._default_manager.filter(user__username__startswith=SCALE_SHOPPER_PREFIX).count()
    cities = list(City.objects.order_by("id").values_list("id", "name_zh"))
    now = timezone.now()
    progress = Progress(ctx.err, "scale orders", max(0, total - existing))
    for start in range(existing, total, ctx.batch_size):
        batch = [
            _order_rows(
                number,
                now=now,
                shoppers=shoppers,
                cities=cities,
                items=items,
                by_merchant=by_merchant,
                merchant_cities=merchant_cities,
            )
            for number in range(start, min(start + ctx.batch_size, total))
        ]
        with transaction.atomic():
            order_ids = iter(_reserve_ids(Order, len(batch)))
            shipment_ids = iter(_reserve_ids(Shipment, sum(len(shipments) for _, shipments, _ in batch)))
            line_ids = iter(_reserve_ids(OrderLine, sum(len(lines) for _, _, lines in batch)))
            order_rows, shipment_rows, line_rows = [], [], []
            for order, shipments, lines in batch:
                order_id = next(order_ids)
                order_rows.append((order_id, *order[1:]))
                own_shipment_ids = []
                for shipment in shipments:
                    own_shipment_ids.append(next(shipment_ids))
                    shipment_rows.append((own_shipment_ids[-1], order_id, *shipment[2:]))
                for line in lines:
                    line_rows.append(
                        (next(line_ids), order_id, line[2], line[3], own_shipment_ids[line[4]], *line[5:])
                    )
            _copy(Order, ORDER_FIELDS, order_rows)
            _copy(Shipment, SHIPMENT_FIELDS, shipment_rows)
            _copy(OrderLine, LINE_FIELDS, line_rows)
        progress.advance(len(batch))
        ctx.count("scale orders", len(batch))
        ctx.count("scale order lines", len(line_rows))
    progress.finish()
