"""Profile claim requests in-process through Django's WSGI handler (no HTTP server, no network client).

    .venv/bin/python benchmarks/claim_profile.py [--backend redis] [--requests 3000] [--top 30]
        [--endpoint claim|plain|naive]

Same environment as ``claim_bench.py`` (its settings module, a private claims Redis with ``appendonly yes``
and ``appendfsync always``, ``BENCH_DATABASE_URL`` and ``BENCH_REDIS_URL``). Prints the mean wall time
per request and cProfile's top functions by cumulative and by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.claim_bench import base_env, ensure_database, prepare, start_claims_redis


def environ(path: str, method: str, token: str) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_AUTHORIZATION": f"Token {token}",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", default="redis", choices=("redis", "database"))
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--shoppers", type=int, default=2000)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--endpoint", default="claim", choices=("claim", "plain", "naive"))
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="claim-profile-")
    claims_redis, claims_url = start_claims_redis(workdir)
    try:
        env = base_env(claims_url)
        env["VOUCHER_CLAIM_BACKEND"] = args.backend
        os.environ.update(env)
        ensure_database(env["DATABASE_URL"])
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        tokens_file = Path(workdir) / "tokens.txt"
        claim_allocation, naive_allocation = prepare(args.shoppers, tokens_file)
        tokens = tokens_file.read_text().split()
        from django.core.wsgi import get_wsgi_application

        app = get_wsgi_application()
        path = {
            "claim": f"/api/v1/voucher-allocations/{claim_allocation}/claim/",
            "plain": "/bench/plain/",
            "naive": f"/bench/naive-claim/{naive_allocation}/",
        }[args.endpoint]
        method = "GET" if args.endpoint == "plain" else "POST"
        statuses: dict[str, int] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            statuses[status] = statuses.get(status, 0) + 1

        def one(i: int) -> None:
            result = app(environ(path, method, tokens[i % len(tokens)]), start_response)
            b"".join(result)
            close = getattr(result, "close", None)
            if close is not None:
                close()

        for i in range(len(tokens)):  # warm the token cache and the connections
            one(i)
        statuses.clear()
        started, cpu_started = time.perf_counter(), time.process_time()
        for i in range(args.requests):
            one(i)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        print(
            f"{args.endpoint} ({args.backend}), unprofiled: {elapsed / args.requests * 1e6:.0f} us wall, "
            f"{cpu / args.requests * 1e6:.0f} us CPU of this process per request; statuses {statuses}"
        )
        profiler = cProfile.Profile()
        profiler.enable()
        for i in range(args.requests):
            one(i)
        profiler.disable()
        for key in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(args.top)
            print(out.getvalue())
    finally:
        claims_redis.terminate()
        claims_redis.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
