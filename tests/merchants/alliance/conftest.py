from __future__ import annotations

import importlib

import pytest

from merchants.alliance.models import Kpi


@pytest.fixture(autouse=True)
def _kpi_catalogue(request: pytest.FixtureRequest) -> None:
    """The KPI catalogue is seeded by a data migration; a transactional test anywhere in the session
    truncates every table when it ends, so database tests here seed it again (idempotent)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    transactional = bool(marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    # The seed migration's rows, written with today's model: the migration itself asks for the model by
    # the label it had then (``merchants.Kpi``).
    seed = importlib.import_module("merchants.migrations.0003_seed_alliance_kpis")
    for position, row in enumerate(seed.KPIS):
        Kpi.objects.update_or_create(code=row["code"], defaults={**row, "position": position, "active": True})
