"""Forms of the staff voucher pages: shape only; ``vouchers.services`` decides."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.catalog.models import Category
from merchants.models import Merchant

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _money_field(label: Any, **kwargs: Any) -> forms.DecimalField:
    # As the API's money fields and the database column: DECIMAL(14, 2), more than zero.
    return forms.DecimalField(
        label=label, max_digits=14, decimal_places=2, min_value=Decimal("0.01"), **kwargs
    )


class BusinessDateTimeField(forms.DateTimeField):
    """A ``datetime-local`` input read and shown in the business time zone (``settings.TIME_ZONE``),
    whatever zone the request runs in, limited like the API to the years 2000 to 2099."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)
    input_formats = [DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
    default_error_messages = {
        "out_of_range": _("Use a date between the years 2000 and 2099."),
    }

    def to_python(self, value: Any) -> datetime | None:
        if isinstance(value, str) and "\x00" in value:  # ISO parsing would let a trailing NUL through
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        with timezone.override(ZoneInfo(settings.TIME_ZONE)):
            parsed = super().to_python(value)
        if parsed is not None and not 2000 <= parsed.year <= 2099:
            raise forms.ValidationError(self.error_messages["out_of_range"], code="out_of_range")
        return parsed

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime) and timezone.is_aware(value):
            return timezone.localtime(value, ZoneInfo(settings.TIME_ZONE)).replace(tzinfo=None)
        return value


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    total_budget = _money_field(_("Total budget (CNY)"))
    starts_at = BusinessDateTimeField(label=_("Starts"), help_text=_("Local time in %(zone)s."))
    ends_at = BusinessDateTimeField(label=_("Ends"), help_text=_("Local time in %(zone)s."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _name_the_zone(self)


class CampaignEditForm(forms.Form):
    """Name and total budget at any time; the window only while the campaign is a draft."""

    name = forms.CharField(label=_("Name"), max_length=200)
    total_budget = _money_field(
        _("Total budget (CNY)"), help_text=_("Never below the budget already allocated.")
    )
    starts_at = BusinessDateTimeField(label=_("Starts"), help_text=_("Local time in %(zone)s."))
    ends_at = BusinessDateTimeField(label=_("Ends"), help_text=_("Local time in %(zone)s."))

    def __init__(self, *args: Any, window_editable: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not window_editable:
            del self.fields["starts_at"]
            del self.fields["ends_at"]
        _name_the_zone(self)

    def changes(self) -> dict[str, Any]:
        """What to hand to ``campaign_update``: name and budget always, the window only if it moved."""
        values = {"name": self.cleaned_data["name"], "total_budget": self.cleaned_data["total_budget"]}
        for name in ("starts_at", "ends_at"):
            if name in self.fields and name in self.changed_data:
                values[name] = self.cleaned_data[name]
        return values


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.parent.name} / {obj.name}" if obj.parent_id else str(obj.name)


class MerchantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} (#{obj.pk})"


class AllocationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    budget = _money_field(_("Budget (CNY)"), help_text=_("Taken from the campaign's unallocated budget."))
    face_value = _money_field(_("Face value (CNY)"), help_text=_("The discount of one voucher."))
    min_spend = _money_field(
        _("Minimum spend (CNY)"), help_text=_("On eligible lines; at least the face value.")
    )
    per_user_limit = forms.IntegerField(
        label=_("Vouchers per shopper"), min_value=1, max_value=1000, initial=1
    )
    claim_starts_at = BusinessDateTimeField(
        label=_("Claims open"), help_text=_("Local time in %(zone)s; inside the campaign's window.")
    )
    claim_ends_at = BusinessDateTimeField(
        label=_("Claims close"), help_text=_("Local time in %(zone)s; inside the campaign's window.")
    )
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=3650,
        help_text=_("From the claim; never beyond the campaign's end."),
    )
    category = CategoryChoiceField(
        label=_("Only for the category"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("Any category"),
        help_text=_("A top category includes its subcategories."),
    )
    merchant = MerchantChoiceField(
        label=_("Only for the shop"),
        queryset=Merchant.objects.none(),
        required=False,
        empty_label=_("Any shop"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.select_related("parent").order_by(  # type: ignore[attr-defined]
            "parent__position", "position", "slug"
        )
        self.fields["merchant"].queryset = Merchant.objects.order_by("name", "pk")  # type: ignore[attr-defined]
        _name_the_zone(self)


class VoucherLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Voucher code"),
        max_length=32,
        help_text=_("As the shopper sees it, for example GV7K3M…"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()


def _name_the_zone(form: forms.Form) -> None:
    for field in form.fields.values():
        if isinstance(field, BusinessDateTimeField) and field.help_text:
            field.help_text = str(field.help_text) % {"zone": settings.TIME_ZONE}
