"""Demo step: the carbon labels of the demo's paid orders and the footprint estimates of its products,
computed now (in the demo the label tasks would only run after the whole demo commits). Idempotent:
labels are unique per order and factor set, and fresh estimates are left alone."""

from __future__ import annotations

from typing import Any

from carbon import services
from carbon.models import FactorSet
from marketplace.catalog.models import Product
from marketplace.demo.context import MERCHANT_USERNAME_PREFIX
from marketplace.demo.past_orders import demo_paid_order_ids


def load_carbon_labels(ctx: Any) -> None:
    factor_set = FactorSet.objects.filter(is_active=True).first()
    if factor_set is None:
        return
    labels = services.carbon_labels_compute_batch(
        factor_set_id=factor_set.pk, order_ids=demo_paid_order_ids()
    )
    products = Product.objects.filter(merchant__owner__username__startswith=MERCHANT_USERNAME_PREFIX)
    estimates = services.product_footprints_refresh(product_ids=products.values_list("pk", flat=True))
    ctx.count("carbon labels", labels)
    ctx.count("product footprints", estimates)
