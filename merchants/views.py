"""Merchant dashboard pages: open a shop, list and edit products (shipments: ``orders.shipment_views``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from marketplace.catalog import services as catalog_services
from marketplace.catalog.models import Product
from marketplace.core.errors import DomainError, Forbidden
from marketplace.core.forms import form_add_domain_error, form_add_validation_error
from merchants import services
from merchants.access import merchant_required, own_merchant
from merchants.forms import MerchantOpenForm, ProductForm
from merchants.models import Merchant

# The catalog service names the pair of name fields "name"; the form shows the error under the first.
PRODUCT_FIELD_MAP = {"name": "name_en"}


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    merchant = own_merchant(request.user)
    if merchant is None:
        return redirect("merchants:open")
    products = Product.objects.filter(merchant=merchant)
    context = {
        "merchant": merchant,
        "product_count": products.count(),
        "active_count": products.filter(active=True).count(),
        "out_of_stock_count": products.filter(active=True, stock=0).count(),
    }
    return render(request, "merchants/dashboard.html", context)


@login_required
def merchant_open(request: HttpRequest) -> HttpResponse:
    if own_merchant(request.user) is not None:
        return redirect("merchants:dashboard")
    form = MerchantOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.merchant_open(owner=request.user, **form.cleaned_data)
        except DomainError as exc:
            form_add_domain_error(form, exc)
        except DjangoValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("Your shop is open."))
            return redirect("merchants:dashboard")
    return render(request, "merchants/open.html", {"form": form})


@merchant_required
def product_list(request: HttpRequest, *, merchant: Merchant) -> HttpResponse:
    products = (
        Product.objects.filter(merchant=merchant).select_related("category").order_by("-created_at", "-id")
    )
    page_obj = Paginator(products, settings.STOREFRONT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "merchants/product_list.html", {"merchant": merchant, "page_obj": page_obj})


@merchant_required
def product_create(request: HttpRequest, *, merchant: Merchant) -> HttpResponse:
    form = ProductForm(request.POST or None, initial={"active": True})
    if request.method == "POST" and form.is_valid():
        try:
            product = catalog_services.product_create(merchant=merchant, user=request.user, **form.values())
        except DomainError as exc:
            form_add_domain_error(form, exc, field_map=PRODUCT_FIELD_MAP)
        except DjangoValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("Product “%(name)s” is listed.") % {"name": product.name})
            return redirect("merchants:products")
    return render(
        request, "merchants/product_form.html", {"form": form, "merchant": merchant, "product": None}
    )


@login_required
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    # Products are public, so another merchant's product is 403 (visible, not yours), an unknown one 404.
    product = get_object_or_404(Product.objects.select_related("merchant", "category"), pk=pk)
    try:
        catalog_services.product_check_editable(product=product, user=request.user)
    except Forbidden as exc:
        raise PermissionDenied(exc.detail) from exc
    initial = {field: getattr(product, field) for field in ProductForm.base_fields}
    initial["category"] = product.category.slug
    form = ProductForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            catalog_services.product_update(product=product, user=request.user, **form.values())
        except DomainError as exc:
            form_add_domain_error(form, exc, field_map=PRODUCT_FIELD_MAP)
        except DjangoValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("Product “%(name)s” is saved.") % {"name": product.name})
            return redirect("merchants:products")
    return render(
        request,
        "merchants/product_form.html",
        {"form": form, "merchant": product.merchant, "product": product},
    )
