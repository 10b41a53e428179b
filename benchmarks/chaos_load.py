"""The load of the chaos script (``benchmarks/chaos.py``): shoppers claiming vouchers over HTTP at a bounded
rate from a thread pool, and buyers placing orders with the vouchers they were given, on loopback only.

Every answer is counted by its status and error code; every 201 of a claim is kept (the code, its owner),
so that afterwards the script can check that each acknowledged voucher exists exactly once.
"""

from __future__ import annotations

import http.client
import json
import queue
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

TIMEOUT_SECONDS = 15.0


@dataclass(frozen=True, slots=True)
class Shopper:
    user_id: int
    token: str


@dataclass(frozen=True, slots=True)
class Products:
    """Product ids of the shop: two green ones (one above the minimum spend, one below it) and one plain."""

    green_big: int
    green_small: int
    plain: int


@dataclass
class Record:
    """What the clients saw. Thread-safe through ``lock``."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter[str] = field(default_factory=Counter)
    acknowledged: list[tuple[str, int, int]] = field(default_factory=list)  # (code, user, allocation) per 201
    first_201_after: dict[str, float] = field(default_factory=dict)  # marker -> seconds to the next 201
    markers: dict[str, float] = field(default_factory=dict)
    expected_refusals: Counter[str] = field(default_factory=Counter)
    unexpected: list[str] = field(default_factory=list)
    latencies: dict[str, list[float]] = field(default_factory=dict)  # kind -> seconds of each answer

    def count(self, kind: str, status: str, seconds: float | None = None) -> None:
        with self.lock:
            self.statuses[f"{kind} {status}"] += 1
            if seconds is not None:
                self.latencies.setdefault(kind, []).append(seconds)

    def mark(self, name: str) -> None:
        with self.lock:
            self.markers[name] = time.monotonic()

    def claimed(self, code: str, user_id: int, allocation_id: int) -> None:
        now = time.monotonic()
        with self.lock:
            self.acknowledged.append((code, user_id, allocation_id))
            for name, at in self.markers.items():
                if name not in self.first_201_after and now > at:
                    self.first_201_after[name] = now - at


class Client:
    """One keep-alive HTTP connection per thread; a dropped connection is reopened on the next request."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, token: str, body: Any = None) -> tuple[str, Any]:
        """(status, parsed body); status is ``conn_error`` when the connection broke (a killed worker)."""
        headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
        payload = None
        if body is not None:
            payload = json.dumps(body)
            headers["Content-Type"] = "application/json"
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT_SECONDS)
            self.connection.request(method, path, body=payload, headers=headers)
            response = self.connection.getresponse()
            raw = response.read()
            if response.getheader("Connection", "").lower() == "close":
                self.close()
        except (OSError, http.client.HTTPException):
            self.close()
            return "conn_error", None
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            data = None
        return str(response.status), data

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def _label(status: str, data: Any) -> str:
    if status.startswith("4") or status.startswith("5"):
        code = data.get("code") if isinstance(data, dict) else None
        return f"{status} {code}" if code else status
    return status


class ClaimLoad:
    """``threads`` shoppers' clients claiming at most ``rate`` times a second in total, until ``stop``, each
    claim from one of ``allocation_ids`` at random."""

    def __init__(
        self,
        *,
        port: int,
        allocation_ids: list[int],
        shoppers: list[Shopper],
        rate: float,
        threads: int,
        record: Record,
        vouchers_for_buyers: queue.Queue[tuple[Shopper, str]],
        buyer_share: float,
        seed: int,
    ) -> None:
        self.port = port
        self.allocation_ids = allocation_ids
        self.shoppers = shoppers
        self.interval = 1.0 / rate
        self.threads = threads
        self.record = record
        self.vouchers_for_buyers = vouchers_for_buyers
        self.buyer_share = buyer_share
        self.random = random.Random(seed)
        self.stop = threading.Event()
        self._next_slot = time.monotonic()
        self._slot_lock = threading.Lock()
        self._workers: list[threading.Thread] = []

    def _run(self) -> None:
        client = Client(self.port)
        try:
            while True:
                with self._slot_lock:
                    slot = max(self._next_slot, time.monotonic())
                    self._next_slot = slot + self.interval
                    shopper = self.shoppers[self.random.randrange(len(self.shoppers))]
                    allocation_id = self.random.choice(self.allocation_ids)
                    give_to_buyer = self.random.random() < self.buyer_share
                delay = slot - time.monotonic()
                if (delay > 0 and self.stop.wait(delay)) or self.stop.is_set():
                    return
                began = time.monotonic()
                path = f"/api/v1/voucher-allocations/{allocation_id}/claim/"
                status, data = client.request("POST", path, shopper.token)
                self.record.count("claim", _label(status, data), time.monotonic() - began)
                if status == "201" and isinstance(data, dict) and data.get("code"):
                    self.record.claimed(data["code"], shopper.user_id, allocation_id)
                    if give_to_buyer:
                        self.vouchers_for_buyers.put((shopper, data["code"]))
        finally:
            client.close()

    def start(self) -> None:
        for index in range(self.threads):
            worker = threading.Thread(target=self._run, name=f"claim-{index}", daemon=True)
            worker.start()
            self._workers.append(worker)

    def join(self) -> None:
        self.stop.set()
        for worker in self._workers:
            worker.join(timeout=TIMEOUT_SECONDS + 5)


