"""With the demo data loaded, no storefront page answers 500, in either language, for any role."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from marketplace.accounts.models import User
from marketplace.catalog.models import Category, Product
from marketplace.orders.models import CartItem, Order
from tests.pages.conftest import client_as

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def _storefront_urls(*, shopper: Any, merchant: Any) -> list[str]:
    top = Category.objects.filter(parent__isnull=True).first()
    sub = Category.objects.filter(parent__isnull=False).first()
    product = Product.objects.visible().first()
    own_product = Product.objects.filter(merchant__owner=merchant).first()
    order = Order.objects.filter(user=shopper).first()
    assert top and sub and product and own_product
    urls = [
        reverse("catalog:home"),
        reverse("catalog:categories"),
        reverse("catalog:category", args=[top.slug]),
        reverse("catalog:category", args=[top.slug]) + "?page=2",
        reverse("catalog:category", args=[sub.slug]),
        reverse("catalog:product", args=[product.pk]),
        reverse("catalog:search") + "?q=bamboo",
        reverse("catalog:search") + "?q=茶",
        reverse("accounts:login"),
        reverse("accounts:register"),
        reverse("orders:cart"),
        reverse("orders:checkout"),
        reverse("orders:order-list"),
        reverse("merchants:dashboard"),
        reverse("merchants:open"),
        reverse("merchants:products"),
        reverse("merchants:product-create"),
        reverse("merchants:product-edit", args=[own_product.pk]),
        reverse("orders:merchant-shipments"),
    ]
    if order is not None:
        urls.append(reverse("orders:order-detail", args=[order.pk]))
    return urls


@pytest.fixture
def demo(settings: Any) -> dict[str, Any]:
    call_command("load_demo_data", verbosity=0)
    shopper = User.objects.filter(merchant__isnull=True, is_staff=False, orders__isnull=False).first()
    shopper = shopper or User.objects.filter(merchant__isnull=True, is_staff=False).first()
    merchant = User.objects.filter(merchant__isnull=False, merchant__products__isnull=False).first()
    staff = User.objects.filter(is_staff=True).first()
    assert shopper and merchant
    # Something in the cart, so the checkout page renders its form.
    product = Product.objects.visible().filter(stock__gt=0).exclude(merchant__owner=shopper).first()
    assert product
    from marketplace.orders import services

    if not CartItem.objects.filter(cart__user=shopper).exists():
        services.cart_add_item(user=shopper, product=product, quantity=1)
    return {"shopper": shopper, "merchant": merchant, "staff": staff}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_no_storefront_page_fails_with_the_demo_data(demo: dict[str, Any], language: str) -> None:
    urls = _storefront_urls(shopper=demo["shopper"], merchant=demo["merchant"])
    failures = []
    for role in ("anonymous", "shopper", "merchant", "staff"):
        user = None if role == "anonymous" else demo[role]
        if role == "staff" and user is None:
            continue
        client = client_as(user)
        for url in urls:
            status = client.get(url, HTTP_ACCEPT_LANGUAGE=language).status_code
            if status not in (200, 302, 403, 404):
                failures.append((role, url, status))
    assert not failures
    # The pages a shopper and a merchant use most render fully with the demo data.
    shopper, merchant = client_as(demo["shopper"]), client_as(demo["merchant"])
    assert shopper.get(reverse("orders:checkout"), HTTP_ACCEPT_LANGUAGE=language).status_code == 200
    assert (
        merchant.get(reverse("orders:merchant-shipments"), HTTP_ACCEPT_LANGUAGE=language).status_code == 200
    )
    assert merchant.get(reverse("merchants:products"), HTTP_ACCEPT_LANGUAGE=language).status_code == 200
