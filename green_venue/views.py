"""Pages: the venue landing and listing, and the staff review queue. Rules live in services/selectors."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.exceptions import ValidationError

from green_venue import selectors, services
from green_venue.cache import cached
from green_venue.forms import CertificateSubmitForm, EvidenceUploadForm
from green_venue.models import CertificateStatus, ClaimType
from green_venue.ports import alliance_member_merchant_ids
from green_venue.selectors import marketplace_today
from green_venue.venue import (
    FOOTPRINT_GRADES,
    ORDERINGS,
    VenueQuery,
    VenueResult,
    facets_total,
    featured_categories,
    newest_products,
    venue_badges,
)
from green_venue.venue_apis import parse_filters, product_footprint
from marketplace.core.errors import DomainError
from marketplace.core.forms import form_add_domain_error

PAGE_SIZE = getattr(settings, "STOREFRONT_PAGE_SIZE", 24)
LANDING_PRODUCTS = 8


def _decorate(products: list[Any], *, members: set[int] | None = None) -> list[Any]:
    """Badges, footprint and alliance membership for the cards (three queries at most, any length)."""
    badges = venue_badges(product_ids=[p.pk for p in products])
    if members is None:
        members = alliance_member_merchant_ids() if products else set()
    for product in products:
        product.badges = badges.get(product.pk, [])
        product.footprint = product_footprint(product)
        product.alliance_member = product.merchant_id in members
    return products


def venue_landing(request: HttpRequest) -> HttpResponse:
    today = marketplace_today()
    members = alliance_member_merchant_ids()
    newest = newest_products(limit=LANDING_PRODUCTS, on=today)
    alliance = newest_products(limit=LANDING_PRODUCTS, merchant_ids=members, on=today) if members else []
    return render(
        request,
        "green_venue/landing.html",
        {
            "featured_categories": cached(
                ("featured", today.isoformat(), get_language()), lambda: featured_categories(on=today)
            ),
            "schemes": selectors.scheme_list(),
            "newest_products": _decorate(newest, members=members),
            "alliance_products": _decorate(alliance, members=members),
        },
    )


def _error_messages(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        detail = exc.detail
        if isinstance(detail, dict):
            return [f"{field}: {' '.join(str(m) for m in msgs)}" for field, msgs in detail.items()]
        return [str(m) for m in detail]
    return [str(getattr(exc, "detail", exc))]


def venue_listing(request: HttpRequest) -> HttpResponse:
    params = {key: value for key, value in request.GET.items() if value != ""}
    try:
        filters = parse_filters(params)
    except (ValidationError, DomainError) as exc:
        return render(
            request,
            "green_venue/listing.html",
            {
                "errors": _error_messages(exc),
                "params": params,
                "orderings": ORDERINGS,
                "claims": ClaimType.choices,
                "grades": FOOTPRINT_GRADES,
            },
            status=400,
        )
    today = marketplace_today()
    query = VenueQuery(filters=filters, on=today)
    facets = cached(("facets", today.isoformat(), get_language(), repr(filters)), query.facets)
    paginator = Paginator(VenueResult(query, total=facets_total(facets)), PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    page_obj.object_list = _decorate(list(page_obj.object_list))
    return render(
        request,
        "green_venue/listing.html",
        {
            "page_obj": page_obj,
            "facets": facets,
            "params": params,
            "orderings": ORDERINGS,
            "claims": ClaimType.choices,
            "grades": FOOTPRINT_GRADES,
            "search_query": params.get("search", ""),
        },
    )


def _require_staff(request: HttpRequest) -> None:
    if not request.user.is_staff:
        raise PermissionDenied


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    status = request.GET.get("status") or CertificateStatus.SUBMITTED
    if status not in CertificateStatus.values:
        raise Http404
    queryset = selectors.certificate_list(user=request.user, status=status).prefetch_related(
        "review_entries__actor"
    )
    if status == CertificateStatus.SUBMITTED:
        queryset = queryset.order_by("created_at", "id")
    page_obj = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "green_venue/review_queue.html",
        {"page_obj": page_obj, "status": status, "statuses": CertificateStatus.choices},
    )


@login_required
@require_POST
def review_action(request: HttpRequest, certificate_id: int, action: str) -> HttpResponse:
    _require_staff(request)
    try:
        certificate = selectors.certificate_get_for(user=request.user, certificate_id=certificate_id)
    except DomainError as exc:
        raise Http404 from exc
    reason = request.POST.get("reason", "")
    try:
        if action == "verify":
            services.certificate_verify(certificate=certificate, user=request.user)
            messages.success(request, _("Certificate %(number)s verified.") % {"number": certificate.number})
        elif action == "reject":
            services.certificate_reject(certificate=certificate, user=request.user, reason=reason)
            messages.success(request, _("Certificate %(number)s rejected.") % {"number": certificate.number})
        elif action == "revoke":
            services.certificate_revoke(certificate=certificate, user=request.user, reason=reason)
            messages.success(request, _("Certificate %(number)s revoked.") % {"number": certificate.number})
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, str(exc.detail))
    next_status = request.POST.get("status") or CertificateStatus.SUBMITTED
    if next_status not in CertificateStatus.values:
        next_status = CertificateStatus.SUBMITTED
    return redirect(f"{reverse('green_venue:review-queue')}?status={next_status}")


@login_required
def merchant_certificates(request: HttpRequest) -> HttpResponse:
    """The merchant's certificates with their review log, and the expiry notices for the dashboard."""
    merchant = getattr(request.user, "merchant", None)
    if merchant is None:
        return redirect("/")
    certificates = selectors.certificate_list(user=request.user).prefetch_related("review_entries__actor")
    return render(
        request,
        "green_venue/merchant_certificates.html",
        {
            "certificates": certificates,
            "notices": selectors.certificate_notices(merchant=merchant),
            "schemes": selectors.scheme_list(),
        },
    )


