from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import StaffFactory, UserFactory
from tests.vouchers.factories import make_allocation
from vouchers.models import Voucher

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings):
    settings.CLAIM_RATE_LIMIT = (1000, 60)
    settings.CLAIM_RATE_LIMIT_PER_IP = (1000, 60)


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_shopper_claims_in_the_voucher_centre_and_sees_it_in_my_vouchers():
    allocation = make_allocation(name="Ten off fifty")
    anonymous = Client().get("/vouchers/")
    assert anonymous.status_code == 200
    assert "Ten off fifty" in anonymous.content.decode()

    shopper = UserFactory()
    client = _logged_in(shopper)
    response = client.post(f"/vouchers/claim/{allocation.pk}/", follow=True)
    assert response.status_code == 200
    voucher = Voucher.objects.get(owner=shopper)
    assert voucher.code in response.content.decode()

    again = client.post(f"/vouchers/claim/{allocation.pk}/", follow=True)
    assert "already claimed" in again.content.decode()
    assert Voucher.objects.filter(owner=shopper).count() == 1


def test_anonymous_claim_goes_to_login():
    allocation = make_allocation()
    response = Client().post(f"/vouchers/claim/{allocation.pk}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert Voucher.objects.count() == 0


def test_staff_live_figures_are_for_staff_only():
    allocation = make_allocation(name="Live slice")
    _logged_in(UserFactory()).post(f"/vouchers/claim/{allocation.pk}/")
    assert _logged_in(UserFactory()).get("/staff/vouchers/").status_code == 403
    page = _logged_in(StaffFactory()).get("/staff/vouchers/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Live slice" in body
    assert "¥10.00" in body  # issued
    partial = _logged_in(StaffFactory()).get("/staff/vouchers/live/")
    assert partial.status_code == 200
    assert 'id="voucher-figures"' in partial.content.decode()


def test_pages_render_in_chinese():
    make_allocation()
    response = Client().get("/vouchers/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200


def test_voucher_strip_lists_claimable_vouchers():
    from django.template import Context, Template
    from django.utils import translation

    make_allocation(face_value="15.00", min_spend="99.00")
    with translation.override("en"):
        html = Template("{% load vouchers %}{% voucher_strip %}").render(Context({}))
    assert "¥15.00 off ¥99.00" in html
    assert "/vouchers/" in html
