"""``{% load vouchers %}{% voucher_strip %}``: the claimable green vouchers as a strip, for the venue
landing page."""

from __future__ import annotations

from typing import Any

from django import template

from vouchers import selectors

register = template.Library()

STRIP_SIZE = 4


@register.inclusion_tag("vouchers/_strip.html", takes_context=True)
def voucher_strip(context: dict[str, Any]) -> dict[str, Any]:
    allocations = [
        allocation
        for allocation in selectors.claimable_allocations()[: STRIP_SIZE * 2]
        if selectors.allocation_figures(allocation).remaining >= allocation.face_value
    ][:STRIP_SIZE]
    return {"allocations": allocations, "request": context.get("request")}
