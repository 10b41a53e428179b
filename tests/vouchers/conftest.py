"""Voucher test fixtures: the claim backend under test, and a private claims Redis started with the
production flags (``appendonly yes``, ``appendfsync always``) that tests may stop and restart."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from vouchers.backends.redis import campaigns, server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ClaimsRedis:
    """A redis-server of our own on a free port, its AOF in a temporary directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.directory),
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--save",
                "",
                "--maxmemory-policy",
                "noeviction",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                if client.ping():
                    return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("private redis-server did not start")

    def crash(self) -> None:
        """SIGKILL: no shutdown save, only what the AOF already holds survives."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def flush(self) -> None:
        redis.Redis(port=self.port).flushall()


@pytest.fixture(scope="session")
def claims_redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClaimsRedis]:
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server on PATH for the private claims Redis")
    server = ClaimsRedis(tmp_path_factory.mktemp("claims-redis"))
    server.start()
    yield server
    server.crash()


@pytest.fixture
def claims_redis(claims_redis_server: ClaimsRedis, settings: Any) -> Iterator[ClaimsRedis]:
    if claims_redis_server.process is None:
        claims_redis_server.start()
    claims_redis_server.flush()
    settings.VOUCHER_CLAIM_BACKEND = "redis"
    settings.VOUCHER_REDIS_URL = claims_redis_server.url
    server.reset_connections()
    campaigns._campaign_of_allocation.clear()
    yield claims_redis_server
    server.reset_connections()


@pytest.fixture(params=["database", "redis"])
def backend(request: pytest.FixtureRequest, settings: Any) -> str:
    """Runs the test once per claim backend (both must pass the same invariant tests: docs/invariants.md)."""
    if request.param == "redis":
        request.getfixturevalue("claims_redis")
    else:
        settings.VOUCHER_CLAIM_BACKEND = "database"
    return str(request.param)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # Hundreds of shoppers per test: hashing their passwords with PBKDF2 would dominate the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
