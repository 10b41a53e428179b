from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllianceConfig(AppConfig):
    """The green merchant alliance. It builds on ``merchants.Merchant``; the merchants app knows nothing of
    it, so a shop can exist (and be tested) without the alliance installed."""

    name = "merchants.alliance"
    label = "alliance"
    verbose_name = _("Green merchant alliance")

    def ready(self) -> None:
        from merchants.alliance import venue_port

        venue_port.connect()
