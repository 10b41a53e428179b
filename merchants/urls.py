from django.urls import include, path

from merchants import apis

urlpatterns = [
    path("merchants/", apis.MerchantListCreateApi.as_view(), name="merchant-list"),
    path("merchants/<int:merchant_id>/", apis.MerchantDetailApi.as_view(), name="merchant-detail"),
    path("", include("merchants.alliance.urls")),
]
