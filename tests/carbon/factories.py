"""Orders for carbon tests: through the real order services, or written directly in bulk (benchmark)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from django.utils import timezone

from marketplace.catalog.models import Category, City, Product
from marketplace.orders import services as order_services
from marketplace.orders.models import Order, OrderLine, OrderStatus, Shipment
from tests.factories import CategoryFactory, CityFactory, MerchantFactory, ProductFactory, UserFactory

__all__ = [
    "CategoryFactory",
    "CityFactory",
    "MerchantFactory",
    "ProductFactory",
    "UserFactory",
    "appliance_category",
    "beijing",
    "paid_order",
    "place_and_pay",
    "shanghai",
]


def shanghai() -> City:
    city = cast(
        City,
        CityFactory(
            slug="shanghai", name_en="Shanghai", latitude=Decimal("31.23040"), longitude=Decimal("121.47370")
        ),
    )
    return city


def beijing() -> City:
    city = cast(
        City,
        CityFactory(
            slug="beijing", name_en="Beijing", latitude=Decimal("39.90420"), longitude=Decimal("116.40740")
        ),
    )
    return city


def appliance_category() -> Category:
    parent = cast(Category, CategoryFactory(slug="home-appliances", name_en="Home appliances"))
    category = cast(Category, CategoryFactory(slug="kettles", name_en="Kettles", parent=parent))
    return category


def place_and_pay(user: Any, *lines: tuple[Product, int], city: City, packaging: str = "standard") -> Order:
    """Checkout and payment through the orders app (payment enqueues the label on commit)."""
    for product, quantity in lines:
        order_services.cart_add_item(user=user, product=product, quantity=quantity)
    order = order_services.order_place(
        user=user, shipping_city=city, address="1 Green Road", packaging=packaging, voucher_code=None
    )
    return order_services.order_pay(order=order)


def paid_order(
    *,
    user: Any,
    product: Product,
    city: City,
    quantity: int = 1,
    packaging: str = "standard",
    paid_at: datetime | None = None,
) -> Order:
    """A paid order written directly (no task enqueued): for recomputation tests and the benchmark."""
    total = product.price * quantity
    order = Order.objects.create(
        user=user,
        status=OrderStatus.PAID,
        shipping_city=city,
        address="1 Green Road",
        packaging=packaging,
        subtotal=total,
        discount=0,
        total=total,
        paid_at=paid_at or timezone.now(),
    )
    shipment = Shipment.objects.create(
        order=order, merchant=product.merchant, origin_city=product.merchant.city
    )
    OrderLine.objects.create(
        order=order,
        product=product,
        merchant=product.merchant,
        shipment=shipment,
        product_name_en=product.name_en,
        product_name_zh=product.name_zh,
        unit_price=product.price,
        quantity=quantity,
        line_total=total,
        weight_grams=product.weight_grams,
        category=product.category,
    )
    return order
