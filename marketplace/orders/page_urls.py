"""Server-rendered pages of this app (the API lives in urls.py)."""

from django.urls import path

from marketplace.orders import shipment_views, views

app_name = "orders"

urlpatterns = [
    path("cart/", views.cart, name="cart"),
    path("cart/add/", views.cart_add, name="cart-add"),
    path("cart/items/<int:item_id>/", views.cart_item_update, name="cart-item-update"),
    path("cart/items/<int:item_id>/remove/", views.cart_item_remove, name="cart-item-remove"),
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/packaging/", views.checkout_packaging, name="checkout-packaging"),
    path("orders/", views.order_list, name="order-list"),
    path("orders/<int:pk>/", views.order_detail, name="order-detail"),
    path("orders/<int:pk>/pay/", views.order_pay, name="order-pay"),
    path("orders/<int:pk>/cancel/", views.order_cancel, name="order-cancel"),
    path("orders/<int:pk>/confirm-receipt/", views.order_confirm_receipt, name="order-confirm-receipt"),
    path("merchant/shipments/", shipment_views.shipment_list, name="merchant-shipments"),
    path("merchant/shipments/<int:pk>/ship/", shipment_views.shipment_ship, name="merchant-shipment-ship"),
]
