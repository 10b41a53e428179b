# ruff: noqa: S608 - the SQL here is built from model table names and fixed text; values are parameters.
"""Reads of the green venue: the filtered listing of green certified products, its facets and badges.

Every query here reads ``VenueListing`` (one row per product and certificate that makes it green, kept
exact by ``green_venue.listing`` in the writers' transactions) with the in-date check applied at query
time in ``TIME_ZONE``, so a product stops being listed, counted in a facet or badged the moment its
certificate is revoked, rejected or past its last valid day, its shop suspended or the product changed.

A page costs a constant number of queries: the page's product ids (one grouped query over the listing
rows), the products, their badges; and the facets, each one grouped query over the filtered rows: by
category (with the price buckets and footprint grades as filtered counts in the same query, whose sum
is the result count), by scheme, by claim type.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, overload

from django.db import connection
from django.db.models import F, Q, QuerySet

from green_venue.models import (
    Certificate,
    CertificationScheme,
    ClaimType,
    SchemeClaim,
    VenueFootprint,
    VenueListing,
)
from green_venue.selectors import marketplace_today
from marketplace.catalog.models import Category, Product
from marketplace.core.i18n import prefers_chinese

# Price facet buckets in CNY: [low, high) with None for open ends.
PRICE_BUCKETS: tuple[tuple[Decimal | None, Decimal | None], ...] = (
    (None, Decimal("100")),
    (Decimal("100"), Decimal("500")),
    (Decimal("500"), Decimal("2000")),
    (Decimal("2000"), Decimal("5000")),
    (Decimal("5000"), None),
)
# The footprint estimates the carbon app pushes into the venue (``VenueFootprint``).
FOOTPRINT = "product__venue_footprint__kgco2e"
GRADE = "product__venue_footprint__grade"
ORDERINGS: dict[str, tuple[Any, ...]] = {
    "price": ("price", "-product_id"),
    "-price": ("-price", "-product_id"),
    "-created": ("-created_at", "-product_id"),
    # Lowest footprint per unit first; products without an estimate last.
    "footprint": (F("footprint").asc(nulls_last=True), "-product_id"),
}
SQL_ORDERINGS = {
    "price": "l.price ASC, l.product_id DESC",
    "-price": "l.price DESC, l.product_id DESC",
    "-created": "l.created_at DESC, l.product_id DESC",
}
FOOTPRINT_GRADES = ("A", "B", "C", "D", "E")
MAX_SEARCH_TERMS = 5


@dataclass(frozen=True)
class VenueFilters:
    scheme: str | None = None
    scheme_id: int | None = None
    claim: str | None = None
    category_id: int | None = None
    category_is_top: bool = False
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    search: str | None = None
    grade: str | None = None
    ordering: str = "-created"


def _table(model: Any) -> str:
    return str(model._meta.db_table)


def search_terms(text: str) -> list[str]:
    return text.split()[:MAX_SEARCH_TERMS]


def _search_q(text: str) -> Q:
    """Every term must appear in a name or description, in either language.

    A substring match (``icontains``), not PostgreSQL full-text search: the text-search parsers do not
    split Chinese into words, so a two-character Chinese query would find nothing there. This is the
    definition; the SQL form (``VenueQuery._base_sql``) matches the same terms against the listing's
    stored ``search_text``, and a test holds the two equal.
    """
    query = Q()
    for term in search_terms(text):
        query &= (
            Q(product__name_en__icontains=term)
            | Q(product__name_zh__icontains=term)
            | Q(product__description_en__icontains=term)
            | Q(product__description_zh__icontains=term)
        )
    return query


def listed_rows(*, on: datetime.date) -> QuerySet[VenueListing]:
    """The listing rows that make their product green on ``on`` (validity inclusive, in TIME_ZONE)."""
    return VenueListing.objects.filter(valid_from__lte=on, valid_until__gte=on)


class VenueQuery:
    """The venue's answer for one filter set on one day: page rows, products, facets."""

    def __init__(self, *, filters: VenueFilters, on: datetime.date | None = None) -> None:
        self.filters = filters
        self.on = on or marketplace_today()

    def _base(self) -> QuerySet[VenueListing]:
        """In-date rows of products matching the product-level filters (category, price, search, grade)."""
        f = self.filters
        rows = listed_rows(on=self.on)
        if f.category_id is not None:
            rows = rows.filter(**{"top_category_id" if f.category_is_top else "category_id": f.category_id})
        if f.min_price is not None:
            rows = rows.filter(price__gte=f.min_price)
        if f.max_price is not None:
            rows = rows.filter(price__lte=f.max_price)
        if f.search:
            rows = rows.filter(_search_q(f.search))
        if f.grade:
            rows = rows.filter(**{GRADE: f.grade})
        return rows

    def rows(self) -> QuerySet[VenueListing]:
        """Rows of the result's products (at least one per product): with a scheme filter, the rows of
        that scheme; with a claim filter, rows of schemes making that claim (either may be another of the
        product's certificates than the one matching the other filter)."""
        f = self.filters
        base = self._base()
        rows = base
        if f.scheme_id is not None:
            rows = rows.filter(scheme_id=f.scheme_id)
        elif f.scheme:
            rows = rows.filter(scheme__code=f.scheme)
        if f.claim:
            if f.scheme:
                rows = rows.filter(
                    product_id__in=base.filter(scheme__claims__claim=f.claim).values("product_id")
                )
            else:
                rows = rows.filter(scheme__claims__claim=f.claim)
        return rows

    def _all_rows_of_result(self) -> QuerySet[VenueListing]:
        """Every in-date row of the result's products (for the scheme and claim facets)."""
        if self.filters.scheme or self.filters.claim:
            return self._base().filter(product_id__in=self.rows().values("product_id"))
        return self._base()

    # The same conditions as ``_base`` and ``rows`` written as SQL over the listing table: the page and
    # facet queries run on every uncached request, and compiling them with the ORM cost more CPU than
    # running them. A test holds both forms equal for every filter.

    def _base_sql(self, alias: str) -> tuple[str, list[Any]]:
        f = self.filters
        conditions = [f"{alias}.valid_from <= %s", f"{alias}.valid_until >= %s"]
        params: list[Any] = [self.on, self.on]
        if f.category_id is not None:
            column = "top_category_id" if f.category_is_top else "category_id"
            conditions.append(f"{alias}.{column} = %s")
            params.append(f.category_id)
        if f.min_price is not None:
            conditions.append(f"{alias}.price >= %s")
            params.append(f.min_price)
        if f.max_price is not None:
            conditions.append(f"{alias}.price <= %s")
            params.append(f.max_price)
        if f.search:
            # ``_search_q`` over the listing's stored upper-cased text (a trigram index on PostgreSQL):
            # the same matches as ``icontains`` on the product's four columns, without a join or any
            # per-row UPPER. The pattern is escaped like Django's, then upper-cased by the database.
            like = connection.operators["contains"] % "UPPER(%s)"
            for term in search_terms(f.search):
                conditions.append(f"{alias}.search_text {like}")
                params.append(f"%{connection.ops.prep_for_like_query(term)}%")
        if f.grade:
            conditions.append(
                f"EXISTS (SELECT 1 FROM {_table(VenueFootprint)} fp "
                f"WHERE fp.product_id = {alias}.product_id AND fp.grade = %s)"
            )
            params.append(f.grade)
        return " AND ".join(conditions), params

    def _rows_sql(self, alias: str = "l") -> tuple[str, list[Any]]:
        """``WHERE`` conditions on the listing table (as ``alias``) selecting ``rows()``."""
        f = self.filters
        where, params = self._base_sql(alias)
        claim_schemes = f"SELECT scheme_id FROM {_table(SchemeClaim)} WHERE claim = %s"
        if f.scheme_id is not None:
            where += f" AND {alias}.scheme_id = %s"
            params.append(f.scheme_id)
        elif f.scheme:
            where += (
                f" AND {alias}.scheme_id IN (SELECT id FROM {_table(CertificationScheme)} WHERE code = %s)"
            )
            params.append(f.scheme)
        if f.claim:
            if f.scheme:
                inner, inner_params = self._base_sql("c")
                where += (
                    f" AND {alias}.product_id IN (SELECT c.product_id FROM {_table(VenueListing)} c "
                    f"WHERE {inner} AND c.scheme_id IN ({claim_schemes}))"
                )
                params.extend([*inner_params, f.claim])
            else:
                where += f" AND {alias}.scheme_id IN ({claim_schemes})"
                params.append(f.claim)
        return where, params

    def _all_rows_sql(self) -> tuple[str, list[Any]]:
        """``WHERE`` conditions on the listing table (as ``a``) selecting ``_all_rows_of_result()``."""
        where, params = self._base_sql("a")
        if self.filters.scheme or self.filters.claim:
            rows_where, rows_params = self._rows_sql("r")
            where += (
                f" AND a.product_id IN (SELECT r.product_id FROM {_table(VenueListing)} r WHERE {rows_where})"
            )
            params.extend(rows_params)
        return where, params

    def page_ids(self, start: int, stop: int) -> list[int]:
        if stop <= start:
            return []
        where, params = self._rows_sql("l")
        table = _table(VenueListing)
        if self.filters.ordering == "footprint":
            sql = (
                f"SELECT DISTINCT l.product_id, fp.kgco2e FROM {table} l "
                f"LEFT JOIN {_table(VenueFootprint)} fp ON fp.product_id = l.product_id WHERE {where} "
                "ORDER BY fp.kgco2e ASC NULLS LAST, l.product_id DESC"
            )
        else:
            # One row per product without DISTINCT (the row of its lowest listing id among those
            # selected), so PostgreSQL can walk an index in the page's order and stop at the page end.
            other_where, other_params = self._rows_sql("d")
            sql = (
                f"SELECT l.product_id FROM {table} l WHERE {where} AND NOT EXISTS ("
                f"SELECT 1 FROM {table} d "
                f"WHERE d.product_id = l.product_id AND d.id < l.id AND {other_where}) "
                f"ORDER BY {SQL_ORDERINGS[self.filters.ordering]}"
            )
            params = [*params, *other_params]
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} LIMIT %s OFFSET %s", [*params, stop - start, start])
            return [row[0] for row in cursor.fetchall()]

    def page_ids_orm(self, start: int, stop: int) -> list[int]:
        """``page_ids`` through the ORM (the reference the SQL form is tested against)."""
        order = ORDERINGS[self.filters.ordering]
        rows: QuerySet[Any] = self.rows()
        if self.filters.ordering == "footprint":
            rows = rows.annotate(footprint=F(FOOTPRINT)).values("product_id", "footprint")
        else:
            rows = rows.values("product_id", "created_at", "price")
        return [row["product_id"] for row in rows.distinct().order_by(*order)[start:stop]]

    def products(self, start: int, stop: int) -> list[Product]:
        ids = self.page_ids(start, stop)
        if not ids:
            return []
        by_id = Product.objects.select_related(
            "merchant", "merchant__city", "category", "category__parent", "venue_footprint"
        ).in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]

    def facets(self) -> dict[str, list[dict[str, Any]]]:
        return _facets(self)


