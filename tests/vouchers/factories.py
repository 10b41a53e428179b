from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from marketplace.orders.models import Order, OrderLine, Shipment
from tests.factories import CityFactory, StaffFactory
from tests.green_venue.factories import certified_product
from vouchers import services
from vouchers.models import Allocation, Campaign

__all__ = ["certified_product", "make_allocation", "make_campaign", "make_order"]


def make_campaign(*, total_budget: str = "100000.00", activate: bool = True, **kwargs: Any) -> Campaign:
    now = timezone.now()
    campaign = services.campaign_create(
        user=kwargs.pop("user", None) or StaffFactory(),
        name=kwargs.pop("name", "Double Eleven green week"),
        total_budget=Decimal(total_budget),
        starts_at=kwargs.pop("starts_at", now - timedelta(hours=1)),
        ends_at=kwargs.pop("ends_at", now + timedelta(days=30)),
    )
    if activate:
        campaign = services.campaign_transition(
            campaign_id=campaign.pk, user=campaign.created_by, action="activate"
        )
    return campaign


def make_allocation(
    *,
    campaign: Campaign | None = None,
    budget: str = "1000.00",
    face_value: str = "10.00",
    min_spend: str = "50.00",
    per_user_limit: int = 1,
    valid_days: int = 7,
    **kwargs: Any,
) -> Allocation:
    campaign = campaign or make_campaign()
    return services.allocation_create(
        campaign_id=campaign.pk,
        user=campaign.created_by,
        name=kwargs.pop("name", "Green 10 off 50"),
        budget=Decimal(budget),
        face_value=Decimal(face_value),
        min_spend=Decimal(min_spend),
        per_user_limit=per_user_limit,
        claim_starts_at=kwargs.pop("claim_starts_at", campaign.starts_at),
        claim_ends_at=kwargs.pop("claim_ends_at", campaign.ends_at),
        valid_days=valid_days,
        **kwargs,
    )


def make_order(*, user: Any, lines: list[tuple[Any, int]]) -> Order:
    """An order as checkout builds it (pending payment, lines and shipments), without a discount yet."""
    city = CityFactory()
    subtotal = sum((product.price * quantity for product, quantity in lines), Decimal(0))
    order = Order.objects.create(
        user=user, shipping_city=city, address="1 Green Road", subtotal=subtotal, total=subtotal
    )
    shipments: dict[int, Shipment] = {}
    for product, quantity in lines:
        shipment = shipments.get(product.merchant_id)
        if shipment is None:
            shipment = shipments[product.merchant_id] = Shipment.objects.create(
                order=order, merchant=product.merchant, origin_city=product.merchant.city
            )
        OrderLine.objects.create(
            order=order,
            product=product,
            merchant=product.merchant,
            shipment=shipment,
            product_name_en=product.name_en,
            unit_price=product.price,
            quantity=quantity,
            line_total=product.price * quantity,
            weight_grams=product.weight_grams,
            category=product.category,
        )
    return order
