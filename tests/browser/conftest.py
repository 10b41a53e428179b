"""Browser tests drive Debian's Chromium with Playwright (``CHROMIUM_PATH``): Playwright's own browser
download needs the internet, so the driver of the ``playwright`` wheel is pointed at the system browser.

Without Playwright or Chromium they are skipped with the reason, except under CI=true, where that fails
the run. Playwright's sync API runs an event loop in the test's thread, which trips Django's async-safety
check; it is switched off for these tests only.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(settings.BASE_DIR, "artifacts", "screenshots")


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package (pip install -e '.[dev]')"
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"Chromium at {CHROMIUM} (apt-get install -y chromium fonts-noto-cjk)"
    return None


@pytest.fixture(scope="module")
def browser(django_db_setup: None) -> Iterator[Any]:
    """Chromium for this module's tests. The test database is set up first, and Playwright is stopped
    after the module, so its event loop never overlaps the rest of the suite."""
    missing = _missing()
    if missing:
        message = f"browser tests need {missing}"
        if IN_CI:
            pytest.fail(f"{message} (CI=true: a missing browser fails the run)", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def evidence_root(settings: Any, tmp_path: Path) -> Path:
    """Evidence uploads of a test go to its own folder (the live server runs in this process)."""
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    return Path(settings.EVIDENCE_ROOT)
