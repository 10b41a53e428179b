from django.apps import AppConfig


class GreenVenueConfig(AppConfig):
    name = "green_venue"
    label = "green_venue"
