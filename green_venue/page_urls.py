"""Server-rendered pages of this app (the API lives in urls.py)."""

from django.urls import path

from green_venue import views

app_name = "green_venue"

urlpatterns = [
    path("venue/", views.venue_landing, name="landing"),
    path("venue/products/", views.venue_listing, name="listing"),
    path("staff/certificates/", views.review_queue, name="review-queue"),
    path(
        "staff/certificates/<int:certificate_id>/<slug:action>/",
        views.review_action,
        name="review-action",
    ),
    path("merchant/certificates/", views.merchant_certificates, name="merchant-certificates"),
    path("merchant/certificates/new/", views.merchant_certificate_new, name="merchant-certificate-new"),
    path(
        "merchant/certificates/<int:certificate_id>/evidence/",
        views.merchant_certificate_evidence,
        name="merchant-certificate-evidence",
    ),
]