class Buyers:
    """Shoppers who got a voucher put something in the cart and check out with it, then pay. Some try
    the voucher again after it was used (must be refused), some cancel (the voucher comes back and is used
    again), some try it on a cart it cannot discount (only a plain product, or green lines under the
    minimum spend)."""

    def __init__(
        self,
        *,
        port: int,
        products: Products,
        city: str,
        threads: int,
        record: Record,
        vouchers: queue.Queue[tuple[Shopper, str]],
        seed: int,
    ) -> None:
        self.port = port
        self.products = products
        self.city = city
        self.threads = threads
        self.record = record
        self.vouchers = vouchers
        self.random = random.Random(seed)
        self.random_lock = threading.Lock()
        self.stop = threading.Event()
        self._workers: list[threading.Thread] = []

    def _chance(self, p: float) -> bool:
        with self.random_lock:
            return self.random.random() < p

    def _call(self, client: Client, kind: str, method: str, path: str, token: str, body: Any = None) -> Any:
        began = time.monotonic()
        status, data = client.request(method, path, token, body)
        self.record.count(kind, _label(status, data), time.monotonic() - began)
        return status, data

    def _empty_cart(self, client: Client, token: str) -> bool:
        status, cart = self._call(client, "cart", "GET", "/api/v1/cart/", token)
        if status != "200" or not isinstance(cart, dict):
            return False
        for item in cart.get("items", []):
            self._call(client, "cart", "DELETE", f"/api/v1/cart/items/{item['id']}/", token)
        return True

    def _checkout(
        self, client: Client, shopper: Shopper, code: str, lines: list[tuple[int, int]]
    ) -> tuple[str, Any]:
        if not self._empty_cart(client, shopper.token):
            return "cart_failed", None
        for product, quantity in lines:
            status, _ = self._call(
                client,
                "cart",
                "POST",
                "/api/v1/cart/items/",
                shopper.token,
                {"product": product, "quantity": quantity},
            )
            if status != "201":
                return "cart_failed", None
        body = {
            "shipping_city": self.city,
            "address": "1 Chaos Road",
            "packaging": "standard",
            "voucher": code,
        }
        return self._call(client, "checkout", "POST", "/api/v1/checkout/", shopper.token, body)

    def _expect_refusal(self, what: str, status: str, data: Any, codes: set[str]) -> None:
        if status.startswith("4") and isinstance(data, dict) and data.get("code") in codes:
            with self.record.lock:
                self.record.expected_refusals[f"{what}: {data.get('code')}"] += 1
        elif status == "201":
            with self.record.lock:
                self.record.unexpected.append(f"{what} was accepted (201): {data}")

    def _one(self, client: Client, shopper: Shopper, code: str) -> None:
        p = self.products
        if self._chance(0.1):
            # A voucher on a cart without green products, then on green lines under the minimum spend
            # beside an expensive plain product: both refused (eligible lines only count).
            status, data = self._checkout(client, shopper, code, [(p.plain, 1)])
            self._expect_refusal("voucher on plain products", status, data, {"not_eligible"})
            status, data = self._checkout(client, shopper, code, [(p.green_small, 1), (p.plain, 1)])
            self._expect_refusal("voucher under the minimum spend", status, data, {"min_spend_not_met"})
        lines = [(p.green_big, 1)] if self._chance(0.5) else [(p.green_small, 2)]
        status, order = self._checkout(client, shopper, code, lines)
        if status != "201" or not isinstance(order, dict):
            return
        order_id = order["id"]
        self._call(client, "pay", "POST", f"/api/v1/orders/{order_id}/pay/", shopper.token)
        if self._chance(0.2):
            status, data = self._checkout(client, shopper, code, [(p.green_big, 1)])
            self._expect_refusal("voucher used twice", status, data, {"already_redeemed"})
        if self._chance(0.2):
            status, _ = self._call(
                client, "cancel", "POST", f"/api/v1/orders/{order_id}/cancel/", shopper.token
            )
            if status == "200":
                self.vouchers.put((shopper, code))  # the voucher is back: someone uses it again

    def _run(self) -> None:
        client = Client(self.port)
        try:
            while not self.stop.is_set():
                try:
                    shopper, code = self.vouchers.get(timeout=0.2)
                except queue.Empty:
                    continue
                self._one(client, shopper, code)
        finally:
            client.close()

    def start(self) -> None:
        for index in range(self.threads):
            worker = threading.Thread(target=self._run, name=f"buyer-{index}", daemon=True)
            worker.start()
            self._workers.append(worker)

    def join(self) -> None:
        self.stop.set()
        for worker in self._workers:
            worker.join(timeout=4 * TIMEOUT_SECONDS)
