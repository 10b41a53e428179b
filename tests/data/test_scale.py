"""``load_demo_data --scale`` on PostgreSQL, scaled down: products, shops and orders, idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Sum

from marketplace.catalog.models import Product
from marketplace.demo.scale import SCALE_MERCHANT_PREFIX
from marketplace.demo.scale_orders import SCALE_SHOPPER_PREFIX
from marketplace.orders.models import Order, OrderLine, Shipment
from merchants.models import Merchant

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def load_scale(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("load_demo_data", "--scale", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def scale_counts() -> tuple[int, int, int, int, int]:
    return (
        Merchant.objects.filter(owner__username__startswith=SCALE_MERCHANT_PREFIX).count(),
        Product.objects.filter(merchant__owner__username__startswith=SCALE_MERCHANT_PREFIX).count(),
        Order.objects.filter(user__username__startswith=SCALE_SHOPPER_PREFIX).count(),
        Shipment.objects.count(),
        OrderLine.objects.count(),
    )


@pytest.fixture
def small_batches(settings):
    settings.DEMO_BATCH_SIZE = 700  # several batches, the last one partial


def test_scale_creates_products_in_their_own_shops_and_is_idempotent(small_batches):
    _out, progress = load_scale("--products", "2000", "--orders", "0")

    shops = Merchant.objects.filter(owner__username__startswith=SCALE_MERCHANT_PREFIX)
    products = Product.objects.filter(merchant__in=shops)
    assert shops.count() == 40
    assert products.count() == 2000
    assert products.values("name_en").distinct().count() == 2000
    assert not products.filter(category__parent__isnull=True).exists()
    assert max(shops.annotate(n=Count("products")).values_list("n", flat=True)) == 50
    assert "scale products 2000/2000 (100%)" in progress
    # The hand-made demo is there too, apart from the scale data.
    assert Merchant.objects.filter(owner__username__startswith="demo_merchant").count() >= 30

    before = scale_counts()
    out, _ = load_scale("--products", "2000", "--orders", "0")
    assert scale_counts() == before
    assert "Created: nothing new" in out


def test_scale_resumes_where_it_stopped(small_batches):
    load_scale("--products", "1000", "--orders", "0")
    first_names = set(
        Product.objects.filter(merchant__owner__username__startswith=SCALE_MERCHANT_PREFIX).values_list(
            "name_en", flat=True
        )
    )

    load_scale("--products", "2000", "--orders", "0")

    names = set(
        Product.objects.filter(merchant__owner__username__startswith=SCALE_MERCHANT_PREFIX).values_list(
            "name_en", flat=True
        )
    )
    assert len(names) == 2000 and first_names < names


def test_scale_orders_are_consistent_and_idempotent(small_batches):
    load_scale("--products", "2000", "--orders", "1500")

    orders = Order.objects.filter(user__username__startswith=SCALE_SHOPPER_PREFIX)
    assert orders.count() == 1500
    # Totals add up, line by line and order by order (the model's check constraints hold too).
    mismatched = orders.annotate(lines_sum=Sum("lines__line_total")).exclude(subtotal=F("lines_sum"))
    assert not mismatched.exists()
    assert not orders.exclude(total=F("subtotal") - F("discount")).exists()
    # Every line ships from its product's shop, and every shipment leaves from its shop's city.
    assert not OrderLine.objects.exclude(merchant=F("product__merchant")).exists()
    assert not OrderLine.objects.exclude(shipment__merchant=F("merchant")).exists()
    assert not Shipment.objects.exclude(origin_city=F("merchant__city")).exists()
    assert not Shipment.objects.filter(lines__isnull=True).exists()
    # Histories make sense: delivered orders were paid and shipped; cancelled ones never paid.
    assert not orders.filter(status="delivered", shipped_at__isnull=True).exists()
    assert not orders.filter(status="cancelled", paid_at__isnull=False).exists()
    assert not orders.filter(status="paid").exclude(shipments__status="pending").exists()
    assert set(orders.values_list("status", flat=True)) == {"delivered", "shipped", "paid", "cancelled"}

    before = scale_counts()
    load_scale("--products", "2000", "--orders", "1500")
    assert scale_counts() == before


SEEN_BY_SCALE_STEP: list[int] = []


def record_scale_products(ctx) -> None:
    SEEN_BY_SCALE_STEP.append(
        Product.objects.filter(merchant__owner__username__startswith=SCALE_MERCHANT_PREFIX).count()
    )
    ctx.count("recorded", 1)


def test_scale_steps_of_features_run_after_the_scale_products(monkeypatch):
    monkeypatch.setattr("marketplace.demo.steps.SCALE_STEPS", ["tests.data.test_scale.record_scale_products"])
    SEEN_BY_SCALE_STEP.clear()

    out, _ = load_scale("--products", "120", "--orders", "0")

    assert SEEN_BY_SCALE_STEP == [120]
    assert "1 recorded" in out
