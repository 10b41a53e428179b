"""The project's URLs plus the alliance pages, mounted at the root as the lead is asked to mount them."""

from django.urls import include, path

urlpatterns = [
    path("", include("merchants.alliance.page_urls")),
    path("", include("marketplace.urls")),
]
