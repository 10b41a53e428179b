"""Every page answers 200 to the roles that may see it and 302/403/404 to the others."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.urls import reverse

from tests.pages.conftest import client_as
from tests.pages.factories import World

ROLES = ("anonymous", "shopper", "merchant", "other_merchant")

# (name, url builder, expected status for anonymous, shopper, merchant (owner of the product and the
# shipment), other merchant)
PAGES: list[tuple[str, Callable[[World], str], tuple[int, int, int, int]]] = [
    ("home", lambda w: reverse("catalog:home"), (200, 200, 200, 200)),
    ("categories", lambda w: reverse("catalog:categories"), (200, 200, 200, 200)),
    ("top category", lambda w: reverse("catalog:category", args=[w.top_category.slug]), (200, 200, 200, 200)),
    ("subcategory", lambda w: reverse("catalog:category", args=[w.category.slug]), (200, 200, 200, 200)),
    (
        "category page 2",
        lambda w: reverse("catalog:category", args=[w.category.slug]) + "?page=2",
        (200,) * 4,
    ),
    ("unknown category", lambda w: reverse("catalog:category", args=["no-such-thing"]), (404, 404, 404, 404)),
    ("product", lambda w: reverse("catalog:product", args=[w.product.pk]), (200, 200, 200, 200)),
    ("unknown product", lambda w: reverse("catalog:product", args=[999_999]), (404, 404, 404, 404)),
    ("product id beyond bigint", lambda w: "/products/99999999999999999999999/", (404, 404, 404, 404)),
    ("search", lambda w: reverse("catalog:search") + "?q=bamboo", (200, 200, 200, 200)),
    ("empty search", lambda w: reverse("catalog:search"), (200, 200, 200, 200)),
    ("login", lambda w: reverse("accounts:login"), (200, 302, 302, 302)),
    ("register", lambda w: reverse("accounts:register"), (200, 302, 302, 302)),
    ("cart", lambda w: reverse("orders:cart"), (302, 200, 200, 200)),
    # An empty cart sends the merchants back to the cart page.
    ("checkout", lambda w: reverse("orders:checkout"), (302, 200, 302, 302)),
    (
        "checkout packaging",
        lambda w: reverse("orders:checkout-packaging") + "?shipping_city=" + w.city.slug,
        (302, 200, 200, 200),
    ),
    (
        "checkout packaging, unknown city",
        lambda w: reverse("orders:checkout-packaging") + "?shipping_city=x",
        (302, 200, 200, 200),
    ),
    ("order list", lambda w: reverse("orders:order-list"), (302, 200, 200, 200)),
    ("order detail", lambda w: reverse("orders:order-detail", args=[w.order.pk]), (302, 200, 404, 404)),
    ("unknown order", lambda w: reverse("orders:order-detail", args=[999_999]), (302, 404, 404, 404)),
    ("order id beyond bigint", lambda w: "/orders/99999999999999999999999/", (302, 404, 404, 404)),
    (
        "edit product beyond bigint",
        lambda w: "/merchant/products/99999999999999999999999/edit/",
        (302, 404, 404, 404),
    ),
    ("non-numeric page", lambda w: reverse("catalog:search") + "?q=a&page=abc", (200, 200, 200, 200)),
    # Users without a shop are sent to open one.
    ("dashboard", lambda w: reverse("merchants:dashboard"), (302, 302, 200, 200)),
    ("open a shop", lambda w: reverse("merchants:open"), (302, 200, 302, 302)),
    ("my products", lambda w: reverse("merchants:products"), (302, 302, 200, 200)),
    ("new product", lambda w: reverse("merchants:product-create"), (302, 302, 200, 200)),
    # Products are public, so another's product is 403 (visible, not yours).
    ("edit product", lambda w: reverse("merchants:product-edit", args=[w.product.pk]), (302, 403, 200, 403)),
    (
        "edit unknown product",
        lambda w: reverse("merchants:product-edit", args=[999_999]),
        (302, 404, 404, 404),
    ),
    ("shipments", lambda w: reverse("orders:merchant-shipments"), (302, 302, 200, 200)),
    (
        "shipments filtered",
        lambda w: reverse("orders:merchant-shipments") + "?status=pending",
        (302, 302, 200, 200),
    ),
    # Staff pages of the voucher budget: shoppers and merchants are not staff. A missing campaign's
    # pages are refused before the lookup, so the table needs no campaign.
    ("staff voucher figures", lambda w: reverse("vouchers:staff-figures"), (302, 403, 403, 403)),
    ("staff new campaign", lambda w: reverse("vouchers:staff-campaign-new"), (302, 403, 403, 403)),
    ("staff campaign", lambda w: reverse("vouchers:staff-campaign", args=[999_999]), (302, 403, 403, 403)),
    (
        "staff edit campaign",
        lambda w: reverse("vouchers:staff-campaign-edit", args=[999_999]),
        (302, 403, 403, 403),
    ),
    (
        "staff new allocation",
        lambda w: reverse("vouchers:staff-allocation-new", args=[999_999]),
        (302, 403, 403, 403),
    ),
    ("staff void voucher", lambda w: reverse("vouchers:staff-voucher-void"), (302, 403, 403, 403)),
]

# Parts of a page that htmx swaps in (no <head> of their own).
FRAGMENTS = {"checkout packaging", "checkout packaging, unknown city"}

# POST-only actions: (name, url builder, expected status for each role).
ACTIONS: list[tuple[str, Callable[[World], str], tuple[int, int, int, int]]] = [
    ("pay someone's order", lambda w: reverse("orders:order-pay", args=[w.order.pk]), (302, 302, 404, 404)),
    ("cancel order", lambda w: reverse("orders:order-cancel", args=[w.order.pk]), (302, 302, 404, 404)),
    (
        "confirm receipt",
        lambda w: reverse("orders:order-confirm-receipt", args=[w.order.pk]),
        (302, 302, 404, 404),
    ),
    # Shipments are private to their merchant: another merchant's is not found.
    ("ship", lambda w: reverse("orders:merchant-shipment-ship", args=[w.shipment.pk]), (302, 302, 302, 404)),
    (
        "staff campaign transition",
        lambda w: reverse("vouchers:staff-campaign-transition", args=[999_999, "activate"]),
        (302, 403, 403, 403),
    ),
    ("staff void a voucher", lambda w: reverse("vouchers:staff-voucher-void"), (302, 403, 403, 403)),
]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def _assert_nothing_inline(html: str) -> None:
    """The CSP allows scripts and styles from 'self' only: pages carry no inline ones."""
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html), INLINE_STYLE.search(html)
    assert not INLINE_HANDLER.search(html), INLINE_HANDLER.search(html)


def _user(world: World, role: str) -> object | None:
    return {
        "anonymous": None,
        "shopper": world.shopper,
        "merchant": world.merchant_user,
        "other_merchant": world.other_merchant_user,
    }[role]


@pytest.mark.django_db
@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
@pytest.mark.parametrize("name,build_url,expected", PAGES, ids=[page[0] for page in PAGES])
def test_page_answers_by_role(
    world: World, role_index: int, role: str, name: str, build_url: Callable[[World], str], expected: tuple
) -> None:
    response = client_as(_user(world, role)).get(build_url(world))
    assert response.status_code == expected[role_index], f"{name} as {role}"
    if response.status_code == 200:
        assert response["Content-Type"].startswith("text/html")
        if name not in FRAGMENTS:
            assert b'<meta charset="utf-8">' in response.content
        _assert_nothing_inline(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
@pytest.mark.parametrize("name,build_url,expected", ACTIONS, ids=[action[0] for action in ACTIONS])
def test_action_answers_by_role(
    world: World, role_index: int, role: str, name: str, build_url: Callable[[World], str], expected: tuple
) -> None:
    response = client_as(_user(world, role)).post(build_url(world))
    assert response.status_code == expected[role_index], f"{name} as {role}"


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_with_the_page_to_come_back_to(world: World) -> None:
    response = client_as(None).get(reverse("orders:order-list"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={reverse('orders:order-list')}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name", ["orders:order-pay", "orders:order-cancel", "orders:order-confirm-receipt"]
)
def test_order_actions_refuse_get(world: World, url_name: str) -> None:
    response = client_as(world.shopper).get(reverse(url_name, args=[world.order.pk]))
    assert response.status_code == 405
    world.order.refresh_from_db()
    assert world.order.status == "paid"


@pytest.mark.django_db
def test_other_merchant_cannot_edit_a_product_by_posting(world: World) -> None:
    response = client_as(world.other_merchant_user).post(
        reverse("merchants:product-edit", args=[world.product.pk]),
        {"name_en": "Hijacked", "category": world.category.slug, "price": "1", "stock": 1, "weight_grams": 1},
    )
    assert response.status_code == 403
    world.product.refresh_from_db()
    assert world.product.name_en == "Bamboo cutting board"


@pytest.mark.django_db
def test_inactive_product_is_hidden_from_everyone_but_its_owner(world: World) -> None:
    world.product.active = False
    world.product.save()
    url = reverse("catalog:product", args=[world.product.pk])
    assert client_as(None).get(url).status_code == 404
    assert client_as(world.shopper).get(url).status_code == 404
    owner_view = client_as(world.merchant_user).get(url)
    assert owner_view.status_code == 200
    assert "only you can see it" in owner_view.content.decode()


@pytest.mark.django_db
def test_every_page_route_is_in_the_table() -> None:
    """A page added later without an access row fails here, so the table stays complete."""
    from marketplace.accounts import page_urls as accounts_urls
    from marketplace.catalog import page_urls as catalog_urls
    from marketplace.orders import page_urls as orders_urls
    from merchants import page_urls as merchants_urls

    covered = {
        "catalog:home", "catalog:categories", "catalog:category", "catalog:product", "catalog:search",
        "accounts:login", "accounts:register", "accounts:logout",
        "orders:cart", "orders:cart-add", "orders:cart-item-update", "orders:cart-item-remove",
        "orders:checkout", "orders:checkout-packaging", "orders:order-list", "orders:order-detail",
        "orders:order-pay",
        "orders:order-cancel", "orders:order-confirm-receipt",
        "merchants:dashboard", "merchants:open", "merchants:products", "merchants:product-create",
        "merchants:product-edit", "orders:merchant-shipments", "orders:merchant-shipment-ship",
    }  # fmt: skip
    routes = {
        f"{module.app_name}:{pattern.name}"
        for module in (accounts_urls, catalog_urls, orders_urls, merchants_urls)
        for pattern in module.urlpatterns
    }
    assert routes == covered


@pytest.mark.django_db
def test_pages_are_served_with_the_strict_content_security_policy(world: World) -> None:
    policy = client_as(world.shopper).get(reverse("catalog:home"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
