"""Shopper pages: the voucher centre and my vouchers. Staff pages: ``staff_views``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.core.errors import DomainError
from vouchers import selectors, services


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
