from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.catalog.models import MAX_PRICE, MAX_STOCK, MAX_WEIGHT_GRAMS, Category, City
from merchants.models import LastMileVehicle


class CityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.province})"


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.parent.name} / {obj.name}" if obj.parent_id else str(obj.name)


class MerchantOpenForm(forms.Form):
    name = forms.CharField(label=_("Shop name"), max_length=120)
    city = CityChoiceField(
        label=_("City"), queryset=City.objects.order_by("population_rank", "slug"), to_field_name="slug"
    )
    last_mile_vehicle = forms.ChoiceField(
        label=_("Last-mile vehicle"),
        choices=LastMileVehicle.choices,
        initial=LastMileVehicle.ELECTRIC_VAN,
        help_text=_("How your parcels reach the shopper's door; it counts in every carbon label."),
    )
    description = forms.CharField(
        label=_("About the shop"), max_length=2000, required=False, widget=forms.Textarea
    )


class ProductForm(forms.Form):
    """Shape only; the catalog service decides (subcategory required, footprint needs a document...)."""

    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=200, required=False)
    category = CategoryChoiceField(
        label=_("Category"),
        queryset=Category.objects.select_related("parent").order_by("parent__position", "position", "slug"),
        to_field_name="slug",
    )
    price = forms.DecimalField(
        label=_("Price (CNY)"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_PRICE,
    )
    stock = forms.IntegerField(label=_("Stock"), min_value=0, max_value=MAX_STOCK)
    weight_grams = forms.IntegerField(label=_("Weight (grams)"), min_value=1, max_value=MAX_WEIGHT_GRAMS)
    description_en = forms.CharField(
        label=_("Description (English)"), max_length=5000, required=False, widget=forms.Textarea
    )
    description_zh = forms.CharField(
        label=_("Description (Chinese)"), max_length=5000, required=False, widget=forms.Textarea
    )
    ships_in_own_box = forms.BooleanField(label=_("May ship in its own box"), required=False)
    declared_footprint_kg = forms.DecimalField(
        label=_("Declared footprint (kg CO₂e per unit)"),
        max_digits=10,
        decimal_places=3,
        min_value=Decimal("0"),
        required=False,
        help_text=_("Only from an ISO 14067, PAS 2050 or EPD document; give its address below."),
    )
    declared_footprint_document = forms.URLField(
        label=_("Footprint document (URL)"), max_length=500, required=False, assume_scheme="https"
    )
    active = forms.BooleanField(label=_("On sale"), required=False, initial=True)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("name_en") and not cleaned.get("name_zh") and "name_en" not in self.errors:
            self.add_error("name_en", _("Give the product a name in English or Chinese."))
        return cleaned

    def values(self) -> dict[str, Any]:
        """The cleaned values as the catalog services take them."""
        values = dict(self.cleaned_data)
        values["declared_footprint_document"] = values.get("declared_footprint_document") or ""
        return values
