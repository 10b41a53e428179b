"""Reads of the orders app. List selectors join or prefetch what a page shows, so the number of queries
does not grow with the number of orders, lines or shipments."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet, Sum
from django.utils.translation import gettext as _

from marketplace.catalog.models import Product
from marketplace.core.errors import NotFound
from marketplace.core.money import DEFAULT_CURRENCY, Money
from marketplace.orders import ports
from marketplace.orders.models import Cart, CartItem, Order, OrderLine, OrderStatus, Packaging, Shipment
from marketplace.orders.pricing import order_totals

# --- cart -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CartSummary:
    cart: Cart
    items: list[CartItem]
    subtotal: Money
    packaging_options: list[str]

    @property
    def is_empty(self) -> bool:
        return not self.items


def cart_units_for_user(*, user: Any) -> int:
    """Units in the user's cart, without creating a cart for users who never used one."""
    total = CartItem.objects.filter(cart__user=user).aggregate(units=Sum("quantity"))["units"]
    return int(total or 0)


def cart_items(*, cart: Cart) -> list[CartItem]:
    return list(
        CartItem.objects.filter(cart=cart)
        .select_related("product", "product__merchant", "product__merchant__city", "product__category")
        .order_by("added_at", "id")
    )


def packaging_options_for_products(*, products: Iterable[Product]) -> list[str]:
    """Packaging choices for these products: ``none`` (no extra box) only when every one of them may
    ship in its own packaging."""
    products = list(products)
    options = [Packaging.STANDARD.value, Packaging.RECYCLED.value, Packaging.REUSABLE.value]
    if products and all(product.ships_in_own_box for product in products):
        options.append(Packaging.NONE.value)
    return options


def packaging_options_for_cart(*, cart: Cart, items: list[CartItem] | None = None) -> list[str]:
    items = cart_items(cart=cart) if items is None else items
    return packaging_options_for_products(products=[item.product for item in items])


def cart_summary(*, cart: Cart) -> CartSummary:
    """The cart with its items, the subtotal at today's prices and the packaging choices that apply."""
    items = cart_items(cart=cart)
    totals = order_totals(lines=[(Money(item.product.price), item.quantity) for item in items])
    return CartSummary(
        cart=cart,
        items=items,
        subtotal=totals.subtotal,
        packaging_options=packaging_options_for_cart(cart=cart, items=items),
    )


def cart_item_line_total(item: CartItem) -> Money:
    return Money(item.product.price, DEFAULT_CURRENCY) * item.quantity


# --- orders ---------------------------------------------------------------------------------------


def _order_queryset() -> QuerySet[Order]:
    lines = OrderLine.objects.order_by("id")
    shipments = Shipment.objects.select_related("merchant", "origin_city").order_by("id")
    return Order.objects.select_related("shipping_city").prefetch_related(
        Prefetch("lines", queryset=lines),
        Prefetch("shipments", queryset=shipments),
        ports.carbon_labels().labels_prefetch(),
    )


def order_list_for_user(*, user: Any, status: str | None = None) -> QuerySet[Order]:
    """The user's own orders, newest first, with lines and shipments prefetched."""
    queryset = _order_queryset().filter(user=user).order_by("-created_at", "-id")
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def order_get_for_user(*, user: Any, order_id: Any) -> Order:
    """One of the user's orders; another shopper's order is not found (see
    docs/invariants.md, "Who sees what")."""
    try:
        return _order_queryset().get(pk=int(order_id), user=user)
    except (Order.DoesNotExist, TypeError, ValueError) as exc:
        raise NotFound(_("No order matches the given id.")) from exc


def order_carbon_label(*, order: Order) -> dict[str, Any] | None:
    """The order's carbon label for the active factor set, or None until it is ready."""
    return ports.carbon_labels().label_data(order=order)


# --- shipments ------------------------------------------------------------------------------------

MERCHANT_VISIBLE_ORDER_STATUSES = (OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.DELIVERED)


def shipment_list_for_merchant(*, merchant: Any, status: str | None = None) -> QuerySet[Shipment]:
    """The merchant's shipments of paid orders (unpaid and cancelled orders have nothing to send),
    newest first, with the order, its city and the lines of this shipment."""
    queryset = (
        Shipment.objects.filter(merchant=merchant, order__status__in=MERCHANT_VISIBLE_ORDER_STATUSES)
        .select_related("order", "order__shipping_city", "origin_city", "merchant")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("id")))
        .order_by("-id")
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset
