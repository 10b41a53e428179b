"""Template helpers of the cart shown on every page (the header's item count)."""

from __future__ import annotations

from django import template

from marketplace.orders.selectors import cart_units_for_user

register = template.Library()


@register.simple_tag(takes_context=True)
def cart_count(context: template.Context) -> int:
    """Number of items in the signed-in shopper's cart (0 for visitors)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return cart_units_for_user(user=user)
