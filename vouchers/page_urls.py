"""Server-rendered pages of this app (the API lives in urls.py)."""

from django.urls import path

from vouchers import staff_views, views

app_name = "vouchers"

urlpatterns = [
    path("vouchers/", views.voucher_centre, name="centre"),
    path("vouchers/claim/<int:allocation_id>/", views.voucher_claim, name="claim"),
    path("vouchers/mine/", views.my_vouchers, name="mine"),
    path("staff/vouchers/", staff_views.staff_figures, name="staff-figures"),
    path("staff/vouchers/live/", staff_views.staff_figures_partial, name="staff-figures-live"),
    path("staff/vouchers/campaigns/new/", staff_views.campaign_create, name="staff-campaign-new"),
    path("staff/vouchers/campaigns/<int:campaign_id>/", staff_views.campaign_detail, name="staff-campaign"),
    path(
        "staff/vouchers/campaigns/<int:campaign_id>/edit/",
        staff_views.campaign_edit,
        name="staff-campaign-edit",
    ),
    path(
        "staff/vouchers/campaigns/<int:campaign_id>/allocations/new/",
        staff_views.allocation_create,
        name="staff-allocation-new",
    ),
    path(
        "staff/vouchers/campaigns/<int:campaign_id>/<slug:action>/",
        staff_views.campaign_transition,
        name="staff-campaign-transition",
    ),
    path("staff/vouchers/void/", staff_views.voucher_void, name="staff-voucher-void"),
]
