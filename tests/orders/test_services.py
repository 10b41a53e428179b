from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.catalog.models import Product
from marketplace.core.errors import DomainError, InvalidInput, NotFound
from marketplace.core.money import Money
from marketplace.orders import selectors, services
from marketplace.orders.models import (
    CartItem,
    Order,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentStatus,
    Shipment,
    ShipmentStatus,
)
from tests.factories import CityFactory, MerchantFactory, ProductFactory, UserFactory
from tests.orders.factories import fill_cart, place_order

pytestmark = pytest.mark.django_db


def _stock(product) -> int:
    product.refresh_from_db()
    return product.stock


# --- cart -----------------------------------------------------------------------------------------


def test_adding_a_product_twice_merges_the_quantity():
    user = UserFactory()
    product = ProductFactory(stock=10)
    services.cart_add_item(user=user, product=product, quantity=2)
    services.cart_add_item(user=user, product=product, quantity=3)
    items = selectors.cart_items(cart=services.cart_get_for_user(user=user))
    assert [(item.product_id, item.quantity) for item in items] == [(product.pk, 5)]


def test_cart_refuses_more_than_the_stock_and_inactive_products():
    user = UserFactory()
    product = ProductFactory(stock=2)
    with pytest.raises(DomainError) as excinfo:
        services.cart_add_item(user=user, product=product, quantity=3)
    assert excinfo.value.code == "out_of_stock"
    hidden = ProductFactory(active=False)
    with pytest.raises(DomainError) as excinfo:
        services.cart_add_item(user=user, product=hidden, quantity=1)
    assert excinfo.value.code == "product_unavailable"
    with pytest.raises(InvalidInput):
        services.cart_add_item(user=user, product=product, quantity=0)
    assert not CartItem.objects.exists()


def test_cart_items_of_another_user_are_not_found():
    owner, other = UserFactory(), UserFactory()
    fill_cart(owner, (ProductFactory(), 1))
    item = CartItem.objects.get()
    with pytest.raises(NotFound):
        services.cart_update_item(user=other, item_id=item.pk, quantity=2)
    with pytest.raises(NotFound):
        services.cart_remove_item(user=other, item_id=item.pk)
    item.refresh_from_db()
    assert item.quantity == 1
    services.cart_update_item(user=owner, item_id=item.pk, quantity=4)
    item.refresh_from_db()
    assert item.quantity == 4
    services.cart_remove_item(user=owner, item_id=item.pk)
    assert not CartItem.objects.exists()


def test_packaging_none_only_when_every_product_ships_in_its_own_box():
    user = UserFactory()
    boxed = ProductFactory(ships_in_own_box=True)
    fill_cart(user, (boxed, 1))
    cart = services.cart_get_for_user(user=user)
    assert "none" in selectors.packaging_options_for_cart(cart=cart)
    fill_cart(user, (ProductFactory(ships_in_own_box=False), 1))
    assert selectors.packaging_options_for_cart(cart=cart) == ["standard", "recycled", "reusable"]


# --- checkout -------------------------------------------------------------------------------------


def test_checkout_makes_one_order_with_a_shipment_per_merchant_and_takes_stock():
    user = UserFactory()
    shop_a, shop_b = MerchantFactory(), MerchantFactory()
    a1 = ProductFactory(merchant=shop_a, price=Decimal("10.50"), stock=5)
    a2 = ProductFactory(merchant=shop_a, price=Decimal("0.99"), stock=5)
    b1 = ProductFactory(merchant=shop_b, price=Decimal("100.00"), stock=5)
    city = CityFactory()
    order = place_order(user, (a1, 2), (a2, 3), (b1, 1), city=city)

    assert order.status == OrderStatus.PENDING_PAYMENT
    assert order.subtotal == Decimal("123.97")
    assert order.discount == Decimal("0.00")
    assert order.total == Decimal("123.97")
    assert order.shipping_city == city
    shipments = {s.merchant_id: s for s in Shipment.objects.filter(order=order)}
    assert set(shipments) == {shop_a.pk, shop_b.pk}
    assert shipments[shop_a.pk].origin_city_id == shop_a.city_id
    assert shipments[shop_a.pk].lines.count() == 2
    assert (_stock(a1), _stock(a2), _stock(b1)) == (3, 2, 4)
    assert not CartItem.objects.filter(cart__user=user).exists()


def test_order_lines_are_a_snapshot():
    user = UserFactory()
    product = ProductFactory(price=Decimal("20.00"), name_en="Kettle", weight_grams=900)
    order = place_order(user, (product, 2))
    Product.objects.filter(pk=product.pk).update(price=Decimal("25.00"), name_en="Kettle v2")
    line = OrderLine.objects.get(order=order)
    assert (line.unit_price, line.line_total, line.product_name_en, line.weight_grams) == (
        Decimal("20.00"),
        Decimal("40.00"),
        "Kettle",
        900,
    )
    assert line.category_id == product.category_id


