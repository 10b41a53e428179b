"""Venue listing benchmark: gunicorn + wrk on this machine, side by side with a plain view.

    .venv/bin/python benchmarks/venue_bench.py [--duration 10] [--connections 16] [--products 100000]

Needs PostgreSQL (``BENCH_DATABASE_URL``, default postgres://postgres@127.0.0.1:5432/gm_venue_bench,
created and migrated if missing), Redis for the cache (``BENCH_REDIS_URL``, default
redis://127.0.0.1:6379/5, flushed at the start) and ``wrk`` on PATH. It loads the ``--scale`` demo
data (``load_demo_data --scale --products N --orders 0``, idempotent), certifies a third of the
products (``marketplace.demo.certificates.certify_scale_products``), then starts gunicorn
(``gunicorn.conf.py``,
``WEB_CONCURRENCY`` workers, default 4) and runs wrk for ``--duration`` seconds with ``--connections``
clients (``--timeout 10s``, so slow answers count in the latency instead of being dropped) against: a
plain Django view, and the venue listing API filtered by the scheme and top category
with the most certified products, first and tenth page; the unfiltered listing; and ``search=`` in
English (``bamboo``) and Chinese (a two-character word, ``竹制``, which no trigram index can serve). It
does so twice: with the venue cache (the default) and with ``VENUE_CACHE_SECONDS=0`` (every request
computes the page and the facets; ``--uncached-only`` runs just this pass). Finally it
checks exact invalidation over HTTP: it revokes the certificate of a product on the first page through
the service and asserts that the very next request no longer lists it (then restores the row).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

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
    requests: int
    errors: int
    timeouts: int = 0  # requests without an answer within wrk's --timeout (not in the latency figures)
    load: float = 0.0  # 1-minute load average at the end of the run (other work on the machine shows)


def base_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "benchmarks.venue_bench_settings",
            "PYTHONPATH": str(ROOT),
            "DEBUG": "0",
            "SECRET_KEY": "benchmark-only-secret-key-not-for-production-0123456789",
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": os.environ.get(
                "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gm_venue_bench"
            ),
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"),
            "CELERY_TASK_ALWAYS_EAGER": "1",
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


def prepare(env: dict[str, str], products: int) -> tuple[str, str]:
    """Load and certify the data; return the (scheme code, top category slug) with most certified products."""
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [PYTHON, "manage.py", "load_demo_data", "--scale", "--products", str(products), "--orders", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    code = (
        "import django, json; django.setup()\n"
        "from django.db import connection\n"
        "from django.db.models import Count\n"
        "from marketplace.demo.certificates import certify_scale_products\n"
        "from green_venue.selectors import green_certified_q\n"
        "from marketplace.catalog.models import Product\n"
        "certify_scale_products()\n"
        "connection.cursor().execute('ANALYZE')\n"
        "green = Product.objects.filter(green_certified_q())\n"
        "row = (green.filter(certificate_links__certificate__status='verified')\n"
        "       .values('certificate_links__certificate__scheme__code', 'category__parent__slug')\n"
        "       .annotate(n=Count('pk', distinct=True)).order_by('-n').first())\n"
        "print(json.dumps({'scheme': row['certificate_links__certificate__scheme__code'],\n"
        "                  'category': row['category__parent__slug'], 'pair': row['n'],\n"
        "                  'green': green.count(), 'products': Product.objects.count()}))\n"
    )
    output = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    info = json.loads(output.strip().splitlines()[-1])
    print(
        f"data: {info['products']} products, {info['green']} green certified; "
        f"benchmark filter scheme={info['scheme']} category={info['category']} ({info['pair']} products)"
    )
    return info["scheme"], info["category"]


def get_json(url: str) -> dict:
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError(url)
    with urllib.request.urlopen(url, timeout=60) as answer:  # noqa: S310 (a local http URL, checked above)
        return json.load(answer)


def wait_ready(port: int) -> None:
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/plain/", timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, *, duration: int, connections: int, name: str) -> Run:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    total = re.search(r"(\d+) requests in", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    timeouts = re.search(r"timeout (\d+)", output)
    if not (rps and p99 and total):
        raise RuntimeError(output)
    return Run(
        name,
        float(rps.group(1)),
        _ms(p99.group(1), p99.group(2)),
        int(total.group(1)),
        int(errors.group(1)) if errors else 0,
        int(timeouts.group(1)) if timeouts else 0,
        os.getloadavg()[0],
    )


def measure(env: dict[str, str], *, label: str, urls: dict[str, str], args: argparse.Namespace) -> list[Run]:
    port = free_port()
    server = subprocess.Popen(
        [GUNICORN, "-c", str(ROOT / "gunicorn.conf.py"), "marketplace.wsgi:application"],
        cwd=ROOT,
        env=dict(env, GUNICORN_BIND=f"127.0.0.1:{port}"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_ready(port)
        base = f"http://127.0.0.1:{port}"
        runs = []
        for name, path in urls.items():
            if path != "/bench/plain/":
                get_json(base + path)  # warm up
            runs.append(
                wrk(base + path, duration=args.duration, connections=args.connections, name=f"{name} {label}")
            )
        if label == "(cached)":
            print(check_invalidation(env, base, urls["venue page 1"]))
        return runs
    finally:
        server.terminate()
        server.wait(timeout=30)


def check_invalidation(env: dict[str, str], base: str, path: str) -> str:
    """Revoke the certificate of the first listed product; the very next request must not list it."""
    first = get_json(base + path)["results"][0]["id"]
    code = (
        "import django, sys; django.setup()\n"
        "from green_venue.models import Certificate\n"
        "from green_venue.services import certificate_revoke\n"
        "from marketplace.accounts.models import User\n"
        "staff, _ = User.objects.get_or_create(username='venue_bench_staff', defaults={'is_staff': True})\n"
        f"ids = [c.pk for c in Certificate.objects.filter(products={first}, status='verified')]\n"
        "for pk in ids:\n"
        "    certificate_revoke(certificate=Certificate.objects.get(pk=pk), user=staff, reason='benchmark')\n"
        "print(','.join(map(str, ids)))\n"
    )
    revoked = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    still_listed = first in [item["id"] for item in get_json(base + path)["results"]]
    restore = (
        "import django; django.setup()\n"
        "from django.db import transaction\n"
        "from green_venue.cache import venue_bump\n"
        "from green_venue.listing import listing_sync_certificate\n"
        "from green_venue.models import Certificate\n"
        # Benchmark-only restore (no review entry), so every run measures the same data.
        "with transaction.atomic():\n"
        f"    Certificate.objects.filter(pk__in=[{revoked}]).update(status='verified')\n"
        f"    for pk in [{revoked}]:\n"
        "        listing_sync_certificate(certificate_id=pk)\n"
        "venue_bump()\n"
    )
    subprocess.run([PYTHON, "-c", restore], cwd=ROOT, env=env, check=True)
    verdict = "FAILED: still listed" if still_listed else "OK: gone on the very next request"
    return f"invalidation: revoked certificate(s) {revoked} of product {first} -> {verdict}"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--uncached-only", action="store_true", help="Skip the pass with the venue cache.")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not on PATH", file=sys.stderr)
        return 2

    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    env = base_env()
    os.environ.update(env)
    ensure_database(env["DATABASE_URL"])
    import redis

    redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    scheme, category = prepare(env, args.products)
    listing = f"/api/v1/venue/products/?scheme={scheme}&category={category}"
    venue = "/api/v1/venue/products/"
    urls = {
        "plain Django view": "/bench/plain/",
        "venue page 1": listing,
        "venue page 10": f"{listing}&page=10",
        "venue unfiltered": venue,
        "venue search=bamboo": f"{venue}?search=bamboo",
        "venue search=竹制": f"{venue}?search={quote('竹制')}",
    }

    results = [] if args.uncached_only else measure(env, label="(cached)", urls=urls, args=args)
    results += measure(dict(env, VENUE_CACHE_SECONDS="0"), label="(no cache)", urls=urls, args=args)

    print(
        f"\n{args.connections} clients, {args.duration} s per endpoint, "
        f"WEB_CONCURRENCY={os.environ.get('WEB_CONCURRENCY', '4')}"
    )
    header = f"{'endpoint':34} {'req/s':>9} {'p99 ms':>8} {'requests':>9} {'non-2xx':>8} {'timeouts':>8}"
    print(f"{header} {'load1':>6}")
    for run in results:
        print(
            f"{run.name:34} {run.rps:9.0f} {run.p99_ms:8.1f} {run.requests:9d} {run.errors:8d}"
            f" {run.timeouts:8d} {run.load:6.2f}"
        )
    print(f"CPUs: {os.cpu_count()}; load average now: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    passes = ["no cache"] if args.uncached_only else ["cached", "no cache"]
    for index, label in enumerate(passes):
        plain, *pages = results[index * len(urls) : (index + 1) * len(urls)]
        for page in pages:
            ratio = page.rps / plain.rps
            clean = page.errors == 0 and page.timeouts == 0
            verdict = "PASS" if ratio >= 0.3 and page.p99_ms < 100 and clean else "FAIL"
            print(
                f"  [{label}] {page.name}: {ratio:.2f} x plain (target >= 0.3), p99 {page.p99_ms:.1f} ms "
                f"(target < 100) -> {verdict}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
