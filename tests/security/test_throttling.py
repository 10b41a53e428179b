"""Login throttling (API token endpoint and login page) and voucher codes that cannot be guessed."""

from __future__ import annotations

import math
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_token_endpoint_throttles_password_guessing(api_client: Any) -> None:
    UserFactory(username="victim")
    limit = 20  # LOGIN_RATE_LIMIT's default, 20/min
    answers = [
        api_client.post("/api/v1/auth/token/", {"username": "victim", "password": f"guess-{n}"}).status_code
        for n in range(limit + 1)
    ]
    assert answers[:limit] == [400] * limit
    refused = api_client.post(
        "/api/v1/auth/token/", {"username": "victim", "password": "correct-horse-battery"}
    )
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert int(refused.headers["Retry-After"]) > 0


def _login(client: Client, username: str, password: str, ip: str = "203.0.113.5") -> Any:
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_login_page_throttles_failed_attempts_per_username(settings: Any) -> None:
    settings.LOGIN_PAGE_RATE_LIMIT = (3, 3600)
    UserFactory(username="victim")
    client = Client()
    # Failures from several addresses count against the one account.
    for n in range(3):
        assert _login(client, "victim", f"wrong-{n}", ip=f"198.51.100.{n}").status_code == 200
    refused = _login(client, "Victim", "correct-horse-battery", ip="198.51.100.99")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "Too many failed log-in attempts" in refused.content.decode()
    assert "_auth_user_id" not in client.session, "the right password is not checked while throttled"
    # Another account is not affected.
    UserFactory(username="bystander")
    assert _login(Client(), "bystander", "correct-horse-battery").status_code == 302


def test_login_page_throttles_failed_attempts_per_address(settings: Any) -> None:
    settings.LOGIN_PAGE_RATE_LIMIT_PER_IP = (4, 3600)
    client = Client()
    for n in range(4):
        assert _login(client, f"user{n}", "wrong-password").status_code == 200
    assert _login(client, "someone-else", "wrong-password").status_code == 429
    assert _login(Client(), "someone-else", "wrong-password", ip="192.0.2.77").status_code == 200


def test_login_page_success_is_not_counted(settings: Any) -> None:
    settings.LOGIN_PAGE_RATE_LIMIT = (2, 3600)
    UserFactory(username="regular")
    for _ in range(4):
        client = Client()
        assert _login(client, "regular", "correct-horse-battery").status_code == 302
        assert "_auth_user_id" in client.session


def test_login_page_throttle_message_is_translated(settings: Any) -> None:
    settings.LOGIN_PAGE_RATE_LIMIT = (1, 3600)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    _login(client, "victim", "wrong")
    refused = _login(client, "victim", "wrong")
    assert refused.status_code == 429
    assert "Too many failed log-in attempts" not in refused.content.decode()


# --- voucher codes --------------------------------------------------------------------------------
def _code_bits() -> float:
    from vouchers.models import CODE_ALPHABET, new_voucher_code

    codes = {new_voucher_code() for _ in range(2000)}
    assert len(codes) == 2000
    prefix = "GV"
    assert all(code.startswith(prefix) for code in codes)
    random_parts = [code[len(prefix) :] for code in codes]
    length = {len(part) for part in random_parts}
    assert len(length) == 1
    seen_alphabet = set("".join(random_parts))
    assert seen_alphabet <= set(CODE_ALPHABET)
    # Every symbol of the alphabet is drawn (2000 x 16 draws from ~31 symbols).
    assert seen_alphabet == set(CODE_ALPHABET)
    return length.pop() * math.log2(len(set(CODE_ALPHABET)))


def test_voucher_codes_are_random_over_their_alphabet() -> None:
    assert _code_bits() >= 79


def test_voucher_codes_have_at_least_80_bits_of_entropy() -> None:
    assert _code_bits() >= 80


def test_a_guessed_voucher_code_is_no_oracle_at_checkout() -> None:
    """Codes are bound to their owner: someone else's real code answers exactly like a made-up one, so
    guessing codes at checkout finds nothing (there is no throttle on it; the binding makes one moot)."""
    from tests.authz.factories import build_world

    world = build_world()
    intruder = world.users["other_shopper"]
    client = client_for(intruder)
    body = {"shipping_city": world.city.slug, "address": "9 Guess Lane", "packaging": "standard"}
    answers = []
    for code in (world.voucher.code, "GV" + "2" * 16):
        client.post("/api/v1/cart/items/", {"product": world.product.pk, "quantity": 1})
        response = client.post("/api/v1/checkout/", {**body, "voucher": code})
        answers.append((response.status_code, response.json()["code"]))
    assert answers[0] == answers[1]
    assert answers[0][0] in (400, 404, 409)
    world.voucher.refresh_from_db()
    assert world.voucher.status == "issued"


def test_voucher_code_in_a_url_is_matched_exactly() -> None:
    from vouchers.models import new_voucher_code

    assert re.fullmatch(r"GV[23456789A-HJKMNP-Z]{16,}", new_voucher_code())