def test_empty_cart_cannot_check_out():
    with pytest.raises(DomainError) as excinfo:
        services.order_place(
            user=UserFactory(),
            shipping_city=CityFactory(),
            address="x",
            packaging="standard",
            voucher_code=None,
        )
    assert excinfo.value.code == "cart_empty"
    assert excinfo.value.status_code == 409


def test_packaging_none_is_refused_when_a_product_needs_a_box():
    user = UserFactory()
    product = ProductFactory(ships_in_own_box=False, stock=3)
    with pytest.raises(InvalidInput) as excinfo:
        place_order(user, (product, 1), packaging="none")
    assert excinfo.value.field == "packaging"
    assert not Order.objects.exists()
    assert _stock(product) == 3


def test_packaging_none_is_accepted_when_every_product_ships_in_its_own_box():
    order = place_order(UserFactory(), (ProductFactory(ships_in_own_box=True), 1), packaging="none")
    assert order.packaging == "none"


def test_out_of_stock_names_the_product_and_changes_nothing():
    user = UserFactory()
    plenty = ProductFactory(stock=10, name_en="Plenty")
    scarce = ProductFactory(stock=2, name_en="Scarce bamboo brush")
    fill_cart(user, (plenty, 3), (scarce, 2))
    scarce.stock = 1
    scarce.save()
    with pytest.raises(DomainError) as excinfo:
        services.order_place(
            user=user, shipping_city=CityFactory(), address="x", packaging="standard", voucher_code=None
        )
    assert excinfo.value.code == "out_of_stock"
    assert "Scarce bamboo brush" in excinfo.value.detail
    assert not Order.objects.exists()
    assert (_stock(plenty), _stock(scarce)) == (10, 1)
    assert CartItem.objects.filter(cart__user=user).count() == 2


@pytest.mark.parametrize("patched", [True, False], ids=["not_eligible", "real-seam-unknown-code"])
def test_a_voucher_that_cannot_be_applied_rolls_back_the_whole_checkout(monkeypatch, patched):
    from vouchers import services as voucher_services

    if patched:

        def refuse(*, user, code, order):
            raise DomainError("Not eligible.", code="not_eligible")

        monkeypatch.setattr(voucher_services, "voucher_redeem_for_order", refuse)
    user = UserFactory()
    product = ProductFactory(stock=4)
    fill_cart(user, (product, 2))
    with pytest.raises(DomainError) as excinfo:
        services.order_place(
            user=user,
            shipping_city=CityFactory(),
            address="x",
            packaging="standard",
            voucher_code="GREEN-123",
        )
    if patched:
        assert excinfo.value.code == "not_eligible"
    assert not Order.objects.exists()
    assert not OrderLine.objects.exists()
    assert not Shipment.objects.exists()
    assert _stock(product) == 4
    assert CartItem.objects.filter(cart__user=user).count() == 1


def test_a_failure_after_the_lines_are_written_leaves_nothing(monkeypatch):
    """Whole or nothing: the failure is injected once the order, its shipments and lines exist."""
    from vouchers import services as voucher_services

    seen = {}

    def explode(*, user, code, order):
        seen["lines"] = OrderLine.objects.filter(order=order).count()
        seen["shipments"] = Shipment.objects.filter(order=order).count()
        raise RuntimeError("voucher service crashed mid-checkout")

    monkeypatch.setattr(voucher_services, "voucher_redeem_for_order", explode)
    user = UserFactory()
    p1, p2 = ProductFactory(stock=5), ProductFactory(stock=5)
    fill_cart(user, (p1, 1), (p2, 2))
    with pytest.raises(RuntimeError):
        services.order_place(
            user=user, shipping_city=CityFactory(), address="x", packaging="standard", voucher_code="V1"
        )
    assert seen == {"lines": 2, "shipments": 2}
    assert not Order.objects.exists()
    assert not OrderLine.objects.exists()
    assert (_stock(p1), _stock(p2)) == (5, 5)
    assert CartItem.objects.filter(cart__user=user).count() == 2


def test_a_voucher_discount_is_subtracted(monkeypatch):
    from vouchers import services as voucher_services

    calls = []

    def redeem(*, user, code, order):
        calls.append((user.pk, code, order.lines.count()))
        return Money(Decimal("15.00"))

    monkeypatch.setattr(voucher_services, "voucher_redeem_for_order", redeem)
    user = UserFactory()
    order = place_order(user, (ProductFactory(price=Decimal("40.00")), 2), voucher_code="GREEN-15")
    order.refresh_from_db()
    assert calls == [(user.pk, "GREEN-15", 1)]
    assert (order.subtotal, order.discount, order.total) == (
        Decimal("80.00"),
        Decimal("15.00"),
        Decimal("65.00"),
    )
    assert order.voucher_code == "GREEN-15"


