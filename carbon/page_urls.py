"""Server-rendered pages of this app (the API lives in urls.py)."""

from django.urls import path

from carbon import views
from carbon.reports import views as report_views

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
    path("staff/impact/", report_views.impact_report, name="staff-impact"),
    path(
        "staff/impact/<int:pk>/summary.csv", report_views.impact_summary_csv, name="staff-impact-summary-csv"
    ),
    path("staff/impact/<int:pk>/daily.csv", report_views.impact_daily_csv, name="staff-impact-daily-csv"),
]
