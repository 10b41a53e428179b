"""Cart, orders, shipments and payments (docs/domain.md, "Orders").

An order is one checkout: one ``Shipment`` per merchant, ``OrderLine`` rows that snapshot what was bought
(name, price, weight, category) so later edits to a product never change a placed order.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.utils.translation import gettext_lazy as _

from marketplace.core.fields import MoneyAmountField
from marketplace.core.money import DEFAULT_CURRENCY, Money


class OrderStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", _("Pending payment")
    PAID = "paid", _("Paid")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class Packaging(models.TextChoices):
    STANDARD = "standard", _("Standard box")
    RECYCLED = "recycled", _("Recycled box")
    REUSABLE = "reusable", _("Reusable box")
    NONE = "none", _("No extra box (ships in its own packaging)")


class ShipmentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")


class PaymentStatus(models.TextChoices):
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    REFUNDED = "refunded", _("Refunded")


class Cart(models.Model):
    """One per user, created on first use."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cart")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"cart of {self.user_id}"


class CartItem(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="cart_items")
    quantity = models.PositiveIntegerField()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "product"], name="cart_item_unique_product"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="cart_item_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_id}"


class Order(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(
        max_length=20, choices=OrderStatus.choices, default=OrderStatus.PENDING_PAYMENT, db_index=True
    )
    shipping_city = models.ForeignKey("catalog.City", on_delete=models.PROTECT, related_name="orders")
    address = models.CharField(max_length=500)
    packaging = models.CharField(max_length=20, choices=Packaging.choices, default=Packaging.STANDARD)
    subtotal = MoneyAmountField()
    discount = MoneyAmountField(default=0)
    total = MoneyAmountField()
    currency = models.CharField(max_length=3, default=DEFAULT_CURRENCY)
    voucher_code = models.CharField(max_length=64, blank=True)
    cancel_reason = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="order_user_created"),
            models.Index(fields=["status", "created_at"], name="order_status_created"),
            models.Index(fields=["status", "shipped_at"], name="order_status_shipped"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(subtotal__gte=0), name="order_subtotal_not_negative"),
            models.CheckConstraint(condition=Q(discount__gte=0), name="order_discount_not_negative"),
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative"),
            # Round() keeps the equality checks exact on SQLite (the embedded default), which computes
            # decimals as floats; on PostgreSQL it is a no-op on exact numerics.
            models.CheckConstraint(
                condition=Q(total=Round(F("subtotal") - F("discount"), 2)),
                name="order_total_is_subtotal_minus_discount",
            ),
        ]

    def __str__(self) -> str:
        return f"order {self.pk}"

    @property
    def payment_due_at(self) -> datetime | None:
        """When an unpaid order is cancelled automatically (``PAYMENT_TIMEOUT_MINUTES``)."""
        if self.status != OrderStatus.PENDING_PAYMENT or self.created_at is None:
            return None
        return self.created_at + timedelta(minutes=settings.PAYMENT_TIMEOUT_MINUTES)

    @property
    def total_money(self) -> Money:
        return Money(self.total, self.currency)


class Shipment(models.Model):
    """The part of an order one merchant sends from their city."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shipments")
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.PROTECT, related_name="shipments")
    origin_city = models.ForeignKey("catalog.City", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=20, choices=ShipmentStatus.choices, default=ShipmentStatus.PENDING, db_index=True
    )
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "merchant"], name="shipment_one_per_merchant"),
        ]
        indexes = [models.Index(fields=["merchant", "-id"], name="shipment_merchant_id")]

    def __str__(self) -> str:
        return f"shipment {self.pk} of order {self.order_id}"


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="order_lines")
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.PROTECT, related_name="order_lines")
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    product_name_en = models.CharField(max_length=200)
    product_name_zh = models.CharField(max_length=200, blank=True)
    unit_price = MoneyAmountField()
    quantity = models.PositiveIntegerField()
    line_total = MoneyAmountField()
    weight_grams = models.PositiveIntegerField(help_text=_("Weight of one unit when ordered."))
    category = models.ForeignKey("catalog.Category", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="order_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(line_total=Round(F("unit_price") * F("quantity"), 2)),
                name="order_line_total_exact",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_name_en}"

    @property
    def product_name(self) -> str:
        from marketplace.core.i18n import prefers_chinese

        if prefers_chinese():
            return self.product_name_zh or self.product_name_en
        return self.product_name_en or self.product_name_zh


class Payment(models.Model):
    """One charge through a provider; the idempotency key makes a retried charge the same charge."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=100)
    reference = models.CharField(max_length=200)
    idempotency_key = models.CharField(max_length=200, unique=True)
    amount = MoneyAmountField()
    currency = models.CharField(max_length=3, default=DEFAULT_CURRENCY)
    status = models.CharField(max_length=20, choices=PaymentStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    refund_reference = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Backstop for "paying twice charges once": at most one successful charge per order.
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(status__in=["succeeded", "refunded"]),
                name="payment_one_charge_per_order",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="payment_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.reference}"
