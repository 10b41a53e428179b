"""Claim throughput benchmark: gunicorn + wrk on this machine, both claim backends.

    .venv/bin/python benchmarks/claim_bench.py [--duration 10] [--connections 16] [--shoppers 2000]
        [--workers 4] [--threads 2] [--backends database,redis] [--warmup 5]

Needs PostgreSQL (``BENCH_DATABASE_URL``, default postgres://postgres@127.0.0.1:5432/gm_bench, created
and migrated if missing), the shared Redis for cache and rate limits (``BENCH_REDIS_URL``, default
redis://127.0.0.1:6379/11, flushed at the start), ``redis-server`` and ``wrk`` on PATH. It starts a
private claims Redis with the production flags (appendonly yes, appendfsync always: every acknowledged
claim is on disk before its 201), then for each backend one gunicorn (``gunicorn.conf.py`` with
``--workers`` and ``--threads``, the same for every endpoint) and, after warming the token cache for
every shopper, runs for ``--duration`` seconds each with ``--connections`` clients, every request with
the next shopper's token (rate limits raised by ``CLAIM_RATE_LIMIT``/``CLAIM_RATE_LIMIT_PER_IP``): a
plain Django view, the real claim endpoint (production URLconf and middleware) and the naive
``select_for_update`` claim (``claim_naive.py``, the same token authentication). Only 201s count for
claims. Prints the load average before each endpoint, req/s, p99 and the ratios against the targets;
then drains the journal and checks the invariants (``reconcile``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Run:
    name: str
    rps: float
    p99_ms: float
    created: int
    ok: int
    total: int
    load: str = ""


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, recorded before each endpoint (2 cores here)."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def base_env(claims_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "benchmarks.claim_bench_settings",
            "PYTHONPATH": str(ROOT),
            "DEBUG": "0",
            "SECRET_KEY": "benchmark-only-secret-key-not-for-production-0123456789",
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": os.environ.get(
                "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gm_bench"
            ),
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11"),
            "VOUCHER_REDIS_URL": claims_url,
            "CELERY_TASK_ALWAYS_EAGER": "1",
            "CLAIM_RATE_LIMIT": "100000000/m",
            "CLAIM_RATE_LIMIT_PER_IP": "100000000/m",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def start_claims_redis(directory: str, appendfsync: str = "always") -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            directory,
            "--appendonly",
            "yes",
            "--appendfsync",
            appendfsync,
            "--save",
            "",
            "--maxmemory-policy",
            "noeviction",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    return process, f"redis://127.0.0.1:{port}/0"


def prepare(shoppers: int, token_file: Path) -> tuple[int, int]:
    """Shoppers with tokens, an active campaign, one allocation for the real claim and one for the naive."""
    import django

    django.setup()
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from marketplace.accounts.models import User
    from vouchers import services

    staff, _ = User.objects.get_or_create(username="bench-staff", defaults={"is_staff": True})
    existing = set(
        User.objects.filter(username__startswith="bench-shopper-").values_list("username", flat=True)
    )
    User.objects.bulk_create(
        [
            User(username=f"bench-shopper-{i}")
            for i in range(shoppers)
            if f"bench-shopper-{i}" not in existing
        ],
        batch_size=1000,
    )
    users = list(User.objects.filter(username__startswith="bench-shopper-").order_by("id")[:shoppers])
    have = set(Token.objects.filter(user__in=users).values_list("user_id", flat=True))
    Token.objects.bulk_create([Token(user=u, key=Token.generate_key()) for u in users if u.pk not in have])
    keys = list(Token.objects.filter(user__in=users).values_list("key", flat=True))
    token_file.write_text("\n".join(keys) + "\n")
    now = timezone.now()
    campaign = services.campaign_create(
        user=staff,
        name="bench",
        total_budget=Decimal("100000000.00"),
        starts_at=now - timedelta(minutes=5),
        ends_at=now + timedelta(days=1),
    )
    services.campaign_transition(campaign_id=campaign.pk, user=staff, action="activate")
    allocations = []
    for name in ("claim", "naive"):
        allocation = services.allocation_create(
            campaign_id=campaign.pk,
            user=staff,
            name=f"bench-{name}",
            budget=Decimal("50000000.00"),
            face_value=Decimal("1.00"),
            min_spend=Decimal("1.00"),
            per_user_limit=30000,
            claim_starts_at=now - timedelta(minutes=5),
            claim_ends_at=now + timedelta(days=1),
            valid_days=7,
            # The real claim gets VOUCHER_BUDGET_BUCKETS budget rows; the naive baseline its one row.
            budget_buckets=None if name == "claim" else 1,
        )
        allocations.append(allocation.pk)
    return allocations[0], allocations[1]


def wait_ready(port: int) -> None:
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/plain/", timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def warm_tokens(url: str, tokens: Path, connections: int) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def get(token: str) -> int:
        request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})  # noqa: S310
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 (http://127.0.0.1 only)
            return int(answer.status)

    started = time.monotonic()
    keys = tokens.read_text().split()
    with ThreadPoolExecutor(max_workers=connections) as pool:
        statuses = list(pool.map(get, keys))
    print(
        f"  token cache warmed for {statuses.count(200)} of {len(keys)} shoppers in "
        f"{time.monotonic() - started:.1f} s",
        flush=True,
    )


def wrk(url: str, *, method: str, tokens: Path, duration: int, connections: int, name: str) -> Run:
    load = load_average()
    print(f"  {name}: load average {load}", flush=True)
    env = dict(os.environ, BENCH_TOKENS=str(tokens), BENCH_METHOD=method)
    script = str(Path(__file__).with_name("claim_wrk.lua"))
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-s", script, url],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    match = re.search(
        r"RESULT created=(\d+) ok=(\d+) total=(\d+) duration_us=(\d+) p50_us=(\d+) p99_us=(\d+)", output
    )
    if not match:
        raise RuntimeError(output)
    created, ok, total, duration_us, _p50, p99 = (int(g) for g in match.groups())
    counted = created if method == "POST" else ok
    return Run(name, counted / (duration_us / 1e6), p99 / 1000, created, ok, total, load)


def warm_claims(env: dict[str, str], allocation_id: int) -> str:
    # Only the real claim's allocation: the naive baseline writes its allocation's ledger behind the
    # claims Redis's back, so a copy of its counter there would disagree with the ledger after the run.
    code = (
        "import django; django.setup()\n"
        "from vouchers.backends.redis.warming import preload_allocations\n"
        "from vouchers.services import voucher_claims_recover_if_needed\n"
        "voucher_claims_recover_if_needed()\n"
        f"loaded = preload_allocations([{allocation_id}])\n"
        "print(f'claims Redis opened and {loaded} allocation(s) loaded')\n"
    )
    return subprocess.run(
        [PYTHON, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def check_invariants(env: dict[str, str]) -> str:
    code = (
        "import django; django.setup()\n"
        "from vouchers import services\n"
        "from vouchers.reconcile import reconcile\n"
        "services.voucher_journal_drain()\n"
        "problems = reconcile()\n"
        "print('invariants: ' + ('OK' if not problems else '; '.join(problems)))\n"
    )
    return subprocess.run(
        [PYTHON, "-c", code], env=env, capture_output=True, text=True, check=False
    ).stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--shoppers", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=5, help="seconds of authenticated warm-up per server")
    parser.add_argument("--backends", default="database,redis", help="claim backends to measure, in order")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (WEB_CONCURRENCY)")
    parser.add_argument(
        "--threads",
        type=int,
        default=2,
        help="gunicorn threads per worker (GUNICORN_THREADS; >1 is the gthread worker): a claim waits "
        "for the claims Redis's fsync, other requests use the CPU meanwhile",
    )
    parser.add_argument(
        "--appendfsync",
        default="always",
        choices=("always", "everysec"),
        help="the claims Redis's AOF fsync policy; 'always' (production) is the only durable one, "
        "'everysec' only shows what the fsync costs",
    )
    args = parser.parse_args()
    for tool in ("wrk", "redis-server"):
        if shutil.which(tool) is None:
            print(f"{tool} is not on PATH", file=sys.stderr)
            return 2

    workdir = tempfile.mkdtemp(prefix="claim-bench-")
    claims_redis, claims_url = start_claims_redis(workdir, args.appendfsync)
    results: dict[str, list[Run]] = {}
    try:
        env = base_env(claims_url)
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        ensure_database(env["DATABASE_URL"])
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        import redis

        tokens = Path(workdir) / "tokens.txt"
        claim_allocation, naive_allocation = prepare(args.shoppers, tokens)
        for backend in args.backends.split(","):
            # Each backend starts from a cold token cache, warmed below by the same pass: a token found
            # in the cache is not looked up again, so the claims Redis would not learn it (vouchers.signals).
            redis.Redis.from_url(env["REDIS_URL"]).flushdb()
            port = free_port()
            server_env = dict(
                env,
                VOUCHER_CLAIM_BACKEND=backend,
                GUNICORN_BIND=f"127.0.0.1:{port}",
                WEB_CONCURRENCY=str(args.workers),
                GUNICORN_THREADS=str(args.threads),
            )
            gunicorn = subprocess.Popen(
                [GUNICORN, "-c", str(ROOT / "gunicorn.conf.py"), "marketplace.wsgi:application"],
                cwd=ROOT,
                env=server_env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                wait_ready(port)
                base = f"http://127.0.0.1:{port}"
                common = {"tokens": tokens, "duration": args.duration, "connections": args.connections}
                # Warm the token cache (TOKEN_CACHE_SECONDS) for every shopper, each token once (wrk's
                # threads overlap in the tokens they use, so a timed wrk warm-up misses some), then every
                # worker, so no endpoint pays for cold caches the others do not.
                warm_tokens(f"{base}/api/v1/vouchers/?page_size=1", tokens, args.connections)
                # What beat does every few seconds before a sale opens (vouchers.journal_drain): the
                # claims Redis opened and the allocation loaded, so the first claims are not a cold start.
                if backend == "redis":
                    print(f"  {warm_claims(server_env, claim_allocation)}", flush=True)
                wrk(
                    f"{base}/api/v1/categories/?page_size=1",
                    method="GET",
                    name="warm-up",
                    tokens=tokens,
                    duration=args.warmup,
                    connections=args.connections,
                )
                results[backend] = [
                    wrk(f"{base}/bench/plain/", method="GET", name="plain Django view", **common),
                    wrk(
                        f"{base}/api/v1/voucher-allocations/{claim_allocation}/claim/",
                        method="POST",
                        name=f"claim ({backend} backend)",
                        **common,
                    ),
                    wrk(
                        f"{base}/bench/naive-claim/{naive_allocation}/",
                        method="POST",
                        name="naive select_for_update claim",
                        **common,
                    ),
                ]
            finally:
                gunicorn.terminate()
                gunicorn.wait(timeout=30)
            print(f"[{backend}] " + check_invariants(dict(server_env)), flush=True)
    finally:
        claims_redis.terminate()
        claims_redis.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)

    print(
        f"\n{args.connections} clients, {args.duration} s per endpoint, {args.shoppers} shoppers, "
        f"gunicorn WEB_CONCURRENCY={args.workers} GUNICORN_THREADS={args.threads} (the same for every "
        f"endpoint), {os.cpu_count()} CPUs, "
        f"claims Redis appendfsync {args.appendfsync}"
    )
    print(f"{'endpoint':36} {'req/s (2xx/201)':>16} {'p99 ms':>8} {'201s':>8} {'requests':>9}  load before")
    for backend, runs in results.items():
        for run in runs:
            print(
                f"{run.name:36} {run.rps:16.0f} {run.p99_ms:8.1f} {run.created:8d} {run.total:9d}  {run.load}"
            )
        plain, claim, naive = runs
        checks = (
            ("claim / plain view", claim.rps / plain.rps, ">= 0.4", claim.rps / plain.rps >= 0.4),
            ("claim / naive", claim.rps / naive.rps, ">= 3", claim.rps / naive.rps >= 3),
            ("claim p99 ms", claim.p99_ms, "< 50", claim.p99_ms < 50),
        )
        scope = "targets" if backend == "redis" else "reported only"
        print(
            f"  [{backend}, {scope}] "
            + "; ".join(
                f"{label} = {value:.2f} (target {target}: {'met' if met else 'MISSED'})"
                for label, value, target, met in checks
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
