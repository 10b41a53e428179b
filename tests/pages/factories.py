"""A small marketplace for the page tests: two shops, a shopper with a cart and a paid order."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from marketplace.accounts.models import User
from marketplace.catalog.models import Category, City, Product
from marketplace.orders import services as order_services
from marketplace.orders.models import Order, Shipment
from merchants.models import Merchant
from tests.factories import CategoryFactory, CityFactory, MerchantFactory, ProductFactory, UserFactory

PASSWORD = "correct-horse-battery"

__all__ = ["PASSWORD", "World", "build_world"]


@dataclass
class World:
    city: City
    top_category: Category
    category: Category
    merchant_user: User
    merchant: Merchant
    product: Product
    other_merchant_user: User
    other_merchant: Merchant
    other_product: Product
    shopper: User
    order: Order
    shipment: Shipment


def build_world(**product_values: Any) -> World:
    city = CityFactory(
        slug="pages-test-hangzhou",
        name_en="Hangzhou",
        name_zh="杭州",
        province_en="Zhejiang",
        province_zh="浙江",
    )
    top = CategoryFactory(slug="pages-test-home", name_en="Home and garden", name_zh="家居园艺")
    child = CategoryFactory(slug="pages-test-kitchen", name_en="Kitchen", name_zh="厨房", parent=top)
    merchant_user = UserFactory(username="merchant-a")
    merchant = MerchantFactory(owner=merchant_user, name="Bamboo House", city=city)
    other_user = UserFactory(username="merchant-b")
    other = MerchantFactory(owner=other_user, name="Tea Garden", city=city)
    product = ProductFactory(
        merchant=merchant,
        category=child,
        name_en="Bamboo cutting board",
        name_zh="竹制砧板",
        price=Decimal("1299.00"),
        stock=20,
        **product_values,
    )
    other_product = ProductFactory(
        merchant=other,
        category=child,
        name_en="Clay teapot",
        name_zh="紫砂壶",
        price=Decimal("88.50"),
        stock=5,
    )
    shopper = UserFactory(username="shopper")
    order_services.cart_add_item(user=shopper, product=product, quantity=1)
    order = order_services.order_place(
        user=shopper, shipping_city=city, address="1 Green Road", packaging="standard", voucher_code=None
    )
    order = order_services.order_pay(order=order)
    # Something left in the cart, so the checkout page has something to show.
    order_services.cart_add_item(user=shopper, product=other_product, quantity=2)
    return World(
        city=city,
        top_category=top,
        category=child,
        merchant_user=merchant_user,
        merchant=merchant,
        product=product,
        other_merchant_user=other_user,
        other_merchant=other,
        other_product=other_product,
        shopper=shopper,
        order=order,
        shipment=order.shipments.get(),
    )
