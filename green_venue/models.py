"""Certification schemes, merchants' certificates with their evidence and review log, expiry notices.

A product is *green certified* while it has a verified, in-date certificate of a scheme that applies to
its category with a qualifying grade; ``selectors`` holds the one query that decides it (see
docs/domain.md, "Certification and 'green certified'", and docs/invariants.md, "Non-green is never
shown or discounted as green").
"""

from __future__ import annotations

import os
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.core.fields import MoneyAmountField
from marketplace.core.i18n import BilingualNameMixin, prefers_chinese

if TYPE_CHECKING:
    from marketplace.catalog.models import Product


class ClaimType(models.TextChoices):
    ENERGY_SAVING = "energy_saving", _("Energy-saving")
    WATER_SAVING = "water_saving", _("Water-saving")
    ENVIRONMENTALLY_FRIENDLY = "environmentally_friendly", _("Environmentally friendly")
    ORGANIC = "organic", _("Organic")
    RECYCLED_CONTENT = "recycled_content", _("Recycled content")
    LOW_CARBON = "low_carbon", _("Low-carbon")


class AuthorityType(models.TextChoices):
    GOVERNMENT_MANDATORY = "government_mandatory", _("Government, mandatory")
    GOVERNMENT_VOLUNTARY = "government_voluntary", _("Government-run, voluntary")
    INDEPENDENT = "independent", _("Independent third party")


class SubjectLevel(models.TextChoices):
    MODEL = "model", _("Product model")
    PRODUCT = "product", _("Product")
    ORGANISATION = "organisation", _("Organisation")


class CertificationScheme(BilingualNameMixin):
    code = models.SlugField(max_length=40, unique=True)
    issuer_en = models.CharField(max_length=300)
    issuer_zh = models.CharField(max_length=300, blank=True)
    authority_type = models.CharField(max_length=30, choices=AuthorityType.choices)
    subject_level = models.CharField(max_length=20, choices=SubjectLevel.choices)
    number_pattern = models.CharField(
        max_length=300, help_text=_("Regular expression a certificate number must match in full.")
    )
    number_example = models.CharField(max_length=100, blank=True)
    number_pattern_note = models.CharField(
        max_length=500,
        blank=True,
        help_text=_("Where the pattern comes from, or why it is an approximation."),
    )
    registry_url = models.URLField(max_length=300, blank=True)
    default_validity_days = models.PositiveIntegerField(null=True, blank=True)
    description_en = models.TextField(blank=True, max_length=3000)
    description_zh = models.TextField(blank=True, max_length=3000)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True, help_text=_("Inactive schemes accept no new certificates."))

    class Meta:
        ordering = ["position", "code"]

    @property
    def issuer(self) -> str:
        if prefers_chinese():
            return self.issuer_zh or self.issuer_en
        return self.issuer_en or self.issuer_zh


class SchemeClaim(models.Model):
    scheme = models.ForeignKey(CertificationScheme, on_delete=models.CASCADE, related_name="claims")
    claim = models.CharField(max_length=30, choices=ClaimType.choices)

    class Meta:
        ordering = ["scheme", "claim"]
        constraints = [models.UniqueConstraint(fields=["scheme", "claim"], name="scheme_claim_unique")]

    def __str__(self) -> str:
        return f"{self.scheme.code}: {self.claim}"


class SchemeCategory(models.Model):
    """A category a scheme applies to, by slug (a top category includes its subcategories).

    Stored by slug, resolved in the query, so the seed data does not depend on which categories exist
    when it is loaded; a slug with no category simply matches nothing.
    """

    scheme = models.ForeignKey(CertificationScheme, on_delete=models.CASCADE, related_name="category_scopes")
    category_slug = models.SlugField(max_length=64, db_index=True)

    class Meta:
        ordering = ["scheme", "category_slug"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "category_slug"], name="scheme_category_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scheme.code}: {self.category_slug}"


class SchemeGrade(models.Model):
    """A grade of a graded scheme (China Energy Label 1-5); only qualifying grades make a product green."""

    scheme = models.ForeignKey(CertificationScheme, on_delete=models.CASCADE, related_name="grades")
    code = models.CharField(max_length=30)
    name_en = models.CharField(max_length=100)
    name_zh = models.CharField(max_length=100, blank=True)
    qualifies = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scheme", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="scheme_grade_unique")]

    def __str__(self) -> str:
        return f"{self.scheme.code}: {self.code}"


class CertificateStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Under review")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


# The statuses that hold a (scheme, number): a rejected, revoked or expired one may be submitted again.
LIVE_STATUSES = (CertificateStatus.SUBMITTED, CertificateStatus.VERIFIED)


class Certificate(models.Model):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.PROTECT, related_name="certificates")
    scheme = models.ForeignKey(CertificationScheme, on_delete=models.PROTECT, related_name="certificates")
    number = models.CharField(max_length=100)
    holder = models.CharField(max_length=300)
    grade = models.ForeignKey(
        SchemeGrade, null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    valid_from = models.DateField()
    valid_until = models.DateField(help_text=_("Inclusive, in the marketplace's time zone."))
    status = models.CharField(
        max_length=20, choices=CertificateStatus.choices, default=CertificateStatus.SUBMITTED, db_index=True
    )
    products: models.ManyToManyField[Product, CertificateProduct] = models.ManyToManyField(
        "catalog.Product", through="CertificateProduct", related_name="certificates"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submitted_certificates"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "number"],
                condition=Q(status__in=["submitted", "verified"]),
                name="certificate_live_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")), name="certificate_valid_range"
            ),
        ]
        indexes = [models.Index(fields=["status", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.scheme.code} {self.number}"


class CertificateProduct(models.Model):
    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="product_links")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="certificate_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["certificate", "product"], name="certificate_product_unique")
        ]
        indexes = [models.Index(fields=["product", "certificate"])]

    def __str__(self) -> str:
        return f"{self.certificate_id} -> {self.product_id}"


