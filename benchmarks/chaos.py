r"""Chaos and load: the claim load while a web worker, the Celery worker and the claims Redis are killed
in turn, then the journal drain, recovery and ``reconcile_vouchers``, then the invariants of
docs/invariants.md. Prints what it did and the result per invariant; exits 1 on any violation.

    .venv/bin/python benchmarks/chaos.py [--duration 60] [--rate 60] [--shoppers 1000] \
        [--budget-vouchers 400] [--backend redis|database] [--database-url ...] [--keep-database]

What it starts, each in its own process group and all stopped at the end (even on error):
- a PostgreSQL database of its own (``--database-url``, default .../gm_chaos), dropped and created, migrated,
  dropped again at the end unless ``--keep-database``;
- a private claims Redis on a free port (``appendonly yes``, ``appendfsync always``) in a temporary folder;
- gunicorn (``gunicorn.conf.py``, ``--web-workers`` sync workers) with the redis claim backend
  (``--backend database`` for the other one);
- a real Celery worker (prefork, 2 processes) and Celery beat, which runs the journal drain every second
  and the carbon sweep; the broker is ``--broker-url`` (flushed), the cache ``--redis-url`` (flushed).

The load: ``--threads`` clients claim at ``--rate`` requests/s in total for ``--duration`` seconds, as
random shoppers of ``--shoppers`` (tokens, per-user limit ``--per-user-limit``), each claim from one of two
allocations at random: a scarce one whose budget covers ``--budget-vouchers`` vouchers, fewer than the
shoppers may claim (it runs out during the run), and a plentiful one that covers every claim the limit
allows (acknowledged claims keep flowing through every fault, whatever the machine's throughput). A share
of the vouchers go to ``--buyers`` clients that check out with them (green products with limited stock),
pay, sometimes cancel and reuse them, and try them where they must be refused. Meanwhile, at 20 %, 40 % and
60 % of the duration: SIGKILL one gunicorn worker (the master starts another); SIGKILL the Celery worker
while it holds a task if it can, then start a new one; SIGKILL the claims Redis, wait ``--redis-down``
seconds and restart it on the same AOF. At 50 % a new carbon factor set is published (every paid order
gets a second label from the worker).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import types
import urllib.request
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.chaos_load import Buyers, ClaimLoad, Record, Shopper  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
VISIBILITY_TIMEOUT = 8


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Timeline:
    def __init__(self) -> None:
        self.start = time.monotonic()
        self.events: list[tuple[float, str]] = []

    def log(self, text: str) -> None:
        at = time.monotonic() - self.start
        self.events.append((at, text))
        print(f"  [{at:6.1f} s] {text}", flush=True)


class Processes:
    """Every process the script starts, each in its own session; ``stop_all`` ends them in reverse order."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = (self.workdir / f"{name}.log").open("ab")
        process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        self.started.append(process)
        return process

    @staticmethod
    def kill_group(process: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
        if sig == signal.SIGKILL:
            process.wait(timeout=30)

    def stop_all(self) -> None:
        for process in reversed(self.started):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        deadline = time.monotonic() + 15
        for process in reversed(self.started):
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            # The group may still hold children (gunicorn and Celery workers) after its leader exited.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            if process.poll() is None:
                process.wait(timeout=10)


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after its closing parenthesis.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):  # the thing we wait for is still starting
            if condition():
                return
        time.sleep(0.1)
    raise RuntimeError(f"timed out waiting for {what}")


class ClaimsRedis:
    def __init__(self, processes: Processes, directory: Path) -> None:
        self.processes = processes
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        args = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory)]
        args += [
            "--appendonly",
            "yes",
            "--appendfsync",
            "always",
            "--save",
            "",
            "--maxmemory-policy",
            "noeviction",
        ]
        self.process = self.processes.start("claims-redis", args, dict(os.environ))
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        wait_for(lambda: bool(client.ping()), 20, "the claims Redis")
        client.close()

    def crash(self) -> int:
        assert self.process is not None
        pid = self.process.pid
        Processes.kill_group(self.process)
        return pid


