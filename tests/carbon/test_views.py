from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from carbon import services
from carbon.factor_data import DEFAULT_FACTOR_SET_FILE
from carbon.models import FactorSet
from tests.carbon.factories import (
    MerchantFactory,
    ProductFactory,
    UserFactory,
    appliance_category,
    beijing,
    paid_order,
    shanghai,
)
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def order():
    kettle = ProductFactory(
        merchant=MerchantFactory(city=beijing()), category=appliance_category(), weight_grams=1000
    )
    return paid_order(user=UserFactory(), product=kettle, city=shanghai(), packaging="recycled")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_label_partial_polls_while_the_label_is_computed(order):
    body = _client(order.user).get(f"/carbon/orders/{order.pk}/label/").content.decode()
    assert 'hx-trigger="every 3s"' in body
    assert "being calculated" in body
    assert "<svg" not in body


def test_label_partial_draws_the_label_with_its_sources(order):
    services.carbon_label_order_compute(order_id=order.pk)
    response = _client(order.user).get(f"/carbon/orders/{order.pk}/label/")
    body = response.content.decode()
    assert "<svg" in body and "hx-trigger" not in body
    assert "Carbon label: grade" in body
    assert "Saved" in body  # recycled box against the virgin one
    assert "desnz-2025" in body and "transport.hgv.wtw" in body
    assert "2025.1" in body


def test_label_partial_of_someone_elses_order_is_not_found(order):
    assert _client(UserFactory()).get(f"/carbon/orders/{order.pk}/label/").status_code == 404
    anonymous = Client().get(f"/carbon/orders/{order.pk}/label/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_account_page_shows_my_months(order):
    services.carbon_label_order_compute(order_id=order.pk)
    body = _client(order.user).get("/carbon/account/").content.decode()
    assert "My carbon account" in body
    assert order.paid_at.astimezone().strftime("%Y-") in body
    empty = _client(UserFactory()).get("/carbon/account/").content.decode()
    assert "will appear here" in empty


def test_chinese_account_page(order):
    client = _client(order.user)
    response = client.get("/carbon/account/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert "我的碳账户" in response.content.decode()


def test_staff_page_publishes_and_shows_progress(order):
    services.carbon_label_order_compute(order_id=order.pk)
    draft = services.factor_set_create_from_file(path=DEFAULT_FACTOR_SET_FILE, version="2026.1")
    assert _client(UserFactory()).get("/carbon/staff/factor-sets/").status_code == 302
    staff = _client(StaffFactory())
    page = staff.get("/carbon/staff/factor-sets/").content.decode()
    assert "2026.1" in page and "Publish and recompute" in page
    response = staff.post(f"/carbon/staff/factor-sets/{draft.pk}/publish/")
    assert response.status_code == 302
    assert FactorSet.objects.get(pk=draft.pk).is_active
    partial = staff.get("/carbon/staff/factor-sets/", HTTP_HX_REQUEST="true").content.decode()
    assert 'id="carbon-progress"' in partial and "<html" not in partial
    assert "1 / 1" in partial  # eager tasks in tests: the order was relabelled


def test_label_numbers_add_up_on_the_page(order):
    services.carbon_label_order_compute(order_id=order.pk)
    label = order.carbon_labels.get()
    assert label.total_kgco2e == label.product_kgco2e + label.packaging_kgco2e + label.transport_kgco2e
    assert label.total_kgco2e > Decimal(0)
