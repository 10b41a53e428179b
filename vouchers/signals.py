"""The claims Redis remembers which user an API token names (the redis backend's one-round-trip claim,
``services.voucher_claim_by_token``); like the token cache (``marketplace.accounts.signals``), saving a
user or deleting a token forgets it at once, so a deactivated user is refused on the very next claim."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from rest_framework.authtoken.models import Token


def _forget(keys: list[str]) -> None:
    if settings.VOUCHER_CLAIM_BACKEND != "redis" or not keys:
        return
    from vouchers.backends.redis_journal import forget_tokens

    forget_tokens(keys)


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def forget_claim_tokens_of_saved_user(sender: Any, instance: Any, **kwargs: Any) -> None:
    if settings.VOUCHER_CLAIM_BACKEND == "redis":
        _forget(list(Token.objects.filter(user=instance).values_list("key", flat=True)))


@receiver(post_delete, sender=Token)
def forget_deleted_claim_token(sender: type[Token], instance: Token, **kwargs: Any) -> None:
    _forget([instance.key])
