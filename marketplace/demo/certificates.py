"""Demo certificates: verified certificates for a third of the products, deterministic and idempotent.

``load_certificates`` is a demo step (``marketplace.demo``); ``certify_scale_products`` does the
same for the ``--scale`` products in bulk. Each product picked gets a certificate of a scheme that
applies to its category (graded schemes get a qualifying grade), so it is green certified; numbers are
generated in each scheme's format.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Callable

from django.db import transaction
from django.db.models import Q

from green_venue.cache import venue_bump
from green_venue.listing import listing_sync_products
from green_venue.models import (
    Certificate,
    CertificateProduct,
    CertificateReviewEntry,
    CertificateStatus,
    CertificationScheme,
    ReviewAction,
    SchemeGrade,
)
from green_venue.selectors import marketplace_today
from green_venue.services import normalise_number
from marketplace.accounts.models import User
from marketplace.catalog.models import Product
from marketplace.demo.context import STAFF_USERNAME

# A number in each seeded scheme's format, from a serial.
NUMBER_FORMATS: dict[str, Callable[[int], str]] = {
    "china-green-product": lambda n: f"CQC25GP{n:07d}",
    "china-environmental-labelling": lambda n: f"CEC2025ELP{n:07d}",
    "china-energy-label": lambda n: f"2025{n:012d}",
    "china-water-efficiency-label": lambda n: f"SX2025{n:09d}",
    "china-organic-product": lambda n: f"001OP25{n:06d}",
    "eu-ecolabel": lambda n: f"DE/020/{n:05d}",
    "energy-star": lambda n: f"{1_000_000 + n:07d}",
    "fsc": lambda n: f"FSC-C{n:06d}",
    "gots": lambda n: f"CU {n:06d}",
    "cradle-to-cradle": lambda n: f"C2C-{n:06d}",
    "blue-angel": lambda n: f"{n:06d}",
    "nordic-swan": lambda n: f"{3000 + n // 10_000} {n % 10_000:04d}",
}
DEMO_SERIAL_BASE = 500_000  # far from numbers a tester types by hand


def _scheme_index() -> tuple[dict[str, list[CertificationScheme]], dict[int, SchemeGrade | None]]:
    """Schemes by category slug, and the best qualifying grade of each graded scheme."""
    by_slug: dict[str, list[CertificationScheme]] = defaultdict(list)
    schemes = list(
        CertificationScheme.objects.filter(active=True).prefetch_related("category_scopes", "grades")
    )
    grades: dict[int, SchemeGrade | None] = {}
    for scheme in schemes:
        if scheme.code not in NUMBER_FORMATS:
            continue
        for scope in scheme.category_scopes.all():
            by_slug[scope.category_slug].append(scheme)
        qualifying = [g for g in scheme.grades.all() if g.qualifies]
        grades[scheme.pk] = qualifying[0] if qualifying else None
    return by_slug, grades


def certify_products(condition: Q, *, fraction: float = 1 / 3, actor_id: int | None = None) -> int:
    """Certify ``fraction`` of the products matching ``condition`` (deterministically spread, among
    those some scheme applies to); one certificate per (merchant, scheme) covering its picked products.
    Products already linked to a certificate count as picked, so a second run adds nothing. Returns the
    number of certificates created."""
    by_slug, grades = _scheme_index()
    rows = list(
        Product.objects.filter(condition)
        .order_by("pk")
        .values_list("pk", "merchant_id", "merchant__owner_id", "category__slug", "category__parent__slug")
    )
    linked = set(CertificateProduct.objects.values_list("product_id", flat=True))
    eligible = [row for row in rows if by_slug.get(row[3]) or by_slug.get(row[4] or "")]
    wanted = round(len(rows) * fraction) - sum(1 for row in rows if row[0] in linked)
    to_pick = [row for row in eligible if row[0] not in linked]
    if wanted <= 0 or not to_pick:
        return 0
    step = len(to_pick) / min(wanted, len(to_pick))
    picked = [to_pick[int(i * step)] for i in range(min(wanted, len(to_pick)))]

    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    schemes_by_pk: dict[int, CertificationScheme] = {}
    owners: dict[int, int] = {}
    for pk, merchant_id, owner_id, slug, parent_slug in picked:
        candidates = by_slug.get(slug, []) + by_slug.get(parent_slug or "", [])
        scheme = candidates[pk % len(candidates)]
        schemes_by_pk[scheme.pk] = scheme
        owners[merchant_id] = owner_id
        groups[(merchant_id, scheme.pk)].append(pk)

    today = marketplace_today()
    used = {
        (scheme_id, number)
        for scheme_id, number in Certificate.objects.filter(
            status__in=[CertificateStatus.SUBMITTED, CertificateStatus.VERIFIED]
        ).values_list("scheme_id", "number")
    }
    serial = DEMO_SERIAL_BASE + Certificate.objects.count()
    created = 0
    batch = sorted(groups.items())
    for start in range(0, len(batch), 500):
        with transaction.atomic():
            certificates: list[Certificate] = []
            members: list[list[int]] = []
            for (merchant_id, scheme_id), product_ids in batch[start : start + 500]:
                scheme = schemes_by_pk[scheme_id]
                while True:
                    serial += 1
                    number = normalise_number(NUMBER_FORMATS[scheme.code](serial % 1_000_000))
                    if (scheme_id, number) not in used:
                        break
                used.add((scheme_id, number))
                assert re.fullmatch(scheme.number_pattern, number), (scheme.code, number)
                certificates.append(
                    Certificate(
                        merchant_id=merchant_id,
                        scheme=scheme,
                        number=number,
                        holder=f"Demo holder {merchant_id}",
                        grade=grades.get(scheme_id),
                        valid_from=today - datetime.timedelta(days=120 + serial % 200),
                        valid_until=today + datetime.timedelta(days=60 + serial % 700),
                        status=CertificateStatus.VERIFIED,
                        submitted_by_id=owners[merchant_id],
                    )
                )
                members.append(product_ids)
            Certificate.objects.bulk_create(certificates)
            CertificateProduct.objects.bulk_create(
                [
                    CertificateProduct(certificate=certificate, product_id=pid)
                    for certificate, product_ids in zip(certificates, members, strict=True)
                    for pid in product_ids
                ]
            )
            CertificateReviewEntry.objects.bulk_create(
                [
                    CertificateReviewEntry(
                        certificate=certificate,
                        action=action,
                        from_status=from_status,
                        to_status=to_status,
                        actor_id=actor,
                    )
                    for certificate in certificates
                    for action, from_status, to_status, actor in (
                        (
                            ReviewAction.SUBMITTED,
                            "",
                            CertificateStatus.SUBMITTED,
                            certificate.submitted_by_id,
                        ),
                        (
                            ReviewAction.VERIFIED,
                            CertificateStatus.SUBMITTED,
                            CertificateStatus.VERIFIED,
                            actor_id,
                        ),
                    )
                ]
            )
            # bulk_create sends no signals: keep the venue listing exact in the same transaction.
            listing_sync_products(product_ids=[pid for product_ids in members for pid in product_ids])
            created += len(certificates)
    venue_bump()  # bulk_create sends no signals
    return created


def load_certificates(ctx: object) -> None:
    """Demo step: certify a third of the hand-made demo's products."""
    staff_id = User.objects.filter(username=STAFF_USERNAME).values_list("pk", flat=True).first()
    created = certify_products(~Q(merchant__owner__username__startswith="scale_"), actor_id=staff_id)
    count = getattr(ctx, "count", None)
    if callable(count):
        count("certificates", created)


def certify_scale_products(*, fraction: float = 1 / 3) -> int:
    """Certify a third of the ``--scale`` products (shops of ``scale_m*`` owners)."""
    return certify_products(Q(merchant__owner__username__startswith="scale_m"), fraction=fraction)


def certify_scale_products_step(ctx: object) -> None:
    """Scale step: certify a third of the ``--scale`` products (the venue benchmark's data)."""
    certify_scale_products()
