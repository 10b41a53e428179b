from django.apps import AppConfig


class CarbonConfig(AppConfig):
    name = "carbon"
    label = "carbon"

    def ready(self) -> None:
        from carbon.order_port import CarbonLabelsForOrders
        from marketplace.orders.ports import register_carbon_labels

        register_carbon_labels(CarbonLabelsForOrders())
