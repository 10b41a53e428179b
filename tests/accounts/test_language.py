"""The account's language: chosen with the switcher while signed in, applied at every log-in; anonymous
visitors keep the cookie and Accept-Language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from marketplace.accounts import services
from marketplace.core.errors import InvalidInput
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
COOKIE = settings.LANGUAGE_COOKIE_NAME


def _log_in(client: Client, username: str, **headers: str):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": PASSWORD, "next": "/"}, **headers
    )


def _page_language(client: Client, accept: str) -> str:
    html = client.get(reverse("catalog:home"), HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_log_in_applies_the_accounts_language_over_the_browsers():
    UserFactory(username="mei", preferred_language="zh-hans")
    client = Client()
    response = _log_in(client, "mei", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies[COOKIE].value == "zh-hans"
    assert _page_language(client, accept="en") == "zh-hans"
    assert "最新商品" in client.get(reverse("catalog:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_log_in_without_a_preference_leaves_the_browser_in_charge():
    UserFactory(username="tom")
    client = Client()
    response = _log_in(client, "tom", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 302
    assert COOKIE not in response.cookies
    assert _page_language(client, accept="zh-hans") == "zh-hans"
    assert _page_language(client, accept="en") == "en"


def test_a_failed_log_in_does_not_set_the_language():
    UserFactory(username="mei", preferred_language="zh-hans")
    response = Client().post(reverse("accounts:login"), {"username": "mei", "password": "wrong"})
    assert response.status_code == 200
    assert COOKIE not in response.cookies


def test_switching_while_signed_in_is_remembered_on_the_account_and_follows_it_to_another_browser():
    user = UserFactory(username="li")
    first = Client()
    first.force_login(user)
    response = first.post(reverse("set_language"), {"language": "zh-hans", "next": "/cart/"})
    assert response.status_code == 302 and response["Location"] == "/cart/"
    user.refresh_from_db()
    assert user.preferred_language == "zh-hans"
    # Another browser, English by default: logging in brings the choice along.
    second = Client()
    _log_in(second, "li", HTTP_ACCEPT_LANGUAGE="en")
    assert _page_language(second, accept="en") == "zh-hans"
    # And switching back is remembered too.
    second.post(reverse("set_language"), {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == "en"


def test_an_unsupported_language_changes_nothing():
    user = UserFactory(username="li", preferred_language="en")
    client = Client()
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "en"
    with pytest.raises(InvalidInput):
        services.user_set_preferred_language(user=user, language="xx")


def test_anonymous_visitors_keep_the_cookie_and_accept_language():
    client = Client()
    assert _page_language(client, accept="zh-hans") == "zh-hans"
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.cookies[COOKIE].value == "en"
    assert _page_language(client, accept="zh-hans") == "en"


def test_the_api_shows_the_accounts_language():
    user = UserFactory(username="mei", preferred_language="zh-hans")
    assert client_for(user).get("/api/v1/auth/me/").json()["preferred_language"] == "zh-hans"
    assert client_for(UserFactory(username="tom")).get("/api/v1/auth/me/").json()["preferred_language"] == ""


def test_a_stored_language_the_site_no_longer_offers_is_ignored_at_log_in():
    UserFactory(username="old", preferred_language="de")
    response = _log_in(Client(), "old", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert COOKIE not in response.cookies
