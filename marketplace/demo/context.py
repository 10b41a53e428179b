"""What every demo step receives: output streams, deterministic randomness and the demo password."""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from django.contrib.auth.hashers import make_password

# Fixed on purpose: the demo prints it, and it must never be used outside a demo database.
DEMO_PASSWORD = "demo-only-Green2026"  # noqa: S105
DEMO_SEED = 20211027  # the first green venue opened on 27 October 2021
DEMO_USERNAME_PREFIX = "demo_"
STAFF_USERNAME = "demo_admin"
SHOPPER_USERNAME_PREFIX = "demo_shopper"
MERCHANT_USERNAME_PREFIX = "demo_merchant"
DEMO_EMAIL_DOMAIN = "demo.example.com"


class Stream(Protocol):
    """What the demo writes to: a text file or a management command's output wrapper."""

    def write(self, text: str, /) -> object: ...

    def flush(self) -> object: ...


@dataclass
class DemoContext:
    """Handed to each step. Steps record what they created in ``created`` (name -> rows)."""

    out: Stream = sys.stdout
    err: Stream = sys.stderr
    batch_size: int = 2000
    created: dict[str, int] = field(default_factory=dict)

    def rng(self, name: str) -> random.Random:
        """A random generator of its own per step, so adding a step never changes another's data."""
        return random.Random(f"{DEMO_SEED}:{name}")

    @cached_property
    def password_hash(self) -> str:
        # Hashed once and shared by every demo account: hashing 2,000 passwords would take minutes.
        return make_password(DEMO_PASSWORD)

    def count(self, name: str, rows: int) -> None:
        self.created[name] = self.created.get(name, 0) + rows

    def say(self, message: str) -> None:
        self.out.write(message + "\n")


class Progress:
    """Plain-text progress on stderr: ``products 40000/100000 (40%)``, rewritten in place on a terminal
    and one line per step otherwise (logs, CI)."""

    def __init__(self, stream: Stream, label: str, total: int) -> None:
        self.stream = stream
        self.label = label
        self.total = total
        self.done = 0
        self.in_place = bool(getattr(stream, "isatty", lambda: False)())

    def advance(self, rows: int) -> None:
        self.done += rows
        percent = 100 if self.total == 0 else self.done * 100 // self.total
        line = f"{self.label} {self.done}/{self.total} ({percent}%)"
        self.stream.write(f"\r{line}" if self.in_place else f"{line}\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.in_place:
            self.stream.write("\n")
            self.stream.flush()
