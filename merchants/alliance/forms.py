"""Forms of the alliance pages; they validate shapes, the services decide the rules."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from merchants.alliance.models import VALUE_DIGITS, VALUE_PLACES, Kpi, Pledge, TargetType, VerificationLevel


class ApplicationForm(forms.Form):
    pledges = forms.MultipleChoiceField(
        label=_("Pledges"), choices=Pledge.choices, widget=forms.CheckboxSelectMultiple
    )
    renewable_electricity_share = forms.DecimalField(
        label=_("Renewable electricity share (%)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
    )
    green_logistics = forms.CharField(
        label=_("Green logistics (what you do)"), required=False, max_length=1000, widget=forms.Textarea
    )
    packaging = forms.CharField(
        label=_("Packaging (what you do)"), required=False, max_length=1000, widget=forms.Textarea
    )

    def declarations(self) -> dict[str, str]:
        data = self.cleaned_data
        values = {
            "renewable_electricity_share": data.get("renewable_electricity_share"),
            "green_logistics": data.get("green_logistics"),
            "packaging": data.get("packaging"),
        }
        return {key: str(value) for key, value in values.items() if value not in (None, "")}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


class CommitmentForm(forms.Form):
    kpi = forms.ModelChoiceField(
        label=_("KPI"), queryset=Kpi.objects.filter(active=True), to_field_name="code", empty_label=None
    )
    baseline_value = forms.DecimalField(
        label=_("Baseline value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES
    )
    baseline_date = forms.DateField(label=_("Baseline date"), widget=forms.DateInput(attrs={"type": "date"}))
    target_value = forms.DecimalField(
        label=_("Target value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES
    )
    target_date = forms.DateField(label=_("Target date"), widget=forms.DateInput(attrs={"type": "date"}))
    target_type = forms.ChoiceField(label=_("Target type"), choices=TargetType.choices)
    coverage = forms.CharField(label=_("Coverage"), required=False, max_length=300)
    verification_level = forms.ChoiceField(label=_("Verification level"), choices=VerificationLevel.choices)


class ReportForm(forms.Form):
    period_start = forms.DateField(label=_("Period start"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Period end"), widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.DecimalField(label=_("Value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    evidence_url = forms.URLField(
        label=_("Evidence link"), required=False, max_length=500, assume_scheme="https"
    )
    evidence_text = forms.CharField(
        label=_("Evidence description"), required=False, max_length=2000, widget=forms.Textarea
    )
