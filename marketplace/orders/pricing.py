"""Order arithmetic as pure functions (no database): line totals, subtotal, discount and total.

Every amount is a ``Money`` (Decimal, two places); a line total is unit price x whole quantity, which is
exact, so the subtotal is exact to the cent whatever the mix of prices and quantities.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from marketplace.core.money import DEFAULT_CURRENCY, Money, money_sum


@dataclass(frozen=True, slots=True)
class OrderTotals:
    subtotal: Money
    discount: Money
    total: Money


def line_total(*, unit_price: Money, quantity: int) -> Money:
    if quantity < 1:
        raise ValueError("a line has at least one unit")
    return unit_price * quantity


def order_totals(
    *, lines: Iterable[tuple[Money, int]], discount: Money | None = None, currency: str = DEFAULT_CURRENCY
) -> OrderTotals:
    """Subtotal of ``(unit price, quantity)`` lines, the discount (never more than the subtotal, never
    negative) and ``total = subtotal - discount`` (shipping is free for now: docs/domain.md, "Orders")."""
    subtotal = money_sum(
        [line_total(unit_price=price, quantity=quantity) for price, quantity in lines], currency
    )
    applied = discount if discount is not None else Money.zero(currency)
    if applied < Money.zero(currency):
        raise ValueError("a discount is never negative")
    # The voucher rules keep the face value within the minimum spend, so this cap only guards the
    # total against a rule elsewhere going wrong: a discount never makes an order pay the shopper.
    if applied > subtotal:
        applied = subtotal
    return OrderTotals(subtotal=subtotal, discount=applied, total=subtotal - applied)
