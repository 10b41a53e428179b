from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _evidence_root(settings, tmp_path):
    # Evidence files of each test go to its own temporary folder.
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
