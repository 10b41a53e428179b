"""The marketplace's feature journeys in a real browser, against a live server.

- a shopper claims a green voucher, buys a certified product with it, pays and sees the carbon label
  (in English, and once fully in Chinese, chosen with the language switcher);
- a merchant submits a certificate and its evidence on the certificate pages, staff verify it on the
  review queue, the product appears in the venue;
- staff create a campaign, allocate its budget, watch the live figures follow a claim, and void the
  voucher.

The staff journey uses the staff pages only (new campaign, activate, new allocation, live figures, void a
voucher); the shopper's claim in it is a service call, so the test controls when it happens. Celery
tasks run eagerly (scripts/test), so the carbon label is computed when the order is paid. The last page
of each journey is saved under artifacts/screenshots/.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from carbon import tasks as carbon_tasks
from green_venue.models import Certificate, CertificateStatus
from green_venue.selectors import marketplace_today
from marketplace.orders.models import Order
from tests.browser.world import PASSWORD, build_world, log_in, paid_order
from tests.factories import ProductFactory
from vouchers import services as voucher_services
from vouchers.models import Campaign, Voucher

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# What the pages say, per language, at the steps the tests check.
TEXT = {
    "en": {
        "paid": "Paid",
        "pending": "Pending payment",
        "claimed": "claimed",
        "discount": "Voucher discount",
    },
    "zh-hans": {"paid": "已付款", "pending": "待付款", "claimed": "已领取", "discount": "消费券优惠"},
}
# A minimal PDF: the evidence upload sniffs the file's signature, not its name.
EVIDENCE_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _new_page(browser: Any) -> tuple[Any, Any, list[str]]:
    """A fresh context (its own cookies) and page; console messages about the CSP are collected."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    csp_violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return context, page, csp_violations


