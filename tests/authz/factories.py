"""One small marketplace world owned by "shopper" and "merchant", with four more roles looking in.

Every object the authorization matrix needs exists once, owned by ``shopper`` (orders, cart, vouchers,
carbon account) or ``merchant`` (shop, products, certificates, shipments, alliance membership); the
``other_*`` users own look-alikes of their own so "not yours" is tested against a real object.
Objects whose state a row changes (a draft campaign to activate, an applied membership to approve...)
are built by the row itself, on a fresh world for every test.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from rest_framework.test import APIClient

from green_venue.models import (
    Certificate,
    CertificateProduct,
    CertificateStatus,
    EvidenceFile,
)
from marketplace.orders import services as order_services
from merchants.alliance.models import AllianceMembership, Commitment, Kpi, KpiSource, MembershipStatus
from tests.conftest import client_for
from tests.factories import CategoryFactory, CityFactory, MerchantFactory, StaffFactory, UserFactory
from tests.green_venue.factories import CertificateFactory, SchemeFactory, certified_product
from vouchers import services as voucher_services

ROLES = ("anonymous", "shopper", "other_shopper", "merchant", "other_merchant", "staff")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    users: dict[str, Any]
    city: Any
    category: Any
    scheme: Any
    product: Any
    other_product: Any
    merchant: Any
    other_merchant: Any
    order: Any
    cart_item: Any
    voucher: Any
    allocation: Any
    campaign: Any
    certificate: Any
    evidence: Any
    extra: dict[str, Any] = field(default_factory=dict)

    def client(self, role: str) -> APIClient:
        user = self.users[role]
        return APIClient() if user is None else client_for(user)

    # --- objects a row builds in the state it needs -------------------------------------------------
    def submitted_certificate(self) -> Certificate:
        certificate: Any = CertificateFactory(
            merchant=self.merchant, scheme=self.scheme, status=CertificateStatus.SUBMITTED
        )
        CertificateProduct.objects.create(certificate=certificate, product=self.product)
        evidence = EvidenceFile(
            certificate=certificate,
            original_name="certificate.pdf",
            content_type="application/pdf",
            size=len(PDF),
            sha256="0" * 64,
            uploaded_by=self.merchant.owner,
        )
        evidence.file.save("certificate.pdf", ContentFile(PDF), save=True)
        return certificate

    def membership(self, status: str) -> AllianceMembership:
        # Approval re-checks the alliance's criteria, among them a minimum of green certified products.
        for _ in range(settings.ALLIANCE_MIN_CERTIFIED_PRODUCTS):
            certified_product(scheme=self.scheme, category=self.category, merchant=self.merchant)
        return AllianceMembership.objects.create(
            merchant=self.merchant,
            status=status,
            pledges=["green_products"],
            criteria_passed=True,
            activated_at=None if status == MembershipStatus.APPLIED else timezone.now(),
        )

    def commitment(self) -> Commitment:
        membership = self.membership(MembershipStatus.ACTIVE)
        kpi = Kpi.objects.filter(source=KpiSource.DECLARED).order_by("code").first() or Kpi.objects.first()
        assert kpi is not None, "the KPI catalogue is seeded by a migration"
        higher = kpi.direction == "higher"
        return Commitment.objects.create(
            membership=membership,
            kpi=kpi,
            baseline_value=Decimal("10"),
            baseline_date=datetime.date(2026, 1, 1),
            target_value=Decimal("50") if higher else Decimal("5"),
            target_date=datetime.date(2027, 12, 31),
            verification_level="self_declared",
        )

    def campaign_in(self, status: str) -> Any:
        from tests.vouchers.factories import make_campaign

        campaign = make_campaign(user=self.users["staff"], activate=status != "draft", name=f"C {status}")
        if status in ("paused", "ended"):
            action = "pause" if status == "paused" else "end"
            campaign = voucher_services.campaign_transition(
                campaign_id=campaign.pk, user=self.users["staff"], action=action
            )
        return campaign

    def draft_factor_set(self) -> Any:
        from carbon.models import FactorSet

        active = FactorSet.objects.get(is_active=True)
        draft = FactorSet.objects.create(version="authz-draft", sources=active.sources)
        for factor in active.factors.all():
            factor.pk = None
            factor.factor_set = draft
            factor.save()
        return draft


def build_world() -> World:
    from tests.vouchers.factories import make_allocation, make_campaign

    city = CityFactory()
    category = CategoryFactory()
    scheme = SchemeFactory()
    merchant = MerchantFactory(owner=UserFactory(username="merchant"), city=city)
    other_merchant = MerchantFactory(owner=UserFactory(username="other_merchant"), city=city)
    product, certificate = certified_product(
        scheme=scheme, category=category, merchant=merchant, price=Decimal("120.00"), stock=50
    )
    other_product, _ = certified_product(
        scheme=scheme, category=category, merchant=other_merchant, price=Decimal("80.00"), stock=50
    )
    users: dict[str, Any] = {
        "anonymous": None,
        "shopper": UserFactory(username="shopper"),
        "other_shopper": UserFactory(username="other_shopper"),
        "merchant": merchant.owner,
        "other_merchant": other_merchant.owner,
        "staff": StaffFactory(username="staff"),
    }
    shopper, other_shopper = users["shopper"], users["other_shopper"]

    campaign = make_campaign(user=users["staff"])
    allocation = make_allocation(campaign=campaign, per_user_limit=5, budget="1000.00")
    voucher_code = voucher_services.voucher_claim(user=shopper, allocation_id=allocation.pk).code
    voucher_services.voucher_claim(user=other_shopper, allocation_id=allocation.pk)
    from vouchers.models import Voucher

    voucher = Voucher.objects.get(code=voucher_code)

    # The shopper's paid order (one shipment, from "merchant"), and the other shopper's.
    order_services.cart_add_item(user=shopper, product=product, quantity=1)
    order = order_services.order_place(
        user=shopper, shipping_city=city, address="1 Green Road", packaging="standard", voucher_code=None
    )
    order = order_services.order_pay(order=order)
    order_services.cart_add_item(user=other_shopper, product=other_product, quantity=1)
    other_order = order_services.order_place(
        user=other_shopper,
        shipping_city=city,
        address="2 Green Road",
        packaging="standard",
        voucher_code=None,
    )
    cart_item = order_services.cart_add_item(user=shopper, product=product, quantity=2)

    evidence = EvidenceFile(
        certificate=certificate,
        original_name="certificate.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        uploaded_by=merchant.owner,
    )
    evidence.file.save("certificate.pdf", ContentFile(PDF), save=True)

    return World(
        users=users,
        city=city,
        category=category,
        scheme=scheme,
        product=product,
        other_product=other_product,
        merchant=merchant,
        other_merchant=other_merchant,
        order=order,
        cart_item=cart_item,
        voucher=voucher,
        allocation=allocation,
        campaign=campaign,
        certificate=certificate,
        evidence=evidence,
        extra={"other_order": other_order},
    )
