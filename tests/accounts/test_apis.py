import pytest
from rest_framework.authtoken.models import Token

from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_register_then_get_a_token_then_call_as_that_user(api_client):
    created = api_client.post(
        "/api/v1/auth/register/",
        {"username": "lin", "email": "lin@example.com", "password": "green-festival-2026"},
    )
    assert created.status_code == 201, created.content
    assert created.json()["username"] == "lin"
    assert "password" not in created.json()

    token = api_client.post("/api/v1/auth/token/", {"username": "lin", "password": "green-festival-2026"})
    assert token.status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    me = api_client.get("/api/v1/auth/me/").json()
    assert me["username"] == "lin"
    assert me["role"] == "shopper"


def test_register_refuses_a_taken_username_in_any_case(api_client):
    UserFactory(username="Wei")
    response = api_client.post(
        "/api/v1/auth/register/", {"username": "wei", "password": "green-festival-2026"}
    )
    assert response.status_code == 400
    assert "username" in response.json()["errors"]


def test_register_refuses_a_weak_password(api_client):
    response = api_client.post("/api/v1/auth/register/", {"username": "zhang", "password": "123"})
    assert response.status_code == 400
    assert "password" in response.json()["errors"]


def test_wrong_password_gives_no_token(api_client):
    UserFactory(username="li")
    response = api_client.post("/api/v1/auth/token/", {"username": "li", "password": "nope"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"


def test_anonymous_gets_401_with_the_error_format(api_client):
    response = api_client.get("/api/v1/auth/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Token")


def test_deactivated_user_is_refused_at_once_despite_the_token_cache():
    user = UserFactory()
    client = client_for(user)
    assert client.get("/api/v1/auth/me/").status_code == 200  # now cached
    user.is_active = False
    user.save()
    assert client.get("/api/v1/auth/me/").status_code == 401


def test_deleted_token_is_refused_at_once():
    user = UserFactory()
    client = client_for(user)
    assert client.get("/api/v1/auth/me/").status_code == 200
    Token.objects.filter(user=user).delete()
    assert client.get("/api/v1/auth/me/").status_code == 401
