from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.orders.factories import CountingPaymentProvider

COUNTING_PROVIDER = "tests.orders.factories.CountingPaymentProvider"


@pytest.fixture
def counting_provider(settings: Any) -> Iterator[type[CountingPaymentProvider]]:
    """Pay through a provider that records every charge and refund it is asked for."""
    CountingPaymentProvider.reset()
    settings.PAYMENT_PROVIDER = COUNTING_PROVIDER
    yield CountingPaymentProvider
    CountingPaymentProvider.reset()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Factories create many users (every shop has an owner); the default hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
