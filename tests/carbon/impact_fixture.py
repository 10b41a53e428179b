"""A hand-computed campaign for the impact report: every figure below was worked out on paper.

Window: local (Asia/Shanghai) midnight of day 0 to midnight of day 3 - three days, 10 days ago.

Products: ``expiring`` (100.00, certificate valid until day 1 inclusive), ``green`` (55.50, certified
throughout), ``plain`` (30.00, never certified).

Counted orders (paid in the window, not cancelled)::

    O1 day 0 10:00  2 x expiring (200.00 green) + 1 x plain (30.00)  recycled  discount 20.00
    O2 day 1 07:00  1 x plain 30.00 (23:00 UTC the day before)         standard
    O3 day 2 09:00  1 x expiring 100.00 (certificate expired: not green) none
    O4 day 2 12:00  2 x green 111.00                                   recycled

    GMV 471.00, green GMV 311.00 (66.0%), discounts 20.00
    packaging: recycled 2 (50.0%), standard 1 (25.0%), none 1 (25.0%), reusable 0 (0.0%)

Not counted: O5 cancelled after payment (day 1), O6 paid a minute before the window, O7 paid exactly
at its end, O8 pending payment.

Labels of the active set: O1 1.2345 / baseline 2.0000 / saved 0.7655; O3 3.5000 / 3.2500 / -0.2500;
O4 0.5005 / 1.0000 / 0.4995; O2 has none yet. O5 (cancelled) has one, O1 has one of an older set.
    emitted 5.2350, baseline 6.2500, saved 1.0150 (16.2%), 3 labelled orders

Vouchers: allocation A (face 20.00), B (face 5.00)::

    V1 A claimed day 0 09:00, redeemed by O1 at day 0 10:00
    V2 A claimed day 1 12:00, issued
    V3 B claimed day 0 12:00, expired
    V4 B claimed day 2 08:00, void
    V5 B claimed day 2 09:00, issued
    claimed 5, issued 3 (45.00), redeemed 1 (20.00); a voucher of another campaign does not count.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from carbon.models import CarbonLabel, FactorSet
from marketplace.orders.models import Order, OrderLine, OrderStatus, Shipment
from tests.carbon.factories import CityFactory, ProductFactory, UserFactory
from tests.factories import StaffFactory
from tests.green_venue.factories import certified_product
from vouchers.models import Allocation, Campaign, CampaignStatus, Voucher, VoucherStatus


@dataclass
class ImpactFixture:
    campaign: Campaign
    other_campaign: Campaign
    days: list[datetime.date]
    orders: dict[str, Order]
    products: dict[str, Any]
    allocations: dict[str, Allocation]
    shopper: Any


def zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone())


def make_order(
    *,
    user: Any,
    lines: list[tuple[Any, int]],
    paid_at: datetime.datetime | None,
    packaging: str = "standard",
    status: str = OrderStatus.PAID,
    discount: Decimal = Decimal("0.00"),
) -> Order:
    subtotal = sum((product.price * quantity for product, quantity in lines), Decimal(0))
    order = Order.objects.create(
        user=user,
        status=status,
        shipping_city=CityFactory(),
        address="1 Green Road",
        packaging=packaging,
        subtotal=subtotal,
        discount=discount,
        total=subtotal - discount,
        paid_at=paid_at,
    )
    for product, quantity in lines:
        shipment, _ = Shipment.objects.get_or_create(
            order=order, merchant=product.merchant, defaults={"origin_city": product.merchant.city}
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


def make_label(order: Order, factor_set: FactorSet, parts: tuple[str, str, str], baseline: str) -> None:
    product, packaging, transport = (Decimal(part) for part in parts)
    total = product + packaging + transport
    CarbonLabel.objects.create(
        order=order,
        factor_set=factor_set,
        inputs={},
        details={},
        product_kgco2e=product,
        packaging_kgco2e=packaging,
        transport_kgco2e=transport,
        total_kgco2e=total,
        baseline_kgco2e=Decimal(baseline),
        saving_kgco2e=Decimal(baseline) - total,
        grade="B",
        quality="medium",
        uncertainty_low_kgco2e=total,
        uncertainty_high_kgco2e=total,
        engine_version="test",
    )


def make_voucher(
    allocation: Allocation,
    owner: Any,
    *,
    seq: int,
    claimed_at: datetime.datetime,
    status: str = VoucherStatus.ISSUED,
    order: Order | None = None,
    redeemed_at: datetime.datetime | None = None,
) -> Voucher:
    return Voucher.objects.create(
        owner=owner,
        allocation=allocation,
        seq=seq,
        per_user_limit=allocation.per_user_limit,
        face_value=allocation.face_value,
        min_spend=allocation.min_spend,
        status=status,
        claimed_at=claimed_at,
        expires_at=claimed_at + datetime.timedelta(days=7),
        order=order,
        redeemed_at=redeemed_at,
    )


def make_campaign(name: str, starts_at: datetime.datetime, ends_at: datetime.datetime) -> Campaign:
    return Campaign.objects.create(
        name=name,
        total_budget=Decimal("100000000.00"),
        allocated=Decimal("3000.00"),
        starts_at=starts_at,
        ends_at=ends_at,
        status=CampaignStatus.ENDED,
        created_by=StaffFactory(),
    )


def make_allocation(campaign: Campaign, name: str, face: str, min_spend: str) -> Allocation:
    return Allocation.objects.create(
        campaign=campaign,
        name=name,
        budget=Decimal("1500.00"),
        face_value=Decimal(face),
        min_spend=Decimal(min_spend),
        per_user_limit=5,
        claim_starts_at=campaign.starts_at,
        claim_ends_at=campaign.ends_at,
        valid_days=7,
    )


def impact_fixture() -> ImpactFixture:
    today = timezone.localtime(timezone.now(), zone()).date()
    day0 = today - datetime.timedelta(days=10)
    days = [day0 + datetime.timedelta(days=n) for n in range(3)]
    campaign = make_campaign("Green week", local(days[0], 0), local(day0 + datetime.timedelta(days=3), 0))
    other = make_campaign("Other campaign", local(days[0], 0), local(days[2], 0))

    expiring, _ = certified_product(price=Decimal("100.00"), valid_until=days[1])
    green, _ = certified_product(price=Decimal("55.50"))
    plain = ProductFactory(price=Decimal("30.00"))
    shopper = UserFactory()

    orders = {
        "O1": make_order(
            user=shopper,
            lines=[(expiring, 2), (plain, 1)],
            paid_at=local(days[0], 10),
            packaging="recycled",
            discount=Decimal("20.00"),
        ),
        "O2": make_order(user=shopper, lines=[(plain, 1)], paid_at=local(days[1], 7)),
        "O3": make_order(user=shopper, lines=[(expiring, 1)], paid_at=local(days[2], 9), packaging="none"),
        "O4": make_order(user=shopper, lines=[(green, 2)], paid_at=local(days[2], 12), packaging="recycled"),
        "O5": make_order(
            user=shopper, lines=[(green, 1)], paid_at=local(days[1], 8), status=OrderStatus.CANCELLED
        ),
        "O6": make_order(
            user=shopper, lines=[(green, 1)], paid_at=campaign.starts_at - datetime.timedelta(minutes=1)
        ),
        "O7": make_order(user=shopper, lines=[(green, 1)], paid_at=campaign.ends_at),
        "O8": make_order(user=shopper, lines=[(green, 1)], paid_at=None, status=OrderStatus.PENDING_PAYMENT),
    }

    active = FactorSet.objects.get(is_active=True)
    older = FactorSet.objects.create(
        version="impact-old", published_at=active.published_at, superseded_at=active.published_at
    )
    make_label(orders["O1"], active, ("1.0000", "0.1345", "0.1000"), "2.0000")
    make_label(orders["O1"], older, ("5.0000", "0.0000", "0.0000"), "9.0000")
    make_label(orders["O3"], active, ("3.0000", "0.2500", "0.2500"), "3.2500")
    make_label(orders["O4"], active, ("0.5000", "0.0005", "0.0000"), "1.0000")
    make_label(orders["O5"], active, ("9.0000", "0.0000", "0.0000"), "10.0000")

    allocations = {
        "A": make_allocation(campaign, "Green 20 off 100", "20.00", "100.00"),
        "B": make_allocation(campaign, "Green 5 off 30", "5.00", "30.00"),
    }
    make_voucher(
        allocations["A"],
        shopper,
        seq=1,
        claimed_at=local(days[0], 9),
        status=VoucherStatus.REDEEMED,
        order=orders["O1"],
        redeemed_at=local(days[0], 10),
    )
    make_voucher(allocations["A"], shopper, seq=2, claimed_at=local(days[1], 12))
    make_voucher(
        allocations["B"], shopper, seq=1, claimed_at=local(days[0], 12), status=VoucherStatus.EXPIRED
    )
    make_voucher(allocations["B"], shopper, seq=2, claimed_at=local(days[2], 8), status=VoucherStatus.VOID)
    make_voucher(allocations["B"], shopper, seq=3, claimed_at=local(days[2], 9))
    make_voucher(
        make_allocation(other, "Elsewhere", "50.00", "100.00"), shopper, seq=1, claimed_at=local(days[0], 9)
    )

    return ImpactFixture(
        campaign=campaign,
        other_campaign=other,
        days=days,
        orders=orders,
        products={"expiring": expiring, "green": green, "plain": plain},
        allocations=allocations,
        shopper=shopper,
    )
