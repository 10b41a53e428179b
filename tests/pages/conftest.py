from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.pages.factories import World, build_world


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Each test builds a few users; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def client_as(user: object | None, **kwargs: object) -> Client:
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client
