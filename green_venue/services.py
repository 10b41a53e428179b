"""Writes of the certification domain: submit, evidence, review, expiry.

Every status change takes the certificate's row lock, re-checks the status and appends one entry to the
review log in the same transaction.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from green_venue.cache import venue_bump
from green_venue.models import (
    LIVE_STATUSES,
    Certificate,
    CertificateNotice,
    CertificateProduct,
    CertificateReviewEntry,
    CertificateStatus,
    CertificationScheme,
    EvidenceFile,
    NoticeKind,
    ReviewAction,
    VenueFootprint,
)
from green_venue.selectors import marketplace_today
from marketplace.core.errors import DomainError, Forbidden, InvalidInput, InvalidTransition

# Magic bytes of the evidence types we accept; the client's Content-Type is never trusted.
EVIDENCE_SIGNATURES: tuple[tuple[str, bytes, int], ...] = (
    ("application/pdf", b"%PDF-", 0),
    ("image/png", b"\x89PNG\r\n\x1a\n", 0),
    ("image/jpeg", b"\xff\xd8\xff", 0),
)
MAX_PRODUCTS_PER_CERTIFICATE = 200
MAX_REASON_LENGTH = 2000


class DuplicateCertificate(DomainError):
    code = "duplicate_certificate"
    default_detail = "This certificate number is already submitted or verified for this scheme."


def normalise_number(number: str) -> str:
    """Trim, collapse inner whitespace and upper-case, so the same number is always stored alike."""
    return " ".join(number.split()).upper()


def sniff_evidence_type(head: bytes) -> str | None:
    """The content type named by the file's first bytes, or None if it is not PDF, PNG, JPEG or WebP."""
    for content_type, signature, offset in EVIDENCE_SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            return content_type
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def _merchant_of(user: Any) -> Any:
    merchant = getattr(user, "merchant", None) if user.is_authenticated else None
    if merchant is None:
        raise DomainError(
            _("Open a shop first: only merchants submit certificates."),
            code="not_a_merchant",
            status_code=403,
        )
    return merchant


def _log(
    *,
    certificate: Certificate,
    action: str,
    from_status: str,
    actor: Any,
    reason: str = "",
) -> CertificateReviewEntry:
    return CertificateReviewEntry.objects.create(
        certificate=certificate,
        action=action,
        from_status=from_status,
        to_status=certificate.status,
        actor=actor,
        reason=reason,
    )


def _check_dates(*, valid_from: datetime.date, valid_until: datetime.date) -> None:
    if valid_until < valid_from:
        raise InvalidInput(_("valid_until must not be before valid_from."), field="valid_until")


@transaction.atomic
def certificate_submit(
    *,
    user: Any,
    scheme: CertificationScheme,
    number: str,
    holder: str,
    valid_from: datetime.date,
    valid_until: datetime.date | None = None,
    grade: str | None = None,
    product_ids: Iterable[int],
) -> Certificate:
    """A merchant submits a certificate covering some of their own products; it waits for staff review."""
    from marketplace.catalog.models import Product

    merchant = _merchant_of(user)
    if not scheme.active:
        raise InvalidInput(_("This scheme no longer accepts certificates."), field="scheme")

    number = normalise_number(number)
    if not number or not re.fullmatch(scheme.number_pattern, number):
        example = f" (e.g. {scheme.number_example})" if scheme.number_example else ""
        raise InvalidInput(
            _("The number does not match the format of %(scheme)s%(example)s.")
            % {"scheme": scheme.name, "example": example},
            field="number",
        )
    holder = holder.strip()
    if not holder:
        raise InvalidInput(_("Name the certificate holder."), field="holder")

    grades = {g.code: g for g in scheme.grades.all()}
    grade_obj = None
    if grades:
        if not grade:
            raise InvalidInput(_("This scheme is graded: give the certificate's grade."), field="grade")
        grade_obj = grades.get(grade.strip().lower()) or grades.get(grade.strip())
        if grade_obj is None:
            raise InvalidInput(
                _("Unknown grade; this scheme's grades are: %(grades)s.") % {"grades": ", ".join(grades)},
                field="grade",
            )
    elif grade:
        raise InvalidInput(_("This scheme has no grades."), field="grade")

    if valid_until is None:
        if not scheme.default_validity_days:
            raise InvalidInput(_("Give the date the certificate is valid until."), field="valid_until")
        valid_until = valid_from + datetime.timedelta(days=scheme.default_validity_days - 1)
    _check_dates(valid_from=valid_from, valid_until=valid_until)

    ids = sorted({int(pk) for pk in product_ids})
    if not ids:
        raise InvalidInput(_("Name at least one product the certificate covers."), field="products")
    if len(ids) > MAX_PRODUCTS_PER_CERTIFICATE:
        raise InvalidInput(
            _("At most %(n)d products per certificate.") % {"n": MAX_PRODUCTS_PER_CERTIFICATE},
            field="products",
        )
    products = list(Product.objects.filter(pk__in=ids).select_related("category", "category__parent"))
    missing = set(ids) - {p.pk for p in products}
    if missing:
        raise InvalidInput(
            _("Unknown products: %(ids)s.") % {"ids": ", ".join(map(str, sorted(missing)))}, field="products"
        )
    if any(p.merchant_id != merchant.pk for p in products):
        raise Forbidden(_("A certificate can only cover products of your own shop."))
    scope = set(scheme.category_scopes.values_list("category_slug", flat=True))
    outside = [
        p
        for p in products
        if p.category.slug not in scope and (p.category.parent is None or p.category.parent.slug not in scope)
    ]
    if outside:
        raise DomainError(
            _("%(scheme)s does not apply to the category of: %(names)s.")
            % {"scheme": scheme.name, "names": ", ".join(p.name for p in outside)},
            code="scheme_not_applicable",
            status_code=400,
        )

    if Certificate.objects.filter(scheme=scheme, number=number, status__in=LIVE_STATUSES).exists():
        raise DuplicateCertificate()
    certificate = Certificate(
        merchant=merchant,
        scheme=scheme,
        number=number,
        holder=holder,
        grade=grade_obj,
        valid_from=valid_from,
        valid_until=valid_until,
        status=CertificateStatus.SUBMITTED,
        submitted_by=user,
    )
    try:
        # The partial unique constraint decides between two merchants submitting the same number at once.
        with transaction.atomic():
            certificate.save()
    except IntegrityError as exc:
        raise DuplicateCertificate() from exc
    CertificateProduct.objects.bulk_create(
        [CertificateProduct(certificate=certificate, product=product) for product in products]
    )
    _log(certificate=certificate, action=ReviewAction.SUBMITTED, from_status="", actor=user)
    return certificate


