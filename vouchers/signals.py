"""The claims Redis remembers which user an API token names (the redis backend's one-round-trip claim,
``services.voucher_claim_by_token``). It learns a token when the token cache does (any authenticated API
call, so a shopper's very first claim is already one round trip) and, like the token cache
(``marketplace.accounts.signals``), forgets it at once when the user is saved or the token deleted, so a
deactivated user is refused on the very next claim.

Why signals: the accounts app sits below the vouchers and must not know the claims Redis, and users and
tokens are written by many paths (admin, password change, the shell); the claims Redis is a cache of
them that must follow every write."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from rest_framework.authtoken.models import Token

from marketplace.accounts.authentication import token_cached


def _forget(keys: list[str]) -> None:
    if settings.VOUCHER_CLAIM_BACKEND != "redis" or not keys:
        return
    from vouchers.backends.redis.tokens import forget_tokens

    forget_tokens(keys)


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def forget_claim_tokens_of_saved_user(sender: Any, instance: Any, **kwargs: Any) -> None:
    if settings.VOUCHER_CLAIM_BACKEND == "redis":
        _forget(list(Token.objects.filter(user=instance).values_list("key", flat=True)))


@receiver(post_delete, sender=Token)
def forget_deleted_claim_token(sender: type[Token], instance: Token, **kwargs: Any) -> None:
    _forget([instance.key])


@receiver(token_cached)
def remember_claim_token(sender: Any, key: str, user_id: int, seconds: int, **kwargs: Any) -> None:
    if settings.VOUCHER_CLAIM_BACKEND == "redis":
        from vouchers.backends.redis.tokens import remember_token

        remember_token(key=key, user_id=user_id, seconds=seconds)
