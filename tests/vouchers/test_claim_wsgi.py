"""The claim's WSGI fast path (``vouchers.wsgi``, installed in ``marketplace.wsgi``): a claim by a token
this process taught the claims Redis is answered in front of Django's handler. It must answer exactly as
the full stack does (codes, bodies, languages, security headers, the HTTPS redirect) and leave every other
request to Django.

These tests call the WSGI application as gunicorn does. They run outside a test transaction
(``transaction=True``): like ``request_finished``, the fast path closes a database connection it opened.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_started
from rest_framework.authtoken.models import Token

from tests.factories import UserFactory
from tests.vouchers.factories import make_allocation
from vouchers import services
from vouchers.models import Voucher
from vouchers.wsgi import ClaimFastPathApplication

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

# Headers that differ between any two answers, whichever path gives them.
VARYING = {"Content-Length"}


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


@pytest.fixture(autouse=True)
def _settings(settings: Any, claims_redis: Any) -> Iterator[None]:
    settings.CLAIM_RATE_LIMIT = (1000, 60)
    settings.CLAIM_RATE_LIMIT_PER_IP = (1000, 60)
    settings.TOKEN_CACHE_SECONDS = 60
    cache.clear()  # the token cache: each test's first authentication looks the token up
    yield


def _application() -> ClaimFastPathApplication:
    # Built after the settings fixture, as gunicorn builds it after reading the settings.
    return ClaimFastPathApplication(WSGIHandler())


def _call(application: Any, path: str, *, token: str | None, method: str = "POST", **headers: str) -> Answer:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    if token is not None:
        environ["HTTP_AUTHORIZATION"] = f"Token {token}"
    environ.update({f"HTTP_{name.upper()}": value for name, value in headers.items()})
    started: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        started["status"] = int(status.split()[0])
        started["headers"] = dict(response_headers)

    chunks = application(environ, start_response)
    try:
        body = b"".join(chunks)
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
    return Answer(started["status"], started["headers"], body)


def _url(allocation_id: int) -> str:
    return f"/api/v1/voucher-allocations/{allocation_id}/claim/"


def _token(user: Any) -> str:
    return str(Token.objects.get_or_create(user=user)[0].key)


def _handled_by_django(calls: Callable[[], Any]) -> tuple[Any, int]:
    """The calls' result and how many requests Django's handler saw meanwhile."""
    seen: list[object] = []

    def count(sender: object, **kwargs: Any) -> None:
        seen.append(sender)

    request_started.connect(count)
    try:
        return calls(), len(seen)
    finally:
        request_started.disconnect(count)


def test_a_known_tokens_claim_answers_as_the_full_stack_does() -> None:
    application = _application()
    allocation = make_allocation(per_user_limit=3, face_value="10.00", min_spend="50.00")
    token = _token(UserFactory())

    first, by_django = _handled_by_django(lambda: _call(application, _url(allocation.pk), token=token))
    assert by_django == 1  # the token was new to the claims Redis: the full stack taught it
    fast, by_django = _handled_by_django(lambda: _call(application, _url(allocation.pk), token=token))
    assert by_django == 0  # answered in front of Django

    assert (first.status, fast.status) == (201, 201)
    assert {k: v for k, v in fast.headers.items() if k not in VARYING} == {
        k: v for k, v in first.headers.items() if k not in VARYING
    }
    assert fast.headers["X-Content-Type-Options"] == "nosniff"  # SecurityMiddleware's headers
    assert "Referrer-Policy" in fast.headers
    services.voucher_journal_drain()
    codes = set(Voucher.objects.values_list("code", flat=True))
    for answer in (first, fast):
        assert answer.body.decode().split('"code":"')[1].split('"')[0] in codes
    assert len(codes) == 2


def test_a_shopper_who_browsed_first_claims_in_one_round_trip_from_the_first_claim() -> None:
    application = _application()
    allocation = make_allocation(per_user_limit=1)
    # Someone else's claim opens the claims Redis and loads the allocation (the recovery of an opening
    # server forgets every token it held).
    assert _call(application, _url(allocation.pk), token=_token(UserFactory())).status == 201
    token = _token(UserFactory())
    assert _call(application, "/api/v1/voucher-allocations/", token=token, method="GET").status == 200

    claim, by_django = _handled_by_django(lambda: _call(application, _url(allocation.pk), token=token))

    assert claim.status == 201
    assert by_django == 0


def test_refusals_come_in_the_shoppers_language_with_the_full_stacks_headers() -> None:
    application = _application()
    allocation = make_allocation(per_user_limit=1)
    token = _token(UserFactory())
    assert _call(application, _url(allocation.pk), token=token).status == 201

    chinese = _call(application, _url(allocation.pk), token=token, ACCEPT_LANGUAGE="zh-hans")
    english = _call(application, _url(allocation.pk), token=token, ACCEPT_LANGUAGE="en")

    assert (chinese.status, english.status) == (409, 409)
    assert chinese.headers["Content-Language"] == "zh-hans"
    assert "limit_reached" in chinese.body.decode()
    assert "You have already claimed" in english.body.decode()
    assert "You have already claimed" not in chinese.body.decode()
    assert "Accept-Language" in chinese.headers["Vary"]


def test_rate_limits_answer_429_with_retry_after(settings: Any) -> None:
    settings.CLAIM_RATE_LIMIT = (2, 60)
    application = _application()
    allocation = make_allocation(per_user_limit=10)
    token = _token(UserFactory())
    statuses = [_call(application, _url(allocation.pk), token=token) for _ in range(3)]

    assert [answer.status for answer in statuses] == [201, 201, 429]
    assert int(statuses[2].headers["Retry-After"]) >= 1


def test_the_https_redirect_still_applies(settings: Any) -> None:
    allocation = make_allocation(per_user_limit=3)
    token = _token(UserFactory())
    assert _call(_application(), _url(allocation.pk), token=token).status == 201
    settings.SECURE_SSL_REDIRECT = True

    redirected = _call(_application(), _url(allocation.pk), token=token)

    assert redirected.status == 301
    assert redirected.headers["Location"].startswith("https://testserver/")
    services.voucher_journal_drain()
    assert Voucher.objects.count() == 1  # the redirected claim issued nothing


def test_unknown_and_forgotten_tokens_get_the_apis_401() -> None:
    application = _application()
    allocation = make_allocation(per_user_limit=3)
    shopper = UserFactory()
    token = _token(shopper)
    assert _call(application, _url(allocation.pk), token=token).status == 201

    Token.objects.filter(user=shopper).delete()  # the claims Redis forgets it (vouchers.signals)
    forgotten = _call(application, _url(allocation.pk), token=token)
    unknown = _call(application, _url(allocation.pk), token="0" * 40)

    assert (forgotten.status, unknown.status) == (401, 401)
    assert b"authentication_failed" in forgotten.body


def test_claims_answer_503_while_the_claims_redis_is_down(claims_redis: Any) -> None:
    application = _application()
    allocation = make_allocation(per_user_limit=3)
    token = _token(UserFactory())
    assert _call(application, _url(allocation.pk), token=token).status == 201
    claims_redis.crash()
    try:
        down = _call(application, _url(allocation.pk), token=token)
        browsing = _call(application, "/api/v1/voucher-allocations/", token=token, method="GET")
    finally:
        claims_redis.start()

    assert down.status == 503
    assert b'"code":"unavailable"' in down.body
    assert browsing.status == 200


def test_an_unexpected_error_is_djangos_500_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    application = _application()
    allocation = make_allocation(per_user_limit=3)
    token = _token(UserFactory())
    assert _call(application, _url(allocation.pk), token=token).status == 201

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("a bug in the claim")

    monkeypatch.setattr(services, "voucher_claim_by_token", broken)
    answer = _call(application, _url(allocation.pk), token=token)

    assert answer.status == 500


def test_other_requests_go_to_django() -> None:
    application = _application()
    token = _token(UserFactory())

    listing = _call(application, "/api/v1/voucher-allocations/", token=token, method="GET")
    not_a_claim = _call(application, "/api/v1/voucher-allocations/x/claim/", token=token)

    assert listing.status == 200
    assert not_a_claim.status == 404


def test_the_served_application_has_the_fast_path_in_front() -> None:
    from marketplace.wsgi import application

    assert isinstance(application, ClaimFastPathApplication)


def test_the_fast_path_can_be_switched_off(settings: Any) -> None:
    settings.VOUCHER_CLAIM_FAST_PATH = False
    application = _application()
    allocation = make_allocation(per_user_limit=3)
    token = _token(UserFactory())
    assert _call(application, _url(allocation.pk), token=token).status == 201

    again, by_django = _handled_by_django(lambda: _call(application, _url(allocation.pk), token=token))

    assert again.status == 201
    assert by_django == 1
