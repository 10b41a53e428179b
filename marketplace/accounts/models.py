from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person on the marketplace.

    The role is derived, not stored: staff have ``is_staff``; a merchant is a user who owns a shop
    (``merchants.Merchant``); everyone else is a shopper.
    """

    email = models.EmailField(_("email address"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        blank=True,
        help_text=_("Language code chosen with the switcher; empty follows the browser."),
    )

    @property
    def role(self) -> str:
        if self.is_staff:
            return "staff"
        if self.pk and hasattr(self, "merchant"):
            return "merchant"
        return "shopper"
