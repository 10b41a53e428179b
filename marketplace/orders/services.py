"""Writes of the orders app: cart, checkout, order state changes, shipments, payment timeouts.

Concurrency (docs/architecture.md, "Concurrency"):
- Checkout locks the shopper's cart row, then the products in primary-key order, re-checks stock under
  the lock and takes it with a conditional ``UPDATE ... WHERE stock >= q`` whose row count is checked; the
  ``product_stock_not_negative`` CheckConstraint is the backstop.
- Every order state change locks the order row first and decides from the state read under the lock, so
  two cancels at the same time give stock back once and two payments charge once.
- Lock order is always cart -> order -> shipment -> products, so there is no cycle.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.catalog.models import City, Product
from marketplace.core.errors import DomainError, InvalidInput, InvalidTransition, NotFound
from marketplace.core.money import DEFAULT_CURRENCY, Money
from marketplace.orders import ports
from marketplace.orders.models import (
    Cart,
    CartItem,
    Order,
    OrderLine,
    OrderStatus,
    Packaging,
    Payment,
    PaymentStatus,
    Shipment,
    ShipmentStatus,
)
from marketplace.orders.payments import get_payment_provider
from marketplace.orders.pricing import line_total, order_totals
from marketplace.orders.selectors import packaging_options_for_products
from vouchers import services as voucher_services

logger = logging.getLogger(__name__)

MAX_ADDRESS_LENGTH = 500
MAX_VOUCHER_CODE_LENGTH = 64


class OutOfStock(DomainError):
    code = "out_of_stock"
    default_detail = "Not enough stock."


class CartEmpty(DomainError):
    code = "cart_empty"
    default_detail = "Your cart is empty."


class ProductUnavailable(DomainError):
    code = "product_unavailable"
    default_detail = "This product is no longer available."


class CartFull(DomainError):
    code = "cart_full"
    default_detail = "Your cart holds as many different products as it can."


class PaymentFailed(DomainError):
    code = "payment_failed"
    default_detail = "The payment did not go through."


def _is_available(product: Product) -> bool:
    return product.active and product.merchant.status == "active"


def _check_quantity(quantity: int) -> None:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise InvalidInput(_("Quantity must be a whole number of at least 1."), field="quantity")
    if quantity > settings.CART_MAX_QUANTITY:
        raise InvalidInput(
            _("At most %(max)d units of one product per order.") % {"max": settings.CART_MAX_QUANTITY},
            field="quantity",
        )


# --- cart -----------------------------------------------------------------------------------------


def cart_get_for_user(*, user: Any) -> Cart:
    """The user's cart, created on first use."""
    cart, _created = Cart.objects.get_or_create(user=user)
    return cart


def _locked_cart(user: Any) -> Cart:
    cart = cart_get_for_user(user=user)
    return Cart.objects.select_for_update().get(pk=cart.pk)


@transaction.atomic
def cart_add_item(*, user: Any, product: Product, quantity: int = 1) -> CartItem:
    """Put ``quantity`` units of ``product`` in the cart, adding to what is already there."""
    _check_quantity(quantity)
    cart = _locked_cart(user)
    product = Product.objects.select_related("merchant").get(pk=product.pk)
    if not _is_available(product):
        raise ProductUnavailable(_("%(name)s is no longer available.") % {"name": product.name})
    item = CartItem.objects.filter(cart=cart, product=product).first()
    new_quantity = quantity + (item.quantity if item else 0)
    _check_quantity(new_quantity)
    if new_quantity > product.stock:
        raise OutOfStock(
            _("Only %(stock)d left of %(name)s.") % {"stock": product.stock, "name": product.name}
        )
    if item is None:
        if cart.items.count() >= settings.CART_MAX_ITEMS:
            raise CartFull()
        item = CartItem.objects.create(cart=cart, product=product, quantity=new_quantity)
    else:
        item.quantity = new_quantity
        item.save(update_fields=["quantity"])
    Cart.objects.filter(pk=cart.pk).update(updated_at=timezone.now())
    return item


def _cart_item_for_user(*, user: Any, item_id: int, cart: Cart) -> CartItem:
    item = (
        CartItem.objects.select_related("product", "product__merchant").filter(cart=cart, pk=item_id).first()
    )
    if item is None:
        raise NotFound(_("No cart item matches the given id."))
    return item


