"""Demo data for ``manage.py load_demo_data``: a believable marketplace, the same on every run.

Each part of the demo is a *step*: a function ``step(ctx: DemoContext) -> None`` that creates what is
missing and nothing else (idempotent), records its counts with ``ctx.count`` and draws randomness only
from ``ctx.rng("<its own name>")``. A feature adds its part (certificates, vouchers, orders ...) by
writing such a function in its own app (e.g. ``green_venue/demo.py``) and appending its dotted path to
``DEMO_STEPS`` below; the command only runs the steps in order, in one transaction.

``--scale`` (PostgreSQL only) then adds bulk products, runs ``SCALE_STEPS`` (the same kind of function,
for bulk data of a feature, e.g. certifying a share of the scale products; each commits its own
batches) and finally the bulk orders.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.module_loading import import_string

from marketplace.core.demo.context import (
    DEMO_PASSWORD,
    STAFF_USERNAME,
    DemoContext,
)
from marketplace.core.demo.people import merchant_username, shopper_username

DEMO_STEPS: list[str] = [
    "marketplace.core.demo.reference.load_reference_data",
    "marketplace.core.demo.people.load_people",
    "marketplace.core.demo.catalog.load_products",
    "green_venue.demo.load_certificates",
    "marketplace.core.demo.campaign.load_voucher_campaign",
    "marketplace.core.demo.past_orders.load_past_orders",
    "carbon.demo.load_carbon_labels",
    "marketplace.core.demo.alliance_members.load_alliance",
]

SCALE_STEPS: list[str] = [
    "green_venue.demo.certify_scale_products_step",
]


def run_demo(ctx: DemoContext, steps: list[str] | None = None) -> DemoContext:
    """Run every step in order, all or nothing."""
    with transaction.atomic():
        for path in DEMO_STEPS if steps is None else steps:
            import_string(path)(ctx)
    return ctx


def demo_credentials() -> list[tuple[str, str, str]]:
    """(role, username, password) of the accounts a demo visitor signs in with."""
    return [
        ("staff", STAFF_USERNAME, DEMO_PASSWORD),
        ("shopper", shopper_username(0), DEMO_PASSWORD),
        ("merchant", merchant_username(0), DEMO_PASSWORD),
    ]


def run_scale_steps(ctx: DemoContext, steps: list[str] | None = None) -> DemoContext:
    for path in SCALE_STEPS if steps is None else steps:
        import_string(path)(ctx)
    return ctx


__all__ = ["DEMO_STEPS", "SCALE_STEPS", "DemoContext", "demo_credentials", "run_demo", "run_scale_steps"]
