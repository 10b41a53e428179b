"""HTTP API of cart, checkout, orders and shipments (conventions: docs/api.md). Validate, call a service,
serialize; the rules live in services.py and selectors.py."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.catalog.models import City, Product
from marketplace.core.apis import paginated_response
from marketplace.core.errors import DomainError, InvalidInput
from marketplace.core.serializers import SlugLookupField
from marketplace.orders import selectors, services
from marketplace.orders.models import (
    CartItem,
    Order,
    OrderLine,
    OrderStatus,
    Packaging,
    Shipment,
    ShipmentStatus,
)

# --- serializers ----------------------------------------------------------------------------------


class MerchantRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CartProductSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    merchant = MerchantRefSerializer(read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "name",
            "name_en",
            "name_zh",
            "price",
            "stock",
            "ships_in_own_box",
            "active",
            "merchant",
        ]


class CartItemOutputSerializer(serializers.ModelSerializer):
    product = CartProductSerializer(read_only=True)
    line_total = serializers.SerializerMethodField()

    class Meta:
        model = CartItem
        fields = ["id", "product", "quantity", "line_total"]

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=2))
    def get_line_total(self, obj: CartItem) -> str:
        return str(selectors.cart_item_line_total(obj).amount)


class CartOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="cart.id")
    items = CartItemOutputSerializer(many=True)
    subtotal = serializers.DecimalField(max_digits=14, decimal_places=2, source="subtotal.amount")
    currency = serializers.CharField(source="subtotal.currency")
    packaging_options = serializers.ListField(child=serializers.ChoiceField(choices=Packaging.choices))


class CartItemCreateInputSerializer(serializers.Serializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.visible())
    quantity = serializers.IntegerField(min_value=1, max_value=settings.CART_MAX_QUANTITY, default=1)


class CartItemUpdateInputSerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=1, max_value=settings.CART_MAX_QUANTITY)


class CheckoutInputSerializer(serializers.Serializer):
    shipping_city = SlugLookupField(slug_field="slug", queryset=City.objects.all())
    address = serializers.CharField(max_length=services.MAX_ADDRESS_LENGTH)
    packaging = serializers.ChoiceField(choices=Packaging.choices)
    voucher = serializers.CharField(
        max_length=services.MAX_VOUCHER_CODE_LENGTH,
        required=False,
        allow_null=True,
        allow_blank=True,
        default=None,
    )


class OrderLineOutputSerializer(serializers.ModelSerializer):
    product_name = serializers.CharField(read_only=True)

    class Meta:
        model = OrderLine
        fields = [
            "id",
            "product",
            "product_name",
            "product_name_en",
            "product_name_zh",
            "merchant",
            "shipment",
            "unit_price",
            "quantity",
            "line_total",
            "weight_grams",
        ]


class ShipmentOutputSerializer(serializers.ModelSerializer):
    merchant = MerchantRefSerializer(read_only=True)
    origin_city: serializers.SlugRelatedField[City] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Shipment
        fields = ["id", "merchant", "origin_city", "status", "shipped_at", "delivered_at"]


class OrderOutputSerializer(serializers.ModelSerializer):
    shipping_city: serializers.SlugRelatedField[City] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    lines = OrderLineOutputSerializer(many=True, read_only=True)
    shipments = ShipmentOutputSerializer(many=True, read_only=True)
    payment_due_at = serializers.DateTimeField(read_only=True, allow_null=True)
    carbon_label = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [
            "id",
            "status",
            "currency",
            "subtotal",
            "discount",
            "total",
            "shipping_city",
            "address",
            "packaging",
            "voucher_code",
            "created_at",
            "payment_due_at",
            "paid_at",
            "cancelled_at",
            "shipped_at",
            "delivered_at",
            "lines",
            "shipments",
            "carbon_label",
        ]

    # null until the label is computed in the background, so the schema says nullable.
    @extend_schema_field({"type": "object", "additionalProperties": {}, "nullable": True})
    def get_carbon_label(self, obj: Order) -> dict[str, Any] | None:
        return selectors.order_carbon_label(order=obj)


class ShipmentOrderSerializer(serializers.ModelSerializer):
    shipping_city: serializers.SlugRelatedField[City] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Order
        fields = ["id", "status", "shipping_city", "address", "packaging", "created_at", "paid_at"]


class MerchantShipmentOutputSerializer(serializers.ModelSerializer):
    order = ShipmentOrderSerializer(read_only=True)
    origin_city: serializers.SlugRelatedField[City] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    lines = OrderLineOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Shipment
        fields = ["id", "order", "origin_city", "status", "shipped_at", "delivered_at", "lines"]


# --- helpers --------------------------------------------------------------------------------------


def _order_response(request: Request, order: Order, *, status_code: int = status.HTTP_200_OK) -> Response:
    # Re-read through the selector so the answer shows the state after the change, lines and shipments.
    fresh = selectors.order_get_for_user(user=request.user, order_id=order.pk)
    return Response(OrderOutputSerializer(fresh, context={"request": request}).data, status=status_code)


def _merchant_of(request: Request) -> Any:
    merchant = getattr(request.user, "merchant", None)
    if merchant is None:
        raise DomainError(
            _("Only a merchant has shipments; open a shop first (POST /api/v1/merchants/)."),
            code="not_a_merchant",
            status_code=status.HTTP_403_FORBIDDEN,
        )
    return merchant


# --- cart -----------------------------------------------------------------------------------------


class CartApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=CartOutputSerializer)
    def get(self, request: Request) -> Response:
        cart = services.cart_get_for_user(user=request.user)
        return Response(CartOutputSerializer(selectors.cart_summary(cart=cart)).data)


class CartItemListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=CartItemCreateInputSerializer, responses={201: CartItemOutputSerializer})
    def post(self, request: Request) -> Response:
        data = CartItemCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.cart_add_item(user=request.user, **data.validated_data)
        return Response(CartItemOutputSerializer(item).data, status=status.HTTP_201_CREATED)


class CartItemDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=CartItemUpdateInputSerializer, responses=CartItemOutputSerializer)
    def patch(self, request: Request, item_id: int) -> Response:
        data = CartItemUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.cart_update_item(user=request.user, item_id=item_id, **data.validated_data)
        return Response(CartItemOutputSerializer(item).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, item_id: int) -> Response:
        services.cart_remove_item(user=request.user, item_id=item_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- checkout and orders --------------------------------------------------------------------------


class CheckoutApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=CheckoutInputSerializer, responses={201: OrderOutputSerializer})
    def post(self, request: Request) -> Response:
        data = CheckoutInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        order = services.order_place(
            user=request.user,
            shipping_city=values["shipping_city"],
            address=values["address"],
            packaging=values["packaging"],
            voucher_code=(values.get("voucher") or "").strip() or None,
        )
        return _order_response(request, order, status_code=status.HTTP_201_CREATED)


class OrderListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=OrderStatus.values, required=False)],
        responses=OrderOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        wanted = request.query_params.get("status") or None
        if wanted is not None and wanted not in OrderStatus.values:
            raise InvalidInput(_("Unknown status %(status)r.") % {"status": wanted}, field="status")
        return paginated_response(
            queryset=selectors.order_list_for_user(user=request.user, status=wanted),
            serializer_class=OrderOutputSerializer,
            request=request,
            view=self,
        )


class OrderDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OrderOutputSerializer)
    def get(self, request: Request, order_id: int) -> Response:
        order = selectors.order_get_for_user(user=request.user, order_id=order_id)
        return Response(OrderOutputSerializer(order, context={"request": request}).data)


class OrderPayApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=OrderOutputSerializer)
    def post(self, request: Request, order_id: int) -> Response:
        order = selectors.order_get_for_user(user=request.user, order_id=order_id)
        return _order_response(request, services.order_pay(order=order))


class OrderCancelApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=OrderOutputSerializer)
    def post(self, request: Request, order_id: int) -> Response:
        order = selectors.order_get_for_user(user=request.user, order_id=order_id)
        return _order_response(request, services.order_cancel(order=order))


class OrderConfirmReceiptApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=OrderOutputSerializer)
    def post(self, request: Request, order_id: int) -> Response:
        order = selectors.order_get_for_user(user=request.user, order_id=order_id)
        return _order_response(request, services.order_confirm_receipt(order=order))


# --- shipments ------------------------------------------------------------------------------------


class ShipmentListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=ShipmentStatus.values, required=False)],
        responses=MerchantShipmentOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        merchant = _merchant_of(request)
        wanted = request.query_params.get("status") or None
        if wanted is not None and wanted not in ShipmentStatus.values:
            raise InvalidInput(_("Unknown status %(status)r.") % {"status": wanted}, field="status")
        return paginated_response(
            queryset=selectors.shipment_list_for_merchant(merchant=merchant, status=wanted),
            serializer_class=MerchantShipmentOutputSerializer,
            request=request,
            view=self,
        )


class ShipmentShipApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=MerchantShipmentOutputSerializer)
    def post(self, request: Request, shipment_id: int) -> Response:
        merchant = _merchant_of(request)
        shipment = services.shipment_ship(merchant=merchant, shipment_id=shipment_id)
        fresh = selectors.shipment_list_for_merchant(merchant=merchant).filter(pk=shipment.pk).first()
        return Response(MerchantShipmentOutputSerializer(fresh or shipment).data)
