from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MerchantsConfig(AppConfig):
    name = "merchants"
    verbose_name = _("Merchants and the green alliance")

    def ready(self) -> None:
        from merchants.alliance import venue_port

        venue_port.connect()
