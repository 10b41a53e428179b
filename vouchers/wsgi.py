"""The claim's WSGI fast path: at a flash-sale peak nearly every request is a claim by a shopper
whose token this process already taught the claims Redis. Such a claim is answered here, in front of
Django's handler, by one EVALSHA (``vouchers.apis.known_token_claim_response``).

Measured in one process here: Django's handler around the claim middleware (the request_started and
request_finished signals with their connection and cache bookkeeping, the middleware chain, the
response's close) cost about as much CPU as the claim itself.

What the handler would do is kept: ``SecurityMiddleware`` (the HTTPS redirect and its headers) and the
claim middleware's language and headers wrap the answer, an unexpected exception becomes Django's 500
response (logged by ``django.request``), a 4xx/5xx answer is logged as Django logs it, and a database
connection the claim had to open (a process's first claim on an allocation, a reload after a claims
Redis restart) is closed the way ``request_finished`` would close it. Everything else, including a claim
whose token is not known here or has an Idempotency-Key, goes to Django's handler untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, cast

from django.conf import settings
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.db import close_old_connections, connections
from django.http import HttpRequest, HttpResponse
from django.middleware.security import SecurityMiddleware
from django.utils.log import log_response

from vouchers.apis import known_token_claim_response
from vouchers.middleware import ClaimFastPathMiddleware

StartResponse = Callable[..., Any]


class _LeftToDjango(HttpResponse):
    """The known-token path did not apply: Django's handler answers the request instead."""


def _unused(request: HttpRequest) -> HttpResponse:  # pragma: no cover - never the claim's get_response
    raise AssertionError("the claim middleware answers claims itself here")


class ClaimFastPathApplication:
    def __init__(self, application: WSGIHandler) -> None:
        self.application = application
        self.claims = ClaimFastPathMiddleware(_unused)
        answer = cast(Callable[[HttpRequest], HttpResponse], convert_exception_to_response(self._claim))
        self.handler = SecurityMiddleware(answer)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if (
            environ.get("REQUEST_METHOD") == "POST"
            and "HTTP_AUTHORIZATION" in environ
            and settings.VOUCHER_CLAIM_BACKEND == "redis"
            and settings.VOUCHER_CLAIM_FAST_PATH
        ):
            request = WSGIRequest(environ)
            if self.claims.allocation_id(request.path_info) is not None:
                try:
                    response = cast(HttpResponse, self.handler(request))
                finally:
                    _close_connections_opened()
                if not isinstance(response, _LeftToDjango):
                    return _send(request, response, start_response)
        return self.application(environ, start_response)

    def _claim(self, request: HttpRequest) -> HttpResponse:
        allocation_id = self.claims.allocation_id(request.path_info)
        assert allocation_id is not None  # checked by __call__
        response = self.claims.claim(request, allocation_id, responder=known_token_claim_response)
        return response if response is not None else _LeftToDjango()


def _close_connections_opened() -> None:
    # request_finished's close_old_connections, only when the claim opened one (rarely).
    if any(connection.connection is not None for connection in connections.all(initialized_only=True)):
        close_old_connections()


def _send(request: HttpRequest, response: HttpResponse, start_response: StartResponse) -> list[bytes]:
    if response.status_code >= 400:
        log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request)
    status = f"{response.status_code} {response.reason_phrase}"
    headers = [*response.items(), *(("Set-Cookie", c.output(header="")) for c in response.cookies.values())]
    start_response(status, headers)
    # A list, not the response: the response's close() would send request_finished, whose bookkeeping
    # this path exists to skip (the connections were handled above).
    return [response.content]