class VenueResult(Sequence[Product]):
    """The result as a sliceable sequence with a known length, for Django's and DRF's paginators: the
    count comes from the facets (no COUNT query) and a slice runs the page query."""

    def __init__(self, query: VenueQuery, *, total: int) -> None:
        self.query = query
        self.total = total

    def count(self, value: Any = None) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    @overload
    def __getitem__(self, index: int) -> Product: ...

    @overload
    def __getitem__(self, index: slice) -> list[Product]: ...

    def __getitem__(self, index: int | slice) -> Product | list[Product]:
        if isinstance(index, slice):
            start, stop, _step = index.indices(self.total)
            return self.query.products(start, stop)
        return self.query.products(index, index + 1)[0]

    def __iter__(self) -> Iterator[Product]:
        return iter(self.query.products(0, self.total))


def _label(name_en: str, name_zh: str) -> str:
    return (name_zh or name_en) if prefers_chinese() else (name_en or name_zh)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _price_q(low: Decimal | None, high: Decimal | None) -> Q:
    return Q(**({"price__gte": low} if low is not None else {})) & Q(
        **({"price__lt": high} if high is not None else {})
    )


def _one_row_per_product(columns: str, table_alias: str, where: str) -> str:
    """The distinct ``columns`` of the listing rows matching ``where``, without a sort or hash over all
    of them: rows of products listed once (nearly all) are distinct already, only the others are
    de-duplicated. ``where`` appears twice, so its parameters are passed twice."""
    table = f"{_table(VenueListing)} {table_alias}"
    rows = f"{table_alias}.product_rows"
    return (
        f"SELECT {columns}, 1 AS single FROM {table} WHERE {where} AND {rows} = 1 "
        f"UNION ALL SELECT DISTINCT {columns}, 0 FROM {table} WHERE {where} AND {rows} > 1"
    )


