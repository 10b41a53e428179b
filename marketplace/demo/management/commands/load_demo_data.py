"""``manage.py load_demo_data``: the demo marketplace; ``--scale`` adds bulk data on PostgreSQL."""

from __future__ import annotations

import argparse
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from marketplace.demo.scale import DEFAULT_SCALE_ORDERS, DEFAULT_SCALE_PRODUCTS, ensure_scale_products
from marketplace.demo.scale_orders import ScaleOrdersUnavailable, ensure_scale_orders
from marketplace.demo.steps import DemoContext, demo_credentials, run_demo, run_scale_steps


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from exc
    if number < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return number


class Command(BaseCommand):
    help = (
        "Load a believable demo marketplace: cities, categories, 40 shops, about 640 products, 20 shoppers "
        "and a staff account. Idempotent: running it again creates nothing new. With --scale (PostgreSQL "
        f"only) also {DEFAULT_SCALE_PRODUCTS:,} products in their own shops and {DEFAULT_SCALE_ORDERS:,} "
        "orders, in batches of DEMO_BATCH_SIZE."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", action="store_true", help="Add bulk data for load tests (PostgreSQL only)."
        )
        parser.add_argument(
            "--products",
            type=_count,
            default=None,
            help=f"Scale products to have (default {DEFAULT_SCALE_PRODUCTS:,}); with --scale.",
        )
        parser.add_argument(
            "--orders",
            type=_count,
            default=None,
            help=f"Scale orders to have (default {DEFAULT_SCALE_ORDERS:,}); with --scale.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale: bool = options["scale"]
        if not scale and (options["products"] is not None or options["orders"] is not None):
            raise CommandError("--products and --orders size the --scale data; add --scale.")
        if scale and connection.vendor != "postgresql":
            raise CommandError(
                "--scale needs PostgreSQL (it writes hundreds of thousands of rows with COPY); "
                f"this database is {connection.vendor}. Set DATABASE_URL=postgres://... and run migrate."
            )
        started = time.monotonic()
        ctx = DemoContext(out=self.stdout, err=self.stderr, batch_size=settings.DEMO_BATCH_SIZE)
        # Progress lines end themselves; Django's wrapper would add a newline to each "\r" update.
        self.stderr.ending = ""
        try:
            run_demo(ctx)
            if scale:
                products = DEFAULT_SCALE_PRODUCTS if options["products"] is None else options["products"]
                orders = DEFAULT_SCALE_ORDERS if options["orders"] is None else options["orders"]
                ensure_scale_products(ctx, total=products)
                run_scale_steps(ctx)
                if orders:
                    try:
                        ensure_scale_orders(ctx, total=orders)
                    except ScaleOrdersUnavailable as exc:
                        raise CommandError(f"Scale orders not loaded: {exc}") from exc
        finally:
            self.stderr.ending = "\n"

        created = ", ".join(f"{rows} {name}" for name, rows in ctx.created.items() if rows) or "nothing new"
        ctx.say(f"Demo data ready in {time.monotonic() - started:.1f} s. Created: {created}.")
        ctx.say("")
        ctx.say("Demo accounts (DEMO ONLY - never use this password anywhere else):")
        for role, username, password in demo_credentials():
            ctx.say(f"  {role:<9} username {username:<16} password {password}")
