"""A small marketplace for the browser tests, built with the apps' own services and the test factories."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings

from marketplace.orders import services as order_services
from tests.factories import (
    CategoryFactory,
    CityFactory,
    MerchantFactory,
    ProductFactory,
    StaffFactory,
    UserFactory,
)
from tests.green_venue.factories import SchemeFactory, certified_product
from tests.vouchers.factories import make_allocation, make_campaign

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password


def log_in(context: Any, base_url: str, user: Any) -> None:
    """Give a browser context the session of ``user`` (as Django's test client's force_login does), for
    tests whose subject is not the login form."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def use_language(context: Any, base_url: str, language: str) -> None:
    """Choose the page language as the switcher does (it stores Django's language cookie)."""
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}])


def ensure_default_factor_set() -> None:
    """The flush after a transactional test empties the tables the data migrations filled; put the
    carbon app's default factor set back, so checkout shows footprints and paid orders get labels."""
    from django.utils.dateparse import parse_datetime

    from carbon.factor_data import load_factor_set_data
    from carbon.models import FactorSet
    from carbon.services import factor_set_create

    if FactorSet.objects.filter(is_active=True).exists():
        return
    data = load_factor_set_data()
    factor_set = FactorSet.objects.filter(version=data["version"]).first()
    if factor_set is None:
        factor_set = factor_set_create(version=data["version"], sources=data["sources"], rows=data["factors"])
    FactorSet.objects.filter(pk=factor_set.pk).update(
        is_active=True, published_at=parse_datetime(data["published_at"])
    )


@dataclass
class World:
    city: Any
    top: Any
    category: Any
    scheme: Any
    certificate: Any
    merchant: Any
    green_product: Any
    plain_product: Any
    staff: Any
    shopper: Any
    campaign: Any
    allocation: Any


def build_world() -> World:
    """Shanghai, one shop with a certified and a plain product, a staff member, a shopper, and an active
    green-voucher campaign with one allocation (¥30 off ¥200 of green products)."""
    ensure_default_factor_set()
    city = CityFactory(slug="shanghai-b", name_en="Shanghai", name_zh="上海")
    top = CategoryFactory(slug="home-b", name_en="Home", name_zh="家居")
    kitchen = CategoryFactory(slug="kitchen-b", name_en="Kitchen", name_zh="厨房", parent=top)
    owner = UserFactory(username="bamboo-owner")
    merchant = MerchantFactory(owner=owner, name="Bamboo House", city=city)
    scheme = SchemeFactory(code="china-green-b", name_en="China Green Product", name_zh="中国绿色产品")
    green, certificate = certified_product(
        scheme=scheme,
        merchant=merchant,
        category=kitchen,
        name_en="Bamboo cutting board",
        name_zh="竹制砧板",
        price=Decimal("129.00"),
        stock=20,
    )
    plain = ProductFactory(
        merchant=merchant, category=kitchen, name_en="Steel ladle", name_zh="钢汤勺", price=Decimal("39.00")
    )
    staff = StaffFactory(username="venue-staff")
    shopper = UserFactory(username="lin-shopper")
    campaign = make_campaign(user=staff, name="Double Eleven green week", total_budget="50000.00")
    allocation = make_allocation(
        campaign=campaign, name="Green ¥30 off ¥200", budget="3000.00", face_value="30.00", min_spend="200.00"
    )
    return World(
        city=city,
        top=top,
        category=kitchen,
        scheme=scheme,
        certificate=certificate,
        merchant=merchant,
        green_product=green,
        plain_product=plain,
        staff=staff,
        shopper=shopper,
        campaign=campaign,
        allocation=allocation,
    )


def paid_order(world: World, *, user: Any) -> Any:
    """An order of the green product, placed and paid through the orders services (the label follows)."""
    order_services.cart_add_item(user=user, product=world.green_product, quantity=1)
    order = order_services.order_place(
        user=user, shipping_city=world.city, address="88 Century Avenue", packaging="recycled"
    )
    return order_services.order_pay(order=order)
