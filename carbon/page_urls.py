"""Server-rendered pages of this app (the API lives in urls.py)."""

from django.urls import path

from carbon import views

app_name = "carbon"

urlpatterns = [
    path("carbon/orders/<int:pk>/label/", views.order_label, name="order-label"),
    path("carbon/account/", views.account, name="account"),
    path("carbon/staff/factor-sets/", views.staff_factor_sets, name="staff-factor-sets"),
    path(
        "carbon/staff/factor-sets/<int:pk>/publish/",
        views.staff_factor_set_publish,
        name="staff-factor-set-publish",
    ),
]
