from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LastMileVehicle(models.TextChoices):
    DIESEL_VAN = "diesel_van", _("Diesel van")
    ELECTRIC_VAN = "electric_van", _("Electric van")
    CARGO_BIKE = "cargo_bike", _("Cargo bike")


class MerchantStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class Merchant(models.Model):
    """A shop. Core data referenced by the catalog and orders; the alliance builds on it."""

    # One shop per user keeps "the merchant's shop" unambiguous for permissions and dashboards.
    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="merchant")
    name = models.CharField(max_length=120, unique=True)
    city = models.ForeignKey("catalog.City", on_delete=models.PROTECT, related_name="merchants")
    last_mile_vehicle = models.CharField(
        max_length=20, choices=LastMileVehicle.choices, default=LastMileVehicle.DIESEL_VAN
    )
    status = models.CharField(
        max_length=20, choices=MerchantStatus.choices, default=MerchantStatus.ACTIVE, db_index=True
    )
    description = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
