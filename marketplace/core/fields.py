from __future__ import annotations

from typing import Any

from django.db import models

from marketplace.core.money import DECIMAL_PLACES, MAX_DIGITS


class MoneyAmountField(models.DecimalField):
    """A CNY amount stored exactly as DECIMAL(14, 2)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", MAX_DIGITS)
        kwargs.setdefault("decimal_places", DECIMAL_PLACES)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_digits", None)
        kwargs.pop("decimal_places", None)
        return name, path, args, kwargs
