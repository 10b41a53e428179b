from __future__ import annotations

import importlib

import pytest
from django.apps import apps


@pytest.fixture(autouse=True)
def _kpi_catalogue(request: pytest.FixtureRequest) -> None:
    """The KPI catalogue is seeded by a data migration; a transactional test anywhere in the session
    truncates every table when it ends, so database tests here seed it again (idempotent)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    transactional = bool(marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    seed = importlib.import_module("merchants.migrations.0003_seed_alliance_kpis")
    seed.seed(apps, None)