def environment(args: argparse.Namespace, claims_url: str, workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "marketplace.settings",
            "PYTHONPATH": str(ROOT),
            "DEBUG": "0",
            "TESTING": "0",
            "SECRET_KEY": "chaos-only-secret-key-not-for-production-0123456789abcdef",
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": args.database_url,
            "REDIS_URL": args.redis_url,
            "CELERY_BROKER_URL": args.broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "CELERY_UNACKED_RESTORE_SECONDS": "1",
            "VOUCHER_REDIS_URL": claims_url,
            "VOUCHER_CLAIM_BACKEND": args.backend,
            "VOUCHER_JOURNAL_DRAIN_SECONDS": "1",
            "CARBON_SWEEP_SECONDS": "10",
            "CARBON_SWEEP_GRACE_SECONDS": "5",
            "CARBON_BATCH_SIZE": "50",
            "CLAIM_RATE_LIMIT": "100000000/m",
            "CLAIM_RATE_LIMIT_PER_IP": "100000000/m",
            "EVIDENCE_ROOT": str(workdir / "evidence"),
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def recreate_database(url: str, *, drop_only: bool = False) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def start_web(processes: Processes, env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    web_env = dict(
        env, GUNICORN_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY=str(workers), GUNICORN_TIMEOUT="60"
    )
    web = processes.start(
        "gunicorn", [GUNICORN, "-c", str(ROOT / "gunicorn.conf.py"), "marketplace.wsgi:application"], web_env
    )

    def ready() -> bool:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/api/v1/cities/?page_size=1", timeout=2
        ) as answer:
            return bool(answer.status == 200) and len(children_of(web.pid)) >= workers

    wait_for(ready, 60, "gunicorn")
    return web


def start_worker(processes: Processes, env: dict[str, str], name: str) -> subprocess.Popen[bytes]:
    args = [PYTHON, "-m", "celery", "-A", "marketplace", "worker", "--pool=prefork", "--concurrency=2"]
    args += [
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-n",
        f"{name}@%h",
    ]
    return processes.start(name, args, dict(env, DB_CONN_MAX_AGE="0"))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    parser.add_argument("--rate", type=float, default=60, help="claim requests per second in total")
    parser.add_argument("--threads", type=int, default=16, help="claiming clients")
    parser.add_argument("--buyers", type=int, default=3, help="clients checking out with vouchers")
    parser.add_argument("--buyer-share", type=float, default=0.25, help="share of vouchers used at checkout")
    parser.add_argument("--shoppers", type=int, default=1000)
    parser.add_argument("--per-user-limit", type=int, default=2)
    parser.add_argument(
        "--budget-vouchers", type=int, default=400, help="vouchers the scarce allocation's budget covers"
    )
    parser.add_argument("--face-value", type=Decimal, default=Decimal("10.00"))
    parser.add_argument("--stock", type=int, default=15, help="stock of each product (it runs out)")
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--redis-down", type=float, default=3, help="seconds the claims Redis stays down")
    parser.add_argument("--settle-timeout", type=float, default=120, help="seconds to wait for the worker")
    parser.add_argument("--backend", choices=("redis", "database"), default="redis")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("CHAOS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gm_chaos"),
    )
    parser.add_argument("--redis-url", default=os.environ.get("CHAOS_REDIS_URL", "redis://127.0.0.1:6379/12"))
    parser.add_argument(
        "--broker-url", default=os.environ.get("CHAOS_BROKER_URL", "redis://127.0.0.1:6379/13")
    )
    parser.add_argument("--keep-database", action="store_true")
    args = parser.parse_args(argv)
    wanted = args.shoppers * args.per_user_limit
    if wanted <= args.budget_vouchers:
        parser.error(f"the shoppers may claim {wanted} vouchers: the scarce budget must cover fewer")
    return args


