"""A real Celery worker process on Redis and PostgreSQL: labels appear, and a worker killed mid-batch
leaves every order with exactly one label per factor set once another worker has run (docs/invariants.md).

The worker uses this test's database (``transaction=True``, so what the test writes is committed and the
worker sees it) and the broker's Redis database of this test run (``TEST_BROKER_DB``), flushed first.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from carbon import services
from carbon.factor_data import DEFAULT_FACTOR_SET_FILE
from carbon.models import CarbonLabel, FactorSet
from marketplace.celery import app as celery_app
from tests.carbon.factories import (
    MerchantFactory,
    ProductFactory,
    UserFactory,
    appliance_category,
    beijing,
    paid_order,
    place_and_pay,
    shanghai,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]
VISIBILITY_TIMEOUT = 3


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def broker() -> Iterator[redis.Redis]:
    url = settings.CELERY_BROKER_URL
    if not url.startswith("redis://"):
        pytest.skip("needs a Redis broker (CELERY_BROKER_URL)")
    client = redis.Redis.from_url(url)
    client.flushdb()  # this run's own broker database (TEST_BROKER_DB)
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False  # this process publishes to the broker like the web does
    yield client
    celery_app.conf.task_always_eager = previous
    client.flushdb()
    client.close()


@pytest.fixture
def start_worker(tmp_path: Path, broker: redis.Redis) -> Iterator[Callable[[str], subprocess.Popen[bytes]]]:
    workers: list[subprocess.Popen[bytes]] = []

    def start(name: str) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "CARBON_BATCH_SIZE": "20",
            "DB_CONN_MAX_AGE": "0",
            "CELERY_UNACKED_RESTORE_SECONDS": "1",
        }
        log = (tmp_path / f"{name}.log").open("wb")
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "marketplace",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"{name}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
    for log in tmp_path.glob("*.log"):
        sys.stdout.write(f"--- {log.name} (tail)\n{log.read_text(errors='replace')[-3000:]}\n")


def _wait_for(condition: Callable[[], Any], *, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def _kettle() -> Any:
    return ProductFactory(
        merchant=MerchantFactory(city=beijing()),
        category=appliance_category(),
        weight_grams=1000,
        price=Decimal("199.00"),
        stock=1000,
    )


def test_paying_an_order_gets_its_label_from_the_worker(start_worker):
    kettle = _kettle()
    start_worker("labeller")
    order = place_and_pay(UserFactory(), (kettle, 1), city=shanghai(), packaging="recycled")
    label = _wait_for(lambda: CarbonLabel.objects.filter(order=order).first(), timeout=60, what="the label")
    assert label.factor_set.is_active
    assert label.total_kgco2e == label.product_kgco2e + label.packaging_kgco2e + label.transport_kgco2e


def test_a_worker_killed_mid_batch_leaves_exactly_one_label_per_order_and_set(start_worker, broker):
    kettle = _kettle()
    city = shanghai()
    users = [UserFactory() for _ in range(5)]
    paid = timezone.now() - timedelta(hours=1)
    orders = [paid_order(user=users[i % 5], product=kettle, city=city, paid_at=paid) for i in range(400)]
    old = FactorSet.objects.get(is_active=True)
    services.carbon_labels_compute_batch(factor_set_id=old.pk, order_ids=[order.pk for order in orders])
    new = services.factor_set_create_from_file(path=DEFAULT_FACTOR_SET_FILE, version="2026.1")

    first = start_worker("first")
    services.factor_set_publish(factor_set=new)  # on commit: the recomputation task goes to the broker

    def new_labels() -> int:
        return CarbonLabel.objects.filter(factor_set=new).count()

    # Kill it while it holds a batch: some labels written, a batch message delivered and not yet acked.
    _wait_for(
        lambda: new_labels() > 0 and broker.hlen("unacked") >= 1,
        timeout=60,
        what="the worker to be mid-batch",
    )
    first.send_signal(signal.SIGKILL)
    first.wait()
    done_when_killed = new_labels()
    assert done_when_killed < len(orders), "the worker finished before it could be killed"
    # The batch the worker was holding is still unacknowledged in the broker, not lost.
    assert broker.hlen("unacked") >= 1

    start_worker("second")
    _wait_for(lambda: new_labels() == len(orders), timeout=120, what="every order to get its new label")
    time.sleep(VISIBILITY_TIMEOUT + 1)  # a late redelivery must not add anything either

    per_order_and_set = (
        CarbonLabel.objects.values("order", "factor_set").annotate(n=Count("id")).filter(n__gt=1)
    )
    assert list(per_order_and_set) == []
    for factor_set in (old, new):
        assert CarbonLabel.objects.filter(factor_set=factor_set).count() == len(orders)
