from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carbon import services
from carbon.factor_data import DEFAULT_FACTOR_SET_FILE
from tests.carbon.factories import (
    MerchantFactory,
    ProductFactory,
    UserFactory,
    appliance_category,
    beijing,
    paid_order,
    shanghai,
)
from tests.conftest import client_for
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_anyone_lists_factor_sets_with_sources_and_scopes(api_client):
    response = api_client.get("/api/v1/carbon/factor-sets/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    (factor_set,) = body["results"]
    assert factor_set["version"] == "2025.1" and factor_set["is_active"]
    assert {source["code"] for source in factor_set["sources"]} >= {"desnz-2025", "mee-2024"}
    grid = next(row for row in factor_set["factors"] if row["key"] == "grid.cn.generation")
    assert (grid["value"], grid["scope"], grid["source"]) == ("0.536600", "generation-only", "mee-2024")
    assert all(row["source"] and row["scope"] and row["table"] for row in factor_set["factors"])


def test_factor_set_list_query_count_does_not_grow(api_client):
    services.factor_set_publish(
        factor_set=services.factor_set_create_from_file(path=DEFAULT_FACTOR_SET_FILE, version="2026.1")
    )
    with CaptureQueriesContext(connection) as queries:
        assert api_client.get("/api/v1/carbon/factor-sets/").json()["count"] == 2
    assert len(queries) <= 3


def test_carbon_account_needs_a_login(api_client):
    response = api_client.get("/api/v1/carbon/account/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_carbon_account_sums_my_orders_per_month():
    kettle = ProductFactory(
        merchant=MerchantFactory(city=beijing()),
        category=appliance_category(),
        weight_grams=1000,
        price=Decimal("199.00"),
    )
    me, other = UserFactory(), UserFactory()
    city = shanghai()
    tz = timezone.get_current_timezone()
    october = paid_order(user=me, product=kettle, city=city, paid_at=datetime(2026, 10, 5, 12, tzinfo=tz))
    november = [
        paid_order(
            user=me,
            product=kettle,
            city=city,
            packaging="recycled",
            paid_at=datetime(2026, 11, day, 12, tzinfo=tz),
        )
        for day in (1, 2)
    ]
    someone_elses = paid_order(user=other, product=kettle, city=city)
    for order in (october, *november, someone_elses):
        services.carbon_label_order_compute(order_id=order.pk)

    body = client_for(me).get("/api/v1/carbon/account/").json()
    assert body["orders"] == 3
    assert [month["month"] for month in body["months"]] == ["2026-11", "2026-10"]
    nov, oct_ = body["months"]
    assert (nov["orders"], oct_["orders"]) == (2, 1)
    assert Decimal(oct_["saving_kgco2e"]) == 0  # an ordinary order saves nothing
    assert Decimal(nov["saving_kgco2e"]) > 0  # recycled boxes
    assert Decimal(body["kgco2e"]) == Decimal(nov["kgco2e"]) + Decimal(oct_["kgco2e"])


def test_empty_account_for_a_new_shopper():
    body = client_for(UserFactory()).get("/api/v1/carbon/account/").json()
    assert (body["orders"], body["kgco2e"], body["months"]) == (0, "0.0000", [])


def test_only_staff_publish_and_see_progress(api_client):
    draft = services.factor_set_create_from_file(path=DEFAULT_FACTOR_SET_FILE, version="2026.1")
    url = f"/api/v1/carbon/factor-sets/{draft.version}/publish/"
    assert api_client.post(url).status_code == 401
    assert client_for(UserFactory()).post(url).status_code == 403
    assert (
        client_for(UserFactory()).get(f"/api/v1/carbon/factor-sets/{draft.version}/progress/").status_code
        == 403
    )
    staff = client_for(StaffFactory())
    response = staff.post(url)
    assert response.status_code == 202, response.content
    assert response.json()["is_active"] is True
    assert staff.post(url).status_code == 200
    assert staff.get("/api/v1/carbon/factor-sets/nope/publish/").status_code == 405
    assert staff.post("/api/v1/carbon/factor-sets/nope/publish/").status_code == 404


def test_publishing_an_incomplete_set_is_a_400_and_changes_nothing():
    broken = services.factor_set_create(
        version="broken",
        sources=[{"code": "s", "title": "t", "url": ""}],
        rows=[{"key": "x", "value": "1", "unit": "u", "scope": "WTW", "source": "s", "table": "t"}],
    )
    response = client_for(StaffFactory()).post(f"/api/v1/carbon/factor-sets/{broken.version}/publish/")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    broken.refresh_from_db()
    assert not broken.is_active
