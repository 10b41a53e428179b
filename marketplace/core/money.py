"""Money: a Decimal amount with a currency, never a float.

Amounts are quantised to the currency's minor unit (two places for CNY). Adding or comparing two
currencies is an error, not a silent conversion.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

DEFAULT_CURRENCY = "CNY"
CENT = Decimal("0.01")
# Large enough for a 100,000,000.00 CNY campaign budget with room to spare (DECIMAL(14, 2)).
MAX_DIGITS = 14
DECIMAL_PLACES = 2


class CurrencyMismatch(ValueError):
    pass


def to_cents(value: Decimal | int | str) -> Decimal:
    """Quantise an exact value to two places; floats are refused."""
    if isinstance(value, float):
        raise TypeError("money is never a float; pass a Decimal, int or str")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str = DEFAULT_CURRENCY

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", to_cents(self.amount))

    @classmethod
    def zero(cls, currency: str = DEFAULT_CURRENCY) -> Money:
        return cls(Decimal(0), currency)

    def _check(self, other: Any) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} and {other.currency}")
        return other

    def __add__(self, other: Money) -> Money:
        return Money(self.amount + self._check(other).amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(self.amount - self._check(other).amount, self.currency)

    def __mul__(self, factor: int) -> Money:
        if not isinstance(factor, int) or isinstance(factor, bool):
            raise TypeError("money is multiplied by whole quantities only")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._check(other).amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._check(other).amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._check(other).amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._check(other).amount

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


def money_sum(values: list[Money] | tuple[Money, ...], currency: str = DEFAULT_CURRENCY) -> Money:
    total = Money.zero(currency)
    for value in values:
        total = total + value
    return total
