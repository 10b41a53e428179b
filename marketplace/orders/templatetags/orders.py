"""Template helpers of the cart for every page: the header's item count, the add-to-cart form."""

from __future__ import annotations

from typing import Any

from django import template

from marketplace.orders.forms import CartAddForm
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


@register.simple_tag
def cart_add_form(product: Any) -> CartAddForm:
    """A fresh add-to-cart form for one unit of ``product`` (the product page)."""
    return CartAddForm(initial={"product": product.pk, "quantity": 1})
