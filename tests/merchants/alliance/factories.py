"""Builders for alliance tests: members, commitments, and paid orders with exact dates and amounts."""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal
from typing import Any

from django.conf import settings

from merchants.alliance.models import (
    AllianceMembership,
    Commitment,
    Kpi,
    MembershipStatus,
    ProgressReport,
)
from tests.factories import CityFactory, MerchantFactory, ProductFactory, UserFactory
from tests.green_venue.factories import certified_product

__all__ = [
    "active_member",
    "certified_products",
    "commitment",
    "paid_order",
    "report",
]


def certified_products(merchant: Any, count: int) -> list[Any]:
    return [certified_product(merchant=merchant)[0] for _ in range(count)]


def active_member(merchant: Any = None, **values: Any) -> AllianceMembership:
    merchant = merchant or MerchantFactory()
    return AllianceMembership.objects.create(
        merchant=merchant,
        status=MembershipStatus.ACTIVE,
        pledges=["green_products"],
        criteria_passed=True,
        activated_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        **values,
    )


def commitment(membership: AllianceMembership, kpi_code: str, **values: Any) -> Commitment:
    kpi = Kpi.objects.get(code=kpi_code)
    defaults: dict[str, Any] = {
        "baseline_value": Decimal("10"),
        "baseline_date": datetime.date(2026, 1, 1),
        "target_value": Decimal("50") if kpi.direction == "higher" else Decimal("5"),
        "target_date": datetime.date(2027, 12, 31),
        "verification_level": "platform_measured" if kpi.source == "platform" else "self_declared",
    }
    defaults.update(values)
    return Commitment.objects.create(membership=membership, kpi=kpi, **defaults)


def report(commitment: Commitment, period_end: datetime.date, value: str, source: str | None = None) -> Any:
    return ProgressReport.objects.create(
        commitment=commitment,
        period_start=period_end.replace(day=1),
        period_end=period_end,
        value=Decimal(value),
        source=source or commitment.kpi.source,
    )


def local_noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def paid_order(
    *lines: tuple[Any, int],
    paid_on: datetime.date,
    packaging: str = "standard",
    status: str = "paid",
    shipped_on: datetime.date | None = None,
) -> Any:
    """An order written directly (paid on a chosen day), one shipment per merchant, exact line totals."""
    from marketplace.orders.models import Order, OrderLine, Shipment

    subtotal = sum((product.price * quantity for product, quantity in lines), Decimal(0))
    order = Order.objects.create(
        user=UserFactory(),
        status=status,
        shipping_city=CityFactory(),
        address="1 Green Road",
        packaging=packaging,
        subtotal=subtotal,
        discount=Decimal(0),
        total=subtotal,
        paid_at=local_noon(paid_on),
    )
    shipments: dict[int, Any] = {}
    for product, quantity in lines:
        merchant = product.merchant
        if merchant.pk not in shipments:
            shipments[merchant.pk] = Shipment.objects.create(
                order=order,
                merchant=merchant,
                origin_city=merchant.city,
                status="shipped" if shipped_on else "pending",
                shipped_at=local_noon(shipped_on) if shipped_on else None,
            )
        OrderLine.objects.create(
            order=order,
            product=product,
            merchant=merchant,
            shipment=shipments[merchant.pk],
            product_name_en=product.name_en,
            unit_price=product.price,
            quantity=quantity,
            line_total=product.price * quantity,
            weight_grams=product.weight_grams,
            category=product.category,
        )
    return order


def label(order: Any, *, total: str, saving: str, factor_set: Any = None) -> Any:
    from carbon.models import CarbonLabel, FactorSet

    factor_set = factor_set or FactorSet.objects.get(is_active=True)
    total_kg = Decimal(total)
    return CarbonLabel.objects.create(
        order=order,
        factor_set=factor_set,
        inputs={},
        details={},
        product_kgco2e=total_kg,
        packaging_kgco2e=Decimal(0),
        transport_kgco2e=Decimal(0),
        total_kgco2e=total_kg,
        baseline_kgco2e=total_kg + Decimal(saving),
        saving_kgco2e=Decimal(saving),
        grade="B",
        quality="medium",
        uncertainty_low_kgco2e=total_kg,
        uncertainty_high_kgco2e=total_kg,
        engine_version="test",
    )


def plain_product(merchant: Any, price: str = "100.00", **values: Any) -> Any:
    return ProductFactory(merchant=merchant, price=Decimal(price), **values)
