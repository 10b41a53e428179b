"""Keyboard-only use of the page frame (WCAG 2.1.1 keyboard, 2.4.1 bypass blocks, 2.4.7 focus visible).

axe cannot press keys; these tests do: skip to the content, see where the focus is at every stop, open
the account menu, switch the language and log out without a mouse.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.world import log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
        tag: el.tagName.toLowerCase(), id: el.id, cls: el.className, text: (el.textContent || '').trim(),
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
        onScreen: box.width > 1 && box.height > 1 && box.bottom > 0 && box.top < window.innerHeight,
        insideClosedMenu: !!el.closest('details:not([open]) .menu-items'),
    };
}"""


def _tab_to(page: Any, predicate: Any, *, limit: int = 40) -> dict[str, Any]:
    """Press Tab until ``predicate(focused)`` holds; every stop on the way must show where it is."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused: dict[str, Any] = page.evaluate(FOCUSED)
        if focused["tag"] != "body":
            where = f"{focused['tag']}#{focused['id']}.{focused['cls']} {focused['text'][:40]!r}"
            assert focused["outline"], f"no visible focus indicator on {where}"
            assert focused["onScreen"], f"the focused element is off screen: {where}"
            assert not focused["insideClosedMenu"], f"focus went into a closed menu: {where}"
        if predicate(focused):
            return focused
    raise AssertionError(f"not reached in {limit} Tab presses")


def test_skip_link_comes_first_is_visible_and_moves_focus_to_the_content(
    live_server: Any, browser: Any
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        first = _tab_to(page, lambda focused: True, limit=1)
        assert "skip-link" in first["cls"], first
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "main"
        assert page.url.endswith("#main")
    finally:
        context.close()


def test_a_shopper_switches_language_opens_the_account_menu_and_logs_out_by_keyboard(
    live_server: Any, browser: Any
) -> None:
    shopper = UserFactory(username="keyboard-shopper")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        log_in(context, live_server.url, shopper)
        page = context.new_page()
        page.goto(live_server.url + "/")

        # Language: choose Chinese in the select with the arrow key, then press the switch button.
        _tab_to(page, lambda focused: focused["id"] == "language-select")
        page.keyboard.press("ArrowDown")
        assert page.eval_on_selector("#language-select", "el => el.value") == "zh-hans"
        _tab_to(page, lambda focused: focused["tag"] == "button" and focused["text"] == "Switch", limit=1)
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.documentElement.lang === 'zh-hans'")

        # The account menu opens with Enter, and its items come next in the Tab order.
        _tab_to(page, lambda focused: focused["tag"] == "summary")
        page.keyboard.press("Enter")
        assert page.locator("details.menu").get_attribute("open") is not None
        logout = _tab_to(
            page, lambda focused: focused["tag"] == "button" and "退出" in focused["text"], limit=15
        )
        assert logout["text"]
        page.keyboard.press("Enter")
        page.wait_for_selector(".account-nav a[href^='/accounts/login/']")
        assert page.locator("html").get_attribute("lang") == "zh-hans"
    finally:
        context.close()
