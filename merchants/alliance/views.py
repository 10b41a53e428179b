"""Alliance pages: the public directory and leaderboard, member pages, the merchant's alliance section
and the staff review queue. Views validate forms and call the services; they hold no rules."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.core.errors import DomainError, Forbidden, NotFound
from marketplace.core.forms import form_add_domain_error
from merchants.alliance import selectors, services
from merchants.alliance.forms import ApplicationForm, CommitmentForm, ReasonForm, ReportForm
from merchants.alliance.models import AllianceMembership, MembershipStatus

SPARK_WIDTH = 120
SPARK_HEIGHT = 32
DIRECTORY_PAGE_SIZE = 20


def sparkline_points(
    history: Sequence[tuple[Any, Decimal]], *, width: int = SPARK_WIDTH, height: int = SPARK_HEIGHT
) -> str:
    """SVG polyline points for a history of (date, value), scaled into the box (no JavaScript needed)."""
    if not history:
        return ""
    values = [value for _, value in history]
    low, high = min(values), max(values)
    span = (high - low) or Decimal(1)
    step = Decimal(width) / (len(values) - 1) if len(values) > 1 else Decimal(0)
    points = []
    for index, value in enumerate(values):
        x = step * index if len(values) > 1 else Decimal(width) / 2
        y = Decimal(height - 2) - (value - low) / span * Decimal(height - 4)
        points.append(f"{x:.1f},{y:.1f}")
    return " ".join(points)


def _decorate(member: AllianceMembership) -> AllianceMembership:
    rows = []
    for commitment, progress in getattr(member, "commitment_progress", []):
        rows.append(
            {"commitment": commitment, "progress": progress, "points": sparkline_points(progress.history)}
        )
    member.rows = rows  # type: ignore[attr-defined]
    return member


def directory(request: HttpRequest) -> HttpResponse:
    ordering = "progress" if request.GET.get("ordering") == "progress" else "name"
    members = [_decorate(member) for member in selectors.directory_members(ordering=ordering)]
    page_obj = Paginator(members, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "merchants/alliance/directory.html", {"page_obj": page_obj, "ordering": ordering})


def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        member = _decorate(selectors.directory_member(membership_id=pk))
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    return render(request, "merchants/alliance/member.html", {"member": member})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The merchant's alliance section: membership, criteria, commitments and reports."""
    merchant = getattr(request.user, "merchant", None)
    if merchant is None:
        return redirect("merchants:open")
    membership = selectors.membership_live_for(merchant=merchant)
    last = membership or selectors.membership_list(user=request.user).first()
    application_form = ApplicationForm(request.POST if request.POST.get("action") == "apply" else None)
    commitment_form = CommitmentForm(request.POST if request.POST.get("action") == "commit" else None)
    if request.method == "POST":
        try:
            if application_form.is_bound and application_form.is_valid():
                services.membership_apply(
                    user=request.user,
                    pledges=application_form.cleaned_data["pledges"],
                    declarations=application_form.declarations(),
                )
                messages.success(request, _("Your application is sent."))
                return redirect("alliance:dashboard")
            if commitment_form.is_bound and commitment_form.is_valid():
                data = dict(commitment_form.cleaned_data)
                kpi = data.pop("kpi")
                services.commitment_create(user=request.user, kpi_code=kpi.code, **data)
                messages.success(request, _("Your commitment is published."))
                return redirect("alliance:dashboard")
        except DomainError as exc:
            form_add_domain_error(application_form if application_form.is_bound else commitment_form, exc)
    rows = []
    if membership is not None and membership.status == MembershipStatus.ACTIVE:
        members = selectors.directory_members(membership_id=membership.pk)
        if members:
            rows = _decorate(members[0]).rows  # type: ignore[attr-defined]
    return render(
        request,
        "merchants/alliance/dashboard.html",
        {
            "merchant": merchant,
            "membership": membership,
            "last": last,
            "rows": rows,
            "application_form": application_form,
            "commitment_form": commitment_form,
            "report_form": ReportForm(),
        },
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _visible_membership(request, pk)
    try:
        services.membership_withdraw(membership=membership, user=request.user)
    except Forbidden as exc:
        raise PermissionDenied(exc.detail) from exc
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("You left the alliance."))
    return redirect("alliance:dashboard")


@login_required
@require_POST
def report(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        commitment = selectors.commitment_get(commitment_id=pk)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    if not selectors.membership_visible_to(membership=commitment.membership, user=request.user):
        raise Http404
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Please correct the report: %(errors)s") % {"errors": form.errors.as_text()}
        )
        return redirect("alliance:dashboard")
    try:
        services.progress_report_declare(commitment=commitment, user=request.user, **form.cleaned_data)
    except Forbidden as exc:
        raise PermissionDenied(exc.detail) from exc
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Your progress is reported."))
    return redirect("alliance:dashboard")


def _visible_membership(request: HttpRequest, pk: int) -> AllianceMembership:
    try:
        membership = selectors.membership_get(membership_id=pk)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    if not selectors.membership_visible_to(membership=membership, user=request.user):
        raise Http404
    return membership


@login_required
def staff_queue(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied
    status = request.GET.get("status") or MembershipStatus.APPLIED
    if status not in MembershipStatus.values:
        status = MembershipStatus.APPLIED
    memberships = selectors.membership_list(user=request.user, status=status)
    page_obj = Paginator(memberships, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "merchants/alliance/staff_queue.html",
        {"page_obj": page_obj, "status": status, "statuses": MembershipStatus.choices},
    )


STAFF_ACTIONS = {
    "approve": lambda m, u, r: services.membership_approve(membership=m, user=u),
    "reject": lambda m, u, r: services.membership_reject(membership=m, user=u, reason=r),
    "suspend": lambda m, u, r: services.membership_suspend(membership=m, user=u, reason=r),
    "reinstate": lambda m, u, r: services.membership_reinstate(membership=m, user=u, reason=r),
}


@login_required
@require_POST
def staff_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied
    if action not in STAFF_ACTIONS:
        raise Http404
    membership = _visible_membership(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    try:
        STAFF_ACTIONS[action](membership, request.user, reason)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Done: %(shop)s") % {"shop": membership.merchant.name})
    return redirect(f"{reverse('alliance:staff-queue')}?status={MembershipStatus.APPLIED}")
