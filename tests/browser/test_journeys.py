"""The marketplace's feature journeys in a real browser (issue 9), against a live server.

- a shopper claims a green voucher, buys a certified product with it, pays and sees the carbon label
  (in English, and once fully in Chinese, chosen with the language switcher);
- a merchant submits a certificate and its evidence on the certificate pages, staff verify it on the
  review queue, the product appears in the venue;
- staff create a campaign, allocate its budget, and watch the live figures follow a claim.

Campaigns and allocations have no staff page yet, so that journey calls the JSON API with the staff
member's token from the browser context, as a client would, and watches the live figures page. Celery
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

import pytest
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


def _api(context: Any, base_url: str, username: str) -> dict[str, str]:
    """Headers of a token-authenticated API client for ``username`` (token from POST /auth/token/)."""
    answer = context.request.post(
        f"{base_url}/api/v1/auth/token/", data={"username": username, "password": PASSWORD}
    )
    assert answer.status == 200, answer.text()
    return {"Authorization": f"Token {answer.json()['token']}"}


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
    context, page, csp_violations = _new_page(browser)
    try:
        _log_in_with_the_form(page, base, world.staff.username, "/staff/vouchers/")
        headers = _api(context, base, world.staff.username)
        now = timezone.now()
        answer = context.request.post(
            f"{base}/api/v1/voucher-campaigns/",
            headers=headers,
            data={
                "name": "618 low-carbon festival",
                "total_budget": "20000.00",
                "starts_at": (now - datetime.timedelta(minutes=5)).isoformat(),
                "ends_at": (now + datetime.timedelta(days=14)).isoformat(),
            },
        )
        assert answer.status == 201, answer.text()
        campaign_id = answer.json()["id"]
        activated = context.request.post(
            f"{base}/api/v1/voucher-campaigns/{campaign_id}/activate/", headers=headers
        )
        assert activated.status == 200, activated.text()
        allocated = context.request.post(
            f"{base}/api/v1/voucher-campaigns/{campaign_id}/allocations/",
            headers=headers,
            data={
                "name": "Kitchen ¥50 off ¥300",
                "budget": "5000.00",
                "face_value": "50.00",
                "min_spend": "300.00",
                "per_user_limit": 1,
                "claim_starts_at": (now - datetime.timedelta(minutes=5)).isoformat(),
                "claim_ends_at": (now + datetime.timedelta(days=14)).isoformat(),
                "valid_days": 7,
                "category": world.category.slug,
            },
        )
        assert allocated.status == 201, allocated.text()
        allocation_id = allocated.json()["id"]

        # The live figures page shows the campaign: allocated and unallocated budget.
        page.reload()
        section = page.locator("#voucher-figures section", has_text="618 low-carbon festival")
        figures = section.locator("dl").inner_text()
        assert "¥20000.00" in figures and "¥5000.00" in figures and "¥15000.00" in figures

        # A shopper claims; the figures follow without a reload (htmx polls every five seconds).
        page.evaluate("() => (window.__notReloaded = true)")
        voucher_services.voucher_claim(user=world.shopper, allocation_id=allocation_id)
        page.wait_for_function(
            """() => [...document.querySelectorAll('#voucher-figures tr')].some(
                (row) => row.textContent.includes('Kitchen') && row.textContent.includes('¥4950.00'))""",
            timeout=15_000,
        )
        assert page.evaluate("() => window.__notReloaded === true"), "the figures reloaded the page"
        campaign = Campaign.objects.get(pk=campaign_id)
        assert campaign.status == "active"
        page.screenshot(path=str(screenshots / "journey-campaign-live-figures.png"), full_page=True)
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