def certificate_check_owner(*, certificate: Certificate, user: Any) -> None:
    if certificate.merchant.owner_id != user.pk:
        raise Forbidden(_("Only the merchant who submitted the certificate may do this."))


@transaction.atomic
def certificate_add_evidence(*, certificate: Certificate, user: Any, upload: UploadedFile) -> EvidenceFile:
    """Store one evidence file (PDF or image, checked from its bytes) with its sha256."""
    certificate_check_owner(certificate=certificate, user=user)
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.status != CertificateStatus.SUBMITTED:
        raise InvalidTransition(_("Evidence can only be added while the certificate is under review."))
    if upload.size is None or upload.size > settings.EVIDENCE_MAX_BYTES:
        raise InvalidInput(
            _("The file is larger than %(mb)s MB.") % {"mb": evidence_limit_mb()},
            field="file",
            code="file_too_large",
        )
    if upload.size == 0:
        raise InvalidInput(_("The file is empty."), field="file")
    upload.seek(0)
    content_type = sniff_evidence_type(upload.read(16))
    if content_type is None:
        raise InvalidInput(
            _("Evidence must be a PDF or an image (PNG, JPEG or WebP)."),
            field="file",
            code="unsupported_file_type",
        )
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    evidence = EvidenceFile(
        certificate=locked,
        original_name=(upload.name or "evidence")[-255:],
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=user,
    )
    evidence.file.save(evidence.original_name, upload, save=False)
    # Remove the stored file if the rows cannot be written, so no orphan is left behind.
    stored_name = evidence.file.name
    storage = evidence.file.storage
    try:
        evidence.save()
        _log(
            certificate=locked,
            action=ReviewAction.EVIDENCE_ADDED,
            from_status=locked.status,
            actor=user,
            reason=evidence.original_name,
        )
    except Exception:
        storage.delete(stored_name)
        raise
    return evidence


def evidence_limit_mb() -> str:
    return f"{settings.EVIDENCE_MAX_BYTES / (1024 * 1024):g}"


def check_staff(user: Any) -> None:
    if not (user.is_authenticated and user.is_staff):
        raise Forbidden(_("Only staff review certificates."))


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give a reason; the merchant sees it."), field="reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise InvalidInput(_("The reason is too long."), field="reason")
    return reason


def _transition(
    *,
    certificate: Certificate,
    user: Any,
    allowed_from: tuple[str, ...],
    to: str,
    action: str,
    reason: str = "",
) -> Certificate:
    check_staff(user)
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status == to:
            return locked  # Asking for the state it is already in changes nothing.
        if locked.status not in allowed_from:
            raise InvalidTransition(
                _("A certificate that is %(status)s cannot become %(to)s.")
                % {"status": locked.get_status_display(), "to": CertificateStatus(to).label}
            )
        from_status = locked.status
        locked.status = to
        locked.save(update_fields=["status", "updated_at"])
        _log(certificate=locked, action=action, from_status=from_status, actor=user, reason=reason)
    return locked


