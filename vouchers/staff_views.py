"""Staff pages of the voucher budget: live figures, campaigns, allocations and voids.

Every write goes through ``vouchers.services``; a ``DomainError`` it raises is shown next to the field it
names or as a message, never as an error page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count
from django.db.models.functions import TruncMinute
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from marketplace.core.errors import DomainError, NotFound
from marketplace.core.forms import form_add_domain_error, form_add_validation_error
from vouchers import selectors, services
from vouchers.errors import BudgetExhausted
from vouchers.forms import AllocationForm, CampaignEditForm, CampaignForm, VoucherLookupForm
from vouchers.models import Campaign, CampaignStatus, Voucher, VoucherStatus

CHART_MINUTES = 30
BAR_WIDTH = 240
LISTED_CAMPAIGNS = 20

ViewFunction = Callable[..., HttpResponse]


def staff_required(view: ViewFunction) -> ViewFunction:
    """Anonymous visitors go to the login page; signed-in users who are not staff get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapper)


# --- live figures -----------------------------------------------------------------------------------
def campaign_card(campaign: Campaign) -> dict[str, Any]:
    """A campaign with its figures and each allocation's, with the width of its "issued" bar."""
    allocations = []
    for allocation in selectors.campaign_allocations(campaign=campaign):
        figures = selectors.allocation_figures(allocation)
        share = figures.issued / allocation.budget if allocation.budget else 0
        allocations.append({"allocation": allocation, "figures": figures, "width": int(BAR_WIDTH * share)})
    return {
        "campaign": campaign,
        "figures": selectors.campaign_figures(campaign),
        "allocations": allocations,
        "bar_width": BAR_WIDTH,
    }


def _claims_chart() -> dict[str, Any]:
    since = timezone.now() - timedelta(minutes=CHART_MINUTES)
    per_minute = (
        Voucher.objects.filter(claimed_at__gte=since)
        .annotate(minute=TruncMinute("claimed_at"))
        .values("minute")
        .annotate(claims=Count("id"))
        .order_by("minute")
    )
    points = list(per_minute)
    peak = max((point["claims"] for point in points), default=0)
    bars = []
    for index, point in enumerate(points):
        height = int(80 * point["claims"] / peak) if peak else 0
        bars.append(
            {
                "minute": point["minute"],
                "claims": point["claims"],
                "x": index * 12,
                "y": 90 - height,
                "height": height,
            }
        )
    return {
        "bars": bars,
        "chart_width": max(12, len(bars) * 12),
        "peak": peak,
        "chart_minutes": CHART_MINUTES,
    }


def _figures_context() -> dict[str, Any]:
    campaigns = [campaign_card(campaign) for campaign in selectors.campaign_list()[:LISTED_CAMPAIGNS]]
    return {"campaigns": campaigns, "bar_width": BAR_WIDTH, **_claims_chart()}


@staff_required
def staff_figures(request: HttpRequest) -> HttpResponse:
    services.voucher_journal_drain_quietly()
    return render(request, "vouchers/staff_figures.html", _figures_context())


@staff_required
def staff_figures_partial(request: HttpRequest) -> HttpResponse:
    services.voucher_journal_drain_quietly()
    return render(request, "vouchers/_staff_figures.html", _figures_context())


# --- campaigns --------------------------------------------------------------------------------------
def _whole_minute(moment: datetime, *, up: bool) -> datetime:
    floor = moment.replace(second=0, microsecond=0)
    return floor + timedelta(minutes=1) if up and floor != moment else floor


def _campaign_or_404(campaign_id: int) -> Campaign:
    return get_object_or_404(selectors.campaign_list(), pk=campaign_id)


def _apply_service_error(form: Any, error: DomainError | DjangoValidationError) -> None:
    """A refusal by the service (or the model's ``full_clean`` inside it) shown on the form."""
    if isinstance(error, DjangoValidationError):
        form_add_validation_error(form, error)
    else:
        form_add_domain_error(form, error)


@staff_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(user=request.user, **form.cleaned_data)
        except (DomainError, DjangoValidationError) as error:
            _apply_service_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Campaign “%(name)s” created as a draft. "
                    "Split its budget into allocations, then activate it."
                )
                % {"name": campaign.name},
            )
            return redirect("vouchers:staff-campaign", campaign.pk)
    return render(request, "vouchers/campaign_form.html", {"form": form, "campaign": None})


@staff_required
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    services.voucher_journal_drain_quietly()
    campaign = _campaign_or_404(campaign_id)
    return render(
        request,
        "vouchers/campaign_detail.html",
        {
            **campaign_card(campaign),
            "actions": services.campaign_actions(campaign),
            "business_zone": settings.TIME_ZONE,
        },
    )


