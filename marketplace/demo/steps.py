"""The demo's steps, in order, and how they run (the package docstring says what a step is)."""

from __future__ import annotations

from django.db import transaction
from django.utils.module_loading import import_string

from marketplace.demo.context import (
    DEMO_PASSWORD,
    STAFF_USERNAME,
    DemoContext,
)
from marketplace.demo.people import merchant_username, shopper_username

DEMO_STEPS: list[str] = [
    "marketplace.demo.reference.load_reference_data",
    "marketplace.demo.people.load_people",
    "marketplace.demo.catalog.load_products",
    "marketplace.demo.certificates.load_certificates",
    "marketplace.demo.campaign.load_voucher_campaign",
    "marketplace.demo.past_orders.load_past_orders",
    "marketplace.demo.carbon_labels.load_carbon_labels",
    "marketplace.demo.alliance_members.load_alliance",
]

SCALE_STEPS: list[str] = [
    "marketplace.demo.certificates.certify_scale_products_step",
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
