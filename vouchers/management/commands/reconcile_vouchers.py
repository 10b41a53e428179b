from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vouchers.reconcile import reconcile


class Command(BaseCommand):
    help = (
        "Compare the budget ledger, the vouchers, the allocation counters and the claims Redis counters; "
        "print every difference and exit non-zero when there is one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--drain", action="store_true", help="Persist the claims journal first (redis backend)."
        )
        parser.add_argument("--no-redis", action="store_true", help="Do not read the claims Redis.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["drain"]:
            from vouchers.services import voucher_journal_drain

            voucher_journal_drain()
        problems = reconcile(check_fast_counters=False if options["no_redis"] else None)
        for line in problems:
            self.stdout.write(line)
        if problems:
            raise CommandError(f"{len(problems)} difference(s) found")
        self.stdout.write(self.style.SUCCESS("ledger, vouchers, budget buckets and counters agree"))