@transaction.atomic
def cart_update_item(*, user: Any, item_id: int, quantity: int) -> CartItem:
    """Set the quantity of one of the user's cart items (another user's item is not found)."""
    _check_quantity(quantity)
    cart = _locked_cart(user)
    item = _cart_item_for_user(user=user, item_id=item_id, cart=cart)
    if quantity > item.product.stock:
        raise OutOfStock(
            _("Only %(stock)d left of %(name)s.") % {"stock": item.product.stock, "name": item.product.name}
        )
    item.quantity = quantity
    item.save(update_fields=["quantity"])
    return item


@transaction.atomic
def cart_remove_item(*, user: Any, item_id: int) -> None:
    cart = _locked_cart(user)
    item = _cart_item_for_user(user=user, item_id=item_id, cart=cart)
    item.delete()


# --- checkout -------------------------------------------------------------------------------------


@transaction.atomic
def order_place(
    *, user: Any, shipping_city: City, address: str, packaging: str, voucher_code: str | None = None
) -> Order:
    """Turn the user's cart into one order with one shipment per merchant, taking stock.

    All or nothing: any error (stock, an unavailable product, a voucher that cannot be applied) rolls
    back the whole transaction, leaving no order and the stock as it was.
    """
    address = (address or "").strip()
    if not address:
        raise InvalidInput(_("Give a delivery address."), field="address")
    if len(address) > MAX_ADDRESS_LENGTH:
        raise InvalidInput(_("The address is too long."), field="address")
    if packaging not in Packaging.values:
        raise InvalidInput(_("Unknown packaging choice."), field="packaging")
    voucher_code = (voucher_code or "").strip() or None
    if voucher_code is not None and len(voucher_code) > MAX_VOUCHER_CODE_LENGTH:
        raise InvalidInput(_("No voucher has a code this long."), field="voucher")

    cart = Cart.objects.select_for_update().filter(user=user).first()
    items = list(cart.items.order_by("product_id")) if cart is not None else []
    if not items:
        raise CartEmpty(_("Your cart is empty."))
    quantities = {item.product_id: item.quantity for item in items}

    # Lock the products in primary-key order so concurrent checkouts never deadlock.
    products = list(
        Product.objects.select_for_update(of=("self",))
        .select_related("merchant")
        .filter(pk__in=quantities)
        .order_by("pk")
    )
    if len(products) != len(quantities):
        raise ProductUnavailable(_("A product in your cart is no longer available."))
    if packaging not in packaging_options_for_products(products=products):
        raise InvalidInput(
            _("'No extra box' is only possible when every product may ship in its own packaging."),
            field="packaging",
        )
    for product in products:
        if not _is_available(product):
            raise ProductUnavailable(_("%(name)s is no longer available.") % {"name": product.name})
        wanted = quantities[product.pk]
        if product.stock < wanted:
            raise OutOfStock(
                _("Only %(stock)d left of %(name)s.") % {"stock": product.stock, "name": product.name}
            )
    for product in products:
        taken = Product.objects.filter(pk=product.pk, stock__gte=quantities[product.pk]).update(
            stock=F("stock") - quantities[product.pk]
        )
        if taken != 1:  # only without row locks (SQLite): another checkout took it first
            raise OutOfStock(_("%(name)s has just sold out.") % {"name": product.name})

    currency = DEFAULT_CURRENCY
    totals = order_totals(
        lines=[(Money(product.price, currency), quantities[product.pk]) for product in products],
        currency=currency,
    )
    order = Order.objects.create(
        user=user,
        status=OrderStatus.PENDING_PAYMENT,
        shipping_city=shipping_city,
        address=address,
        packaging=packaging,
        subtotal=totals.subtotal.amount,
        discount=totals.discount.amount,
        total=totals.total.amount,
        currency=currency,
        voucher_code=voucher_code or "",
    )
    shipments: dict[int, Shipment] = {}
    for merchant_id in sorted({product.merchant_id for product in products}):
        merchant = next(product.merchant for product in products if product.merchant_id == merchant_id)
        shipments[merchant_id] = Shipment.objects.create(
            order=order, merchant_id=merchant_id, origin_city_id=merchant.city_id
        )
    OrderLine.objects.bulk_create(
        [
            OrderLine(
                order=order,
                product=product,
                merchant_id=product.merchant_id,
                shipment=shipments[product.merchant_id],
                product_name_en=product.name_en,
                product_name_zh=product.name_zh,
                unit_price=product.price,
                quantity=quantities[product.pk],
                line_total=line_total(
                    unit_price=Money(product.price, currency), quantity=quantities[product.pk]
                ).amount,
                weight_grams=product.weight_grams,
                category_id=product.category_id,
            )
            for product in products
        ]
    )

    if voucher_code:
        discount = voucher_services.voucher_redeem_for_order(user=user, code=voucher_code, order=order)
        totals = order_totals(
            lines=[(Money(product.price, currency), quantities[product.pk]) for product in products],
            discount=discount,
            currency=currency,
        )
        order.discount = totals.discount.amount
        order.total = totals.total.amount
        order.save(update_fields=["discount", "total"])

    CartItem.objects.filter(cart=cart).delete()
    return order


