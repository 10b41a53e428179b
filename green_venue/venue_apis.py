"""``GET /venue/products/``: green certified products with their badges and facets."""

from __future__ import annotations

import datetime
import functools
import json
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from green_venue.cache import cached, cached_peek
from green_venue.models import FOOTPRINT_DIGITS, FOOTPRINT_PLACES, Certificate, CertificationScheme, ClaimType
from green_venue.ports import alliance_member_merchant_ids
from green_venue.selectors import marketplace_today
from green_venue.venue import (
    FOOTPRINT_GRADES,
    ORDERINGS,
    VenueFilters,
    VenueQuery,
    VenueResult,
    facets_total,
)
from marketplace.catalog.models import MAX_PRICE, Category, Product
from marketplace.core.errors import InvalidInput
from marketplace.core.i18n import prefers_chinese
from marketplace.core.pagination import PageNumberPagination


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
    grade = serializers.ChoiceField(choices=FOOTPRINT_GRADES, required=False)

    def validate_ordering(self, value: str) -> str:
        if value not in ORDERINGS:
            raise serializers.ValidationError(f"ordering must be one of {', '.join(ORDERINGS)}.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        low, high = attrs.get("min_price"), attrs.get("max_price")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError({"max_price": ["max_price must not be below min_price."]})
        return attrs


def _lookup_scheme_and_category(scheme: str | None, category: str | None) -> tuple[Any, Any, Any]:
    """(active scheme id, category id, its parent id) by code and slug, None where unknown: one fixed
    query (no ORM compilation on the uncached path), none if neither is asked for."""
    if not scheme and not category:
        return None, None, None
    schemes, categories = CertificationScheme._meta.db_table, Category._meta.db_table
    sql = (
        f"SELECT (SELECT id FROM {schemes} WHERE code = %s AND active), c.id, c.parent_id "  # noqa: S608
        f"FROM (SELECT 1) one LEFT JOIN {categories} c ON c.slug = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [scheme or "", category or ""])
        row = cursor.fetchone()
    return (row[0], row[1], row[2]) if row else (None, None, None)


def parse_filters(params: Any) -> VenueFilters:
    data = VenueFilterSerializer(
        data={key: params.get(key) for key in params if key not in ("page", "page_size")}
    )
    data.is_valid(raise_exception=True)
    values = data.validated_data
    scheme = values.get("scheme")
    category = values.get("category")
    scheme_id, category_id, category_parent = _lookup_scheme_and_category(scheme, category)
    if scheme and scheme_id is None:
        raise InvalidInput(f"Unknown scheme {scheme!r}.", field="scheme")
    if category and category_id is None:
        raise InvalidInput(f"Unknown category {category!r}.", field="category")
    category_is_top = category_id is not None and category_parent is None
    return VenueFilters(
        scheme=scheme,
        scheme_id=scheme_id,
        claim=values.get("claim"),
        category_id=category_id,
        category_is_top=category_is_top,
        grade=values.get("grade"),
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


class VenueFootprintSerializer(serializers.Serializer):
    """The product's estimated footprint per unit under the active factor set."""

    kgco2e = serializers.DecimalField(max_digits=FOOTPRINT_DIGITS, decimal_places=FOOTPRINT_PLACES)
    tier = serializers.CharField()
    grade = serializers.CharField()


class VenueProductSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    merchant = serializers.SerializerMethodField()
    category = serializers.SerializerMethodField()
    currency = serializers.SerializerMethodField()
    badges = serializers.SerializerMethodField()
    footprint = serializers.SerializerMethodField()
    alliance_member = serializers.SerializerMethodField()

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
            "footprint",
            "alliance_member",
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

    @extend_schema_field(VenueFootprintSerializer(allow_null=True))
    def get_footprint(self, obj: Product) -> dict[str, Any] | None:
        footprint = product_footprint(obj)
        return None if footprint is None else dict(VenueFootprintSerializer(footprint).data)

    def get_alliance_member(self, obj: Product) -> bool:
        return obj.merchant_id in self.context["alliance_members"]


def product_footprint(product: Product) -> Any:
    """The stored footprint estimate (joined by the venue query), or None if there is none yet."""
    try:
        return product.venue_footprint
    except ObjectDoesNotExist:
        return None


class _FastFields:
    """The DRF fields whose formatting the fast path reuses (built once)."""

    def __init__(self) -> None:
        product = VenueProductSerializer().fields
        self.price = product["price"]
        self.created_at = product["created_at"]
        self.date = serializers.DateField()
        self.kgco2e = VenueFootprintSerializer().fields["kgco2e"]


@functools.cache
def _fast_fields() -> _FastFields:
    return _FastFields()


@functools.cache
def _fast_sql() -> tuple[str, str]:
    """Fixed SQL for the page's products and their badges: no ORM compilation per request (which was
    the larger part of an uncached answer's CPU time). Table names from the models' metadata; ``{ids}``
    takes the id condition of ``_in_ids``."""
    from green_venue.models import SchemeGrade, VenueFootprint, VenueListing
    from marketplace.catalog.models import City
    from merchants.models import Merchant

    def table(model: Any) -> str:
        return str(model._meta.db_table)

    products = (
        "SELECT p.id, p.name_en, p.name_zh, p.merchant_id, m.name, c.slug, cat.slug, p.price, "  # noqa: S608
        "p.created_at, fp.kgco2e, fp.tier, fp.grade "
        f"FROM {table(Product)} p JOIN {table(Merchant)} m ON m.id = p.merchant_id "
        f"JOIN {table(City)} c ON c.id = m.city_id JOIN {table(Category)} cat ON cat.id = p.category_id "
        f"LEFT JOIN {table(VenueFootprint)} fp ON fp.product_id = p.id WHERE p.id {{ids}}"
    )
    badges = (
        "SELECT l.product_id, s.code, s.name_en, s.name_zh, ce.number, g.code, s.registry_url, "  # noqa: S608
        "ce.valid_from, ce.valid_until "
        f"FROM {table(VenueListing)} l JOIN {table(Certificate)} ce ON ce.id = l.certificate_id "
        f"JOIN {table(CertificationScheme)} s ON s.id = l.scheme_id "
        f"LEFT JOIN {table(SchemeGrade)} g ON g.id = ce.grade_id "
        "WHERE l.product_id {ids} AND l.valid_from <= %s AND l.valid_until >= %s "
        "ORDER BY l.product_id, s.position, ce.number"
    )
    return products, badges


def _in_ids(ids: list[int]) -> tuple[str, list[Any]]:
    """``IN`` these ids: one array parameter on PostgreSQL (the same statement whatever the page size),
    one placeholder per id elsewhere (SQLite has no arrays)."""
    if connection.vendor == "postgresql":
        return "= ANY(%s)", [ids]
    return f"IN ({', '.join(['%s'] * len(ids))})", list(ids)


def _bilingual(name_en: str, name_zh: str, chinese: bool) -> str:
    return (name_zh or name_en) if chinese else (name_en or name_zh)


def venue_product_rows_by_id(
    product_ids: list[int], *, on: datetime.date, alliance_members: set[int]
) -> list[dict[str, Any]]:
    """The API's product entries for these ids, in this order: exactly what ``VenueProductSerializer``
    gives (a test holds them equal), from two fixed SQL queries (products, badges)."""
    if not product_ids:
        return []
    fields = _fast_fields()
    chinese = prefers_chinese()
    products_sql, badges_sql = _fast_sql()
    ids_sql, ids_params = _in_ids(product_ids)
    with connection.cursor() as cursor:
        cursor.execute(products_sql.format(ids=ids_sql), ids_params)
        products = {row[0]: row for row in cursor.fetchall()}
        cursor.execute(badges_sql.format(ids=ids_sql), [*ids_params, on, on])
        badge_rows = cursor.fetchall()
    badges: dict[int, list[dict[str, Any]]] = {pk: [] for pk in product_ids}
    for pid, code, name_en, name_zh, number, grade, registry_url, valid_from, valid_until in badge_rows:
        badges[pid].append(
            {
                "scheme": {"code": code, "name": _bilingual(name_en, name_zh, chinese)},
                "number": number,
                "grade": grade,
                "registry_url": registry_url,
                "valid_from": fields.date.to_representation(valid_from),
                "valid_until": fields.date.to_representation(valid_until),
            }
        )
    rows = []
    for pk in product_ids:
        if pk not in products:
            continue
        (
            _id,
            name_en,
            name_zh,
            merchant_id,
            merchant_name,
            city,
            category,
            price,
            created_at,
            kg,
            tier,
            grade,
        ) = products[pk]
        rows.append(
            {
                "id": pk,
                "name": _bilingual(name_en, name_zh, chinese),
                "name_en": name_en,
                "name_zh": name_zh,
                "merchant": {"id": merchant_id, "name": merchant_name, "city": city},
                "category": category,
                "price": fields.price.to_representation(price),
                "currency": "CNY",
                "created_at": fields.created_at.to_representation(created_at),
                "badges": badges[pk],
                "footprint": None
                if kg is None
                else {"kgco2e": fields.kgco2e.to_representation(kg), "tier": tier, "grade": grade},
                "alliance_member": merchant_id in alliance_members,
            }
        )
    return rows


class _VenueIds(VenueResult):
    """The result for the API's paginator: a slice is the page's product ids (rows are built by SQL)."""

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            start, stop, _step = index.indices(self.total)
            return self.query.page_ids(start, stop)
        return self.query.page_ids(index, index + 1)[0]


FILTER_PARAMETERS = [
    OpenApiParameter("scheme", str, description="Scheme code"),
    OpenApiParameter("claim", str, enum=[c.value for c in ClaimType]),
    OpenApiParameter("category", str, description="Category slug (includes its subcategories)"),
    OpenApiParameter("min_price", str),
    OpenApiParameter("max_price", str),
    OpenApiParameter("search", str, description="English or Chinese, substring match"),
    OpenApiParameter("grade", str, enum=list(FOOTPRINT_GRADES), description="Footprint grade per unit"),
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
        query = VenueQuery(filters=filters, on=today)
        # Facets do not depend on the page: cached per filter set, and their price buckets (disjoint,
        # covering every price) give the total, so paging needs no COUNT query.
        facets = cached(("facets", today.isoformat(), language, repr(filters)), query.facets)
        total = facets_total(facets)

        paginator = PageNumberPagination()
        result: Any = _VenueIds(query, total=total)
        page_ids: list[int] = paginator.paginate_queryset(result, request, view=self) or []
        data = venue_product_rows_by_id(
            page_ids, on=today, alliance_members=alliance_member_merchant_ids() if page_ids else set()
        )
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