# --- state changes --------------------------------------------------------------------------------


def test_paying_marks_paid_records_one_payment_and_enqueues_the_carbon_label(
    monkeypatch, django_capture_on_commit_callbacks
):
    from carbon import tasks as carbon_tasks

    enqueued = []
    monkeypatch.setattr(carbon_tasks.carbon_label_order, "delay", lambda order_id: enqueued.append(order_id))
    order = place_order(UserFactory(), (ProductFactory(price=Decimal("12.34")), 1))
    with django_capture_on_commit_callbacks(execute=True):
        paid = services.order_pay(order=order)
    assert paid.status == OrderStatus.PAID
    assert paid.paid_at is not None
    payment = Payment.objects.get(order=order)
    assert (payment.amount, payment.status, payment.provider) == (Decimal("12.34"), "succeeded", "demo")
    assert enqueued == [order.pk]


def test_paying_twice_charges_once(counting_provider):
    order = place_order(UserFactory(), (ProductFactory(), 1))
    first = services.order_pay(order=order)
    second = services.order_pay(order=order)
    assert first.paid_at == second.paid_at
    assert len(counting_provider.charges) == 1
    assert Payment.objects.filter(order=order).count() == 1


def test_a_declined_payment_leaves_the_order_unpaid(counting_provider):
    counting_provider.fail_charges = True
    order = place_order(UserFactory(), (ProductFactory(), 1))
    with pytest.raises(DomainError) as excinfo:
        services.order_pay(order=order)
    assert excinfo.value.code == "payment_failed"
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert not Payment.objects.exists()


def test_cancelling_gives_stock_back_once_and_calls_the_voucher_seam(monkeypatch):
    from vouchers import services as voucher_services

    unredeemed = []
    monkeypatch.setattr(
        voucher_services, "voucher_unredeem_for_order", lambda *, order: unredeemed.append(order.pk)
    )
    product = ProductFactory(stock=5)
    order = place_order(UserFactory(), (product, 3))
    assert _stock(product) == 2
    services.order_cancel(order=order)
    services.order_cancel(order=order)  # the same state again: no change
    assert _stock(product) == 5
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert unredeemed == [order.pk]


def test_cancelling_a_paid_order_refunds_it(counting_provider):
    product = ProductFactory(stock=5)
    order = place_order(UserFactory(), (product, 1))
    services.order_pay(order=order)
    services.order_cancel(order=order)
    payment = Payment.objects.get(order=order)
    assert payment.status == PaymentStatus.REFUNDED
    assert payment.refunded_at is not None
    assert len(counting_provider.refunds) == 1
    assert _stock(product) == 5


def test_paying_a_cancelled_order_is_an_invalid_transition():
    order = place_order(UserFactory(), (ProductFactory(), 1))
    services.order_cancel(order=order)
    with pytest.raises(DomainError) as excinfo:
        services.order_pay(order=order)
    assert excinfo.value.code == "invalid_transition"
    assert not Payment.objects.exists()


def test_shipping_flow_and_cancelling_a_shipped_order_is_refused():
    user = UserFactory()
    shop_a, shop_b = MerchantFactory(), MerchantFactory()
    pa, pb = ProductFactory(merchant=shop_a, stock=5), ProductFactory(merchant=shop_b, stock=5)
    order = place_order(user, (pa, 1), (pb, 1))
    ship_a = Shipment.objects.get(order=order, merchant=shop_a)
    ship_b = Shipment.objects.get(order=order, merchant=shop_b)

    with pytest.raises(DomainError) as excinfo:  # not paid yet
        services.shipment_ship(merchant=shop_a, shipment_id=ship_a.pk)
    assert excinfo.value.code == "invalid_transition"

    services.order_pay(order=order)
    with pytest.raises(NotFound):  # another merchant's shipment
        services.shipment_ship(merchant=shop_b, shipment_id=ship_a.pk)
    services.shipment_ship(merchant=shop_a, shipment_id=ship_a.pk)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID  # one of two shipments is out

    with pytest.raises(DomainError) as excinfo:  # partly shipped: no cancel, stock stays taken
        services.order_cancel(order=order)
    assert excinfo.value.code == "invalid_transition"
    assert (_stock(pa), _stock(pb)) == (4, 4)

    again = services.shipment_ship(merchant=shop_a, shipment_id=ship_a.pk)  # the same state: no change
    assert again.status == ShipmentStatus.SHIPPED
    services.shipment_ship(merchant=shop_b, shipment_id=ship_b.pk)
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    assert order.shipped_at is not None

    with pytest.raises(DomainError) as excinfo:
        services.order_cancel(order=order)
    assert excinfo.value.code == "invalid_transition"

    services.order_confirm_receipt(order=order)
    delivered = services.order_confirm_receipt(order=order)  # the same state: no change
    assert delivered.status == OrderStatus.DELIVERED
    assert set(Shipment.objects.filter(order=order).values_list("status", flat=True)) == {"delivered"}


