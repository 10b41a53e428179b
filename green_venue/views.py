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
from green_venue.models import CertificateStatus, ClaimType
from green_venue.selectors import badge_certificates, marketplace_today
from green_venue.venue import ORDERINGS, VenueFilters, featured_categories, venue_facets, venue_products
from green_venue.venue_apis import parse_filters
from marketplace.core.errors import DomainError

PAGE_SIZE = getattr(settings, "STOREFRONT_PAGE_SIZE", 24)
LANDING_PRODUCTS = 8


def _with_badges(products: list[Any]) -> list[Any]:
    badges = badge_certificates(product_ids=[p.pk for p in products])
    for product in products:
        product.badges = badges.get(product.pk, [])
    return products


def venue_landing(request: HttpRequest) -> HttpResponse:
    today = marketplace_today()
    newest = list(venue_products(filters=VenueFilters(), on=today)[:LANDING_PRODUCTS])
    return render(
        request,
        "green_venue/landing.html",
        {
            "featured_categories": cached(
                ("featured", today.isoformat(), get_language()), lambda: featured_categories(on=today)
            ),
            "schemes": selectors.scheme_list(),
            "newest_products": _with_badges(newest),
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
            },
            status=400,
        )
    today = marketplace_today()
    products = venue_products(filters=filters, on=today)
    page_obj = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    _with_badges(list(page_obj.object_list))
    return render(
        request,
        "green_venue/listing.html",
        {
            "page_obj": page_obj,
            "facets": cached(
                ("facets", today.isoformat(), get_language(), repr(filters)),
                lambda: venue_facets(products=products, on=today),
            ),
            "params": params,
            "orderings": ORDERINGS,
            "claims": ClaimType.choices,
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
