from django.urls import path

from merchants.alliance import apis

urlpatterns = [
    path("alliance/applications/", apis.ApplicationListCreateApi.as_view(), name="alliance-applications"),
    path(
        "alliance/applications/<int:membership_id>/approve/",
        apis.ApplicationApproveApi.as_view(),
        name="alliance-application-approve",
    ),
    path(
        "alliance/applications/<int:membership_id>/reject/",
        apis.ApplicationRejectApi.as_view(),
        name="alliance-application-reject",
    ),
    path(
        "alliance/memberships/<int:membership_id>/suspend/",
        apis.MembershipSuspendApi.as_view(),
        name="alliance-membership-suspend",
    ),
    path(
        "alliance/memberships/<int:membership_id>/reinstate/",
        apis.MembershipReinstateApi.as_view(),
        name="alliance-membership-reinstate",
    ),
    path(
        "alliance/memberships/<int:membership_id>/withdraw/",
        apis.MembershipWithdrawApi.as_view(),
        name="alliance-membership-withdraw",
    ),
    path(
        "alliance/memberships/<int:membership_id>/measure/",
        apis.MembershipMeasureApi.as_view(),
        name="alliance-membership-measure",
    ),
    path("alliance/kpis/", apis.KpiListApi.as_view(), name="alliance-kpis"),
    path("alliance/members/", apis.MemberListApi.as_view(), name="alliance-members"),
    path("alliance/members/<int:membership_id>/", apis.MemberDetailApi.as_view(), name="alliance-member"),
    path("alliance/commitments/", apis.CommitmentCreateApi.as_view(), name="alliance-commitments"),
    path(
        "alliance/commitments/<int:commitment_id>/reports/",
        apis.CommitmentReportListCreateApi.as_view(),
        name="alliance-commitment-reports",
    ),
]
