from __future__ import annotations

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
