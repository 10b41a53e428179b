from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "marketplace.orders"
    label = "orders"

    def ready(self) -> None:
        from marketplace.orders import checks  # noqa: F401  (registers the system checks)
