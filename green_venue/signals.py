"""Bump the venue cache version on every model write that can change what the venue shows."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

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
)


def _bump(sender: Any, **kwargs: Any) -> None:
    venue_bump()


def connect() -> None:
    for label in WATCHED:
        model = apps.get_model(label)
        post_save.connect(_bump, sender=model, dispatch_uid=f"green_venue_bump_save_{label}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"green_venue_bump_delete_{label}")
    through = apps.get_model("green_venue", "Certificate").products.through
    m2m_changed.connect(_bump, sender=through, dispatch_uid="green_venue_bump_m2m")
