"""Template helpers of the green venue: certification badges and facet links."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict

from green_venue.selectors import badge_certificates

register = template.Library()


@register.inclusion_tag("green_venue/_badges.html")
def certification_badges(product: Any) -> dict[str, Any]:
    """One badge per qualifying certificate of ``product`` (scheme, number, validity, registry link).

    For a product page; lists should load badges for the whole page at once (``badge_certificates``).
    """
    badges = getattr(product, "badges", None)
    if badges is None:
        badges = badge_certificates(product_ids=[product.pk]).get(product.pk, [])
    return {"badges": badges}


def _query(context: template.Context, **changes: str | None) -> str:
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    query.pop("page", None)
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def venue_query(context: template.Context, key: str, value: str) -> str:
    """The current venue query with ``key`` set to ``value`` (or removed if already selected)."""
    request = context.get("request")
    current = request.GET.get(key) if request is not None else None
    return _query(context, **{key: None if current == value else value})


@register.simple_tag(takes_context=True)
def venue_price_query(context: template.Context, min_price: str | None, max_price: str | None) -> str:
    return _query(context, min_price=min_price, max_price=max_price)