def test_confirming_receipt_before_shipping_is_refused():
    order = place_order(UserFactory(), (ProductFactory(), 1))
    with pytest.raises(DomainError) as excinfo:
        services.order_confirm_receipt(order=order)
    assert excinfo.value.code == "invalid_transition"


# --- beat sweeps ----------------------------------------------------------------------------------


def _age(order: Order, **delta: float) -> None:
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(**delta))


def test_unpaid_orders_past_the_timeout_are_cancelled_and_give_stock_back(settings):
    settings.PAYMENT_TIMEOUT_MINUTES = 30
    product = ProductFactory(stock=10)
    expired = place_order(UserFactory(), (product, 2))
    fresh = place_order(UserFactory(), (product, 3))
    paid = place_order(UserFactory(), (product, 1))
    services.order_pay(order=paid)
    _age(expired, minutes=31)
    _age(fresh, minutes=29)
    _age(paid, minutes=90)
    assert _stock(product) == 4

    from marketplace.orders.tasks import orders_cancel_unpaid_expired

    assert orders_cancel_unpaid_expired.delay().get() == 1
    statuses = dict(Order.objects.values_list("pk", "status"))
    assert statuses == {expired.pk: "cancelled", fresh.pk: "pending_payment", paid.pk: "paid"}
    assert Order.objects.get(pk=expired.pk).cancel_reason == "payment_timeout"
    assert _stock(product) == 6
    assert services.orders_cancel_unpaid_expired() == 0  # a second sweep does nothing twice
    assert _stock(product) == 6


def test_shipped_orders_count_as_delivered_after_fifteen_days(settings):
    settings.ORDER_AUTO_DELIVER_DAYS = 15
    merchant = MerchantFactory()
    old = place_order(UserFactory(), (ProductFactory(merchant=merchant), 1))
    recent = place_order(UserFactory(), (ProductFactory(merchant=merchant), 1))
    for order in (old, recent):
        services.order_pay(order=order)
        services.shipment_ship(merchant=merchant, shipment_id=order.shipments.get().pk)
    Order.objects.filter(pk=old.pk).update(shipped_at=timezone.now() - timedelta(days=15, minutes=1))
    Order.objects.filter(pk=recent.pk).update(shipped_at=timezone.now() - timedelta(days=14))

    from marketplace.orders.tasks import orders_deliver_after_shipping

    assert orders_deliver_after_shipping.delay().get() == 1
    assert dict(Order.objects.values_list("pk", "status")) == {old.pk: "delivered", recent.pk: "shipped"}


def test_a_product_withdrawn_after_it_was_put_in_the_cart_fails_checkout():
    user = UserFactory()
    product = ProductFactory(stock=5, name_en="Withdrawn lamp")
    fill_cart(user, (product, 1))
    Product.objects.filter(pk=product.pk).update(active=False)
    with pytest.raises(DomainError) as excinfo:
        services.order_place(
            user=user, shipping_city=CityFactory(), address="x", packaging="standard", voucher_code=None
        )
    assert excinfo.value.code == "product_unavailable"
    assert "Withdrawn lamp" in excinfo.value.detail
    assert not Order.objects.exists()
    assert _stock(product) == 5


def test_beat_runs_the_sweeps_on_schedule(settings):
    from marketplace.celery import app

    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["orders.cancel_unpaid_expired"] == 60.0
    assert schedule["orders.deliver_after_shipping"] == 86400.0
    app.loader.import_default_modules()
    assert {"orders.cancel_unpaid_expired", "orders.deliver_after_shipping"} <= set(app.tasks)


def test_a_payment_provider_that_cannot_be_imported_fails_the_system_check(settings):
    from marketplace.orders.checks import check_payment_provider

    assert check_payment_provider() == []
    settings.PAYMENT_PROVIDER = "no.such.Provider"
    assert [error.id for error in check_payment_provider()] == ["orders.E001"]


def test_a_cart_holds_at_most_cart_max_items_products(settings):
    settings.CART_MAX_ITEMS = 2
    user = UserFactory()
    fill_cart(user, (ProductFactory(), 1), (ProductFactory(), 1))
    with pytest.raises(DomainError) as excinfo:
        services.cart_add_item(user=user, product=ProductFactory(), quantity=1)
    assert excinfo.value.code == "cart_full"
    assert CartItem.objects.filter(cart__user=user).count() == 2
