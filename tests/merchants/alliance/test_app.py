"""The alliance is a Django app of its own: its label, its admin, and its tasks found by Celery."""

from __future__ import annotations

import subprocess
import sys

from django.apps import apps
from django.conf import settings
from django.contrib import admin

from merchants.alliance.models import AllianceMembership, Commitment, Kpi, ProgressReport


def test_the_alliance_models_belong_to_the_alliance_app():
    config = apps.get_app_config("alliance")
    assert config.name == "merchants.alliance"
    assert {model.__name__ for model in config.get_models()} == {
        "AllianceMembership",
        "MembershipStatusChange",
        "Kpi",
        "Commitment",
        "ProgressReport",
    }
    assert not [m for m in apps.get_app_config("merchants").get_models() if m.__name__ != "Merchant"]
    assert AllianceMembership._meta.db_table == "alliance_alliancemembership"


def test_the_alliance_admin_is_registered_by_admin_autodiscovery():
    assert {AllianceMembership, Kpi, Commitment, ProgressReport} <= set(admin.site._registry)


def test_celery_autodiscovery_finds_the_alliance_tasks_in_a_fresh_process():
    # A fresh process: in this one the tests have imported the tasks module already.
    code = (
        "from django.conf import settings; from marketplace.celery import app; "
        "app.loader.import_default_modules(); "
        "assert not app.conf.imports, app.conf.imports; "
        "assert settings.CELERY_BEAT_SCHEDULE['alliance-measure-progress']['task'] in app.tasks; "
        "assert 'alliance.measure_membership' in app.tasks, sorted(app.tasks)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=settings.BASE_DIR
    )
    assert result.returncode == 0, result.stderr
