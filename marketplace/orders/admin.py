"""Raw data views. Orders change state only through the services (stock, refunds, vouchers), so the
admin shows them read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from marketplace.orders.models import Cart, CartItem, Order, OrderLine, Payment, Shipment


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = ("product", "product_name_en", "merchant", "shipment", "unit_price", "quantity", "line_total")


class ShipmentInline(ReadOnlyInline):
    model = Shipment
    fields = ("merchant", "origin_city", "status", "shipped_at", "delivered_at")


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ("provider", "reference", "amount", "currency", "status", "created_at", "refunded_at")
    readonly_fields = ("created_at",)


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "status", "total", "currency", "shipping_city", "packaging", "created_at")
    list_filter = ("status", "packaging")
    search_fields = ("id", "user__username", "voucher_code")
    list_select_related = ("user", "shipping_city")
    date_hierarchy = "created_at"
    inlines = [OrderLineInline, ShipmentInline, PaymentInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ("id", "order", "merchant", "origin_city", "status", "shipped_at")
    list_filter = ("status",)
    search_fields = ("id", "order__id", "merchant__name")
    list_select_related = ("order", "merchant", "origin_city")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ("id", "order", "provider", "reference", "amount", "status", "created_at")
    list_filter = ("status", "provider")
    search_fields = ("reference", "order__id")
    list_select_related = ("order",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CartItemInline(admin.TabularInline):
    model = CartItem
    extra = 0
    raw_id_fields = ("product",)


@admin.register(Cart)
class CartAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "updated_at")
    search_fields = ("user__username",)
    list_select_related = ("user",)
    inlines = [CartItemInline]
