from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.catalog.models import City
from marketplace.orders.models import Packaging
from merchants.forms import CityChoiceField

MAX_ADDRESS_LENGTH = 500


def _quantity_field() -> forms.IntegerField:
    # Built per form so the limit follows the setting (CART_MAX_QUANTITY) at request time.
    return forms.IntegerField(
        label=_("Quantity"), min_value=1, max_value=settings.CART_MAX_QUANTITY, initial=1
    )


class CartAddForm(forms.Form):
    product = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quantity"] = _quantity_field()


class CartItemQuantityForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quantity"] = _quantity_field()


def packaging_label(value: str, footprint: dict[str, Any] | None) -> str:
    """The packaging's name, with its estimated footprint when the carbon estimate is known."""
    name = str(dict(Packaging.choices)[value])
    if not footprint:
        return name
    return gettext(
        "%(name)s: packaging %(packaging)s kg CO₂e; order about %(total)s kg CO₂e, grade %(grade)s"
    ) % {
        "name": name,
        "packaging": _kg(footprint.get("packaging_kgco2e")),
        "total": _kg(footprint.get("total_kgco2e")),
        "grade": footprint.get("grade", "?"),
    }


def _kg(value: Any) -> str:
    try:
        return str(Decimal(str(value)).quantize(Decimal("0.01")))
    except (InvalidOperation, ValueError):
        return "?"


class CheckoutForm(forms.Form):
    """Shape of a checkout; which packaging applies and whether the voucher fits is decided by
    ``order_place``. The packaging choices offered are those of the cart (``packaging_options_for_cart``)."""

    shipping_city = CityChoiceField(
        label=_("Deliver to city"),
        queryset=City.objects.order_by("population_rank", "slug"),
        to_field_name="slug",
        empty_label=_("Choose a city"),
    )
    address = forms.CharField(
        label=_("Street address"),
        max_length=MAX_ADDRESS_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    packaging = forms.ChoiceField(label=_("Packaging"), widget=forms.RadioSelect)
    voucher_code = forms.CharField(
        label=_("Voucher code"),
        max_length=64,
        required=False,
        help_text=_("Optional. A green voucher applies to certified green products only."),
    )

    def __init__(
        self,
        *args: Any,
        packaging_options: list[str],
        footprints: dict[str, dict[str, Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["packaging"]
        field.choices = [  # type: ignore[attr-defined]
            (value, packaging_label(value, (footprints or {}).get(value))) for value in packaging_options
        ]
        if (
            not self.is_bound
            and not self.initial.get("packaging")
            and Packaging.RECYCLED.value in packaging_options
        ):
            field.initial = Packaging.RECYCLED.value

    def clean_voucher_code(self) -> str:
        return str(self.cleaned_data.get("voucher_code") or "").strip()
