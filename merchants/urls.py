from django.urls import path

from merchants import apis

urlpatterns = [
    path("merchants/", apis.MerchantListCreateApi.as_view(), name="merchant-list"),
    path("merchants/<int:merchant_id>/", apis.MerchantDetailApi.as_view(), name="merchant-detail"),
]