@staff_required
def campaign_edit(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign_or_404(campaign_id)
    window_editable = campaign.status == CampaignStatus.DRAFT
    initial = {
        "name": campaign.name,
        "total_budget": campaign.total_budget,
        # As the inputs show them (whole minutes), so an untouched window does not count as changed.
        "starts_at": _whole_minute(campaign.starts_at, up=False),
        "ends_at": _whole_minute(campaign.ends_at, up=False),
    }
    form = CampaignEditForm(request.POST or None, initial=initial, window_editable=window_editable)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(campaign=campaign, user=request.user, **form.changes())
        except (DomainError, DjangoValidationError) as error:
            _apply_service_error(form, error)
        else:
            messages.success(request, _("Campaign “%(name)s” saved.") % {"name": form.cleaned_data["name"]})
            return redirect("vouchers:staff-campaign", campaign.pk)
    return render(request, "vouchers/campaign_form.html", {"form": form, "campaign": campaign})


TRANSITION_DONE = {
    "activate": gettext_lazy("Campaign “%(name)s” is active: shoppers can claim its vouchers."),
    "pause": gettext_lazy("Campaign “%(name)s” is paused: no new claims; issued vouchers still work."),
    "resume": gettext_lazy("Campaign “%(name)s” is active again."),
    "end": gettext_lazy(
        "Campaign “%(name)s” has ended: no new claims; issued vouchers still work until they expire."
    ),
}


@staff_required
@require_POST
def campaign_transition(request: HttpRequest, campaign_id: int, action: str) -> HttpResponse:
    if action not in services.CAMPAIGN_ACTIONS:
        raise Http404
    campaign = _campaign_or_404(campaign_id)
    try:
        campaign = services.campaign_transition(campaign_id=campaign.pk, user=request.user, action=action)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, str(TRANSITION_DONE[action]) % {"name": campaign.name})
    return redirect("vouchers:staff-campaign", campaign.pk)


# --- allocations ------------------------------------------------------------------------------------
@staff_required
def allocation_create(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign_or_404(campaign_id)
    initial = {
        # The inputs hold whole minutes: round the campaign's window inwards, or the suggested claim
        # window would fall a few seconds outside it.
        "claim_starts_at": _whole_minute(campaign.starts_at, up=True),
        "claim_ends_at": _whole_minute(campaign.ends_at, up=False),
        "valid_days": 7,
    }
    form = AllocationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            allocation = services.allocation_create(
                campaign_id=campaign.pk, user=request.user, **form.cleaned_data
            )
        except BudgetExhausted as error:
            # Not tied to a field by the service, but the budget is what the admin has to change.
            form.add_error("budget", error.detail)
        except (DomainError, DjangoValidationError) as error:
            _apply_service_error(form, error)
        else:
            messages.success(
                request,
                _("Allocation “%(name)s” created with a budget of ¥%(budget)s.")
                % {"name": allocation.name, "budget": allocation.budget},
            )
            return redirect("vouchers:staff-campaign", campaign.pk)
    figures = selectors.campaign_figures(campaign)
    return render(
        request,
        "vouchers/allocation_form.html",
        {"form": form, "campaign": campaign, "figures": figures, "business_zone": settings.TIME_ZONE},
    )


# --- voiding a voucher ------------------------------------------------------------------------------
def _show_voucher(code: str) -> HttpResponse:
    return redirect(f"{reverse('vouchers:staff-voucher-void')}?{urlencode({'code': code})}")


@staff_required
def voucher_void(request: HttpRequest) -> HttpResponse:
    """GET ``?code=``: find the voucher and show it; POST ``code``: void it, then show it again."""
    if request.method == "POST":
        form = VoucherLookupForm(request.POST)
        if form.is_valid():
            code = form.cleaned_data["code"]
            try:
                voided = services.voucher_void(code=code, user=request.user)
            except NotFound as error:
                form.add_error("code", error.detail)
            except DomainError as error:
                messages.error(request, error.detail)
                return _show_voucher(code)
            else:
                messages.success(
                    request,
                    _("Voucher %(code)s is void; its ¥%(face)s went back to the allocation “%(allocation)s”.")
                    % {
                        "code": voided.code,
                        "face": voided.face_value,
                        "allocation": voided.allocation.name,
                    },
                )
                return _show_voucher(code)
        return render(request, "vouchers/voucher_void.html", {"form": form, "voucher": None})

    voucher: Voucher | None = None
    form = VoucherLookupForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        services.voucher_journal_drain_quietly()  # a claim of a moment ago may not be persisted yet
        voucher = selectors.voucher_get_by_code(code=form.cleaned_data["code"])
        if voucher is None:
            form.add_error("code", _("No voucher matches the given code."))
    return render(
        request,
        "vouchers/voucher_void.html",
        {
            "form": form,
            "voucher": voucher,
            "voidable": voucher is not None and voucher.status == VoucherStatus.ISSUED,
            "business_zone": settings.TIME_ZONE,
        },
    )
