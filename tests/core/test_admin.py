"""Every model is in the Django admin, and its list (with search) and add pages open for staff."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

CORE_MODELS = {
    "accounts.user",
    "catalog.city",
    "catalog.category",
    "catalog.product",
    "merchants.merchant",
    "orders.order",
    "green_venue.certificate",
    "green_venue.certificationscheme",
    "vouchers.campaign",
    "vouchers.voucher",
    "carbon.factorset",
    "carbon.carbonlabel",
}


def test_the_main_models_are_registered():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered >= CORE_MODELS, CORE_MODELS - registered


@pytest.mark.parametrize(
    "model_admin", list(admin.site._registry.values()), ids=lambda a: a.model._meta.label_lower
)
def test_admin_list_search_and_add_pages_open(client, model_admin):
    ProductFactory()
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    request = RequestFactory().get("/admin/")
    request.user = root  # type: ignore[assignment]
    meta = model_admin.model._meta
    changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    assert client.get(changelist).status_code == 200
    if model_admin.search_fields:
        assert client.get(changelist, {"q": "green"}).status_code == 200
    if model_admin.has_add_permission(request):
        assert client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add")).status_code == 200
