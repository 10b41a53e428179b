"""Keeping ``VenueListing`` exact: recompute the rows of the products a write touches, in its transaction.

``listing_sync_products`` deletes the rows of the given products and inserts them again from the source
tables with one ``INSERT ... SELECT``, whose SELECT is built from ``qualifying_certificate_q`` (minus the
dates, which the venue checks at query time). It first locks the products' rows (in id order), so two
transactions touching the same product recompute one after the other and the later one sees the
earlier one's committed writes: under READ COMMITTED each statement reads what was committed when it
started, and the lock is taken before the recomputation reads.

Who calls it: the model signals in ``green_venue.signals`` (product, shop, category, certificate, its
product links, scheme, scope and grade saves and deletes) and every bulk writer of this app
(``marketplace.demo.certificates``) explicitly. ``listing_rebuild`` recomputes everything (the backfill
migration,
``manage.py venue_listing_rebuild``-style repairs).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, TextField, Value, Window
from django.db.models.functions import Coalesce, Concat, Upper

from green_venue.models import CertificateProduct, SchemeCategory, VenueListing
from green_venue.selectors import qualifying_certificate_q
from marketplace.catalog.models import Product

COLUMNS = (
    "product_id",
    "certificate_id",
    "scheme_id",
    "merchant_id",
    "category_id",
    "top_category_id",
    "price",
    "created_at",
    "valid_from",
    "valid_until",
    "search_text",
    "product_rows",
)
# Between the fields of the search text: a search term never holds whitespace (terms are split on it),
# so no match can straddle two fields.
SEARCH_TEXT_SEPARATOR = " "


def listing_source(product_ids: Iterable[int] | None = None) -> QuerySet[CertificateProduct]:
    """The rows ``VenueListing`` must hold (for ``product_ids``, or all), from the source tables."""
    in_scope = SchemeCategory.objects.filter(scheme_id=OuterRef("certificate__scheme_id")).filter(
        Q(category_slug=OuterRef("product__category__slug"))
        | Q(category_slug=OuterRef("product__category__parent__slug"))
    )
    queryset = CertificateProduct.objects.filter(
        qualifying_certificate_q(on=None, prefix="certificate__"),
        Exists(in_scope),
        product__active=True,
        product__merchant__status="active",
    )
    if product_ids is not None:
        queryset = queryset.filter(product_id__in=list(product_ids))
    return queryset.order_by().values_list(
        "product_id",
        "certificate_id",
        F("certificate__scheme_id"),
        F("product__merchant_id"),
        F("product__category_id"),
        Coalesce(F("product__category__parent_id"), F("product__category_id")),
        F("product__price"),
        F("product__created_at"),
        F("certificate__valid_from"),
        F("certificate__valid_until"),
        _search_text(),
        # Over every row of the product (a sync always recomputes all of a product's rows together).
        Window(Count("*"), partition_by=[F("product_id")]),
    )


def _search_text() -> Upper:
    """The product's names and descriptions, upper-cased by the database (the case folding of the
    ``UPPER(...) LIKE UPPER(...)`` that Django's ``icontains`` does, done once per write)."""
    fields = ("name_en", "name_zh", "description_en", "description_zh")
    parts: list[Any] = []
    for field in fields:
        if parts:
            parts.append(Value(SEARCH_TEXT_SEPARATOR))
        parts.append(F(f"product__{field}"))
    return Upper(Concat(*parts, output_field=TextField()))


def _insert_from_source(product_ids: list[int] | None) -> None:
    sql, params = listing_source(product_ids).query.sql_with_params()
    table = VenueListing._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({', '.join(COLUMNS)}) {sql}", params)


def listing_sync_products(*, product_ids: Iterable[int]) -> None:
    """Recompute the venue rows of these products (in the caller's transaction, or its own)."""
    ids = sorted({int(pk) for pk in product_ids})
    if not ids:
        return
    with transaction.atomic():
        list(
            Product.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True)
        )
        VenueListing.objects.filter(product_id__in=ids).delete()
        _insert_from_source(ids)


def listing_sync_certificate(*, certificate_id: int) -> None:
    listing_sync_products(
        product_ids=CertificateProduct.objects.filter(certificate_id=certificate_id).values_list(
            "product_id", flat=True
        )
    )


def listing_sync_scheme(*, scheme_id: int) -> None:
    listing_sync_products(
        product_ids=CertificateProduct.objects.filter(certificate__scheme_id=scheme_id)
        .values_list("product_id", flat=True)
        .distinct()
    )


def listing_sync_merchant(*, merchant_id: int) -> None:
    listing_sync_products(
        product_ids=CertificateProduct.objects.filter(product__merchant_id=merchant_id)
        .values_list("product_id", flat=True)
        .distinct()
    )


def listing_sync_category(*, category_id: int) -> None:
    listing_sync_products(
        product_ids=CertificateProduct.objects.filter(
            Q(product__category_id=category_id) | Q(product__category__parent_id=category_id)
        )
        .values_list("product_id", flat=True)
        .distinct()
    )


def listing_rebuild() -> None:
    """Recompute every row (backfill and repair)."""
    with transaction.atomic():
        VenueListing.objects.all().delete()
        _insert_from_source(None)
