"""Pages: the voucher centre, my vouchers and the staff's live figures (DESIGN section 6)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.db.models.functions import TruncMinute
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.core.errors import DomainError
from vouchers import selectors, services
from vouchers.models import Voucher

CHART_MINUTES = 30
BAR_WIDTH = 240


def voucher_centre(request: HttpRequest) -> HttpResponse:
    allocations = list(selectors.claimable_allocations()[:100])
    rows = [(allocation, selectors.allocation_figures(allocation)) for allocation in allocations]
    return render(request, "vouchers/centre.html", {"rows": rows})


@login_required
@require_POST
def voucher_claim(request: HttpRequest, allocation_id: int) -> HttpResponse:
    try:
        result = services.voucher_claim(
            user=request.user,
            allocation_id=allocation_id,
            rate_limit_ip=str(request.META.get("REMOTE_ADDR", "")),
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("vouchers:centre")
    messages.success(
        request,
        _("Voucher %(code)s claimed: %(face)s off a minimum spend of %(min)s.")
        % {"code": result.code, "face": result.face_value, "min": result.min_spend},
    )
    return redirect("vouchers:mine")


@login_required
def my_vouchers(request: HttpRequest) -> HttpResponse:
    services.voucher_sync_user(user_id=int(request.user.pk or 0))
    vouchers = selectors.voucher_list(user=request.user)[:200]
    return render(request, "vouchers/mine.html", {"vouchers": vouchers})


def _staff_context() -> dict[str, object]:
    campaigns = []
    for campaign in selectors.campaign_list()[:20]:
        allocations = []
        for allocation in selectors.campaign_allocations(campaign=campaign):
            figures = selectors.allocation_figures(allocation)
            share = figures.issued / allocation.budget if allocation.budget else 0
            allocations.append(
                {"allocation": allocation, "figures": figures, "width": int(BAR_WIDTH * share)}
            )
        campaigns.append(
            {
                "campaign": campaign,
                "figures": selectors.campaign_figures(campaign),
                "allocations": allocations,
            }
        )
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
        "campaigns": campaigns,
        "bars": bars,
        "chart_width": max(12, len(bars) * 12),
        "peak": peak,
        "bar_width": BAR_WIDTH,
        "chart_minutes": CHART_MINUTES,
    }


def _require_staff(request: HttpRequest) -> None:
    if not request.user.is_staff:
        raise PermissionDenied


@login_required
def staff_figures(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    services.voucher_journal_drain_quietly()
    return render(request, "vouchers/staff_figures.html", _staff_context())


@login_required
def staff_figures_partial(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    services.voucher_journal_drain_quietly()
    return render(request, "vouchers/_staff_figures.html", _staff_context())
