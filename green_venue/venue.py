"""Reads of the green venue: the filtered listing of green certified products, its facets and badges.

Every query here starts from ``green_certified_q``, so a product stops being listed, counted in a facet
or badged the moment its certificate is revoked or its last valid day has passed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, Q, QuerySet

from green_venue.models import ClaimType
from green_venue.selectors import (
    green_certified_q,
    marketplace_today,
    qualifying_certificate_q,
    qualifying_links,
)
from marketplace.catalog.models import Product
from marketplace.core.i18n import prefers_chinese

# Price facet buckets in CNY: [low, high) with None for open ends.
PRICE_BUCKETS: tuple[tuple[Decimal | None, Decimal | None], ...] = (
    (None, Decimal("100")),
    (Decimal("100"), Decimal("500")),
    (Decimal("500"), Decimal("2000")),
    (Decimal("2000"), Decimal("5000")),
    (Decimal("5000"), None),
)
ORDERINGS = {"price": ("price", "-id"), "-price": ("-price", "-id"), "-created": ("-created_at", "-id")}
MAX_SEARCH_TERMS = 5


@dataclass(frozen=True)
class VenueFilters:
    scheme: str | None = None
    claim: str | None = None
    category_ids: tuple[int, ...] | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    search: str | None = None
    ordering: str = "-created"


def _search_q(text: str) -> Q:
    """Every term must appear in a name or description, in either language.

    A substring match (``icontains``), not PostgreSQL full-text search: the text-search parsers do not
    split Chinese into words, so a two-character Chinese query would find nothing there.
    """
    query = Q()
    for term in text.split()[:MAX_SEARCH_TERMS]:
        query &= (
            Q(name_en__icontains=term)
            | Q(name_zh__icontains=term)
            | Q(description_en__icontains=term)
            | Q(description_zh__icontains=term)
        )
    return query


def venue_products(*, filters: VenueFilters, on: datetime.date | None = None) -> QuerySet[Product]:
    day = on or marketplace_today()
    queryset = Product.objects.filter(green_certified_q(on=day))
    if filters.scheme:
        queryset = queryset.filter(
            Exists(qualifying_links(on=day).filter(certificate__scheme__code=filters.scheme))
        )
    if filters.claim:
        queryset = queryset.filter(
            Exists(qualifying_links(on=day).filter(certificate__scheme__claims__claim=filters.claim))
        )
    if filters.category_ids is not None:
        queryset = queryset.filter(category_id__in=filters.category_ids)
    if filters.min_price is not None:
        queryset = queryset.filter(price__gte=filters.min_price)
    if filters.max_price is not None:
        queryset = queryset.filter(price__lte=filters.max_price)
    if filters.search:
        queryset = queryset.filter(_search_q(filters.search))
    return queryset.select_related("merchant", "merchant__city", "category", "category__parent").order_by(
        *ORDERINGS[filters.ordering]
    )


def _with_qualifying_links(products: QuerySet[Product], *, on: datetime.date) -> QuerySet[Product]:
    """The products joined to their qualifying certificates (one row per product, certificate and
    matching scope): group these rows and count distinct products. A join, not an IN-subquery, so
    PostgreSQL plans it as one pass over the filtered products."""
    return products.order_by().filter(
        qualifying_certificate_q(on=on, prefix="certificate_links__certificate__"),
        Q(certificate_links__certificate__scheme__category_scopes__category_slug=F("category__slug"))
        | Q(
            certificate_links__certificate__scheme__category_scopes__category_slug=F("category__parent__slug")
        ),
    )


def _label(name_en: str, name_zh: str) -> str:
    return (name_zh or name_en) if prefers_chinese() else (name_en or name_zh)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def venue_facets(
    *, products: QuerySet[Product], on: datetime.date | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Counts of the listed products by scheme, claim type, category and price range (four queries).

    Counts are over the current result (all filters applied), so every count is what following the
    facet would give.
    """
    day = on or marketplace_today()
    scheme_prefix = "certificate_links__certificate__scheme__"
    schemes = (
        _with_qualifying_links(products, on=day)
        .values(
            scheme_code=F(f"{scheme_prefix}code"),
            scheme_name_en=F(f"{scheme_prefix}name_en"),
            scheme_name_zh=F(f"{scheme_prefix}name_zh"),
            scheme_position=F(f"{scheme_prefix}position"),
        )
        .annotate(count=Count("pk", distinct=True))
        .order_by("scheme_position", "scheme_code")
    )
    claims = (
        _with_qualifying_links(products, on=day)
        .values(claim_code=F(f"{scheme_prefix}claims__claim"))
        .annotate(count=Count("pk", distinct=True))
        .order_by("claim_code")
    )
    categories = (
        products.order_by()
        .values(
            "category__slug",
            "category__name_en",
            "category__name_zh",
            "category__parent__slug",
            "category__parent__name_en",
            "category__parent__name_zh",
        )
        .annotate(count=Count("pk"))
    )
    price_counts = products.order_by().aggregate(
        **{
            f"b{index}": Count(
                "pk",
                filter=Q(**({"price__gte": low} if low is not None else {}))
                & Q(**({"price__lt": high} if high is not None else {})),
            )
            for index, (low, high) in enumerate(PRICE_BUCKETS)
        }
    )

    category_facet: dict[str, dict[str, Any]] = {}
    for row in categories:
        parent = row["category__parent__slug"]
        if parent:
            top = category_facet.setdefault(
                parent,
                {
                    "slug": parent,
                    "name": _label(row["category__parent__name_en"], row["category__parent__name_zh"]),
                    "parent": None,
                    "count": 0,
                },
            )
            top["count"] += row["count"]
        entry = category_facet.setdefault(
            row["category__slug"],
            {
                "slug": row["category__slug"],
                "name": _label(row["category__name_en"], row["category__name_zh"]),
                "parent": parent,
                "count": 0,
            },
        )
        entry["count"] += row["count"]

    claim_labels = dict(ClaimType.choices)
    return {
        "scheme": [
            {
                "code": row["scheme_code"],
                "name": _label(row["scheme_name_en"], row["scheme_name_zh"]),
                "count": row["count"],
            }
            for row in schemes
        ],
        "claim": [
            {
                "code": row["claim_code"],
                "name": str(claim_labels.get(row["claim_code"], "")),
                "count": row["count"],
            }
            for row in claims
            if row["claim_code"]
        ],
        "category": sorted(category_facet.values(), key=lambda item: (-item["count"], item["slug"])),
        "price": [
            {
                "min_price": _money(low),
                "max_price": _money(high - Decimal("0.01")) if high is not None else None,
                "count": price_counts[f"b{index}"],
            }
            for index, (low, high) in enumerate(PRICE_BUCKETS)
        ],
    }


def featured_categories(*, limit: int = 8, on: datetime.date | None = None) -> list[dict[str, Any]]:
    """Top categories with the most green certified products (for the landing page)."""
    facets = venue_facets(products=venue_products(filters=VenueFilters(), on=on), on=on)
    tops = [c for c in facets["category"] if c["parent"] is None]
    return tops[:limit]
