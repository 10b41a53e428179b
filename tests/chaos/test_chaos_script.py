"""Smoke test of the chaos script (``benchmarks/chaos.py``) with tiny numbers: it starts its own database,
claims Redis, gunicorn, Celery worker and beat, kills a web worker, the Celery worker and the claims Redis
during the load, and exits 0 only when every invariant of docs/invariants.md it checks holds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]

ROOT = Path(__file__).resolve().parents[2]


def _database_url(name: str) -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def test_the_chaos_script_kills_every_process_in_turn_and_every_invariant_holds():
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("needs a Redis broker (CELERY_BROKER_URL)")
    # Its own database (created and dropped by the script) and this run's own Redis databases.
    database = f"{connection.settings_dict['NAME']}_script"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "chaos.py"),
            *("--duration", "10", "--rate", "20", "--threads", "4", "--buyers", "2"),
            *("--shoppers", "30", "--per-user-limit", "2", "--budget-vouchers", "10", "--stock", "8"),
            *("--web-workers", "2", "--redis-down", "1", "--settle-timeout", "60"),
            *("--database-url", _database_url(database)),
            *("--redis-url", settings.REDIS_URL, "--broker-url", settings.CELERY_BROKER_URL),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # It did what it says: each kill is in the timeline, and each invariant was checked and held.
    for event in ("SIGKILL gunicorn worker", "SIGKILL Celery worker", "SIGKILL claims Redis", "restarted"):
        assert event in result.stdout, output
    assert "claim 201" in result.stdout and "claim 409 budget_exhausted" in result.stdout, output
    for invariant in (
        "1 issued <= budget",
        "2 per-user limit",
        "every acknowledged voucher",
        "3 a voucher",
        "4 ledger",
        "5 stock",
        "6 every paid order",
    ):
        assert f"OK   {invariant}" in result.stdout, output
    assert "RESULT: all invariants hold" in result.stdout