def certificate_verify(*, certificate: Certificate, user: Any) -> Certificate:
    check_staff(user)
    if certificate.status == CertificateStatus.SUBMITTED:
        if not certificate.evidence_files.exists():
            raise DomainError(
                _("Verify only with evidence: the merchant has uploaded none."), code="no_evidence"
            )
        if certificate.valid_until < marketplace_today():
            raise InvalidTransition(_("The certificate's validity has already ended."))
    return _transition(
        certificate=certificate,
        user=user,
        allowed_from=(CertificateStatus.SUBMITTED,),
        to=CertificateStatus.VERIFIED,
        action=ReviewAction.VERIFIED,
    )


def certificate_reject(*, certificate: Certificate, user: Any, reason: str) -> Certificate:
    check_staff(user)
    return _transition(
        certificate=certificate,
        user=user,
        allowed_from=(CertificateStatus.SUBMITTED,),
        to=CertificateStatus.REJECTED,
        action=ReviewAction.REJECTED,
        reason=_clean_reason(reason),
    )


def certificate_revoke(*, certificate: Certificate, user: Any, reason: str) -> Certificate:
    check_staff(user)
    return _transition(
        certificate=certificate,
        user=user,
        allowed_from=(CertificateStatus.VERIFIED,),
        to=CertificateStatus.REVOKED,
        action=ReviewAction.REVOKED,
        reason=_clean_reason(reason),
    )


def certificates_expire(*, today: datetime.date | None = None) -> int:
    """Mark certificates past ``valid_until`` as expired (idempotent; the venue does not wait for it)."""
    day = today or marketplace_today()
    expired = 0
    candidates = list(
        Certificate.objects.filter(status__in=LIVE_STATUSES, valid_until__lt=day)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in candidates:
        with transaction.atomic():
            certificate = (
                Certificate.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status__in=LIVE_STATUSES, valid_until__lt=day)
                .first()
            )
            if certificate is None:
                continue
            from_status = certificate.status
            certificate.status = CertificateStatus.EXPIRED
            certificate.save(update_fields=["status", "updated_at"])
            _log(
                certificate=certificate,
                action=ReviewAction.EXPIRED,
                from_status=from_status,
                actor=None,
                reason=f"valid until {certificate.valid_until.isoformat()}",
            )
            if from_status == CertificateStatus.VERIFIED:
                CertificateNotice.objects.bulk_create(
                    [
                        CertificateNotice(
                            merchant_id=certificate.merchant_id,
                            certificate=certificate,
                            kind=NoticeKind.EXPIRED,
                            valid_until=certificate.valid_until,
                        )
                    ],
                    ignore_conflicts=True,
                )
            expired += 1
    return expired


def certificates_warn_expiring(*, today: datetime.date | None = None) -> int:
    """Write one "expires soon" notice per verified certificate ending within the warning window."""
    day = today or marketplace_today()
    horizon = day + datetime.timedelta(days=settings.CERTIFICATE_EXPIRY_WARNING_DAYS)
    due = Certificate.objects.filter(
        status=CertificateStatus.VERIFIED, valid_until__gte=day, valid_until__lte=horizon
    ).exclude(
        Exists(
            CertificateNotice.objects.filter(
                certificate=OuterRef("pk"), kind=NoticeKind.EXPIRING_SOON, valid_until=OuterRef("valid_until")
            )
        )
    )
    notices = [
        CertificateNotice(
            merchant_id=c.merchant_id, certificate=c, kind=NoticeKind.EXPIRING_SOON, valid_until=c.valid_until
        )
        for c in due
    ]
    CertificateNotice.objects.bulk_create(notices, ignore_conflicts=True)
    return len(notices)


# --- the venue's read model of footprints, pushed by the carbon app ------------------------------------


@dataclass(frozen=True)
class FootprintForVenue:
    product_id: int
    factor_set_version: str
    kgco2e: Decimal
    tier: str
    grade: str


def venue_footprints_publish(*, footprints: Iterable[FootprintForVenue]) -> int:
    """Store the estimates the venue filters and orders by (insert or replace, per product), and make
    every cached venue answer stale, in the caller's transaction. Returns how many were stored."""
    rows = [
        VenueFootprint(
            product_id=item.product_id,
            factor_set_version=item.factor_set_version,
            kgco2e=item.kgco2e,
            tier=item.tier,
            grade=item.grade,
        )
        for item in footprints
    ]
    if not rows:
        return 0
    VenueFootprint.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["product"],
        update_fields=["factor_set_version", "kgco2e", "tier", "grade"],
    )
    venue_bump()
    return len(rows)
