"""Voucher services. Checkout (marketplace.orders) calls the two functions below; the vouchers issue
replaces their bodies with the real rules (DESIGN section 3)."""

from __future__ import annotations

from typing import Any

from marketplace.core.errors import DomainError
from marketplace.core.money import Money


def voucher_redeem_for_order(*, user: Any, code: str, order: Any) -> Money:
    """Apply the shopper's voucher ``code`` to ``order`` (inside the checkout transaction, after the
    order's lines exist). Returns the discount; raises a DomainError (409 codes of DESIGN section 3)
    when the voucher cannot be applied, which rolls the whole checkout back."""
    raise DomainError("Vouchers are not available yet.", code="not_eligible")


def voucher_unredeem_for_order(*, order: Any) -> None:
    """Give the voucher redeemed by ``order`` back (order cancelled, inside its transaction)."""
    return None