def _product_facet_rows(query: VenueQuery) -> list[dict[str, Any]]:
    """One row per category of the result: its product count, and per price bucket and footprint grade.

    The inner SELECT makes one row per product (``_one_row_per_product``), so the outer counts need no
    DISTINCT; the footprint is joined by product id, without the product table.
    """
    where, where_params = query._rows_sql("l")
    inner = _one_row_per_product("l.product_id, l.category_id, l.price", "l", where)
    params = (*where_params, *where_params)
    buckets = []
    bucket_params: list[Any] = []
    for index, (low, high) in enumerate(PRICE_BUCKETS):
        conditions = []
        if low is not None:
            conditions.append("r.price >= %s")
            bucket_params.append(low)
        if high is not None:
            conditions.append("r.price < %s")
            bucket_params.append(high)
        buckets.append(f"COUNT(*) FILTER (WHERE {' AND '.join(conditions)}) AS b{index}")
    grades = [f"COUNT(*) FILTER (WHERE fp.grade = '{grade}') AS g{grade}" for grade in FOOTPRINT_GRADES]
    footprint_table = VenueFootprint._meta.db_table
    category_table = Category._meta.db_table
    # Table names from model metadata and the ORM's own SQL with its parameters: no user text in the SQL.
    sql = (
        "SELECT c.slug, c.name_en, c.name_zh, p.slug, p.name_en, p.name_zh, agg.* FROM ("
        f"SELECT COUNT(*) AS n, {', '.join(buckets + grades)}, r.category_id "
        f"FROM ({inner}) r LEFT JOIN {footprint_table} fp ON fp.product_id = r.product_id "
        "GROUP BY r.category_id) agg "
        f"JOIN {category_table} c ON c.id = agg.category_id "
        f"LEFT JOIN {category_table} p ON p.id = c.parent_id"
    )
    names = (
        ["category__slug", "category__name_en", "category__name_zh"]
        + ["category__parent__slug", "category__parent__name_en", "category__parent__name_zh", "count"]
        + [f"b{index}" for index in range(len(PRICE_BUCKETS))]
        + [f"g{grade}" for grade in FOOTPRINT_GRADES]
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*bucket_params, *params))
        return [dict(zip(names, row[:-1], strict=True)) for row in cursor.fetchall()]


