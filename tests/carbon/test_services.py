"""Labels through the real order flow, idempotency, factor-set publication and recomputation."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from carbon import selectors, services
from carbon.factor_data import DEFAULT_FACTOR_SET_FILE
from carbon.models import CarbonLabel, FactorSet, ImmutableLabel
from marketplace.orders import services as order_services
from tests.carbon.factories import (
    MerchantFactory,
    ProductFactory,
    UserFactory,
    appliance_category,
    beijing,
    paid_order,
    place_and_pay,
    shanghai,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def kettle():
    merchant = MerchantFactory(city=beijing())
    return ProductFactory(
        merchant=merchant, category=appliance_category(), weight_grams=1000, price=Decimal("199.00")
    )


def _new_set(version: str = "2026.1") -> FactorSet:
    return services.factor_set_create_from_file(path=DEFAULT_FACTOR_SET_FILE, version=version)


def test_the_default_factor_set_is_loaded_and_active():
    active = selectors.active_factor_set()
    assert active is not None and active.version == "2025.1"
    assert active.factors.filter(
        key="grid.cn.generation", value=Decimal("0.5366"), scope="generation-only"
    ).exists()
    assert not active.factors.filter(source="").exists()


def test_paying_an_order_gives_it_a_label(kettle, django_capture_on_commit_callbacks):
    shopper = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        order = place_and_pay(shopper, (kettle, 2), city=shanghai(), packaging="recycled")
    label = selectors.carbon_label_for_order(order)
    assert label is not None
    assert label.factor_set.version == "2025.1"
    assert label.total_kgco2e == label.product_kgco2e + label.packaging_kgco2e + label.transport_kgco2e
    assert label.product_kgco2e == Decimal("13.0000")  # 2 kg of home appliances at 6.5 kgCO2e/kg
    assert label.saving_kgco2e > 0  # the recycled box beats the virgin one
    assert label.inputs["packaging"] == "recycled"
    data = selectors.carbon_label_data_for_order(order)
    assert data is not None and data["grade"] == label.grade
    assert {leg["scope"] for leg in data["transport_legs"]} == {"WTW"}


def test_an_unpaid_order_gets_no_label(kettle):
    for product, quantity in [(kettle, 1)]:
        order_services.cart_add_item(user=(shopper := UserFactory()), product=product, quantity=quantity)
    order = order_services.order_place(
        user=shopper, shipping_city=shanghai(), address="x", packaging="standard", voucher_code=None
    )
    assert services.carbon_label_order_compute(order_id=order.pk) == 0
    assert selectors.carbon_label_for_order(order) is None


def test_computing_twice_keeps_one_label(kettle):
    order = paid_order(user=UserFactory(), product=kettle, city=shanghai())
    services.carbon_label_order_compute(order_id=order.pk)
    services.carbon_label_order_compute(order_id=order.pk)
    active = selectors.active_factor_set()
    services.carbon_labels_compute_batch(factor_set_id=active.pk, order_ids=[order.pk, order.pk])
    assert CarbonLabel.objects.filter(order=order).count() == 1


def test_labels_are_immutable(kettle):
    order = paid_order(user=UserFactory(), product=kettle, city=shanghai())
    services.carbon_label_order_compute(order_id=order.pk)
    label = CarbonLabel.objects.get(order=order)
    label.grade = "A"
    with pytest.raises(ImmutableLabel):
        label.save()


def test_publishing_a_new_set_recomputes_beside_the_old_labels(
    kettle, settings, django_capture_on_commit_callbacks
):
    settings.CARBON_BATCH_SIZE = 2
    orders = [paid_order(user=UserFactory(), product=kettle, city=shanghai()) for _ in range(5)]
    for order in orders:
        services.carbon_label_order_compute(order_id=order.pk)
    old = selectors.active_factor_set()
    new = _new_set()
    assert selectors.recomputation_progress(new)["orders"] == 0  # a draft applies to nothing
    with django_capture_on_commit_callbacks(execute=True):
        recomputation = services.factor_set_publish(factor_set=new)
    assert recomputation is not None and recomputation.total_orders == 5
    old.refresh_from_db()
    assert not old.is_active and old.superseded_at is not None
    for order in orders:
        assert CarbonLabel.objects.filter(order=order).count() == 2
        assert selectors.carbon_label_for_order(order).factor_set == new
    progress = selectors.recomputation_progress(new)
    assert (progress["orders"], progress["labelled"], progress["percent"], progress["batches_enqueued"]) == (
        5,
        5,
        100,
        3,
    )
    # Publishing the active set again changes nothing.
    assert services.factor_set_publish(factor_set=new) is None


def test_an_order_paid_after_a_new_set_gets_only_the_new_label(kettle, django_capture_on_commit_callbacks):
    new = _new_set()
    with django_capture_on_commit_callbacks(execute=True):
        services.factor_set_publish(factor_set=new)
    order = paid_order(user=UserFactory(), product=kettle, city=shanghai())
    services.carbon_label_order_compute(order_id=order.pk)
    assert list(CarbonLabel.objects.filter(order=order).values_list("factor_set__version", flat=True)) == [
        "2026.1"
    ]


def test_a_set_missing_required_factors_cannot_be_published():
    incomplete = services.factor_set_create(
        version="broken",
        sources=[{"code": "s", "title": "t", "url": ""}],
        rows=[
            {
                "key": "transport.hgv.wtw",
                "value": "0.1",
                "unit": "kgCO2e/tkm",
                "scope": "WTW",
                "source": "s",
                "table": "x",
            }
        ],
    )
    with pytest.raises(services.InvalidInput):
        services.factor_set_publish(factor_set=incomplete)
    assert selectors.active_factor_set().version == "2025.1"


def test_sweep_enqueues_paid_orders_without_a_label(kettle, settings):
    settings.CARBON_SWEEP_GRACE_SECONDS = 0
    order = paid_order(
        user=UserFactory(),
        product=kettle,
        city=shanghai(),
        paid_at=timezone.now() - timezone.timedelta(minutes=10),
    )
    assert services.carbon_labels_sweep() == 1  # eager tasks in tests: the label is computed
    assert CarbonLabel.objects.filter(order=order).count() == 1
    assert services.carbon_labels_sweep() == 0


def test_packaging_footprints_for_cart(kettle):
    estimates = selectors.packaging_footprints_for_cart(items=[(kettle, 1)], destination=shanghai())
    assert set(estimates) == {"standard", "recycled", "reusable"}
    assert Decimal(estimates["recycled"]["packaging_kgco2e"]) < Decimal(
        estimates["standard"]["packaging_kgco2e"]
    )
    kettle.ships_in_own_box = True
    assert "none" in selectors.packaging_footprints_for_cart(items=[(kettle, 1)], destination=shanghai())


def test_product_footprint_estimate(kettle):
    estimate = selectors.product_footprint_estimate(kettle)
    assert (estimate.tier, estimate.grade, estimate.kgco2e) == ("category", "C", Decimal("6.5000"))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_leave_exactly_one_label(kettle):
    order = paid_order(user=UserFactory(), product=kettle, city=shanghai())
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            barrier.wait()
            services.carbon_label_order_compute(order_id=order.pk)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert CarbonLabel.objects.filter(order=order).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_only_one_factor_set_can_be_active():
    from django.db import IntegrityError

    draft = _new_set("2026.9")
    with pytest.raises(IntegrityError):
        FactorSet.objects.filter(pk=draft.pk).update(is_active=True, published_at=timezone.now())


def test_an_order_the_engine_cannot_label_does_not_block_the_batch(kettle, caplog):
    good = paid_order(user=UserFactory(), product=kettle, city=shanghai())
    bad = paid_order(user=UserFactory(), product=kettle, city=shanghai())
    type(bad).objects.filter(pk=bad.pk).update(packaging="gift-wrap")  # not a choice the engine knows
    active = selectors.active_factor_set()
    assert services.carbon_labels_compute_batch(factor_set_id=active.pk, order_ids=[good.pk, bad.pk]) == 1
    assert CarbonLabel.objects.filter(order=good).exists()
    assert not CarbonLabel.objects.filter(order=bad).exists()
    assert "failed" in caplog.text


def test_product_estimates_are_stored_for_the_venue_and_refreshed_when_stale(
    kettle, django_capture_on_commit_callbacks
):
    from carbon.models import ProductFootprint
    from marketplace.catalog.models import Product

    low = ProductFactory(
        merchant=kettle.merchant,
        category=kettle.category,
        weight_grams=1000,
        declared_footprint_kg=Decimal("2.0"),
        declared_footprint_document="https://example.com/epd.pdf",
    )
    assert services.product_footprints_refresh() == 2
    assert services.product_footprints_refresh() == 0  # nothing stale
    by_grade = dict(Product.objects.values_list("pk", "carbon_footprint__grade"))
    assert by_grade == {kettle.pk: "C", low.pk: "A"}
    ordered = list(Product.objects.order_by("carbon_footprint__kgco2e").values_list("pk", flat=True))
    assert ordered == [low.pk, kettle.pk]

    kettle.declared_footprint_kg = Decimal("1.0")
    kettle.declared_footprint_document = "https://example.com/pcf.pdf"
    kettle.save()  # newer than its estimate
    assert services.product_footprints_refresh() == 1
    footprint = ProductFootprint.objects.get(product=kettle)
    assert (footprint.tier, footprint.grade, footprint.kgco2e) == ("declared", "A", Decimal("1.0000"))

    new = _new_set()
    with django_capture_on_commit_callbacks(execute=True):
        services.factor_set_publish(factor_set=new)  # eager tasks: estimates move to the new set
    assert set(ProductFootprint.objects.values_list("factor_set__version", flat=True)) == {"2026.1"}


def test_labels_of_an_order_list_in_constant_queries(kettle, django_assert_max_num_queries):
    from marketplace.orders.models import Order

    for _ in range(4):
        services.carbon_label_order_compute(
            order_id=paid_order(user=UserFactory(), product=kettle, city=shanghai()).pk
        )
    selectors.active_factor_set_id()  # warm the cache, as any earlier request would
    with django_assert_max_num_queries(2):
        orders = list(Order.objects.prefetch_related(selectors.carbon_labels_prefetch()))
        labels = [selectors.carbon_label_for_order(order) for order in orders]
    assert len(labels) == 4 and all(label is not None for label in labels)


@pytest.mark.postgres
def test_the_database_refuses_to_rewrite_a_label(kettle):
    from django.db import IntegrityError, transaction

    order = paid_order(user=UserFactory(), product=kettle, city=shanghai())
    services.carbon_label_order_compute(order_id=order.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        CarbonLabel.objects.filter(order=order).update(grade="A")
    assert CarbonLabel.objects.get(order=order).grade == "C"
    order.delete()  # deleting the order still removes its labels
    assert not CarbonLabel.objects.filter(order_id=order.pk).exists()
