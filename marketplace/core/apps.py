from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared pieces (money, errors, pagination, health); holds no models."""

    name = "marketplace.core"
    label = "core"
