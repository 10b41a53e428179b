"""Alliance pages. Mounted at the site root (``path("", include("merchants.alliance.page_urls"))``)."""

from django.urls import path

from merchants.alliance import views

app_name = "alliance"

urlpatterns = [
    path("alliance/", views.directory, name="directory"),
    path("alliance/members/<int:pk>/", views.member_detail, name="member"),
    path("merchant/alliance/", views.dashboard, name="dashboard"),
    path("merchant/alliance/memberships/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("merchant/alliance/commitments/<int:pk>/report/", views.report, name="report"),
    path("staff/alliance/", views.staff_queue, name="staff-queue"),
    path("staff/alliance/<int:pk>/<slug:action>/", views.staff_act, name="staff-act"),
]
