from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from marketplace.accounts.models import User
from marketplace.core.errors import DomainError, InvalidInput


@transaction.atomic
def user_register(*, username: str, email: str, password: str) -> User:
    """Create a shopper account. Usernames are unique regardless of case."""
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput("A user with that username already exists.", field="username")
    candidate = User(username=username, email=email)
    try:
        validate_password(password, user=candidate)
    except DjangoValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="password") from exc
    candidate.set_password(password)
    candidate.save()
    return candidate


def token_obtain(*, username: str, password: str) -> Token:
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        raise DomainError(
            "Unable to log in with the given username and password.",
            code="invalid_credentials",
            status_code=400,
        )
    token, _created = Token.objects.get_or_create(user=user)
    return token


def supported_language(code: str) -> str | None:
    """The site's spelling of ``code`` if it is one of ``settings.LANGUAGES`` (any case), else None."""
    wanted = code.strip().lower()
    return next((lang for lang, _name in settings.LANGUAGES if lang.lower() == wanted), None)


def user_preferred_language(*, user: User) -> str | None:
    """The language the user chose with the switcher, if the site still offers it."""
    return supported_language(user.preferred_language) if user.preferred_language else None


def user_set_preferred_language(*, user: User, language: str) -> None:
    """Remember ``language`` (a code of ``settings.LANGUAGES``) as the user's choice."""
    code = supported_language(language)
    if code is None:
        raise InvalidInput(f"Unsupported language {language!r}.", field="preferred_language")
    if user.preferred_language != code:
        user.preferred_language = code
        user.save(update_fields=["preferred_language"])
