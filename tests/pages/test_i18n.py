"""English and Simplified Chinese: Accept-Language, the switcher, and prices in CNY."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from marketplace.core.money import Money
from marketplace.core.templatetags.storefront import money
from tests.pages.conftest import client_as
from tests.pages.factories import World


@pytest.mark.parametrize(
    "value,shown",
    [
        (Decimal("1299"), "¥1,299.00"),
        (Decimal("0.5"), "¥0.50"),
        ("100000000.00", "¥100,000,000.00"),
        (Money(Decimal("-12.345")), "-¥12.35"),
        (3, "¥3.00"),
        (None, ""),
        ("not money", ""),
    ],
)
def test_money_is_shown_in_yuan_with_grouping_and_two_places(value: object, shown: str) -> None:
    assert money(value) == shown


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_money_format_is_the_same_in_both_locales(language: str) -> None:
    with translation.override(language):
        assert Template("{% load storefront %}{{ price|money }}").render(
            Context({"price": Decimal("1299")})
        ) == ("¥1,299.00")


@given(st.decimals(min_value=Decimal("-100000000"), max_value=Decimal("100000000"), places=2))
def test_money_reads_back_as_the_same_amount(amount: Decimal) -> None:
    shown = money(amount)
    assert shown.lstrip("-").startswith("¥")
    assert re.fullmatch(r"-?¥\d{1,3}(,\d{3})*\.\d{2}", shown)
    assert Decimal(shown.replace("¥", "").replace(",", "")) == amount


def test_money_refuses_floats() -> None:
    assert money(12.5) == ""


@pytest.mark.django_db
def test_accept_language_chinese_gets_chinese_pages(world: World) -> None:
    response = client_as(None).get(reverse("catalog:home"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert '<html lang="zh-hans"' in html
    assert "购物车" in html  # Cart
    assert "最新商品" in html  # Newest products
    assert "竹制砧板" in html  # the product's Chinese name
    assert "¥1,299.00" in html
    assert "Newest products" not in html


@pytest.mark.django_db
def test_accept_language_english_gets_english_pages(world: World) -> None:
    html = (
        client_as(None).get(reverse("catalog:home"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    )
    assert '<html lang="en"' in html
    assert "Newest products" in html and "Bamboo cutting board" in html
    assert "最新商品" not in html


@pytest.mark.django_db
def test_switcher_remembers_the_choice_over_the_browser_language(world: World) -> None:
    client = client_as(world.shopper)
    response = client.post(
        reverse("set_language"), {"language": "zh-hans", "next": reverse("orders:order-list")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("orders:order-list")
    html = client.get(reverse("orders:order-list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="zh-hans"' in html
    assert "我的订单" in html  # My orders
    assert "已付款" in html  # Paid
    # And back to English.
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("orders:order-list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<html lang="en"' in html and "My orders" in html


@pytest.mark.django_db
def test_chinese_form_errors_are_chinese(world: World) -> None:
    response = client_as(world.shopper).post(
        reverse("orders:checkout"), {"address": "", "packaging": "standard"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    html = response.content.decode()
    assert "必填项" in html  # Django's own "This field is required."
    assert "收货城市" in html  # the label of the city field


# The storefront's own files; other apps' strings are their engineers' to translate.
STOREFRONT_SOURCES = (
    "templates/base.html",
    "templates/core/",
    "templates/accounts/",
    "templates/catalog/",
    "templates/orders/",
    "templates/merchants/",
    "marketplace/accounts/forms.py",
    "marketplace/accounts/views.py",
    "marketplace/catalog/forms.py",
    "marketplace/catalog/views.py",
    "marketplace/orders/forms.py",
    "marketplace/orders/views.py",
    "marketplace/orders/shipment_views.py",
    "merchants/access.py",
    "merchants/forms.py",
    "merchants/views.py",
)


def test_every_storefront_string_has_its_chinese() -> None:
    """No msgid coming from the storefront's files is empty or fuzzy in the committed catalogue."""
    from pathlib import Path

    from django.conf import settings

    po = Path(settings.BASE_DIR, "locale", "zh_Hans", "LC_MESSAGES", "django.po").read_text(encoding="utf-8")
    ours = [
        block
        for block in po.split("\n\n")[1:]
        if any(
            line.startswith("#:") and any(src in line for src in STOREFRONT_SOURCES)
            for line in block.splitlines()
        )
    ]
    assert len(ours) > 100
    untranslated = [
        block
        for block in ours
        if "#, fuzzy" in block or block.rstrip().endswith('msgstr ""') or 'msgstr[0] ""' in block
    ]
    assert not untranslated, untranslated[:3]
