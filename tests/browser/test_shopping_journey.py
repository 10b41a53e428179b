"""A shopper's whole journey in a real browser: register, add to cart, check out, pay, see the order.

Run once in English and once in Chinese (chosen with the language switcher). Screenshots of each step
are saved under artifacts/screenshots/ (see the README).
"""

from __future__ import annotations

import importlib
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps

from marketplace.orders.models import Order
from tests.factories import CategoryFactory, CityFactory, MerchantFactory, ProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the pages say in each language at the steps the test checks.
TEXT = {
    "en": {"html_lang": "en", "paid": "Paid", "pending": "Pending payment", "cart": "Your cart"},
    "zh-hans": {"html_lang": "zh-hans", "paid": "已付款", "pending": "待付款", "cart": "我的购物车"},
}


def _ensure_default_factor_set() -> None:
    """The flush after a transactional test empties the tables the data migrations filled; put the
    carbon app's default factor set back (with its own migration's loader), so checkout shows footprints."""
    from carbon.models import FactorSet

    if not FactorSet.objects.filter(is_active=True).exists():
        migration = importlib.import_module("carbon.migrations.0002_default_factor_set")
        migration.load_default(django_apps, None)


def _catalog() -> dict[str, Any]:
    _ensure_default_factor_set()
    city = CityFactory(slug="browser-shanghai", name_en="Shanghai", name_zh="上海")
    top = CategoryFactory(slug="browser-home", name_en="Home", name_zh="家居")
    kitchen = CategoryFactory(slug="browser-kitchen", name_en="Kitchen", name_zh="厨房", parent=top)
    shop = MerchantFactory(name="Bamboo House", city=city)
    product = ProductFactory(
        merchant=shop,
        category=kitchen,
        name_en="Bamboo cutting board",
        name_zh="竹制砧板",
        price=Decimal("1299.00"),
        stock=10,
    )
    return {"city": city, "product": product}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_register_shop_check_out_pay_and_see_the_order(
    live_server: Any, browser: Any, screenshots: Path, language: str
) -> None:
    data = _catalog()
    text = TEXT[language]
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    csp_violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    def shot(step: str) -> None:
        page.screenshot(path=str(screenshots / f"{language}-{step}.png"), full_page=True)

    try:
        page.goto(live_server.url + "/")
        if language != "en":
            # The switcher posts to set_language and the choice sticks for the next pages.
            page.select_option("#language-select", language)
            page.locator(".language-form button[type=submit]").click()
            page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == text["html_lang"]
        shot("1-home")

        # Register.
        page.locator(".account-nav a[href='/accounts/register/']").click()
        username = f"browser-{language}"
        page.fill("#id_username", username)
        page.fill("#id_email", f"{username}@example.com")
        page.fill("#id_password", "a-long-green-passphrase")
        page.fill("#id_password_again", "a-long-green-passphrase")
        shot("2-register")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(live_server.url + "/")
        assert page.locator("html").get_attribute("lang") == text["html_lang"]

        # Find the product with the search box, in the language of the page.
        product = data["product"]
        page.fill("#site-search", "竹制" if language != "en" else "Bamboo")
        page.locator(".search-form button[type=submit]").click()
        page.locator(f"main a[href='/products/{product.pk}/']").first.click()
        assert "¥1,299.00" in page.locator("main").inner_text()
        page.fill("#id_quantity", "2")
        shot("3-product")
        page.locator("form.add-to-cart button[type=submit]").click()
        page.wait_for_url(live_server.url + "/cart/")
        assert text["cart"] in page.locator("h1").inner_text()
        assert "¥2,598.00" in page.locator("#cart-subtotal").inner_text()

        # htmx: change the quantity in place; the subtotal and the cart badge follow without a reload.
        marker = page.evaluate("() => (window.__notReloaded = true)")
        assert marker is True
        quantity = page.locator("input[name=quantity]").first
        quantity.fill("1")
        page.locator("form.quantity-form button[type=submit]").first.click()
        page.wait_for_function(
            "() => document.querySelector('#cart-subtotal').textContent.includes('1,299.00')"
        )
        assert page.evaluate("() => window.__notReloaded === true"), "the cart update reloaded the page"
        assert re.search(r"\b1\b", page.locator("#cart-count").inner_text())
        shot("4-cart")

        # Check out.
        page.locator("main a[href='/checkout/']").click()
        # Choosing the city fetches each packaging's footprint for it (htmx), without a reload.
        with page.expect_response(lambda response: "/checkout/packaging/" in response.url):
            page.select_option("#id_shipping_city", data["city"].slug)
        page.wait_for_function(
            "() => document.querySelector('#packaging-options').textContent.includes('CO₂e')"
        )
        page.fill("#id_address", "88 Century Avenue, Pudong")
        page.check("input[name=packaging][value=recycled]")
        shot("5-checkout")
        page.locator("main form button.primary").click()
        page.wait_for_url(re.compile(r".*/orders/\d+/$"))
        assert text["pending"] in page.locator("main").inner_text()

        # Pay.
        page.locator("form[action$='/pay/'] button[type=submit]").click()
        page.wait_for_url(re.compile(r".*/orders/\d+/$"))
        assert text["paid"] in page.locator(".status").first.inner_text()
        # The carbon app's label replaces its placeholder once loaded (computed on payment here).
        page.wait_for_selector("svg.carbon-label-graphic, .carbon-label.pending", timeout=10_000)
        shot("6-paid")

        # See the order in my orders.
        page.locator(".account-nav a[href='/orders/']").first.click()
        order = Order.objects.get(user__username=username)
        assert order.status == "paid" and order.total == Decimal("1299.00") and order.packaging == "recycled"
        listing = page.locator("main").inner_text()
        assert f"#{order.pk}" in listing and "¥1,299.00" in listing and text["paid"] in listing
        assert page.locator("html").get_attribute("lang") == text["html_lang"]
        shot("7-orders")
        page.set_viewport_size({"width": 390, "height": 844})  # a phone: the layout reflows
        shot("8-orders-phone")
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert not csp_violations, csp_violations
    finally:
        context.close()
