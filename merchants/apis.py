from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.catalog.models import City
from marketplace.core.apis import get_object_or_404, paginated_response
from marketplace.core.serializers import SlugLookupField
from merchants import services
from merchants.models import LastMileVehicle, Merchant


class MerchantOutputSerializer(serializers.ModelSerializer):
    city: serializers.SlugRelatedField[City] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    is_mine = serializers.SerializerMethodField()

    class Meta:
        model = Merchant
        fields = ["id", "name", "city", "last_mile_vehicle", "status", "description", "created_at", "is_mine"]

    def get_is_mine(self, obj: Merchant) -> bool:
        request = self.context.get("request")
        return bool(request and request.user.is_authenticated and obj.owner_id == request.user.pk)


class MerchantInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    city = SlugLookupField(slug_field="slug", queryset=City.objects.all())
    last_mile_vehicle = serializers.ChoiceField(choices=LastMileVehicle.choices, required=False)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)


def _visible_merchants() -> Any:
    return Merchant.objects.select_related("city")


class MerchantListCreateApi(APIView):
    def get_permissions(self) -> list[Any]:
        return [IsAuthenticated()] if self.request.method == "POST" else [AllowAny()]

    @extend_schema(responses=MerchantOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        queryset = _visible_merchants().filter(status="active")
        return paginated_response(
            queryset=queryset, serializer_class=MerchantOutputSerializer, request=request, view=self
        )

    @extend_schema(request=MerchantInputSerializer, responses={201: MerchantOutputSerializer})
    def post(self, request: Request) -> Response:
        data = MerchantInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        merchant = services.merchant_open(owner=request.user, **data.validated_data)
        return Response(
            MerchantOutputSerializer(merchant, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class MerchantDetailApi(APIView):
    def get_permissions(self) -> list[Any]:
        return [AllowAny()] if self.request.method == "GET" else [IsAuthenticated()]

    @extend_schema(responses=MerchantOutputSerializer)
    def get(self, request: Request, merchant_id: int) -> Response:
        merchant = get_object_or_404(_visible_merchants(), pk=merchant_id)
        return Response(MerchantOutputSerializer(merchant, context={"request": request}).data)

    @extend_schema(request=MerchantInputSerializer, responses=MerchantOutputSerializer)
    def patch(self, request: Request, merchant_id: int) -> Response:
        merchant = get_object_or_404(_visible_merchants(), pk=merchant_id)
        services.merchant_check_editable(merchant=merchant, user=request.user)
        data = MerchantInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        merchant = services.merchant_update(merchant=merchant, user=request.user, **data.validated_data)
        return Response(MerchantOutputSerializer(merchant, context={"request": request}).data)
