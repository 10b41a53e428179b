"""Carbon label recomputation benchmark: labels per second with one Celery worker.

    .venv/bin/python benchmarks/carbon_bench.py [--scale 2000[,8000]] [--batch-size 200] [--repeat 3]
                                                [--in-process]

Needs PostgreSQL (``BENCH_DATABASE_URL``, default postgres://postgres@127.0.0.1:5432/gm_carbon_bench,
created and migrated if missing) and, unless ``--in-process``, Redis as the broker (``BENCH_BROKER_URL``,
default redis://127.0.0.1:6379/7, flushed at the start and the end).

For each scale it makes sure exactly that many paid orders exist (two lines each, merchants in 20 cities
with the three last-mile vehicles), then:

1. the I/O floor: reads the same inputs the labeller reads (the same queries, batch by batch) and
   bulk-writes the same number of label rows with constant values (a real label's values, so the rows
   are as large), timed, then removes them;
2. end to end: publishes a new factor set (the staff action) with one worker (``celery worker --pool=solo``)
   running; the time runs from the publication to the last label in the database.

It prints labels per second for both, their ratio (the issue asks for at least 0.5), and the worker's
memory: peak resident set (VmHWM) and its growth over the worker's resident set before the publication,
which must not grow with the number of orders. ``--in-process`` runs the same tasks eagerly in this
process instead (no broker), measuring memory by sampling this process's resident set.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gm_carbon_bench")
BROKER_URL = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/7")
PAGE = 4096


def ensure_database() -> None:
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(in_process: bool) -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    os.environ["CELERY_BROKER_URL"] = "memory://" if in_process else BROKER_URL
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1" if in_process else "0"
    os.environ.pop("REDIS_URL", None)  # local-memory cache: the benchmark measures the database path
    # Production mode: with DEBUG on, Django keeps every query's SQL in memory (up to 9,000 of them).
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-production-0123456789")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def rss_kib(pid: int | str = "self", field: str = "VmRSS") -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


# --- data -----------------------------------------------------------------------------------------


def seed(scale: int) -> int:
    """Exactly ``scale`` paid orders (created in chunks, so seeding memory does not grow with scale)."""
    from django.utils import timezone

    from marketplace.accounts.models import User
    from marketplace.catalog.models import Category, City, Product
    from marketplace.orders.models import Order, OrderLine, OrderStatus, Shipment
    from merchants.models import Merchant

    rng = random.Random(7)
    if not City.objects.filter(slug__startswith="bench-").exists():
        cities = City.objects.bulk_create(
            City(
                slug=f"bench-{i}",
                name_en=f"Bench {i}",
                name_zh=f"城市{i}",
                province_en="P",
                province_zh="省",
                latitude=Decimal(rng.randint(2200, 4500)) / 100,
                longitude=Decimal(rng.randint(10200, 12200)) / 100,
            )
            for i in range(20)
        )
        parents = {}
        for slug in ("home-appliances", "clothing", "food-beverages", "toys"):
            parents[slug] = Category.objects.get_or_create(slug=slug, defaults={"name_en": slug})[0]
        children = [
            Category.objects.get_or_create(
                slug=f"{slug}-bench", defaults={"name_en": slug, "parent": parent}
            )[0]
            for slug, parent in parents.items()
        ] + [Category.objects.get_or_create(slug="unknown-bench", defaults={"name_en": "unknown"})[0]]
        vehicles = ["diesel_van", "electric_van", "cargo_bike"]
        for i in range(20):
            owner = User.objects.create_user(username=f"bench-merchant-{i}", password=None)
            merchant = Merchant.objects.create(
                owner=owner, name=f"Bench shop {i}", city=cities[i], last_mile_vehicle=vehicles[i % 3]
            )
            for j in range(10):
                declared = Decimal(rng.randint(1, 50)) if j % 4 == 0 else None
                Product.objects.create(
                    merchant=merchant,
                    category=children[(i + j) % len(children)],
                    name_en=f"P{i}-{j}",
                    price=Decimal(rng.randint(10, 2000)),
                    stock=10**6,
                    weight_grams=rng.randint(50, 5000),
                    ships_in_own_box=j % 3 == 0,
                    declared_footprint_kg=declared,
                    declared_footprint_document="https://example.com/epd.pdf" if declared else "",
                )
        for i in range(50):
            User.objects.create_user(username=f"bench-shopper-{i}", password=None)

    existing = Order.objects.count()
    if existing > scale:
        extra = list(Order.objects.order_by("-pk").values_list("pk", flat=True)[: existing - scale])
        Order.objects.filter(pk__in=extra).delete()
        return scale
    shoppers = list(User.objects.filter(username__startswith="bench-shopper-"))
    cities = list(City.objects.filter(slug__startswith="bench-"))
    products = list(
        Product.objects.filter(merchant__name__startswith="Bench shop").select_related("merchant")
    )
    by_merchant: dict[int, list[Any]] = {}
    for product in products:
        by_merchant.setdefault(product.merchant_id, []).append(product)
    merchant_ids = sorted(by_merchant)
    packagings = ["standard", "recycled", "reusable", "none"]
    paid_at = timezone.now() - timedelta(days=1)
    remaining = scale - existing
    while remaining > 0:
        chunk = min(1000, remaining)
        picks = [rng.sample(by_merchant[rng.choice(merchant_ids)], 2) for _ in range(chunk)]
        orders = Order.objects.bulk_create(
            Order(
                user=rng.choice(shoppers),
                status=OrderStatus.PAID,
                shipping_city=rng.choice(cities),
                address="1 Bench Road",
                packaging=rng.choice(packagings),
                subtotal=sum(p.price for p in pair),
                discount=0,
                total=sum(p.price for p in pair),
                paid_at=paid_at,
            )
            for pair in picks
        )
        shipments = Shipment.objects.bulk_create(
            Shipment(order=order, merchant=pair[0].merchant, origin_city_id=pair[0].merchant.city_id)
            for order, pair in zip(orders, picks, strict=True)
        )
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                product=product,
                merchant=product.merchant,
                shipment=shipment,
                product_name_en=product.name_en,
                unit_price=product.price,
                quantity=1,
                line_total=product.price,
                weight_grams=product.weight_grams,
                category_id=product.category_id,
            )
            for order, shipment, pair in zip(orders, shipments, picks, strict=True)
            for product in pair
        )
        remaining -= chunk
    return scale


def reset_factor_sets() -> Any:
    """Back to the default set only (earlier runs' sets and labels removed)."""
    from carbon.factor_data import load_factor_set_data
    from carbon.models import CarbonLabel, FactorSet, Recomputation

    version = load_factor_set_data()["version"]
    CarbonLabel.objects.exclude(factor_set__version=version).delete()
    Recomputation.objects.all().delete()
    FactorSet.objects.exclude(version=version).delete()
    FactorSet.objects.filter(version=version).update(is_active=True, superseded_at=None)
    return FactorSet.objects.get(version=version)


# --- measurements ---------------------------------------------------------------------------------


def io_floor(default_set: Any) -> tuple[int, float]:
    """Read the labeller's inputs batch by batch and bulk-write as many constant label rows."""
    from django.conf import settings

    from carbon import services
    from carbon.inputs import factor_table_for_set, orders_for_labels
    from carbon.models import CarbonLabel, FactorSet
    from marketplace.orders.models import Order

    sample = Order.objects.order_by("pk").first()
    assert sample is not None
    template = services._label_row(
        order=orders_for_labels().get(pk=sample.pk),
        factor_set=default_set,
        table=factor_table_for_set(default_set),
    )
    scratch = FactorSet.objects.create(version=f"bench-floor-{time.time_ns()}", sources=[])
    count = 0
    started = time.perf_counter()
    for ids in services._id_batches(Order.objects.filter(paid_at__isnull=False), settings.CARBON_BATCH_SIZE):
        orders = list(orders_for_labels().filter(pk__in=ids))
        factor_table_for_set(default_set)
        rows = [
            CarbonLabel(
                order=order,
                factor_set=scratch,
                **{
                    name: getattr(template, name)
                    for name in (
                        "inputs",
                        "details",
                        "product_kgco2e",
                        "packaging_kgco2e",
                        "transport_kgco2e",
                        "total_kgco2e",
                        "baseline_kgco2e",
                        "saving_kgco2e",
                        "grade",
                        "quality",
                        "uncertainty_low_kgco2e",
                        "uncertainty_high_kgco2e",
                        "engine_version",
                    )
                },
            )
            for order in orders
        ]
        CarbonLabel.objects.bulk_create(rows, ignore_conflicts=True)
        count += len(rows)
    elapsed = time.perf_counter() - started
    CarbonLabel.objects.filter(factor_set=scratch).delete()
    scratch.delete()
    return count, elapsed


def start_worker(batch_size: int, log_path: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CARBON_BATCH_SIZE": str(batch_size),
        "LOG_LEVEL": "WARNING",
    }
    log = log_path.open("wb")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "marketplace",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            "carbon-bench@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # Ready when it has imported Django and connected: ping through the broker.
    from marketplace.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise SystemExit(f"the worker exited; see {log_path}")
        if app.control.ping(timeout=0.5):
            return worker
    raise SystemExit(f"the worker did not start; see {log_path}")


def end_to_end(scale: int, in_process: bool, batch_size: int, log_path: Path) -> tuple[int, float, str]:
    from django.conf import settings

    from carbon import services
    from carbon.factor_data import DEFAULT_FACTOR_SET_FILE
    from carbon.models import CarbonLabel

    settings.CARBON_BATCH_SIZE = batch_size
    new = services.factor_set_create_from_file(
        path=DEFAULT_FACTOR_SET_FILE, version=f"bench-{time.time_ns()}"
    )
    if in_process:
        before = rss_kib()
        peak = [before]
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                peak[0] = max(peak[0], rss_kib())
                time.sleep(0.005)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.perf_counter()
        services.factor_set_publish(factor_set=new)  # eager: every batch runs here, in order
        elapsed = time.perf_counter() - started
        stop.set()
        sampler.join()
        memory = (
            f"process RSS before {before / 1024:.1f} MiB, peak {peak[0] / 1024:.1f} MiB, "
            f"growth {(peak[0] - before) / 1024:.1f} MiB"
        )
        return CarbonLabel.objects.filter(factor_set=new).count(), elapsed, memory

    worker = start_worker(batch_size, log_path)
    try:
        before = rss_kib(worker.pid)
        started = time.perf_counter()
        services.factor_set_publish(factor_set=new)
        total = services.orders_applicable_to(new).count()
        while CarbonLabel.objects.filter(factor_set=new).count() < total:
            if worker.poll() is not None:
                raise SystemExit(f"the worker died; see {log_path}")
            time.sleep(0.02)
        elapsed = time.perf_counter() - started
        hwm = rss_kib(worker.pid, "VmHWM")
        memory = (
            f"worker RSS before {before / 1024:.1f} MiB, peak (VmHWM) {hwm / 1024:.1f} MiB, "
            f"growth {(hwm - before) / 1024:.1f} MiB"
        )
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    return total, elapsed, memory


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", default="2000", help="number of orders; several as 1000,4000")
    parser.add_argument("--batch-size", type=int, default=200, help="orders per task (CARBON_BATCH_SIZE)")
    parser.add_argument("--in-process", action="store_true", help="no broker: run the tasks eagerly here")
    parser.add_argument("--repeat", type=int, default=3, help="rounds per scale (medians are printed)")
    args = parser.parse_args()
    scales = [int(value) for value in args.scale.split(",")]

    ensure_database()
    setup_django(args.in_process)
    if not args.in_process:
        import redis

        redis.Redis.from_url(BROKER_URL).flushdb()
    log_path = Path(tempfile.gettempdir()) / "carbon_bench_worker.log"
    mode = "in-process (eager)" if args.in_process else "one Celery worker (solo pool)"
    print(f"carbon label benchmark: {mode}, batch size {args.batch_size}, database {DATABASE_URL}")
    try:
        for scale in scales:
            seed(scale)
            from django.conf import settings

            settings.CARBON_BATCH_SIZE = args.batch_size
            floor_rates, rates, memories = [], [], []
            # Alternate the two measurements and take medians: the machine may be shared.
            for _ in range(args.repeat):
                default_set = reset_factor_sets()
                floor_count, floor_seconds = io_floor(default_set)
                labels, seconds, memory = end_to_end(scale, args.in_process, args.batch_size, log_path)
                floor_rates.append(floor_count / floor_seconds)
                rates.append(labels / seconds)
                memories.append(memory)
            rate, floor_rate = statistics.median(rates), statistics.median(floor_rates)
            print(
                f"scale {scale} ({args.repeat} rounds, medians): end to end {rate:.0f} labels/s; "
                f"I/O floor {floor_rate:.0f} rows/s; ratio {rate / floor_rate:.2f} (target >= 0.5); "
                f"rounds: {', '.join(f'{r:.0f}/{f:.0f}' for r, f in zip(rates, floor_rates, strict=True))}"
            )
            print(f"scale {scale} memory (last round): {memories[-1]}")
    finally:
        if not args.in_process:
            import redis

            redis.Redis.from_url(BROKER_URL).flushdb()


if __name__ == "__main__":
    main()