def _scheme_claim_rows(query: VenueQuery) -> list[tuple[Any, ...]]:
    """(kind, code, name_en, name_zh, count) for the scheme and claim facets, in one statement.

    Rows of products listed once are counted per scheme straight from the table (no de-duplication),
    and their claim counts follow from those dozen scheme counts (a scheme names a claim at most once);
    only the rows of products listed more than once (``m``, through a partial index) are de-duplicated
    into distinct (product, scheme) and (product, claim) pairs.
    """
    where, where_params = query._all_rows_sql()
    table = _table(VenueListing)
    scheme_table = CertificationScheme._meta.db_table
    claim_table = SchemeClaim._meta.db_table
    sql = (
        "WITH m AS MATERIALIZED ("
        f"SELECT DISTINCT a.product_id, a.scheme_id FROM {table} a WHERE {where} AND a.product_rows > 1), "
        "single AS MATERIALIZED ("
        f"SELECT a.scheme_id, COUNT(*) AS n FROM {table} a WHERE {where} AND a.product_rows = 1 "
        "GROUP BY a.scheme_id), "
        "per_scheme AS (SELECT x.scheme_id, SUM(x.n) AS n FROM ("
        "SELECT scheme_id, n FROM single UNION ALL SELECT scheme_id, COUNT(*) FROM m GROUP BY scheme_id"
        ") x GROUP BY x.scheme_id), "
        "per_claim AS (SELECT y.claim, SUM(y.n) AS n FROM ("
        f"SELECT c.claim, single.n FROM single JOIN {claim_table} c ON c.scheme_id = single.scheme_id "
        "UNION ALL SELECT pc.claim, COUNT(*) FROM ("
        f"SELECT DISTINCT m.product_id, c.claim FROM m JOIN {claim_table} c ON c.scheme_id = m.scheme_id"
        ") pc GROUP BY pc.claim) y GROUP BY y.claim) "
        "SELECT 'scheme', s.code, s.name_en, s.name_zh, CAST(ps.n AS INTEGER), s.position "
        f"FROM per_scheme ps JOIN {scheme_table} s ON s.id = ps.scheme_id "
        "UNION ALL SELECT 'claim', pc.claim, '', '', CAST(pc.n AS INTEGER), 0 FROM per_claim pc "
        "ORDER BY 1, 6, 2"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*where_params, *where_params))
        return [tuple(row[:5]) for row in cursor.fetchall()]