# --- order state changes --------------------------------------------------------------------------


def _lock_order(order_id: int) -> Order:
    return Order.objects.select_for_update().get(pk=order_id)


def _give_stock_back(order: Order) -> None:
    quantities: dict[int, int] = defaultdict(int)
    for product_id, quantity in order.lines.values_list("product_id", "quantity"):
        quantities[product_id] += quantity
    for product_id in sorted(quantities):  # primary-key order, as checkout locks them
        Product.objects.filter(pk=product_id).update(stock=F("stock") + quantities[product_id])


def _refund_payments(order: Order) -> None:
    provider = get_payment_provider()
    for payment in order.payments.filter(status=PaymentStatus.SUCCEEDED).order_by("pk"):
        result = provider.refund(payment)
        if not result.succeeded:
            raise PaymentFailed(_("The refund did not go through; the order stays as it was."))
        payment.status = PaymentStatus.REFUNDED
        payment.refunded_at = timezone.now()
        payment.refund_reference = result.reference
        payment.save(update_fields=["status", "refunded_at", "refund_reference"])


def _cancel_locked(order: Order, *, reason: str) -> Order:
    if order.status not in (OrderStatus.PENDING_PAYMENT, OrderStatus.PAID):
        raise InvalidTransition(_("Only an order that has not shipped can be cancelled."))
    if order.shipments.exclude(status=ShipmentStatus.PENDING).exists():
        raise InvalidTransition(_("Part of this order has shipped; it can no longer be cancelled."))
    _give_stock_back(order)
    voucher_services.voucher_unredeem_for_order(order=order)
    if order.status == OrderStatus.PAID:
        _refund_payments(order)
    order.status = OrderStatus.CANCELLED
    order.cancelled_at = timezone.now()
    order.cancel_reason = reason
    order.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    return order


@transaction.atomic
def order_cancel(*, order: Order, reason: str = "shopper") -> Order:
    """Cancel before anything shipped: stock back, voucher back, a paid order refunded.

    Cancelling a cancelled order changes nothing (the stock is given back exactly once)."""
    locked = _lock_order(order.pk)
    if locked.status == OrderStatus.CANCELLED:
        return locked
    return _cancel_locked(locked, reason=reason)


@transaction.atomic
def order_pay(*, order: Order) -> Order:
    """Charge the order through the payment provider; paying a paid order changes nothing.

    The carbon label is requested here, where payment makes it due (it is computed after the commit)."""
    locked = _lock_order(order.pk)
    if locked.status == OrderStatus.PAID:
        return locked
    if locked.status != OrderStatus.PENDING_PAYMENT:
        raise InvalidTransition(_("Only an order waiting for payment can be paid."))

    provider = get_payment_provider()
    # One key per order: a retried charge (after a timeout or a crash) is the same charge at the provider.
    idempotency_key = f"order-{locked.pk}-charge"
    result = provider.charge(locked, idempotency_key)
    if not result.succeeded:
        raise PaymentFailed(result.error or _("The payment did not go through."))
    if result.amount != Money(locked.total, locked.currency):
        raise PaymentFailed(_("The provider charged a different amount; the order stays unpaid."))
    try:
        with transaction.atomic():
            Payment.objects.create(
                order=locked,
                provider=provider.name,
                reference=result.reference,
                idempotency_key=idempotency_key,
                amount=result.amount.amount,
                currency=result.amount.currency,
                status=PaymentStatus.SUCCEEDED,
            )
    except IntegrityError as exc:  # impossible while the order lock is held; the constraint is the backstop
        raise InvalidTransition(_("This order has already been paid.")) from exc
    locked.status = OrderStatus.PAID
    locked.paid_at = timezone.now()
    locked.save(update_fields=["status", "paid_at"])
    ports.carbon_labels().label_on_payment(order_id=locked.pk)
    return locked


