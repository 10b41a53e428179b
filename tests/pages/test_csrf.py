"""Every form is protected by CSRF: a POST without the token is refused and changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.accounts.models import User
from marketplace.orders.models import CartItem
from tests.pages.factories import World


def _csrf_client(user: object | None = None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def _token(client: Client, page: str) -> str:
    response = client.get(page)
    assert response.status_code == 200
    return str(response.context["csrf_token"])


@pytest.mark.django_db
def test_register_without_the_token_is_refused_and_with_it_works() -> None:
    client = _csrf_client()
    data = {
        "username": "mei",
        "password": "a-long-green-passphrase",
        "password_again": "a-long-green-passphrase",
    }
    assert client.post(reverse("accounts:register"), data).status_code == 403
    assert not User.objects.filter(username="mei").exists()
    token = _token(client, reverse("accounts:register"))
    assert (
        client.post(reverse("accounts:register"), {**data, "csrfmiddlewaretoken": token}).status_code == 302
    )
    assert User.objects.filter(username="mei").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name,data",
    [
        ("accounts:login", {"username": "shopper", "password": "correct-horse-battery"}),
        ("accounts:logout", {}),
        ("orders:checkout", {"address": "x", "packaging": "standard"}),
        ("merchants:open", {"name": "Sneaky", "last_mile_vehicle": "cargo_bike"}),
    ],
)
def test_forms_refuse_a_post_without_the_token(world: World, url_name: str, data: dict[str, str]) -> None:
    user = None if url_name == "accounts:login" else world.shopper
    assert _csrf_client(user).post(reverse(url_name), data).status_code == 403


@pytest.mark.django_db
def test_shopper_actions_refuse_a_post_without_the_token(world: World) -> None:
    client = _csrf_client(world.shopper)
    item = CartItem.objects.get(cart__user=world.shopper)
    refused = [
        client.post(reverse("orders:cart-add"), {"product": world.product.pk, "quantity": 1}),
        client.post(reverse("orders:cart-item-update", args=[item.pk]), {"quantity": 1}),
        client.post(reverse("orders:cart-item-remove", args=[item.pk])),
        client.post(reverse("orders:order-cancel", args=[world.order.pk])),
    ]
    assert [response.status_code for response in refused] == [403, 403, 403, 403]
    item.refresh_from_db()
    assert item.quantity == 2
    world.order.refresh_from_db()
    assert world.order.status == "paid"


@pytest.mark.django_db
def test_merchant_forms_refuse_a_post_without_the_token(world: World) -> None:
    client = _csrf_client(world.merchant_user)
    assert client.post(reverse("merchants:product-create"), {"name_en": "x"}).status_code == 403
    assert client.post(reverse("merchants:product-edit", args=[world.product.pk]), {}).status_code == 403
    assert client.post(reverse("orders:merchant-shipment-ship", args=[world.shipment.pk])).status_code == 403
    world.shipment.refresh_from_db()
    assert world.shipment.status == "pending"


@pytest.mark.django_db
def test_language_switcher_needs_the_token() -> None:
    client = _csrf_client()
    assert client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"}).status_code == 403
    token = _token(client, reverse("catalog:home"))
    response = client.post(
        reverse("set_language"), {"language": "zh-hans", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_htmx_sends_the_token_in_the_header_the_page_carries(world: World) -> None:
    """site.js copies the token of <meta name="csrf-token"> into X-CSRFToken on htmx requests."""
    client = _csrf_client(world.shopper)
    page = client.get(reverse("orders:cart"))
    token = str(page.context["csrf_token"])
    assert f'<meta name="csrf-token" content="{token}">' in page.content.decode()
    item = CartItem.objects.get(cart__user=world.shopper)
    url = reverse("orders:cart-item-update", args=[item.pk])
    assert client.post(url, {"quantity": 3}, HTTP_HX_REQUEST="true").status_code == 403
    response = client.post(url, {"quantity": 3}, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.quantity == 3
