"""Fetch: load what the engine needs from the database into its frozen dataclasses, so that the engine
computes without one (docs/architecture.md, "Fetch, then compute")."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from carbon.engine import FactorTable, FactorValue, LineInput, OrderInput, Point, ProductInput, ShipmentInput
from carbon.models import FactorSet
from marketplace.catalog.models import City, Product
from marketplace.orders.models import Order, OrderLine, Shipment


def factor_table_for_set(factor_set: FactorSet) -> FactorTable:
    rows = factor_set.factors.all().values_list("key", "value", "unit", "scope", "proxy")
    return FactorTable.from_rows(
        factor_set.version,
        (
            FactorValue(key=key, value=value, unit=unit, scope=scope, proxy=proxy)
            for key, value, unit, scope, proxy in rows
        ),
    )


def point_of(city: City) -> Point:
    return Point(latitude=Decimal(city.latitude), longitude=Decimal(city.longitude))


def last_mile_km() -> Decimal:
    return Decimal(settings.LAST_MILE_KM)


def orders_for_labels() -> QuerySet[Order]:
    """Orders with everything a label reads joined or prefetched (a constant number of queries)."""
    lines = OrderLine.objects.select_related("category", "category__parent", "product").order_by("id")
    shipments = (
        Shipment.objects.select_related("origin_city", "merchant")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("id")
    )
    return Order.objects.select_related("shipping_city").prefetch_related(
        Prefetch("shipments", queryset=shipments)
    )


def product_input(
    product: Product,
    *,
    unit_price: Decimal | None = None,
    category: Any = None,
    weight_grams: int | None = None,
) -> ProductInput:
    category = category or product.category
    parent = category.parent
    return ProductInput(
        product_id=product.pk,
        category_slug=category.slug,
        parent_category_slug=parent.slug if parent is not None else None,
        weight_grams=weight_grams if weight_grams is not None else product.weight_grams,
        unit_price=Decimal(unit_price if unit_price is not None else product.price),
        declared_kg=product.declared_footprint_kg,
        declared_document=product.declared_footprint_document or "",
        ships_in_own_box=product.ships_in_own_box,
    )


def order_input(order: Order) -> OrderInput:
    """The order as the engine sees it: the lines' snapshot (weight, price, category as ordered), the
    product's declared footprint, each shipment's origin and the merchant's last-mile vehicle."""
    shipments = []
    for shipment in order.shipments.all():
        lines = tuple(
            LineInput(
                product=product_input(
                    line.product,
                    unit_price=line.unit_price,
                    category=line.category,
                    weight_grams=line.weight_grams,
                ),
                quantity=line.quantity,
            )
            for line in shipment.lines.all()
        )
        if lines:
            shipments.append(
                ShipmentInput(
                    origin=point_of(shipment.origin_city),
                    vehicle=shipment.merchant.last_mile_vehicle,
                    lines=lines,
                )
            )
    return OrderInput(
        destination=point_of(order.shipping_city),
        packaging=order.packaging,
        last_mile_km=last_mile_km(),
        shipments=tuple(shipments),
    )


def cart_input(
    *, items: Iterable[tuple[Product, int]], destination: City, packaging: str = "standard"
) -> OrderInput:
    """A cart as an order-to-be: one shipment per merchant, from the merchant's city."""
    by_merchant: dict[int, tuple[Any, list[LineInput]]] = {}
    for product, quantity in items:
        merchant = product.merchant
        by_merchant.setdefault(merchant.pk, (merchant, []))[1].append(
            LineInput(product=product_input(product), quantity=quantity)
        )
    shipments = tuple(
        ShipmentInput(origin=point_of(merchant.city), vehicle=merchant.last_mile_vehicle, lines=tuple(lines))
        for merchant, lines in by_merchant.values()
    )
    return OrderInput(
        destination=point_of(destination),
        packaging=packaging,
        last_mile_km=last_mile_km(),
        shipments=shipments,
    )
