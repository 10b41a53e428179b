"""Reads of the certification domain; ``green_certified_q`` is the one definition of "green certified"."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from green_venue.models import (
    Certificate,
    CertificateNotice,
    CertificateProduct,
    CertificateStatus,
    CertificationScheme,
    SchemeGrade,
)
from marketplace.core.errors import NotFound


def marketplace_today() -> datetime.date:
    """Today in the marketplace's ``TIME_ZONE`` (validity dates are calendar days there)."""
    return timezone.localtime(timezone.now(), zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()


def qualifying_certificate_undated_q(*, prefix: str = "") -> Q:
    """``qualifying_certificate_q`` without the dates (what ``VenueListing`` rows satisfy)."""
    return Q(**{f"{prefix}status": CertificateStatus.VERIFIED, f"{prefix}scheme__active": True}) & (
        Q(**{f"{prefix}grade__isnull": True}) | Q(**{f"{prefix}grade__qualifies": True})
    )


def qualifying_certificate_q(*, on: datetime.date | None, prefix: str = "") -> Q:
    """Conditions on a Certificate (reached through ``prefix``) for it to make a product green on ``on``
    (``on=None``: on some day, i.e. without the in-date check).

    The scope condition (the scheme applies to the product's category) is added by the caller, which
    knows how to reach the product.
    """
    undated = qualifying_certificate_undated_q(prefix=prefix)
    if on is None:
        return undated
    return undated & Q(**{f"{prefix}valid_from__lte": on, f"{prefix}valid_until__gte": on})


def _in_scope_q(*, product_ref: str, prefix: str) -> Q:
    """The certificate's scheme applies to the product's category or to its parent category."""
    return Q(
        **{f"{prefix}scheme__category_scopes__category_slug": OuterRef(f"{product_ref}category__slug")}
    ) | Q(
        **{
            f"{prefix}scheme__category_scopes__category_slug": OuterRef(
                f"{product_ref}category__parent__slug"
            )
        }
    )


def qualifying_links(*, on: datetime.date) -> QuerySet[CertificateProduct]:
    """CertificateProduct rows of the outer Product (``OuterRef("pk")``) that make it green on ``on``."""
    return CertificateProduct.objects.filter(
        qualifying_certificate_q(on=on, prefix="certificate__"),
        _in_scope_q(product_ref="", prefix="certificate__"),
        product=OuterRef("pk"),
    )


def green_certified_q(*, on: datetime.date | None = None) -> Q:
    """A Q on ``catalog.Product``: the product is green certified on ``on`` (default: today).

    Verified certificate, in date (``valid_until`` inclusive, in ``TIME_ZONE``), of an active scheme
    that applies to the product's category (a scope on a top category includes its subcategories), with
    a qualifying grade (or an ungraded scheme); product and merchant active. Independent of the daily
    expiry task: a certificate past its date stops counting at midnight even if the task has not run.
    """
    day = on or marketplace_today()
    return Q(active=True, merchant__status="active") & Q(Exists(qualifying_links(on=day)))


def green_certified_product_ids(*, product_ids: Iterable[int], on: datetime.date | None = None) -> set[int]:
    """The subset of ``product_ids`` that are green certified (one query)."""
    from marketplace.catalog.models import Product

    ids = {int(pk) for pk in product_ids}
    if not ids:
        return set()
    return set(Product.objects.filter(green_certified_q(on=on), pk__in=ids).values_list("pk", flat=True))


def badge_certificates(
    *, product_ids: Iterable[int], on: datetime.date | None = None
) -> dict[int, list[Certificate]]:
    """For each product, the certificates that make it green (one badge each), in one query."""
    day = on or marketplace_today()
    ids = {int(pk) for pk in product_ids}
    if not ids:
        return {}
    links = _badge_links(ids=ids, on=day)
    result: dict[int, list[Certificate]] = {pk: [] for pk in ids}
    for link in links:
        result[link.product_id].append(link.certificate)
    return result


def _badge_links(*, ids: set[int], on: datetime.date) -> QuerySet[CertificateProduct]:
    in_scope = CertificateProduct.objects.filter(
        Q(certificate__scheme__category_scopes__category_slug=OuterRef("product__category__slug"))
        | Q(certificate__scheme__category_scopes__category_slug=OuterRef("product__category__parent__slug")),
        pk=OuterRef("pk"),
    )
    return (
        CertificateProduct.objects.filter(
            qualifying_certificate_q(on=on, prefix="certificate__"), Exists(in_scope), product_id__in=ids
        )
        .select_related("certificate__scheme", "certificate__grade")
        .order_by("product_id", "certificate__scheme__position", "certificate__number")
    )


def scheme_list() -> QuerySet[CertificationScheme]:
    return CertificationScheme.objects.filter(active=True).prefetch_related(
        "claims", "category_scopes", Prefetch("grades", queryset=SchemeGrade.objects.order_by("position"))
    )


def certificate_list(*, user: Any, status: str | None = None) -> QuerySet[Certificate]:
    """Staff see every certificate (the review queue filters by status); a merchant sees their own."""
    queryset = Certificate.objects.select_related("scheme", "grade", "merchant").prefetch_related(
        "products", "evidence_files", "review_entries"
    )
    if not user.is_staff:
        merchant = getattr(user, "merchant", None)
        if merchant is None:
            return queryset.none()
        queryset = queryset.filter(merchant=merchant)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def certificate_notices(*, merchant: Any) -> QuerySet[CertificateNotice]:
    return CertificateNotice.objects.filter(merchant=merchant, dismissed_at__isnull=True).select_related(
        "certificate__scheme"
    )


def certificate_get_for(*, user: Any, certificate_id: int) -> Certificate:
    """The certificate if the user may see it (its merchant or staff), else not found."""
    try:
        return certificate_list(user=user).get(pk=certificate_id)
    except (Certificate.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("No certificate matches the given id.")) from exc
