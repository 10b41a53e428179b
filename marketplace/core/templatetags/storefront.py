"""Template helpers of the storefront: money in CNY, the language switcher, accessible widgets, paging."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.conf import settings
from django.http import QueryDict
from django.utils.translation import get_language

from marketplace.core.money import Money, to_cents

register = template.Library()

CURRENCY_SYMBOLS = {"CNY": "¥"}


@register.filter
def money(value: Any) -> str:
    """``1299`` -> ``¥1,299.00``: the yuan sign, thousands grouped by commas, two places.

    English and Simplified Chinese write CNY amounts the same way, so one format serves both locales.
    """
    if value is None or value == "":
        return ""
    currency = "CNY"
    if isinstance(value, Money):
        amount, currency = value.amount, value.currency
    else:
        try:
            amount = to_cents(value)
        except (InvalidOperation, TypeError, ValueError):
            return ""
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    sign = "-" if amount < Decimal(0) else ""
    return f"{sign}{symbol}{abs(amount):,.2f}"


@register.simple_tag
def language_options() -> list[dict[str, Any]]:
    """The languages of the switcher, each named in its own language, the active one marked."""
    active = (get_language() or settings.LANGUAGE_CODE).lower()
    native = {"en": "English", "zh-hans": "简体中文"}
    return [
        {"code": code, "name": native.get(code, str(name)), "selected": active == code.lower()}
        for code, name in settings.LANGUAGES
    ]


@register.filter
def accessible_widget(field: Any) -> str:
    """Render a bound field's widget tied to its help text and errors by ``aria-describedby``."""
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_help")
    if field.errors:
        described_by.append(f"{field.auto_id}_errors")
    attrs: dict[str, str] = {}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return str(field.as_widget(attrs=attrs))


@register.simple_tag(takes_context=True)
def page_query(context: template.Context, number: int) -> str:
    """The current query string with ``page`` set to ``number`` (keeps search terms and filters)."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    query["page"] = str(number)
    return "?" + query.urlencode()
