from __future__ import annotations

import pytest
from django.test import Client

from carbon import selectors, services
from carbon.factor_data import DEFAULT_FACTOR_SET_FILE
from carbon.models import FactorSet
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_() -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_pages_render(admin_client_):
    active = selectors.active_factor_set()
    for url in (
        "/admin/carbon/factorset/",
        f"/admin/carbon/factorset/{active.pk}/change/",
        "/admin/carbon/carbonlabel/",
        "/admin/carbon/recomputation/",
    ):
        assert admin_client_.get(url).status_code == 200, url


def test_admin_publish_action(admin_client_):
    draft = services.factor_set_create_from_file(path=DEFAULT_FACTOR_SET_FILE, version="2026.1")
    response = admin_client_.post(
        "/admin/carbon/factorset/", {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )
    assert response.status_code == 200
    assert FactorSet.objects.get(pk=draft.pk).is_active
    assert not FactorSet.objects.get(version="2025.1").is_active
