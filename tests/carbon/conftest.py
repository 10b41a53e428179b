from __future__ import annotations

import pytest
from django.utils.dateparse import parse_datetime


@pytest.fixture(autouse=True)
def _default_factor_set(request: pytest.FixtureRequest) -> None:
    """The migration loads the default factor set; a ``transaction=True`` test flushes it afterwards, so
    put it back for database tests that run later."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    from carbon.factor_data import load_factor_set_data
    from carbon.models import FactorSet
    from carbon.services import factor_set_create

    data = load_factor_set_data()
    if FactorSet.objects.filter(version=data["version"]).exists():
        return
    factor_set = factor_set_create(version=data["version"], sources=data["sources"], rows=data["factors"])
    FactorSet.objects.filter(pk=factor_set.pk).update(
        is_active=True, published_at=parse_datetime(data["published_at"])
    )
