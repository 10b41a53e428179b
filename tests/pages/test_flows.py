"""The main flows as a user without JavaScript sees them: plain forms, POST, redirect, GET."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from marketplace.accounts.models import User
from marketplace.catalog.models import Product
from marketplace.orders.models import CartItem, Order
from merchants.models import Merchant
from tests.factories import UserFactory
from tests.pages.conftest import client_as
from tests.pages.factories import World


def _field_errors(html: str, field_id: str, errors_id: str | None = None) -> str:
    """The text of the error list tied to ``field_id`` by aria-describedby (empty if none)."""
    errors_id = errors_id or f"{field_id}_errors"
    widget = re.search(rf'<[^>]*id="{field_id}"[^>]*>', html)
    assert widget, f"no widget {field_id}"
    tag = widget.group(0)
    if "aria-describedby=" not in tag or errors_id not in tag:
        return ""
    errors = re.search(rf'<ul class="errorlist field-errors" id="{errors_id}">(.*?)</ul>', html, re.S)
    assert errors, f"{field_id} points at errors that are not on the page"
    assert 'aria-invalid="true"' in tag
    return re.sub(r"<[^>]+>", " ", errors.group(1))


# --- register, login, logout ------------------------------------------------------------------------


@pytest.mark.django_db
def test_register_logs_the_new_shopper_in() -> None:
    client = client_as(None)
    response = client.post(
        reverse("accounts:register"),
        {
            "username": "lin",
            "email": "lin@example.com",
            "password": "a-long-green-passphrase",
            "password_again": "a-long-green-passphrase",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(username="lin").exists()
    page = client.get(reverse("catalog:home")).content.decode()
    assert "Hello, lin" in page


@pytest.mark.django_db
def test_register_with_bad_input_shows_errors_next_to_the_fields() -> None:
    UserFactory(username="taken")
    response = client_as(None).post(
        reverse("accounts:register"),
        {"username": "bad name!", "email": "not-an-email", "password": "abc", "password_again": "abd"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Use letters, digits" in _field_errors(html, "id_username")
    assert "valid email" in _field_errors(html, "id_email")
    assert "differ" in _field_errors(html, "id_password_again")
    assert not User.objects.filter(email="not-an-email").exists()


@pytest.mark.django_db
def test_register_service_refusal_lands_on_its_field() -> None:
    UserFactory(username="taken")
    response = client_as(None).post(
        reverse("accounts:register"),
        {
            "username": "Taken",
            "password": "a-long-green-passphrase",
            "password_again": "a-long-green-passphrase",
        },
    )
    assert "already exists" in _field_errors(response.content.decode(), "id_username")
    # The weak-password rule is the service's too.
    response = client_as(None).post(
        reverse("accounts:register"),
        {"username": "newbie", "password": "12345678", "password_again": "12345678"},
    )
    assert "too common" in _field_errors(response.content.decode(), "id_password")
    assert not User.objects.filter(username="newbie").exists()


@pytest.mark.django_db
def test_login_redirects_to_next_and_logout_needs_post(world: World) -> None:
    client = client_as(None)
    response = client.post(
        reverse("accounts:login"),
        {"username": "shopper", "password": "correct-horse-battery", "next": reverse("orders:order-list")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("orders:order-list")
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("orders:order-list")).status_code == 302


@pytest.mark.django_db
def test_login_with_a_wrong_password_says_so(world: World) -> None:
    response = client_as(None).post(reverse("accounts:login"), {"username": "shopper", "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


@pytest.mark.django_db
def test_login_ignores_an_offsite_next(world: World) -> None:
    response = client_as(None).post(
        reverse("accounts:login"),
        {"username": "shopper", "password": "correct-horse-battery", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


# --- catalog ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_home_shows_categories_and_newest_products_with_prices(world: World) -> None:
    html = client_as(None).get(reverse("catalog:home")).content.decode()
    assert "Home and garden" in html
    assert "Bamboo cutting board" in html
    assert "¥1,299.00" in html


@pytest.mark.django_db
def test_top_category_lists_products_of_its_subcategories_paginated(world: World, settings: Any) -> None:
    settings.STOREFRONT_PAGE_SIZE = 1
    url = reverse("catalog:category", args=["pages-test-home"])
    first = client_as(None).get(url).content.decode()
    second = client_as(None).get(url + "?page=2").content.decode()
    assert "Kitchen" in first  # the subcategory
    assert "Page 1 of 2" in first
    names = {"Clay teapot", "Bamboo cutting board"}
    shown_first = {name for name in names if name in first}
    shown_second = {name for name in names if name in second}
    assert len(shown_first) == 1 and len(shown_second) == 1 and shown_first != shown_second


@pytest.mark.django_db
def test_search_finds_by_english_and_chinese_name(world: World) -> None:
    english = client_as(None).get(reverse("catalog:search"), {"q": "teapot"}).content.decode()
    chinese = client_as(None).get(reverse("catalog:search"), {"q": "砧板"}).content.decode()
    assert "Clay teapot" in english and "Bamboo cutting board" not in english
    assert "Bamboo cutting board" in chinese and "Clay teapot" not in chinese


# --- cart and checkout ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_add_to_cart_then_update_and_remove(world: World) -> None:
    client = client_as(world.merchant_user)
    response = client.post(reverse("orders:cart-add"), {"product": world.other_product.pk, "quantity": 2})
    assert response.status_code == 302 and response["Location"] == reverse("orders:cart")
    page = client.get(reverse("orders:cart")).content.decode()
    assert "Clay teapot" in page and "¥177.00" in page
    item = CartItem.objects.get(cart__user=world.merchant_user)
    client.post(reverse("orders:cart-item-update", args=[item.pk]), {"quantity": 3})
    assert "¥265.50" in client.get(reverse("orders:cart")).content.decode()
    client.post(reverse("orders:cart-item-remove", args=[item.pk]))
    assert "Your cart is empty." in client.get(reverse("orders:cart")).content.decode()


@pytest.mark.django_db
def test_adding_more_than_the_stock_shows_the_error_next_to_quantity(world: World) -> None:
    response = client_as(world.merchant_user).post(
        reverse("orders:cart-add"), {"product": world.other_product.pk, "quantity": 6}
    )
    assert response.status_code == 400
    assert "Only 5 left" in _field_errors(response.content.decode(), "id_quantity")
    assert not CartItem.objects.filter(cart__user=world.merchant_user).exists()


@pytest.mark.django_db
def test_anonymous_add_to_cart_goes_to_login_and_back_to_the_product(world: World) -> None:
    response = client_as(None).post(reverse("orders:cart-add"), {"product": world.product.pk, "quantity": 1})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert f"next=/products/{world.product.pk}/" in response["Location"]


@pytest.mark.django_db
def test_someone_elses_cart_item_is_not_found(world: World) -> None:
    item = CartItem.objects.get(cart__user=world.shopper)
    client = client_as(world.merchant_user)
    assert client.post(reverse("orders:cart-item-update", args=[item.pk]), {"quantity": 1}).status_code == 404
    assert client.post(reverse("orders:cart-item-remove", args=[item.pk])).status_code == 404
    item.refresh_from_db()
    assert item.quantity == 2


@pytest.mark.django_db
def test_htmx_quantity_update_returns_the_cart_fragment_and_the_badge(world: World) -> None:
    item = CartItem.objects.get(cart__user=world.shopper)
    response = client_as(world.shopper).post(
        reverse("orders:cart-item-update", args=[item.pk]), {"quantity": 4}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="cart-count" hx-swap-oob="true"' in html and "4 items" in html
    assert "¥354.00" in html
    # An error is still a 200 for htmx (it only swaps 2xx), shown next to that item's quantity.
    response = client_as(world.shopper).post(
        reverse("orders:cart-item-update", args=[item.pk]), {"quantity": 9}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'aria-describedby="quantity-{item.pk}-error"' in html
    assert "Only 5 left" in html
    item.refresh_from_db()
    assert item.quantity == 4


@pytest.mark.django_db
def test_checkout_places_an_order_and_payment_marks_it_paid(world: World) -> None:
    client = client_as(world.shopper)
    page = client.get(reverse("orders:checkout")).content.decode()
    assert 'name="packaging"' in page and "Recycled box" in page
    response = client.post(
        reverse("orders:checkout"),
        {"shipping_city": world.city.slug, "address": "8 West Lake Road", "packaging": "recycled"},
    )
    assert response.status_code == 302
    order = Order.objects.filter(user=world.shopper).latest("id")
    assert response["Location"] == reverse("orders:order-detail", args=[order.pk])
    assert order.status == "pending_payment" and order.total == Decimal("177.00")
    detail = client.get(response["Location"]).content.decode()
    assert "Pending payment" in detail and "Pay ¥177.00" in detail
    client.post(reverse("orders:order-pay", args=[order.pk]))
    order.refresh_from_db()
    assert order.status == "paid"
    assert "Payment received" in client.get(reverse("orders:order-detail", args=[order.pk])).content.decode()
    listing = client.get(reverse("orders:order-list")).content.decode()
    assert f"Order #{order.pk}" in listing


@pytest.mark.django_db
def test_checkout_with_bad_input_shows_errors_next_to_the_fields(world: World) -> None:
    response = client_as(world.shopper).post(
        reverse("orders:checkout"),
        {"shipping_city": "atlantis", "address": "", "packaging": "none", "voucher_code": "X" * 65},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "valid choice" in _field_errors(html, "id_shipping_city")
    assert "required" in _field_errors(html, "id_address")
    # "No extra box" is not offered: the teapot may not ship in its own packaging.
    assert "valid choice" in _field_errors(html, "id_packaging_0", "id_packaging_errors")
    assert "at most 64" in _field_errors(html, "id_voucher_code")
    assert Order.objects.filter(user=world.shopper).count() == 1


@pytest.mark.django_db
def test_checkout_voucher_refusal_is_shown_next_to_the_voucher_and_nothing_is_created(world: World) -> None:
    stock_before = Product.objects.get(pk=world.other_product.pk).stock
    response = client_as(world.shopper).post(
        reverse("orders:checkout"),
        {
            "shipping_city": world.city.slug,
            "address": "8 West Lake",
            "packaging": "standard",
            "voucher_code": "NOPE",
        },
    )
    assert response.status_code == 400
    assert _field_errors(response.content.decode(), "id_voucher_code").strip()
    assert Order.objects.filter(user=world.shopper).count() == 1
    assert Product.objects.get(pk=world.other_product.pk).stock == stock_before


@pytest.mark.django_db
def test_cancel_a_paid_order_gives_the_stock_back(world: World) -> None:
    stock_before = Product.objects.get(pk=world.product.pk).stock
    response = client_as(world.shopper).post(reverse("orders:order-cancel", args=[world.order.pk]))
    assert response.status_code == 302
    world.order.refresh_from_db()
    assert world.order.status == "cancelled"
    assert Product.objects.get(pk=world.product.pk).stock == stock_before + 1


@pytest.mark.django_db
def test_a_refused_transition_is_a_message_not_an_error_page(world: World) -> None:
    client = client_as(world.shopper)
    response = client.post(reverse("orders:order-confirm-receipt", args=[world.order.pk]), follow=True)
    assert response.status_code == 200
    assert "Only a shipped order can be confirmed" in response.content.decode()


@pytest.mark.django_db
def test_merchant_ships_then_shopper_confirms_receipt(world: World) -> None:
    merchant = client_as(world.merchant_user)
    listing = merchant.get(reverse("orders:merchant-shipments")).content.decode()
    assert "Mark shipped" in listing and "1 Green Road" in listing
    merchant.post(reverse("orders:merchant-shipment-ship", args=[world.shipment.pk]))
    world.order.refresh_from_db()
    assert world.order.status == "shipped"
    shopper = client_as(world.shopper)
    detail = shopper.get(reverse("orders:order-detail", args=[world.order.pk])).content.decode()
    assert "Confirm receipt" in detail and "Cancel order" not in detail
    shopper.post(reverse("orders:order-confirm-receipt", args=[world.order.pk]))
    world.order.refresh_from_db()
    assert world.order.status == "delivered"


# --- merchant dashboard ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_open_a_shop_then_list_and_edit_a_product(world: World) -> None:
    client = client_as(world.shopper)
    response = client.post(
        reverse("merchants:open"),
        {"name": "Green Lane", "city": world.city.slug, "last_mile_vehicle": "cargo_bike", "description": ""},
    )
    assert response.status_code == 302
    shop = Merchant.objects.get(owner=world.shopper)
    assert shop.last_mile_vehicle == "cargo_bike"
    response = client.post(
        reverse("merchants:product-create"),
        {
            "name_en": "Linen tote",
            "name_zh": "亚麻手提袋",
            "category": world.category.slug,
            "price": "59.90",
            "stock": "30",
            "weight_grams": "200",
            "active": "on",
        },
    )
    assert response.status_code == 302
    product = Product.objects.get(merchant=shop)
    assert product.price == Decimal("59.90") and product.active
    response = client.post(
        reverse("merchants:product-edit", args=[product.pk]),
        {"name_en": "Linen tote bag", "category": world.category.slug, "price": "49.00", "stock": "0",
         "weight_grams": "200"},
    )  # fmt: skip
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.name_en == "Linen tote bag" and product.price == Decimal("49.00") and not product.active
    assert "Linen tote bag" in client.get(reverse("merchants:products")).content.decode()


@pytest.mark.django_db
def test_product_form_shows_service_and_shape_errors_next_to_fields(world: World) -> None:
    response = client_as(world.merchant_user).post(
        reverse("merchants:product-create"),
        {
            "name_en": "",
            "name_zh": "",
            "category": world.top_category.slug,
            "price": "0",
            "stock": "-1",
            "weight_grams": "10",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "name in English or Chinese" in _field_errors(html, "id_name_en")
    assert "greater than or equal to 0.01" in _field_errors(html, "id_price")
    assert "greater than or equal to 0" in _field_errors(html, "id_stock")
    # Once the shape is right, the catalog service refuses a top-level category, next to the field.
    response = client_as(world.merchant_user).post(
        reverse("merchants:product-create"),
        {
            "name_en": "Mat",
            "category": world.top_category.slug,
            "price": "10",
            "stock": "1",
            "weight_grams": "10",
        },
    )
    assert "subcategory" in _field_errors(response.content.decode(), "id_category")
    assert not Product.objects.filter(name_en="Mat").exists()


@pytest.mark.django_db
def test_opening_a_second_shop_with_a_taken_name_is_refused_next_to_the_name(world: World) -> None:
    response = client_as(world.shopper).post(
        reverse("merchants:open"),
        {"name": "bamboo house", "city": world.city.slug, "last_mile_vehicle": "diesel_van"},
    )
    assert response.status_code == 200
    assert "already exists" in _field_errors(response.content.decode(), "id_name")
    assert not Merchant.objects.filter(owner=world.shopper).exists()


@pytest.mark.django_db
def test_checkout_shows_each_packaging_footprint_for_the_last_city(world: World) -> None:
    html = client_as(world.shopper).get(reverse("orders:checkout")).content.decode()
    # The shopper shipped to Hangzhou before: it is preselected and the estimates are for it.
    assert f'<option value="{world.city.slug}" selected>' in html
    labels = re.findall(r'<label for="id_packaging_\d+">(.*?)</label>', html, re.S)
    assert len(labels) == 3
    assert all("kg CO₂e" in label and "grade" in label for label in labels), labels
    assert "estimated for delivery to Hangzhou" in html


@pytest.mark.django_db
def test_show_footprints_button_places_nothing_and_keeps_the_input(world: World) -> None:
    response = client_as(world.shopper).post(
        reverse("orders:checkout"),
        {
            "shipping_city": world.city.slug,
            "address": "8 West Lake",
            "packaging": "reusable",
            "action": "estimate",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "8 West Lake" in html
    assert re.search(r'value="reusable"[^>]*\bchecked\b', html)
    assert "errorlist" not in html
    assert Order.objects.filter(user=world.shopper).count() == 1


@pytest.mark.django_db
def test_htmx_packaging_partial_follows_the_city(world: World) -> None:
    response = client_as(world.shopper).get(
        reverse("orders:checkout-packaging"),
        {"shipping_city": world.city.slug, "packaging": "reusable"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.startswith('<div id="packaging-options">')
    assert "kg CO₂e" in html
    unknown = client_as(world.shopper).get(
        reverse("orders:checkout-packaging"), {"shipping_city": "atlantis"}
    )
    assert "kg CO₂e" not in unknown.content.decode()
    assert "Choose a city" in unknown.content.decode()


@pytest.mark.django_db
def test_product_page_shows_certification_badges_and_the_estimated_footprint(world: World) -> None:
    from tests.green_venue.factories import certified_product

    _product, certificate = certified_product(product=world.product)
    html = client_as(None).get(reverse("catalog:product", args=[world.product.pk])).content.decode()
    # The badge names its scheme and number (no green badge without a certification scheme behind it).
    assert certificate.scheme.name_en in html and certificate.number in html
    assert "Estimated footprint" in html and "kg CO₂e per unit, grade" in html
    uncertified = (
        client_as(None).get(reverse("catalog:product", args=[world.other_product.pk])).content.decode()
    )
    assert "cert-badge" not in uncertified


@pytest.mark.django_db
def test_declared_footprint_is_the_estimate_of_the_product(world: World) -> None:
    world.product.declared_footprint_kg = Decimal("2.500")
    world.product.declared_footprint_document = "https://example.com/epd.pdf"
    world.product.save()
    html = client_as(None).get(reverse("catalog:product", args=[world.product.pk])).content.decode()
    assert "2.50 kg CO₂e per unit" in html
    assert "declared footprint" in html
