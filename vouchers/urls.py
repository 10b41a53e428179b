from django.urls import path

from vouchers import apis

urlpatterns = [
    path("voucher-campaigns/", apis.CampaignListCreateApi.as_view(), name="voucher-campaigns"),
    path("voucher-campaigns/<int:campaign_id>/", apis.CampaignDetailApi.as_view(), name="voucher-campaign"),
    *[
        path(
            f"voucher-campaigns/<int:campaign_id>/{action}/",
            apis.CampaignTransitionApi.as_view(action_name=action),
            name=f"voucher-campaign-{action}",
        )
        for action in ("activate", "pause", "resume", "end")
    ],
    path(
        "voucher-campaigns/<int:campaign_id>/allocations/",
        apis.AllocationListCreateApi.as_view(),
        name="voucher-campaign-allocations",
    ),
    path("voucher-allocations/", apis.ClaimableAllocationListApi.as_view(), name="voucher-allocations"),
    path("voucher-allocations/<int:allocation_id>/claim/", apis.ClaimApi.as_view(), name="voucher-claim"),
    path("vouchers/", apis.OwnVoucherListApi.as_view(), name="vouchers"),
    path("vouchers/<str:code>/void/", apis.VoucherVoidApi.as_view(), name="voucher-void"),
]
