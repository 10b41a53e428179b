from django.apps import AppConfig


class GreenVenueConfig(AppConfig):
    name = "green_venue"
    label = "green_venue"

    def ready(self) -> None:
        from green_venue import signals

        signals.connect()
