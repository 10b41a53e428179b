"""System checks: a misconfigured payment provider or a missing carbon label port fails ``manage.py check``
at start-up, not the first customer's payment."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

from marketplace.orders.ports import carbon_labels_registered


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


@checks.register(checks.Tags.compatibility)
def check_carbon_labels_registered(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every paid order must get a carbon label: without the carbon app's port nothing would ask for one."""
    if carbon_labels_registered():
        return []
    return [checks.Error("No carbon label port is registered (marketplace.orders.ports)", id="orders.E003")]