def _facets(query: VenueQuery) -> dict[str, list[dict[str, Any]]]:
    """Counts of the result's products by category (with price range and footprint grade), scheme and
    claim type: two queries. Counts are over the current result (all filters applied), so every count
    is what following the facet would give."""
    by_category = _product_facet_rows(query)
    scheme_claims = _scheme_claim_rows(query)
    schemes = [
        {"scheme_code": code, "scheme_name_en": en, "scheme_name_zh": zh, "count": n}
        for kind, code, en, zh, n in scheme_claims
        if kind == "scheme"
    ]
    claims = [
        {"claim_code": code, "count": n} for kind, code, _en, _zh, n in scheme_claims if kind == "claim"
    ]

    category_facet: dict[str, dict[str, Any]] = {}
    prices = [0] * len(PRICE_BUCKETS)
    grades = dict.fromkeys(FOOTPRINT_GRADES, 0)
    for row in by_category:
        for index in range(len(PRICE_BUCKETS)):
            prices[index] += row[f"b{index}"]
        for grade in FOOTPRINT_GRADES:
            grades[grade] += row[f"g{grade}"]
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
                "count": prices[index],
            }
            for index, (low, high) in enumerate(PRICE_BUCKETS)
        ],
        "grade": [{"code": grade, "count": count} for grade, count in grades.items() if count],
    }


def facets_total(facets: dict[str, list[dict[str, Any]]]) -> int:
    """The number of products in the result: the price buckets are disjoint and cover every price."""
    return sum(bucket["count"] for bucket in facets["price"])


def venue_badges(*, product_ids: list[int], on: datetime.date | None = None) -> dict[int, list[Certificate]]:
    """For each product, the certificates that make it green (one badge each), in one query."""
    day = on or marketplace_today()
    result: dict[int, list[Certificate]] = {pk: [] for pk in product_ids}
    if not product_ids:
        return result
    rows = (
        listed_rows(on=day)
        .filter(product_id__in=product_ids)
        .select_related("certificate__scheme", "certificate__grade")
        .order_by("product_id", "scheme__position", "certificate__number")
    )
    for row in rows:
        result[row.product_id].append(row.certificate)
    return result


def venue_products(*, filters: VenueFilters, on: datetime.date | None = None) -> VenueResult:
    """The result as a sequence (the facets are computed to know its length: use ``venue_answer``
    when the facets are needed too)."""
    query = VenueQuery(filters=filters, on=on)
    return VenueResult(query, total=facets_total(query.facets()))


def featured_categories(*, limit: int = 8, on: datetime.date | None = None) -> list[dict[str, Any]]:
    """Top categories with the most green certified products (for the landing page)."""
    facets = VenueQuery(filters=VenueFilters(), on=on).facets()
    tops = [c for c in facets["category"] if c["parent"] is None]
    return tops[:limit]


def newest_products(
    *, limit: int, merchant_ids: set[int] | None = None, on: datetime.date | None = None
) -> list[Product]:
    """The newest green certified products (of these shops, if given): the landing page's strips."""
    query = VenueQuery(filters=VenueFilters(), on=on)
    if merchant_ids is not None:
        rows = query.rows().filter(merchant_id__in=merchant_ids)
        ids = [
            row["product_id"]
            for row in rows.values("product_id", "created_at")
            .distinct()
            .order_by("-created_at", "-product_id")[:limit]
        ]
        by_id = Product.objects.select_related(
            "merchant", "merchant__city", "category", "category__parent", "venue_footprint"
        ).in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]
    return query.products(0, limit)
