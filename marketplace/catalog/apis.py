from __future__ import annotations

from decimal import Decimal
from typing import Any

import django_filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.catalog import selectors, services
from marketplace.catalog.models import MAX_PRICE, MAX_STOCK, MAX_WEIGHT_GRAMS, Category, City, Product
from marketplace.core.apis import get_object_or_404, paginated_response
from marketplace.core.errors import DomainError, InvalidInput
from marketplace.core.serializers import SlugLookupField


class CityOutputSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    province = serializers.CharField(read_only=True)

    class Meta:
        model = City
        fields = [
            "slug",
            "name",
            "name_en",
            "name_zh",
            "province",
            "province_en",
            "province_zh",
            "latitude",
            "longitude",
        ]


class CategoryOutputSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    # A top-level category has no parent: null, so the schema must say nullable.
    parent: serializers.SlugRelatedField[Category] = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="slug", read_only=True, allow_null=True
    )

    class Meta:
        model = Category
        fields = ["slug", "name", "name_en", "name_zh", "parent"]


class MerchantSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    city = serializers.CharField(source="city.slug")


class ProductOutputSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    merchant = MerchantSummarySerializer(read_only=True)
    category: serializers.SlugRelatedField[Category] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    currency = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = [
            "id",
            "name",
            "name_en",
            "name_zh",
            "description",
            "description_en",
            "description_zh",
            "merchant",
            "category",
            "price",
            "currency",
            "stock",
            "weight_grams",
            "ships_in_own_box",
            "declared_footprint_kg",
            "declared_footprint_document",
            "active",
            "created_at",
            "updated_at",
        ]

    def get_currency(self, obj: Product) -> str:
        return "CNY"


class CityListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=CityOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        return paginated_response(
            queryset=City.objects.all(), serializer_class=CityOutputSerializer, request=request, view=self
        )


class CategoryListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=CategoryOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        return paginated_response(
            queryset=Category.objects.select_related("parent"),
            serializer_class=CategoryOutputSerializer,
            request=request,
            view=self,
        )


class ProductFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(method="filter_category", max_length=64)
    merchant = django_filters.NumberFilter(field_name="merchant_id")
    city = django_filters.CharFilter(field_name="merchant__city__slug", max_length=64)
    min_price = django_filters.NumberFilter(field_name="price", lookup_expr="gte")
    max_price = django_filters.NumberFilter(field_name="price", lookup_expr="lte")
    search = django_filters.CharFilter(method="filter_search", max_length=100)
    ordering = django_filters.OrderingFilter(
        fields=(("price", "price"), ("created_at", "created"), ("name_en", "name"))
    )

    class Meta:
        model = Product
        fields: list[str] = []

    def filter_category(self, queryset: Any, name: str, value: str) -> Any:
        ids = selectors.category_with_descendants(value)
        if not ids:
            raise InvalidInput(f"Unknown category {value!r}.", field="category")
        return queryset.filter(category_id__in=ids)

    def filter_search(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(selectors.product_name_search_q(value))


PRODUCT_FILTER_PARAMETERS = [
    OpenApiParameter(
        "category", str, description="Category slug; a top category includes its subcategories."
    ),
    OpenApiParameter("merchant", int, description="Shop id."),
    OpenApiParameter("city", str, description="Slug of the shop's city."),
    OpenApiParameter("min_price", str, description="Lowest price, CNY."),
    OpenApiParameter("max_price", str, description="Highest price, CNY."),
    OpenApiParameter("search", str, description="Words in the English or Chinese name."),
    OpenApiParameter(
        "ordering",
        str,
        enum=["price", "-price", "created", "-created", "name", "-name"],
        description="Sort order.",
    ),
]


class ProductInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, write_only=True)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    name_zh = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, write_only=True)
    description_en = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    description_zh = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    category = SlugLookupField(slug_field="slug", queryset=Category.objects.all())
    price = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=Decimal("0.01"), max_value=MAX_PRICE
    )
    stock = serializers.IntegerField(min_value=0, max_value=MAX_STOCK)
    weight_grams = serializers.IntegerField(min_value=1, max_value=MAX_WEIGHT_GRAMS)
    ships_in_own_box = serializers.BooleanField(required=False)
    declared_footprint_kg = serializers.DecimalField(
        max_digits=10, decimal_places=3, min_value=Decimal(0), required=False, allow_null=True
    )
    declared_footprint_document = serializers.URLField(max_length=500, required=False, allow_blank=True)
    active = serializers.BooleanField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # ``name`` and ``description`` are conveniences for single-language clients: they fill the
        # language fields the client did not give.
        for plain in ("name", "description"):
            value = attrs.pop(plain, None)
            if value:
                attrs.setdefault(f"{plain}_en", value)
        return attrs


class ProductListCreateApi(APIView):
    permission_classes = [AllowAny]

    def get_permissions(self) -> list[Any]:
        return [IsAuthenticated()] if self.request.method == "POST" else [AllowAny()]

    @extend_schema(parameters=PRODUCT_FILTER_PARAMETERS, responses=ProductOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        product_filter = ProductFilter(request.query_params, queryset=selectors.product_list())
        if not product_filter.is_valid():
            raise serializers.ValidationError(product_filter.errors)
        return paginated_response(
            queryset=product_filter.qs, serializer_class=ProductOutputSerializer, request=request, view=self
        )

    @extend_schema(request=ProductInputSerializer, responses={201: ProductOutputSerializer})
    def post(self, request: Request) -> Response:
        merchant = getattr(request.user, "merchant", None)
        if merchant is None:
            raise DomainError(
                "Open a shop first (POST /api/v1/merchants/).", code="not_a_merchant", status_code=403
            )
        data = ProductInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        product = services.product_create(merchant=merchant, user=request.user, **data.validated_data)
        return Response(ProductOutputSerializer(product).data, status=status.HTTP_201_CREATED)


class ProductDetailApi(APIView):
    permission_classes = [AllowAny]

    def get_permissions(self) -> list[Any]:
        return [AllowAny()] if self.request.method == "GET" else [IsAuthenticated()]

    def _product(self, request: Request, product_id: int) -> Product:
        return get_object_or_404(selectors.product_list(viewer=request.user), pk=product_id)

    @extend_schema(responses=ProductOutputSerializer)
    def get(self, request: Request, product_id: int) -> Response:
        return Response(ProductOutputSerializer(self._product(request, product_id)).data)

    @extend_schema(request=ProductInputSerializer, responses=ProductOutputSerializer)
    def patch(self, request: Request, product_id: int) -> Response:
        product = self._product(request, product_id)
        services.product_check_editable(product=product, user=request.user)
        data = ProductInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        product = services.product_update(product=product, user=request.user, **data.validated_data)
        return Response(ProductOutputSerializer(product).data)
