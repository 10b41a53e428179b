"""The claim's fast path: a token-authenticated ``POST /api/v1/voucher-allocations/{id}/claim/``
is answered right after the security middleware, without the URL resolver and the session, CSRF,
messages, authentication, clickjacking and CSP middleware, which a token-authenticated JSON call does not
use (measured: they and the resolver cost more CPU than the claim's own Redis round trip).

Everything else goes down the normal stack, including a claim without a well-formed token or with an
unknown one (the DRF view then answers 401 with its exact body, or applies session authentication and its
CSRF check). The answer is the one the view gives (``vouchers.apis.lean_claim_response``), in the language
``LocaleMiddleware`` would pick, with the headers that middleware and ``XFrameOptionsMiddleware`` add.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import get_script_prefix, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from vouchers.apis import ClaimApi, lean_claim_response, token_key

ClaimResponder = Callable[[HttpRequest, int], HttpResponse | None]


class ClaimFastPathMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._affixes: tuple[str, str] | None = None

    def _claim_path_affixes(self) -> tuple[str, str]:
        """The claim URL around its id, from the URLconf (checked once to resolve to the claim view)."""
        if self._affixes is None:
            sample = "/" + reverse("voucher-claim", kwargs={"allocation_id": 7}).removeprefix(
                get_script_prefix()
            )
            match = resolve(sample)
            if getattr(match.func, "cls", None) is not ClaimApi:  # pragma: no cover - a changed URLconf
                raise RuntimeError("the voucher claim URL no longer resolves to ClaimApi")
            prefix, suffix = sample.split("/7/")
            self._affixes = (prefix + "/", "/" + suffix)
        return self._affixes

    def allocation_id(self, path: str) -> int | None:
        """The allocation id of a claim URL path (``request.path_info``), else None."""
        prefix, suffix = self._claim_path_affixes()
        if path.startswith(prefix) and path.endswith(suffix):
            middle = path[len(prefix) : len(path) - len(suffix)]
            if middle.isascii() and middle.isdigit():
                return int(middle)
        return None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            allocation_id = self.allocation_id(request.path_info)
            if allocation_id is not None:
                response = self.claim(request, allocation_id)
                if response is not None:
                    return response
        return self.get_response(request)

    def claim(
        self, request: HttpRequest, allocation_id: int, responder: ClaimResponder = lean_claim_response
    ) -> HttpResponse | None:
        """The responder's answer with the language and headers the skipped middleware would give, or
        None when the responder leaves the claim to the full stack."""
        if token_key(request) is None:
            return None
        language = translation.get_language_from_request(request)
        with translation.override(language):
            response = responder(request, allocation_id)
            if response is None:
                return None
            response.headers.setdefault("Content-Language", translation.get_language())
        patch_vary_headers(response, ("Accept-Language",))
        if settings.X_FRAME_OPTIONS and "X-Frame-Options" not in response:
            response["X-Frame-Options"] = settings.X_FRAME_OPTIONS
        return response
