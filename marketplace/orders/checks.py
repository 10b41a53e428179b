"""System checks: a misconfigured payment provider fails ``manage.py check`` at start-up, not the first
customer's payment."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string


@checks.register(checks.Tags.compatibility)
def check_payment_provider(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    path = settings.PAYMENT_PROVIDER
    try:
        provider_class = import_string(path)
    except ImportError as exc:
        return [checks.Error(f"PAYMENT_PROVIDER={path!r} cannot be imported: {exc}", id="orders.E001")]
    missing = [name for name in ("name", "charge", "refund") if not hasattr(provider_class, name)]
    if missing:
        return [
            checks.Error(
                f"PAYMENT_PROVIDER={path!r} lacks {', '.join(missing)} (see marketplace.orders.payments)",
                id="orders.E002",
            )
        ]
    return []
