from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data (``manage.py load_demo_data``). It may import every app; no app imports it."""

    name = "marketplace.demo"
    label = "demo"
