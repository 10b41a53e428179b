"""``GET /venue/products/``: green certified products with their badges and facets."""

from __future__ import annotations

import datetime
import functools
import json
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator as DjangoPaginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.utils.functional import cached_property
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from green_venue.cache import cached, cached_peek
from green_venue.models import Certificate, CertificationScheme, ClaimType
from green_venue.selectors import badge_certificates, marketplace_today
from green_venue.venue import ORDERINGS, VenueFilters, venue_facets, venue_products
from marketplace.catalog.models import MAX_PRICE, Product
from marketplace.catalog.selectors import category_with_descendants
from marketplace.core.errors import InvalidInput
from marketplace.core.pagination import PageNumberPagination

NOT_YET_AVAILABLE = {
    "footprint": "Ordering by footprint arrives with carbon labels; use price, -price or -created.",
    "-footprint": "Ordering by footprint arrives with carbon labels; use price, -price or -created.",
}


class VenueFilterSerializer(serializers.Serializer):
    scheme = serializers.SlugField(max_length=40, required=False)
    claim = serializers.ChoiceField(choices=ClaimType.choices, required=False)
    category = serializers.SlugField(max_length=64, required=False)
    min_price = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=Decimal(0), max_value=MAX_PRICE, required=False
    )
    max_price = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=Decimal(0), max_value=MAX_PRICE, required=False
    )
    search = serializers.CharField(max_length=100, required=False, allow_blank=True)
    ordering = serializers.CharField(max_length=20, required=False)
    grade = serializers.CharField(max_length=10, required=False)

    def validate_ordering(self, value: str) -> str:
        if value in NOT_YET_AVAILABLE:
            raise serializers.ValidationError(NOT_YET_AVAILABLE[value])
        if value not in ORDERINGS:
            raise serializers.ValidationError(f"ordering must be one of {', '.join(ORDERINGS)}.")
        return value

    def validate_grade(self, value: str) -> str:
        raise serializers.ValidationError("The footprint grade facet arrives with carbon labels.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        low, high = attrs.get("min_price"), attrs.get("max_price")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError({"max_price": ["max_price must not be below min_price."]})
        return attrs


def parse_filters(params: Any) -> VenueFilters:
    data = VenueFilterSerializer(
        data={key: params.get(key) for key in params if key not in ("page", "page_size")}
    )
    data.is_valid(raise_exception=True)
    values = data.validated_data
    scheme = values.get("scheme")
    if scheme and not CertificationScheme.objects.filter(code=scheme, active=True).exists():
        raise InvalidInput(f"Unknown scheme {scheme!r}.", field="scheme")
    category_ids = None
    if values.get("category"):
        category_ids = tuple(category_with_descendants(values["category"]))
        if not category_ids:
            raise InvalidInput(f"Unknown category {values['category']!r}.", field="category")
    return VenueFilters(
        scheme=scheme,
        claim=values.get("claim"),
        category_ids=category_ids,
        min_price=values.get("min_price"),
        max_price=values.get("max_price"),
        search=(values.get("search") or "").strip() or None,
        ordering=values.get("ordering") or "-created",
    )


class BadgeSerializer(serializers.Serializer):
    """One badge per qualifying certificate: the scheme and the number, never a generic "green"."""

    scheme = serializers.SerializerMethodField()
    number = serializers.CharField()
    grade = serializers.SerializerMethodField()
    registry_url = serializers.CharField(source="scheme.registry_url")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()

    def get_scheme(self, obj: Certificate) -> dict[str, str]:
        return {"code": obj.scheme.code, "name": obj.scheme.name}

    def get_grade(self, obj: Certificate) -> str | None:
        return obj.grade.code if obj.grade else None


class VenueProductSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    merchant = serializers.SerializerMethodField()
    category = serializers.SerializerMethodField()
    currency = serializers.SerializerMethodField()
    badges = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = [
            "id",
            "name",
            "name_en",
            "name_zh",
            "merchant",
            "category",
            "price",
            "currency",
            "created_at",
            "badges",
        ]

    def get_merchant(self, obj: Product) -> dict[str, Any]:
        return {"id": obj.merchant_id, "name": obj.merchant.name, "city": obj.merchant.city.slug}

    def get_category(self, obj: Product) -> str:
        return obj.category.slug

    def get_currency(self, obj: Product) -> str:
        return "CNY"

    def get_badges(self, obj: Product) -> list[dict[str, Any]]:
        certificates = self.context["badges"].get(obj.pk, [])
        return BadgeSerializer(certificates, many=True).data  # type: ignore[return-value]


FILTER_PARAMETERS = [
    OpenApiParameter("scheme", str, description="Scheme code"),
    OpenApiParameter("claim", str, enum=[c.value for c in ClaimType]),
    OpenApiParameter("category", str, description="Category slug (includes its subcategories)"),
    OpenApiParameter("min_price", str),
    OpenApiParameter("max_price", str),
    OpenApiParameter("search", str, description="English or Chinese, substring match"),
    OpenApiParameter("ordering", str, enum=list(ORDERINGS)),
]


def answer_key(request: HttpRequest, today: datetime.date, language: str) -> tuple[Any, ...]:
    return (
        "api",
        today.isoformat(),
        language,
        request.get_host(),
        request.is_secure(),
        tuple(sorted(request.GET.lists())),
    )


class VenueProductListApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []  # public and identical for everyone

    @extend_schema(parameters=FILTER_PARAMETERS, responses=VenueProductSerializer(many=True))
    def get(self, request: Request) -> HttpResponse:
        today = marketplace_today()
        language = get_language()
        # The whole answer, keyed by the raw query (validated inside on a miss; errors are never cached)
        # and stored rendered, so a hit costs two cache reads and no database query.
        body = cached(
            answer_key(request, today, language),
            lambda: json.dumps(
                self._answer(request, today, language),
                cls=DjangoJSONEncoder,
                ensure_ascii=False,
                separators=(",", ":"),
            ),
        )
        return HttpResponse(body, content_type="application/json")

    def _answer(self, request: Request, today: datetime.date, language: str) -> dict[str, Any]:
        filters = parse_filters(request.query_params)
        products = venue_products(filters=filters, on=today)
        # Facets do not depend on the page: cached per filter set, and their price buckets (disjoint,
        # covering every price) give the total, so paging needs no COUNT query.
        facets = cached(
            ("facets", today.isoformat(), language, repr(filters)),
            lambda: venue_facets(products=products, on=today),
        )
        total = sum(bucket["count"] for bucket in facets["price"])

        class KnownCountPaginator(DjangoPaginator):
            @cached_property
            def count(self) -> int:
                return total

        paginator = PageNumberPagination()
        paginator.django_paginator_class = KnownCountPaginator
        page = paginator.paginate_queryset(products, request, view=self) or []
        badges = badge_certificates(product_ids=[p.pk for p in page], on=today)
        data = VenueProductSerializer(page, many=True, context={"request": request, "badges": badges}).data
        body = dict(paginator.get_paginated_response(data).data)
        body["facets"] = facets
        return body


_venue_api_view = VenueProductListApi.as_view()


@functools.wraps(_venue_api_view)  # keeps ``cls``, so the schema still documents the API view
def venue_product_list_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """A cache hit is answered before DRF's dispatch (the answer is public and identical for all);
    everything else, misses included, goes through the API view."""
    if request.method == "GET":
        body = cached_peek(answer_key(request, marketplace_today(), get_language()))
        if body is not None:
            return HttpResponse(body, content_type="application/json")
    return _venue_api_view(request, *args, **kwargs)
