"""Keep the venue exact on every model write that can change what it shows.

Two things happen in the writer's transaction: the ``VenueListing`` rows of the touched products are
recomputed (``green_venue.listing``), and the venue cache version is bumped (``green_venue.cache``).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from green_venue import listing
from green_venue.cache import venue_bump

WATCHED = (
    "green_venue.CertificationScheme",
    "green_venue.SchemeClaim",
    "green_venue.SchemeCategory",
    "green_venue.SchemeGrade",
    "green_venue.Certificate",
    "green_venue.CertificateProduct",
    "catalog.Product",
    "catalog.Category",
    "catalog.City",
    "merchants.Merchant",
    # The venue shows the alliance member badge and the product footprint (grade facet, ordering).
    "alliance.AllianceMembership",
    "carbon.ProductFootprint",
)


def _bump(sender: Any, **kwargs: Any) -> None:
    venue_bump()


def _sync_product(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        listing.listing_sync_products(product_ids=[instance.pk])


def _sync_link(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        listing.listing_sync_products(product_ids=[instance.product_id])


def _sync_merchant(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        listing.listing_sync_merchant(merchant_id=instance.pk)


def _sync_category(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        listing.listing_sync_category(category_id=instance.pk)


def _sync_certificate(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        listing.listing_sync_certificate(certificate_id=instance.pk)


def _sync_scheme(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        listing.listing_sync_scheme(scheme_id=instance.pk)


def _sync_scheme_part(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        listing.listing_sync_scheme(scheme_id=instance.scheme_id)


def _sync_m2m(sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any) -> None:
    """``certificate.products.add/remove/clear`` (or the reverse, from a product)."""
    if action == "pre_clear" and not reverse:
        instance._venue_cleared = list(
            sender.objects.filter(certificate=instance).values_list("product_id", flat=True)
        )
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:
        listing.listing_sync_products(product_ids=[instance.pk])
    elif action == "post_clear":
        listing.listing_sync_products(product_ids=getattr(instance, "_venue_cleared", []))
    else:
        listing.listing_sync_products(product_ids=pk_set or [])


SYNCS = (
    ("catalog.Product", _sync_product, False),
    ("merchants.Merchant", _sync_merchant, False),
    ("catalog.Category", _sync_category, False),
    ("green_venue.Certificate", _sync_certificate, False),
    ("green_venue.CertificateProduct", _sync_link, True),
    ("green_venue.CertificationScheme", _sync_scheme, False),
    ("green_venue.SchemeCategory", _sync_scheme_part, True),
    ("green_venue.SchemeGrade", _sync_scheme_part, True),
)


def connect() -> None:
    for label, handler, on_delete in SYNCS:
        model = apps.get_model(label)
        post_save.connect(handler, sender=model, dispatch_uid=f"green_venue_listing_save_{label}")
        if on_delete:
            post_delete.connect(handler, sender=model, dispatch_uid=f"green_venue_listing_delete_{label}")
    for label in WATCHED:
        model = apps.get_model(label)
        post_save.connect(_bump, sender=model, dispatch_uid=f"green_venue_bump_save_{label}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"green_venue_bump_delete_{label}")
    through = apps.get_model("green_venue", "Certificate").products.through
    m2m_changed.connect(_sync_m2m, sender=through, dispatch_uid="green_venue_listing_m2m")
    m2m_changed.connect(_bump, sender=through, dispatch_uid="green_venue_bump_m2m")
