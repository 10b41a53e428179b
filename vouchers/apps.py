from django.apps import AppConfig


class VouchersConfig(AppConfig):
    name = "vouchers"
    label = "vouchers"

    def ready(self) -> None:
        from vouchers import signals  # noqa: F401 - connects the receivers
