from django.urls import path

from marketplace.orders import apis

urlpatterns = [
    path("cart/", apis.CartApi.as_view(), name="cart"),
    path("cart/items/", apis.CartItemListApi.as_view(), name="cart-item-list"),
    path("cart/items/<int:item_id>/", apis.CartItemDetailApi.as_view(), name="cart-item-detail"),
    path("checkout/", apis.CheckoutApi.as_view(), name="checkout"),
    path("orders/", apis.OrderListApi.as_view(), name="order-list"),
    path("orders/<int:order_id>/", apis.OrderDetailApi.as_view(), name="order-detail"),
    path("orders/<int:order_id>/pay/", apis.OrderPayApi.as_view(), name="order-pay"),
    path("orders/<int:order_id>/cancel/", apis.OrderCancelApi.as_view(), name="order-cancel"),
    path(
        "orders/<int:order_id>/confirm-receipt/",
        apis.OrderConfirmReceiptApi.as_view(),
        name="order-confirm-receipt",
    ),
    path("shipments/", apis.ShipmentListApi.as_view(), name="shipment-list"),
    path("shipments/<int:shipment_id>/ship/", apis.ShipmentShipApi.as_view(), name="shipment-ship"),
]