def _deliver_locked(order: Order) -> Order:
    now = timezone.now()
    order.shipments.exclude(status=ShipmentStatus.DELIVERED).update(
        status=ShipmentStatus.DELIVERED, delivered_at=now
    )
    order.status = OrderStatus.DELIVERED
    order.delivered_at = now
    order.save(update_fields=["status", "delivered_at"])
    return order


@transaction.atomic
def order_confirm_receipt(*, order: Order) -> Order:
    """The shopper confirms a shipped order arrived; confirming again changes nothing."""
    locked = _lock_order(order.pk)
    if locked.status == OrderStatus.DELIVERED:
        return locked
    if locked.status != OrderStatus.SHIPPED:
        raise InvalidTransition(_("Only a shipped order can be confirmed as received."))
    return _deliver_locked(locked)


@transaction.atomic
def shipment_ship(*, merchant: Any, shipment_id: int) -> Shipment:
    """The merchant marks their shipment sent; the order is shipped once all its shipments are.

    Another merchant's shipment is not found (shipments are private to their merchant and shopper)."""
    order_id = (
        Shipment.objects.filter(pk=shipment_id, merchant=merchant).values_list("order_id", flat=True).first()
    )
    if order_id is None:
        raise NotFound(_("No shipment matches the given id."))
    order = _lock_order(order_id)
    shipment = Shipment.objects.select_for_update().get(pk=shipment_id)
    if shipment.status == ShipmentStatus.SHIPPED:
        return shipment
    if shipment.status != ShipmentStatus.PENDING or order.status != OrderStatus.PAID:
        raise InvalidTransition(_("Only a pending shipment of a paid order can be shipped."))
    now = timezone.now()
    shipment.status = ShipmentStatus.SHIPPED
    shipment.shipped_at = now
    shipment.save(update_fields=["status", "shipped_at"])
    if not order.shipments.filter(status=ShipmentStatus.PENDING).exists():
        order.status = OrderStatus.SHIPPED
        order.shipped_at = now
        order.save(update_fields=["status", "shipped_at"])
    return shipment


# --- background sweeps (beat) ---------------------------------------------------------------------

SWEEP_BATCH = 500


def orders_cancel_unpaid_expired() -> int:
    """Cancel orders unpaid for ``PAYMENT_TIMEOUT_MINUTES``, giving their stock back. Returns how many.

    Each order is cancelled in its own transaction, re-checked under its lock, so a payment arriving at
    the same moment wins or loses cleanly and a second sweep running in parallel does nothing twice."""
    cutoff = timezone.now() - timedelta(minutes=settings.PAYMENT_TIMEOUT_MINUTES)
    cancelled = 0
    while True:
        ids = list(
            Order.objects.filter(status=OrderStatus.PENDING_PAYMENT, created_at__lte=cutoff)
            .order_by("created_at", "pk")
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        if not ids:
            return cancelled
        progressed = 0
        for order_id in ids:
            try:
                with transaction.atomic():
                    order = _lock_order(order_id)
                    if order.status != OrderStatus.PENDING_PAYMENT or order.created_at > cutoff:
                        continue
                    _cancel_locked(order, reason="payment_timeout")
            except DomainError:
                # One order that cannot be cancelled (a voucher rule refused) must not stop the sweep.
                logger.exception("could not cancel expired order %s", order_id)
                continue
            cancelled += 1
            progressed += 1
        if progressed == 0 or len(ids) < SWEEP_BATCH:
            return cancelled


def orders_deliver_after_shipping() -> int:
    """Mark delivered the orders shipped ``ORDER_AUTO_DELIVER_DAYS`` ago and never confirmed."""
    cutoff = timezone.now() - timedelta(days=settings.ORDER_AUTO_DELIVER_DAYS)
    ids = list(
        Order.objects.filter(status=OrderStatus.SHIPPED, shipped_at__lte=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    delivered = 0
    for order_id in ids:
        with transaction.atomic():
            order = _lock_order(order_id)
            if order.status != OrderStatus.SHIPPED or order.shipped_at is None or order.shipped_at > cutoff:
                continue
            _deliver_locked(order)
            delivered += 1
    return delivered
