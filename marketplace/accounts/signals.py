"""The API token cache forgets a token as soon as its user is saved or the token deleted.

Why signals: a user is saved by the admin, the password change, a deactivation, the shell; each of them
must end the cached authentication at once (a deactivated user is refused on the very next request), and
no single service causes all of those writes.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from rest_framework.authtoken.models import Token

from marketplace.accounts.authentication import forget_token
from marketplace.accounts.models import User


@receiver(post_save, sender=User)
def forget_cached_tokens_of_saved_user(sender: type[User], instance: User, **kwargs: Any) -> None:
    for key in Token.objects.filter(user=instance).values_list("key", flat=True):
        forget_token(key)


@receiver(post_delete, sender=Token)
def forget_deleted_token(sender: type[Token], instance: Token, **kwargs: Any) -> None:
    forget_token(instance.key)