def _own_merchant_or_403(request: HttpRequest) -> Any:
    merchant = getattr(request.user, "merchant", None)
    if merchant is None:
        raise PermissionDenied(_("Only a shop's owner submits its certificates."))
    return merchant


@login_required
def merchant_certificate_new(request: HttpRequest) -> HttpResponse:
    """Submit a certificate (POST/redirect/GET); the next step is its evidence."""
    merchant = _own_merchant_or_403(request)
    form = CertificateSubmitForm(request.POST or None, merchant=merchant)
    if request.method == "POST" and form.is_valid():
        try:
            certificate = services.certificate_submit(user=request.user, **form.values())
        except DomainError as exc:
            form_add_domain_error(form, exc, field_map={"product_ids": "products"})
        else:
            messages.success(
                request,
                _("Certificate %(number)s submitted. Now upload its evidence.")
                % {"number": certificate.number},
            )
            return redirect("green_venue:merchant-certificate-evidence", certificate_id=certificate.pk)
    return render(request, "green_venue/certificate_form.html", {"form": form, "merchant": merchant})


@login_required
def merchant_certificate_evidence(request: HttpRequest, certificate_id: int) -> HttpResponse:
    """The merchant's certificate with its evidence files and review log, and the upload form."""
    _own_merchant_or_403(request)
    try:
        certificate = selectors.certificate_get_for(user=request.user, certificate_id=certificate_id)
    except DomainError as exc:
        raise Http404 from exc
    if certificate.merchant.owner_id != request.user.pk:
        raise Http404  # staff who also own a shop see other shops' certificates only in the queue
    form = EvidenceUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            evidence = services.certificate_add_evidence(
                certificate=certificate, user=request.user, upload=form.cleaned_data["file"]
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("“%(name)s” uploaded.") % {"name": evidence.original_name})
            return redirect("green_venue:merchant-certificate-evidence", certificate_id=certificate.pk)
    return render(
        request,
        "green_venue/certificate_evidence.html",
        {
            "certificate": certificate,
            "form": form,
            "can_upload": certificate.status == CertificateStatus.SUBMITTED,
            "max_mb": services.evidence_limit_mb(),
        },
    )
