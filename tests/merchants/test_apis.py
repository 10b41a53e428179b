import pytest

from merchants.models import Merchant
from tests.conftest import client_for
from tests.factories import CityFactory, MerchantFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_user_opens_a_shop_and_becomes_a_merchant():
    user = UserFactory()
    city = CityFactory(slug="hangzhou-test")
    client = client_for(user)
    response = client.post("/api/v1/merchants/", {"name": "West Lake Tea", "city": city.slug})
    assert response.status_code == 201, response.content
    assert response.json()["city"] == "hangzhou-test"
    assert response.json()["is_mine"] is True
    assert client.get("/api/v1/auth/me/").json()["role"] == "merchant"


def test_a_user_runs_one_shop():
    merchant = MerchantFactory()
    response = client_for(merchant.owner).post(
        "/api/v1/merchants/", {"name": "Second shop", "city": merchant.city.slug}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "already_merchant"


def test_unknown_city_is_a_400():
    response = client_for(UserFactory()).post("/api/v1/merchants/", {"name": "Shop", "city": "atlantis"})
    assert response.status_code == 400
    assert "city" in response.json()["errors"]
    assert not Merchant.objects.exists()


def test_owner_edits_the_shop_and_nobody_else_can():
    merchant = MerchantFactory(name="Old name")
    other = MerchantFactory()
    denied = client_for(other.owner).patch(f"/api/v1/merchants/{merchant.pk}/", {"name": "Hijacked"})
    assert denied.status_code == 403
    allowed = client_for(merchant.owner).patch(
        f"/api/v1/merchants/{merchant.pk}/", {"name": "New name", "last_mile_vehicle": "cargo_bike"}
    )
    assert allowed.status_code == 200, allowed.content
    merchant.refresh_from_db()
    assert (merchant.name, merchant.last_mile_vehicle) == ("New name", "cargo_bike")


def test_bad_shop_input_is_a_400(api_client):
    client = client_for(UserFactory())
    city = CityFactory()
    for payload in (
        {"name": "x" * 10_000, "city": city.slug},
        {"name": "Shop", "city": city.slug, "last_mile_vehicle": "rocket"},
        {"name": 12, "city": ["not", "a", "slug"]},
        {},
    ):
        response = client.post("/api/v1/merchants/", payload, format="json")
        assert response.status_code == 400, (payload, response.content)
        assert response.json()["code"] == "invalid"


def test_unknown_or_malformed_ids_are_404(api_client):
    assert api_client.get("/api/v1/merchants/424242/").status_code == 404
    assert api_client.get("/api/v1/products/abc/").status_code == 404
