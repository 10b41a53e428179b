"""The account's language: the switcher's choice is remembered on the account and applied at log-in.

Anonymous visitors keep Django's behaviour (the language cookie, else ``Accept-Language``). A signed-in
user who switches language also saves it as ``User.preferred_language``; logging in (on any browser)
sets the language cookie from it, so the choice follows the account. An empty preference changes
nothing: the cookie or the browser decide.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.i18n import set_language

from marketplace.accounts import services
from marketplace.accounts.models import User


def response_with_language(response: HttpResponse, language: str) -> HttpResponse:
    """Activate ``language`` for the rest of this request and set Django's language cookie to it (with
    the cookie settings ``set_language`` uses)."""
    translation.activate(language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def apply_preferred_language(response: HttpResponse, user: User) -> HttpResponse:
    """After a log-in: the account's language, if it has one this site offers."""
    language = services.user_preferred_language(user=user)
    return response_with_language(response, language) if language else response


def language_switch(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language`` (cookie and redirect), which a signed-in user's account also remembers."""
    response = set_language(request)
    language = services.supported_language(str(request.POST.get("language", "")))
    if request.method == "POST" and language and request.user.is_authenticated:
        services.user_set_preferred_language(user=request.user, language=language)
    return response