class ReviewAction(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    EVIDENCE_ADDED = "evidence_added", _("Evidence added")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("the review log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("the review log is append-only")


class CertificateReviewEntry(models.Model):
    """One step in a certificate's life. Entries are only ever added, never changed or removed."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="review_entries")
    action = models.CharField(max_length=20, choices=ReviewAction.choices)
    from_status = models.CharField(max_length=20, choices=CertificateStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=CertificateStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = _("certificate review entries")

    def __str__(self) -> str:
        return f"{self.certificate_id}: {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("the review log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("the review log is append-only")


class EvidenceStorage(FileSystemStorage):
    """Evidence is private: kept in ``EVIDENCE_ROOT`` outside MEDIA_ROOT, with no public URL; only the
    API serves it. The location is read from settings on use, so tests can point it elsewhere."""

    @property
    def base_location(self) -> str:
        return str(settings.EVIDENCE_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("evidence files have no public URL; the API serves them")


def evidence_storage() -> Storage:
    return EvidenceStorage()


def evidence_path(instance: EvidenceFile, filename: str) -> str:
    extension = {
        "application/pdf": "pdf",
        "image/png": "png",
        "image/jpeg": "jpg",
        "image/webp": "webp",
    }.get(instance.content_type, "bin")
    return f"{instance.certificate_id}/{uuid.uuid4().hex}.{extension}"


class EvidenceFile(models.Model):
    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="evidence_files")
    file = models.FileField(upload_to=evidence_path, storage=evidence_storage, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class NoticeKind(models.TextChoices):
    EXPIRING_SOON = "expiring_soon", _("Expires within 30 days")
    EXPIRED = "expired", _("Expired")


class CertificateNotice(models.Model):
    """A notice on the merchant's dashboard about one of their certificates (written by the daily task)."""

    merchant = models.ForeignKey(
        "merchants.Merchant", on_delete=models.CASCADE, related_name="certificate_notices"
    )
    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    valid_until = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One notice of a kind per validity end: the daily task may run twice without repeating it.
            models.UniqueConstraint(
                fields=["certificate", "kind", "valid_until"], name="certificate_notice_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id}: {self.kind}"


class VenueListing(models.Model):
    """One row per (product, certificate) that makes the product green certified, apart from the dates.

    A denormalised read model of the venue, kept exact in the same transaction as every write that can
    change it (``green_venue.listing``, called from the services and model signals): the certificate is
    verified, its scheme active and applying to the product's category, its grade qualifying (or none),
    the product and its shop active. The in-date check (``valid_from <= today <= valid_until`` in
    ``TIME_ZONE``) is applied at query time, so expiry needs no write. Price, category and creation time
    are copied from the product for filtering, faceting and ordering without joins, and so is its text
    for searching.
    """

    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="+")
    scheme = models.ForeignKey(CertificationScheme, on_delete=models.CASCADE, related_name="+")
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("catalog.Category", on_delete=models.CASCADE, related_name="+")
    top_category = models.ForeignKey("catalog.Category", on_delete=models.CASCADE, related_name="+")
    price = MoneyAmountField()
    created_at = models.DateTimeField()
    valid_from = models.DateField()
    valid_until = models.DateField()
    # What ``search=`` matches: the product's names and descriptions in both languages, upper-cased by
    # the database when the row is written, so a search compares no per-row UPPER(...) and, on
    # PostgreSQL, a trigram index (migration 0004) answers terms of three characters or more.
    search_text = models.TextField(default="")
    # How many listing rows the product has: a product with one row needs no de-duplication when the
    # facets count products, which spares the facet queries a sort or hash over every row.
    product_rows = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "certificate"], name="venue_listing_unique")
        ]
        indexes = [
            models.Index(
                fields=["scheme", "top_category", "-created_at", "-product"], name="venue_listing_scheme_top"
            ),
            models.Index(fields=["top_category", "-created_at", "-product"], name="venue_listing_top"),
            models.Index(fields=["-created_at", "-product"], name="venue_listing_newest"),
            # The few rows the facets de-duplicate, found without scanning the table.
            models.Index(fields=["product"], condition=Q(product_rows__gt=1), name="venue_listing_multi"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} <- {self.certificate_id}"


# Footprints in kg CO2e to four places, as the carbon app stores them.
FOOTPRINT_DIGITS = 14
FOOTPRINT_PLACES = 4


class VenueFootprint(models.Model):
    """A product's estimated footprint per unit, as the venue filters, orders and shows it.

    A read model written by the carbon app through ``services.venue_footprints_publish`` whenever it
    refreshes its estimates: the venue sits below carbon and never reads carbon's tables, and the push
    bumps the venue cache so a changed estimate shows at once."""

    product = models.OneToOneField(
        "catalog.Product", on_delete=models.CASCADE, related_name="venue_footprint"
    )
    factor_set_version = models.CharField(max_length=50)
    kgco2e = models.DecimalField(max_digits=FOOTPRINT_DIGITS, decimal_places=FOOTPRINT_PLACES)
    tier = models.CharField(max_length=10, help_text=_("declared, category or spend"))
    grade = models.CharField(max_length=1, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["kgco2e"], name="venue_footprint_kg")]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.kgco2e} kgCO2e ({self.grade})"
