"""Load the certification schemes of ``data/schemes.json`` (idempotent: run again, nothing duplicates).

Used by the data migration (with historical models) and by tests; categories are stored by slug, so
the load does not depend on the catalog's categories being there.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SCHEMES_FILE = Path(__file__).resolve().parent / "data" / "schemes.json"

SCHEME_FIELDS = (
    "name_en",
    "name_zh",
    "issuer_en",
    "issuer_zh",
    "authority_type",
    "subject_level",
    "number_pattern",
    "number_example",
    "number_pattern_note",
    "registry_url",
    "default_validity_days",
    "description_en",
    "description_zh",
)


def scheme_seed_data() -> list[dict[str, Any]]:
    with SCHEMES_FILE.open(encoding="utf-8") as handle:
        schemes: list[dict[str, Any]] = json.load(handle)["schemes"]
    return schemes


def load_schemes(apps: Any) -> int:
    """Create or update the seeded schemes with their claims, category scopes and grades."""
    scheme_model = apps.get_model("green_venue", "CertificationScheme")
    claim_model = apps.get_model("green_venue", "SchemeClaim")
    category_model = apps.get_model("green_venue", "SchemeCategory")
    grade_model = apps.get_model("green_venue", "SchemeGrade")
    schemes = scheme_seed_data()
    for position, data in enumerate(schemes):
        defaults = {
            field: data.get(field) or ("" if field != "default_validity_days" else None)
            for field in SCHEME_FIELDS
        }
        defaults["position"] = position
        scheme, _ = scheme_model.objects.update_or_create(code=data["code"], defaults=defaults)
        for claim in data["claims"]:
            claim_model.objects.get_or_create(scheme=scheme, claim=claim)
        for slug in data["categories"]:
            category_model.objects.get_or_create(scheme=scheme, category_slug=slug)
        for grade_position, grade in enumerate(data["grades"]):
            grade_model.objects.update_or_create(
                scheme=scheme,
                code=grade["code"],
                defaults={
                    "name_en": grade["name_en"],
                    "name_zh": grade.get("name_zh", ""),
                    "qualifies": grade["qualifies"],
                    "position": grade_position,
                },
            )
    return len(schemes)