def _log_in_with_the_form(page: Any, base_url: str, username: str, then: str) -> None:
    page.goto(f"{base_url}/accounts/login/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(base_url + then)


def _switch_language(page: Any, language: str) -> None:
    page.select_option("#language-select", language)
    page.locator(".language-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_shopper_claims_a_voucher_buys_green_pays_and_sees_the_carbon_label(
    live_server: Any, browser: Any, screenshots: Path, language: str
) -> None:
    world = build_world()
    text = TEXT[language]
    base = live_server.url
    context, page, csp_violations = _new_page(browser)
    try:
        page.goto(base + "/")
        if language != "en":
            _switch_language(page, language)
        _log_in_with_the_form(page, base, world.shopper.username, "/vouchers/")
        assert page.locator("html").get_attribute("lang") == language

        # Claim the allocation in the voucher centre; my vouchers shows its code.
        row = page.locator("main tr", has_text=world.allocation.name)
        row.locator("button[type=submit]").click()
        page.wait_for_url(base + "/vouchers/mine/")
        voucher = Voucher.objects.get(owner=world.shopper)
        assert voucher.face_value == Decimal("30.00") and voucher.status == "issued"
        assert text["claimed"] in page.locator(".messages").inner_text()
        assert voucher.code in page.locator("main table").inner_text()

        # Two certified boards: ¥258 of green products, over the ¥200 minimum spend.
        product = world.green_product
        page.goto(f"{base}/products/{product.pk}/")
        assert (product.name_zh if language != "en" else product.name_en) in page.locator("h1").inner_text()
        page.fill("#id_quantity", "2")
        page.locator("form.add-to-cart button[type=submit]").click()
        page.wait_for_url(base + "/cart/")

        page.locator("main a[href='/checkout/']").click()
        with page.expect_response(lambda response: "/checkout/packaging/" in response.url):
            page.select_option("#id_shipping_city", world.city.slug)
        page.fill("#id_address", "88 Century Avenue, Pudong")
        page.check("input[name=packaging][value=recycled]")
        page.fill("#id_voucher_code", voucher.code)
        page.locator("main form button.primary").click()
        page.wait_for_url(re.compile(r".*/orders/\d+/$"))

        order = Order.objects.get(user=world.shopper)
        assert (order.subtotal, order.discount, order.total) == (
            Decimal("258.00"),
            Decimal("30.00"),
            Decimal("228.00"),
        )
        main = page.locator("main").inner_text()
        assert text["pending"] in main and text["discount"] in main and "-¥30.00" in main
        assert "¥228.00" in page.locator("#order-total").inner_text()

        # Pay; the label arrives in place (htmx) and names its grade and footprint.
        page.locator("form[action$='/pay/'] button[type=submit]").click()
        page.wait_for_url(base + f"/orders/{order.pk}/")
        assert text["paid"] in page.locator(".status").first.inner_text()
        label = page.wait_for_selector("svg.carbon-label-graphic", timeout=15_000)
        assert label is not None
        # It came in by htmx: the page as served holds only the placeholder that loads it.
        served = context.request.get(f"{base}/orders/{order.pk}/").text()
        assert "carbon-label-graphic" not in served and 'hx-trigger="load"' in served
        assert "CO₂e" in page.locator("svg.carbon-label-graphic title").text_content()
        assert page.locator("html").get_attribute("lang") == language
        page.locator("#carbon-heading").scroll_into_view_if_needed()
        page.screenshot(path=str(screenshots / f"journey-voucher-{language}-order.png"), full_page=True)

        voucher.refresh_from_db()
        order.refresh_from_db()
        assert voucher.status == "redeemed" and order.status == "paid"
        assert order.carbon_labels.exists()
        assert not csp_violations, csp_violations
    finally:
        context.close()


def test_merchant_certifies_a_product_staff_verify_it_and_it_joins_the_venue(
    live_server: Any, browser: Any, screenshots: Path, evidence_root: Path
) -> None:
    world = build_world()
    base = live_server.url
    steamer = ProductFactory(
        merchant=world.merchant,
        category=world.category,
        name_en="Bamboo steamer",
        name_zh="竹蒸笼",
        price=Decimal("88.00"),
    )
    number = "TS-7301"

    # The merchant: the product is not in the venue yet.
    context, page, csp_violations = _new_page(browser)
    try:
        page.goto(f"{base}/venue/products/?search=steamer")
        assert "Bamboo steamer" not in page.locator("main").inner_text()
        _log_in_with_the_form(page, base, world.merchant.owner.username, "/merchant/certificates/")

        # Submit the certificate on its form, then upload the evidence on the next page.
        page.locator("main a[href='/merchant/certificates/new/']").click()
        page.wait_for_url(base + "/merchant/certificates/new/")
        today = marketplace_today()
        page.select_option("#id_scheme", world.scheme.code)
        page.fill("#id_number", number)
        page.fill("#id_holder", world.merchant.name)
        page.fill("#id_valid_from", (today - datetime.timedelta(days=10)).isoformat())
        page.fill("#id_valid_until", (today + datetime.timedelta(days=365)).isoformat())
        page.check(f"input[name=products][value='{steamer.pk}']")
        page.locator("main form button.primary").click()
        page.wait_for_url(re.compile(r".*/merchant/certificates/\d+/evidence/$"))
        certificate = Certificate.objects.get(number=number)
        assert certificate.merchant == world.merchant and list(certificate.products.all()) == [steamer]
        assert number in page.locator(".messages").inner_text()
        page.set_input_files(
            "#id_file",
            files=[{"name": "certificate.pdf", "mimeType": "application/pdf", "buffer": EVIDENCE_PDF}],
        )
        page.locator("main form button.primary").click()
        page.wait_for_url(base + f"/merchant/certificates/{certificate.pk}/evidence/")
        assert "certificate.pdf" in page.locator("#evidence-heading + ul").inner_text()
        assert certificate.evidence_files.get().content_type == "application/pdf"
        certificate_id = certificate.pk

        page.goto(base + "/merchant/certificates/")
        row = page.locator("main tr", has_text=number)
        assert row.count() == 1 and "Under review" in row.inner_text()
        assert not csp_violations, csp_violations
    finally:
        context.close()

    # Staff: the review queue shows the certificate with its evidence; verify it.
    context, page, csp_violations = _new_page(browser)
    try:
        _log_in_with_the_form(page, base, world.staff.username, "/staff/certificates/")
        card = page.locator(".review-card", has_text=number)
        assert "certificate.pdf" in card.inner_text()
        card.locator("form[action$='/verify/'] button[type=submit]").click()
        page.wait_for_url(re.compile(r".*/staff/certificates/\?status=submitted$"))
        assert number in page.locator(".messages").inner_text()
        assert Certificate.objects.get(pk=certificate_id).status == CertificateStatus.VERIFIED

        # The product is in the venue now, with a badge naming the scheme and the number.
        page.goto(f"{base}/venue/products/?search=steamer")
        listing = page.locator("main").inner_text()
        assert "Bamboo steamer" in listing
        page.goto(f"{base}/products/{steamer.pk}/")
        product_page = page.locator("main").inner_text()
        assert number in product_page and world.scheme.name_en in product_page
        page.screenshot(path=str(screenshots / "journey-certificate-venue.png"), full_page=True)
        assert not csp_violations, csp_violations
    finally:
        context.close()


def test_staff_create_a_campaign_allocate_its_budget_and_watch_the_live_figures(
    live_server: Any, browser: Any, screenshots: Path
) -> None:
    world = build_world()
    base = live_server.url
    business = ZoneInfo(settings.TIME_ZONE)
    now = timezone.now().astimezone(business)
    context, page, csp_violations = _new_page(browser)
    try:
        _log_in_with_the_form(page, base, world.staff.username, "/staff/vouchers/")

        # A new campaign through its form: it starts as a draft.
        page.locator("main a", has_text="New campaign").click()
        page.fill("#id_name", "618 low-carbon festival")
        page.fill("#id_total_budget", "20000.00")
        page.fill("#id_starts_at", (now - datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"))
        page.fill("#id_ends_at", (now + datetime.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M"))
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(r".*/staff/vouchers/campaigns/\d+/$"))
        campaign = Campaign.objects.get(name="618 low-carbon festival")
        assert campaign.total_budget == Decimal("20000.00") and campaign.status == "draft"
        assert "created as a draft" in page.locator(".messages").inner_text()

        # Activate it with its button; only the buttons that apply are offered.
        page.locator("main form[action$='/activate/'] button").click()
        page.wait_for_load_state()
        assert Campaign.objects.get(pk=campaign.pk).status == "active"
        assert page.locator("main form[action$='/activate/']").count() == 0
        assert page.locator("main form[action$='/pause/']").count() == 1

        # An allocation for the kitchen category; the claim window defaults to the campaign's.
        page.locator("main a", has_text="New allocation").click()
        page.fill("#id_name", "Kitchen ¥50 off ¥300")
        page.fill("#id_budget", "5000.00")
        page.fill("#id_face_value", "50.00")
        page.fill("#id_min_spend", "300.00")
        page.fill("#id_valid_days", "7")
        page.select_option("#id_category", label="Home / Kitchen")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{base}/staff/vouchers/campaigns/{campaign.pk}/")
        allocation = campaign.allocations.get()
        assert allocation.budget == Decimal("5000.00") and allocation.category == world.category

        # The live figures page shows the campaign: allocated and unallocated budget.
        page.locator(".breadcrumbs a", has_text="Voucher budget").click()
        page.wait_for_url(f"{base}/staff/vouchers/")
        section = page.locator("#voucher-figures section", has_text="618 low-carbon festival")
        figures = section.locator("dl").inner_text()
        assert "¥20,000.00" in figures and "¥5,000.00" in figures and "¥15,000.00" in figures

        # A shopper claims; the figures follow without a reload (htmx polls every five seconds).
        page.evaluate("() => (window.__notReloaded = true)")
        code = voucher_services.voucher_claim(user=world.shopper, allocation_id=allocation.pk).code
        page.wait_for_function(
            """() => [...document.querySelectorAll('#voucher-figures tr')].some(
                (row) => row.textContent.includes('Kitchen') && row.textContent.includes('¥4,950.00'))""",
            timeout=15_000,
        )
        assert page.evaluate("() => window.__notReloaded === true"), "the figures reloaded the page"
        page.screenshot(path=str(screenshots / "journey-campaign-live-figures.png"), full_page=True)

        # Staff void the voucher from its page: its face value goes back to the allocation.
        page.locator("main a", has_text="Void a voucher").click()
        page.fill("#id_code", code)
        page.locator("main form[method=get] button[type=submit]").click()
        card = page.locator("main section.card")
        assert world.shopper.username in card.inner_text() and "Kitchen ¥50 off ¥300" in card.inner_text()
        card.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert f"Voucher {code} is void" in page.locator(".messages").inner_text()
        assert Voucher.objects.get(code=code).status == "void"
        page.goto(f"{base}/staff/vouchers/campaigns/{campaign.pk}/")
        row = page.locator("main table tr", has_text="Kitchen").first
        assert "¥5,000.00" in row.inner_text()  # remaining: the whole budget again
        assert not csp_violations, csp_violations
    finally:
        context.close()


def test_a_label_computed_after_the_order_page_opened_appears_by_itself(
    live_server: Any, browser: Any
) -> None:
    """The worker is late: the order page shows the label as being calculated and polls (htmx) until it
    is there, without a reload."""
    world = build_world()
    with mock.patch.object(carbon_tasks.carbon_label_order, "delay") as enqueue:
        order = paid_order(world, user=world.shopper)
    enqueue.assert_called_once_with(order.pk)
    assert not order.carbon_labels.exists()
    context, page, csp_violations = _new_page(browser)
    try:
        log_in(context, live_server.url, world.shopper)
        page.goto(f"{live_server.url}/orders/{order.pk}/")
        pending = page.wait_for_selector(".carbon-label.pending[aria-live=polite]", timeout=10_000)
        assert pending is not None
        page.evaluate("() => (window.__notReloaded = true)")

        carbon_tasks.carbon_label_order(order.pk)  # the worker catches up
        page.wait_for_selector("svg.carbon-label-graphic", timeout=15_000)
        assert page.evaluate("() => window.__notReloaded === true"), "the label arrived by a reload"
        assert page.locator(".carbon-label.pending").count() == 0
        assert not csp_violations, csp_violations
    finally:
        context.close()
