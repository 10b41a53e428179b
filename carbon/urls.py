from django.urls import path

from carbon import apis
from carbon.reports import apis as report_apis

urlpatterns = [
    path("carbon/factor-sets/", apis.FactorSetListApi.as_view(), name="carbon-factor-set-list"),
    path(
        "carbon/factor-sets/<str:version>/progress/",
        apis.FactorSetProgressApi.as_view(),
        name="carbon-factor-set-progress",
    ),
    path(
        "carbon/factor-sets/<str:version>/publish/",
        apis.FactorSetPublishApi.as_view(),
        name="carbon-factor-set-publish",
    ),
    path("carbon/account/", apis.CarbonAccountApi.as_view(), name="carbon-account"),
    path("carbon/impact/", report_apis.CampaignImpactApi.as_view(), name="carbon-impact"),
]
