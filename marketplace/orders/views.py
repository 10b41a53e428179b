"""Shopper pages: cart, checkout, orders. Views validate shape and call the orders services, which decide.

Every write is a POST that redirects (POST/redirect/GET), so the pages work without JavaScript; with
htmx, the cart quantity forms swap just the cart (``HX-Request``) and the cart badge out of band.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.catalog import selectors as catalog_selectors
from marketplace.catalog.models import City, Product
from marketplace.core.errors import DomainError, InvalidInput, NotFound
from marketplace.core.forms import form_add_domain_error
from marketplace.orders import ports, selectors, services
from marketplace.orders.forms import CartAddForm, CartItemQuantityForm, CheckoutForm
from marketplace.orders.models import CartItem, Order, OrderStatus, ShipmentStatus

logger = logging.getLogger(__name__)

# Voucher refusals (docs/domain.md, "Errors" of "Vouchers") are shown next to the voucher field.
VOUCHER_ERROR_CODES = frozenset(
    {
        "budget_exhausted",
        "limit_reached",
        "not_active",
        "already_redeemed",
        "not_eligible",
        "min_spend_not_met",
    }
)
CHECKOUT_FIELD_MAP = {"voucher": "voucher_code", "city": "shipping_city"}


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- cart -----------------------------------------------------------------------------------------


def _render_cart(
    request: HttpRequest, *, item_errors: dict[int, str] | None = None, status: int = 200
) -> HttpResponse:
    summary = selectors.cart_summary(cart=services.cart_get_for_user(user=request.user))
    rows = [
        {
            "item": item,
            "line_total": selectors.cart_item_line_total(item),
            "error": (item_errors or {}).get(item.pk, ""),
        }
        for item in summary.items
    ]
    context = {"summary": summary, "rows": rows, "cart_units": sum(item.quantity for item in summary.items)}
    if _is_htmx(request):
        # htmx swaps only 2xx answers: an error is still a 200 carrying the message next to the field.
        return render(request, "orders/_cart_contents.html", {**context, "oob_badge": True})
    return render(request, "orders/cart.html", context, status=status)


@login_required
def cart(request: HttpRequest) -> HttpResponse:
    return _render_cart(request)


@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    form = CartAddForm(request.POST)
    product_id = request.POST.get("product", "")
    if not request.user.is_authenticated:
        # Come back to the product after logging in (the cart itself only takes POSTs).
        back = (
            reverse("catalog:product", args=[product_id]) if product_id.isdigit() else reverse("catalog:home")
        )
        return redirect_to_login(back)
    product: Product | None = None
    if form.is_valid():
        product = catalog_selectors.product_list().filter(pk=form.cleaned_data["product"]).first()
        if product is None:
            raise Http404
        try:
            services.cart_add_item(user=request.user, product=product, quantity=form.cleaned_data["quantity"])
        except DomainError as exc:
            # Stock, availability and cart limits are all about how many the shopper asked for.
            form.add_error("quantity", str(exc.detail))
        else:
            messages.success(request, _("Added %(name)s to your cart.") % {"name": product.name})
            return redirect("orders:cart")
    if product is None and product_id.isdigit():
        product = catalog_selectors.product_list().filter(pk=int(product_id)).first()
    if product is None:
        raise Http404
    return render(request, "catalog/product_detail.html", {"product": product, "form": form}, status=400)


@require_POST
@login_required
def cart_item_update(request: HttpRequest, item_id: int) -> HttpResponse:
    form = CartItemQuantityForm(request.POST)
    if not form.is_valid():
        return _render_cart(
            request,
            item_errors={item_id: " ".join(str(error) for error in form.errors["quantity"])},
            status=400,
        )
    try:
        services.cart_update_item(user=request.user, item_id=item_id, quantity=form.cleaned_data["quantity"])
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        return _render_cart(request, item_errors={item_id: str(exc.detail)}, status=409)
    if _is_htmx(request):
        return _render_cart(request)
    messages.success(request, _("Quantity updated."))
    return redirect("orders:cart")


@require_POST
@login_required
def cart_item_remove(request: HttpRequest, item_id: int) -> HttpResponse:
    try:
        services.cart_remove_item(user=request.user, item_id=item_id)
    except NotFound as exc:
        raise Http404 from exc
    if _is_htmx(request):
        return _render_cart(request)
    messages.success(request, _("Removed from your cart."))
    return redirect("orders:cart")


# --- checkout -------------------------------------------------------------------------------------


def _packaging_footprints(items: list[CartItem], city: City | None) -> dict[str, dict[str, Any]]:
    """Estimated footprint of each packaging choice for this cart going to ``city`` (empty if unknown).

    The estimate only informs the choice: if it fails, checkout goes on without it."""
    if city is None or not items:
        return {}
    try:
        return ports.carbon_labels().packaging_footprints(
            items=[(item.product, item.quantity) for item in items], destination=city
        )
    except Exception:
        logger.exception("packaging footprints for the checkout failed")
        return {}


def _estimate_city(request: HttpRequest, data: Any) -> City | None:
    """The city the estimates are for: the one chosen in the form, else the last one shipped to."""
    slug = data.get("shipping_city") if data is not None else None
    if slug:
        return City.objects.filter(slug=slug).first()
    user_id = request.user.pk
    if user_id is None:
        return None
    return City.objects.filter(orders__user_id=user_id).order_by("-orders__created_at", "-orders__id").first()


@login_required
def checkout(request: HttpRequest) -> HttpResponse:
    summary = selectors.cart_summary(cart=services.cart_get_for_user(user=request.user))
    if summary.is_empty:
        messages.info(request, _("Your cart is empty."))
        return redirect("orders:cart")
    # "Show footprints" re-renders the form with the estimates for the chosen city, placing nothing.
    estimate_only = request.method == "POST" and request.POST.get("action") == "estimate"
    city = _estimate_city(request, request.POST if request.method == "POST" else None)
    footprints = _packaging_footprints(summary.items, city)
    options: dict[str, Any] = {"packaging_options": summary.packaging_options, "footprints": footprints}
    if request.method == "POST" and not estimate_only:
        form = CheckoutForm(request.POST, **options)
    else:
        initial = {name: request.POST.get(name) for name in CheckoutForm.base_fields} if estimate_only else {}
        if city is not None:
            initial["shipping_city"] = city.slug
        form = CheckoutForm(initial={k: v for k, v in initial.items() if v}, **options)
    if request.method == "POST" and not estimate_only and form.is_valid():
        try:
            order = services.order_place(
                user=request.user,
                shipping_city=form.cleaned_data["shipping_city"],
                address=form.cleaned_data["address"],
                packaging=form.cleaned_data["packaging"],
                voucher_code=form.cleaned_data["voucher_code"] or None,
            )
        except DomainError as exc:
            if exc.code in VOUCHER_ERROR_CODES and not isinstance(exc, InvalidInput):
                form.add_error("voucher_code", str(exc.detail))
            else:
                form_add_domain_error(form, exc, field_map=CHECKOUT_FIELD_MAP)
        else:
            messages.success(request, _("Order placed. Please pay to confirm it."))
            return redirect("orders:order-detail", pk=order.pk)
    status = 400 if request.method == "POST" and not estimate_only else 200
    rows = [{"item": item, "line_total": selectors.cart_item_line_total(item)} for item in summary.items]
    context = {"form": form, "summary": summary, "rows": rows, "estimate_city": city if footprints else None}
    return render(request, "orders/checkout.html", context, status=status)


@login_required
def checkout_packaging(request: HttpRequest) -> HttpResponse:
    """The packaging choices with their footprints for the city picked (htmx swaps them in place)."""
    summary = selectors.cart_summary(cart=services.cart_get_for_user(user=request.user))
    city = _estimate_city(request, request.GET)
    footprints = _packaging_footprints(summary.items, city)
    initial = {"packaging": request.GET.get("packaging")} if request.GET.get("packaging") else {}
    form = CheckoutForm(initial=initial, packaging_options=summary.packaging_options, footprints=footprints)
    context = {"form": form, "estimate_city": city if footprints else None}
    return render(request, "orders/_packaging_field.html", context)


# --- orders ---------------------------------------------------------------------------------------


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    orders = selectors.order_list_for_user(user=request.user)
    page_obj = Paginator(orders, settings.STOREFRONT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "orders/order_list.html", {"page_obj": page_obj})


def _own_order(request: HttpRequest, pk: int) -> Order:
    try:
        return selectors.order_get_for_user(user=request.user, order_id=pk)
    except NotFound as exc:
        raise Http404 from exc


def _available_actions(order: Order) -> dict[str, bool]:
    """Which buttons to offer; the services still decide (a stale button answers with a message)."""
    nothing_shipped = all(shipment.status == ShipmentStatus.PENDING for shipment in order.shipments.all())
    return {
        "can_pay": order.status == OrderStatus.PENDING_PAYMENT,
        "can_cancel": order.status in (OrderStatus.PENDING_PAYMENT, OrderStatus.PAID) and nothing_shipped,
        "can_confirm": order.status == OrderStatus.SHIPPED,
    }


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = _own_order(request, pk)
    context: dict[str, Any] = {"order": order, **_available_actions(order)}
    return render(request, "orders/order_detail.html", context)


def _order_action(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    order = _own_order(request, pk)
    try:
        action(order=order)
    except DomainError as exc:
        messages.error(request, str(exc.detail))
    else:
        messages.success(request, done)
    return redirect("orders:order-detail", pk=order.pk)


@require_POST
@login_required
def order_pay(request: HttpRequest, pk: int) -> HttpResponse:
    return _order_action(request, pk, services.order_pay, _("Payment received. Thank you!"))


@require_POST
@login_required
def order_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _order_action(request, pk, services.order_cancel, _("The order is cancelled."))


@require_POST
@login_required
def order_confirm_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    return _order_action(request, pk, services.order_confirm_receipt, _("Thank you for confirming receipt."))
