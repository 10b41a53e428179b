"""The merchant dashboard's shipment pages: a shop's shipments to send, and marking one shipped.

They live with the orders (shipments are part of an order); the merchant dashboard links to them."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.core.errors import DomainError, NotFound
from marketplace.orders import selectors, services
from marketplace.orders.models import ShipmentStatus
from merchants.access import merchant_required
from merchants.models import Merchant


@merchant_required
def shipment_list(request: HttpRequest, *, merchant: Merchant) -> HttpResponse:
    status = request.GET.get("status") or None
    if status not in (None, *ShipmentStatus.values):
        status = None
    shipments = selectors.shipment_list_for_merchant(merchant=merchant, status=status)
    page_obj = Paginator(shipments, settings.STOREFRONT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "merchants/shipment_list.html",
        {
            "merchant": merchant,
            "page_obj": page_obj,
            "status": status or "",
            "statuses": ShipmentStatus.choices,
        },
    )


@require_POST
@merchant_required
def shipment_ship(request: HttpRequest, pk: int, *, merchant: Merchant) -> HttpResponse:
    try:
        services.shipment_ship(merchant=merchant, shipment_id=pk)
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        messages.error(request, str(exc.detail))
    else:
        messages.success(request, _("Shipment #%(number)d is marked as shipped.") % {"number": pk})
    return redirect("orders:merchant-shipments")
