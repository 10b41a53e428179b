"""Forms of the merchant certificate pages: shape only; ``green_venue.services`` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from green_venue.models import CertificationScheme
from marketplace.catalog.models import Product


class SchemeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        example = f" ({obj.number_example})" if obj.number_example else ""
        return f"{obj.name}{example}"


class ProductChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.category.name})"


class CertificateSubmitForm(forms.Form):
    scheme = SchemeChoiceField(
        label=_("Scheme"), queryset=CertificationScheme.objects.none(), to_field_name="code"
    )
    number = forms.CharField(
        label=_("Certificate number"), max_length=100, help_text=_("Exactly as printed on the certificate.")
    )
    holder = forms.CharField(label=_("Certificate holder"), max_length=300)
    grade = forms.CharField(
        label=_("Grade"), max_length=30, required=False, help_text=_("Only for graded schemes.")
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Inclusive. Leave empty to use the scheme's usual validity."),
    )
    products = ProductChoiceField(
        label=_("Products it covers"),
        queryset=Product.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, merchant: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = CertificationScheme.objects.filter(active=True)  # type: ignore[attr-defined]
        self.fields["products"].queryset = (  # type: ignore[attr-defined]
            Product.objects.filter(merchant=merchant).select_related("category").order_by("name_en", "pk")
        )

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "scheme": data["scheme"],
            "number": data["number"],
            "holder": data["holder"],
            "grade": data["grade"] or None,
            "valid_from": data["valid_from"],
            "valid_until": data["valid_until"],
            "product_ids": [product.pk for product in data["products"]],
        }


class EvidenceUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Evidence file"),
        help_text=_("The certificate as a PDF or an image (PNG, JPEG or WebP)."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg,image/webp"}),
    )