def _raise_on_sigterm(signum: int, frame: types.FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for tool in ("redis-server",):
        if shutil.which(tool) is None:
            print(f"{tool} is not on PATH", file=sys.stderr)
            return 2
    signal.signal(signal.SIGTERM, _raise_on_sigterm)
    workdir = Path(tempfile.mkdtemp(prefix="chaos-"))
    processes = Processes(workdir)
    timeline = Timeline()
    code = 2
    try:
        code = run(args, workdir, processes, timeline)
        return code
    finally:
        processes.stop_all()
        import redis

        for url in (args.redis_url, args.broker_url):
            with contextlib.suppress(redis.RedisError):
                redis.Redis.from_url(url).flushdb()
        if not args.keep_database:
            with contextlib.suppress(Exception):  # Django may not be set up yet
                from django.db import connections

                connections.close_all()
            recreate_database(args.database_url, drop_only=True)
        if code == 0:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            for log in sorted(workdir.glob("*.log")):
                text = log.read_text(errors="replace")
                errors = [line for line in text.splitlines() if "Error" in line or "Traceback" in line]
                print(f"--- {log.name}: last error lines\n" + "\n".join(errors[-15:]), file=sys.stderr)
            print(f"logs kept in {workdir}", file=sys.stderr)


def run(args: argparse.Namespace, workdir: Path, processes: Processes, timeline: Timeline) -> int:
    import redis

    print(
        f"chaos: backend={args.backend}, {args.duration:.0f} s at {args.rate:.0f} claims/s, "
        f"{args.shoppers} shoppers "
        f"x limit {args.per_user_limit} for a budget of {args.budget_vouchers} vouchers; "
        f"{args.web_workers} web workers; database {args.database_url.rsplit('/', 1)[1]}",
        flush=True,
    )
    claims = ClaimsRedis(processes, workdir)
    claims.start()
    env = environment(args, claims.url, workdir)
    os.environ.update(env)
    for url in (args.redis_url, args.broker_url):
        redis.Redis.from_url(url).flushdb()
    recreate_database(args.database_url)
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)

    import django

    django.setup()
    from benchmarks import chaos_checks

    setup = chaos_checks.prepare(
        shoppers=args.shoppers,
        per_user_limit=args.per_user_limit,
        budget_vouchers=args.budget_vouchers,
        face_value=args.face_value,
        stock=args.stock,
    )
    port = free_port()
    web = start_web(processes, env, port, args.web_workers)
    worker = start_worker(processes, env, "worker-1")
    processes.start(
        "beat",
        [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "marketplace",
            "beat",
            "--loglevel=INFO",
            "-s",
            str(workdir / "beat-schedule"),
        ],
        env,
    )
    broker = redis.Redis.from_url(args.broker_url)
    print(
        f"started: claims Redis :{claims.port} (pid {claims.process.pid if claims.process else '?'}), "
        f"gunicorn :{port} (master {web.pid}, workers {children_of(web.pid)}), "
        f"Celery worker {worker.pid}, beat",
        flush=True,
    )

    record = Record()
    for_buyers: queue.Queue[tuple[Shopper, str]] = queue.Queue()
    load = ClaimLoad(
        port=port,
        allocation_ids=[setup.scarce_allocation_id, setup.plentiful_allocation_id],
        shoppers=setup.shoppers,
        rate=args.rate,
        threads=args.threads,
        record=record,
        vouchers_for_buyers=for_buyers,
        buyer_share=args.buyer_share,
        seed=args.seed,
    )
    buyers = Buyers(
        port=port,
        products=setup.products,
        city=chaos_checks.CITY,
        threads=args.buyers,
        record=record,
        vouchers=for_buyers,
        seed=args.seed + 1,
    )
    print("timeline:", flush=True)
    timeline.start = time.monotonic()
    timeline.log(f"load starts: {args.threads} claiming clients, {args.buyers} buyers")
    load.start()
    buyers.start()
    worker_number = 1

    def at(fraction: float) -> None:
        delay = timeline.start + args.duration * fraction - time.monotonic()
        if delay > 0:
            time.sleep(delay)

    try:
        at(0.2)
        victims = children_of(web.pid)
        if victims:
            os.kill(victims[0], signal.SIGKILL)
            timeline.log(f"SIGKILL gunicorn worker {victims[0]} (of {victims})")
            record.mark("gunicorn worker killed")
        at(0.4)
        deadline = time.monotonic() + 5
        while broker.hlen("unacked") == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        holding = broker.hlen("unacked")
        Processes.kill_group(worker)
        timeline.log(f"SIGKILL Celery worker {worker.pid} (process group; {holding} task(s) unacknowledged)")
        time.sleep(1)
        worker_number += 1
        worker = start_worker(processes, env, f"worker-{worker_number}")
        timeline.log(f"new Celery worker {worker.pid} started")
        at(0.5)
        factor_set = chaos_checks.publish_new_factor_set("chaos-2")
        timeline.log(f"factor set {factor_set} published (every paid order needs a second label)")
        if args.backend == "redis":
            at(0.6)
            pid = claims.crash()
            timeline.log(
                f"SIGKILL claims Redis {pid} ({len(record.acknowledged)} claims acknowledged so far)"
            )
            record.mark("claims Redis killed")
            time.sleep(args.redis_down)
            claims.start()
            timeline.log(
                "claims Redis restarted on the same AOF "
                f"(pid {claims.process.pid if claims.process else '?'})"
            )
            record.mark("claims Redis restarted")
        at(1.0)
    finally:
        load.join()
        buyers.join()
    timeline.log(
        f"load stopped: {sum(n for k, n in record.statuses.items() if k.startswith('claim '))} claim "
        f"requests, {len(record.acknowledged)} acknowledged"
    )
    for name, after in sorted(record.first_201_after.items(), key=lambda item: record.markers[item[0]]):
        timeline.log(f"first 201 after '{name}': +{after:.2f} s")

    # The worker catches up: every paid order's labels, the beat drain persists the journal.
    settle_start = time.monotonic()
    while chaos_checks.labels_missing() and time.monotonic() - settle_start < args.settle_timeout:
        time.sleep(0.5)
    timeline.log(
        f"worker caught up in {time.monotonic() - settle_start:.1f} s "
        f"({chaos_checks.labels_missing()} labels still missing)"
    )

    # Recovery and drain, then the reconciliation command.
    from vouchers import tasks

    drained = tasks.journal_drain()
    timeline.log(f"journal drain/recovery: {drained} claims persisted by the final drain")
    result = subprocess.run(
        [PYTHON, "manage.py", "reconcile_vouchers", "--drain"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    output = (result.stdout + result.stderr).strip()
    timeline.log(f"reconcile_vouchers --drain: exit {result.returncode}")

    checks = chaos_checks.check_invariants(
        setup,
        acknowledged=list(record.acknowledged),
        reconcile_output=(result.returncode, output),
        statuses=record.statuses,
        unexpected=list(record.unexpected),
    )
    print("\nrequests by status:")
    for label, n in sorted(record.statuses.items()):
        print(f"  {label:40} {n:7d}")
    print("latency (s) by request kind:  p50     p99     max")
    for kind, seconds in sorted(record.latencies.items()):
        ordered = sorted(seconds)
        p50, p99 = ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        print(f"  {kind:26} {p50:7.3f} {p99:7.3f} {ordered[-1]:7.3f}")
    if record.expected_refusals:
        print("refused as they must be:")
        for label, n in sorted(record.expected_refusals.items()):
            print(f"  {label:40} {n:7d}")
    print("\ninvariants (docs/invariants.md):")
    for name, problems, detail in checks.results:
        print(f"  {'OK  ' if not problems else 'FAIL'} {name}" + (f" - {detail}" if detail else ""))
        for line in problems:
            print(f"         {line}")
    print(
        "  n/a  7 green-only discounts: checked within 3 (eligible lines); "
        "8 visibility: the authorization tests"
    )
    print("\nRESULT: " + ("all invariants hold" if checks.ok else "VIOLATIONS FOUND"), flush=True)
    return 0 if checks.ok else 1


if __name__ == "__main__":
    sys.exit(main())
