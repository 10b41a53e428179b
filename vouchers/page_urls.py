"""Server-rendered pages of this app (the API lives in urls.py)."""

from django.urls import path

from vouchers import views

app_name = "vouchers"

urlpatterns = [
    path("vouchers/", views.voucher_centre, name="centre"),
    path("vouchers/claim/<int:allocation_id>/", views.voucher_claim, name="claim"),
    path("vouchers/mine/", views.my_vouchers, name="mine"),
    path("staff/vouchers/", views.staff_figures, name="staff-figures"),
    path("staff/vouchers/live/", views.staff_figures_partial, name="staff-figures-live"),
]
