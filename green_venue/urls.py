from django.urls import path

from green_venue import apis, venue_apis

urlpatterns = [
    path("certification-schemes/", apis.SchemeListApi.as_view(), name="certification-schemes"),
    path("certificates/", apis.CertificateListCreateApi.as_view(), name="certificates"),
    path(
        "certificates/<int:certificate_id>/", apis.CertificateDetailApi.as_view(), name="certificate-detail"
    ),
    path(
        "certificates/<int:certificate_id>/evidence/",
        apis.CertificateEvidenceUploadApi.as_view(),
        name="certificate-evidence",
    ),
    path(
        "certificates/<int:certificate_id>/evidence/<int:file_id>/",
        apis.CertificateEvidenceDownloadApi.as_view(),
        name="certificate-evidence-file",
    ),
    path(
        "certificates/<int:certificate_id>/verify/",
        apis.CertificateVerifyApi.as_view(),
        name="certificate-verify",
    ),
    path(
        "certificates/<int:certificate_id>/reject/",
        apis.CertificateRejectApi.as_view(),
        name="certificate-reject",
    ),
    path(
        "certificates/<int:certificate_id>/revoke/",
        apis.CertificateRevokeApi.as_view(),
        name="certificate-revoke",
    ),
    path("certificate-notices/", apis.CertificateNoticeListApi.as_view(), name="certificate-notices"),
    path("venue/products/", venue_apis.venue_product_list_view, name="venue-products"),
]
