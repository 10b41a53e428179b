"""Certification API: schemes, certificates, evidence and staff review."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from green_venue import selectors, services
from green_venue.models import (
    Certificate,
    CertificateNotice,
    CertificateStatus,
    CertificationScheme,
    EvidenceFile,
)
from green_venue.uploads import EvidenceSizeLimitHandler
from marketplace.core.apis import paginated_response
from marketplace.core.errors import InvalidInput, NotFound
from marketplace.core.serializers import SlugLookupField


class GradeOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.SerializerMethodField()
    qualifies = serializers.BooleanField()

    def get_name(self, obj: Any) -> str:
        from marketplace.core.i18n import prefers_chinese

        return str(obj.name_zh or obj.name_en) if prefers_chinese() else str(obj.name_en)


class SchemeOutputSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    issuer = serializers.CharField(read_only=True)
    claim_types = serializers.SerializerMethodField()
    categories = serializers.SerializerMethodField()
    grades = GradeOutputSerializer(many=True, read_only=True)
    qualifying_grades = serializers.SerializerMethodField()

    class Meta:
        model = CertificationScheme
        fields = [
            "code",
            "name",
            "name_en",
            "name_zh",
            "issuer",
            "issuer_en",
            "issuer_zh",
            "authority_type",
            "subject_level",
            "claim_types",
            "categories",
            "number_pattern",
            "number_example",
            "number_pattern_note",
            "registry_url",
            "default_validity_days",
            "grades",
            "qualifying_grades",
            "description_en",
            "description_zh",
        ]

    def get_claim_types(self, obj: CertificationScheme) -> list[str]:
        return [c.claim for c in obj.claims.all()]

    def get_categories(self, obj: CertificationScheme) -> list[str]:
        return [c.category_slug for c in obj.category_scopes.all()]

    def get_qualifying_grades(self, obj: CertificationScheme) -> list[str]:
        return [g.code for g in obj.grades.all() if g.qualifies]


class SchemeListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=SchemeOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        return paginated_response(
            queryset=selectors.scheme_list(),
            serializer_class=SchemeOutputSerializer,
            request=request,
            view=self,
        )


class SchemeRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    registry_url = serializers.URLField()


class EvidenceOutputSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceFile
        fields = ["id", "original_name", "content_type", "size", "sha256", "created_at", "url"]

    def get_url(self, obj: EvidenceFile) -> str:
        return f"/api/v1/certificates/{obj.certificate_id}/evidence/{obj.pk}/"


class ReviewEntryOutputSerializer(serializers.Serializer):
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = serializers.SerializerMethodField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()

    def get_actor(self, obj: Any) -> str | None:
        # Staff are named by role only: the merchant sees that staff acted, not who.
        if obj.actor_id is None:
            return None
        return "staff" if obj.to_status != CertificateStatus.SUBMITTED else "merchant"


class CertificateOutputSerializer(serializers.ModelSerializer):
    scheme = SchemeRefSerializer(read_only=True)
    grade = serializers.SerializerMethodField()
    merchant = serializers.SerializerMethodField()
    products = serializers.SerializerMethodField()
    evidence_files = EvidenceOutputSerializer(many=True, read_only=True)
    review_log = ReviewEntryOutputSerializer(many=True, read_only=True, source="review_entries")

    class Meta:
        model = Certificate
        fields = [
            "id",
            "scheme",
            "number",
            "holder",
            "grade",
            "valid_from",
            "valid_until",
            "status",
            "merchant",
            "products",
            "evidence_files",
            "review_log",
            "created_at",
            "updated_at",
        ]

    def get_grade(self, obj: Certificate) -> str | None:
        return obj.grade.code if obj.grade else None

    def get_merchant(self, obj: Certificate) -> dict[str, Any]:
        return {"id": obj.merchant_id, "name": obj.merchant.name}

    def get_products(self, obj: Certificate) -> list[int]:
        return sorted(p.pk for p in obj.products.all())


class CertificateInputSerializer(serializers.Serializer):
    scheme = SlugLookupField(slug_field="code", queryset=CertificationScheme.objects.all())
    number = serializers.CharField(max_length=100)
    holder = serializers.CharField(max_length=300)
    grade = serializers.CharField(max_length=30, required=False, allow_null=True, allow_blank=True)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True)
    products = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62),
        allow_empty=False,
        max_length=services.MAX_PRODUCTS_PER_CERTIFICATE,
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("valid_until") and attrs["valid_until"] < attrs["valid_from"]:
            raise serializers.ValidationError({"valid_until": ["valid_until must not be before valid_from."]})
        return attrs


STATUS_CHOICES = [choice.value for choice in CertificateStatus]


class CertificateListCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=STATUS_CHOICES)],
        responses=CertificateOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        status_filter = request.query_params.get("status") or None
        if status_filter is not None and status_filter not in STATUS_CHOICES:
            raise InvalidInput(f"status must be one of {', '.join(STATUS_CHOICES)}.", field="status")
        queryset = selectors.certificate_list(user=request.user, status=status_filter)
        if status_filter == CertificateStatus.SUBMITTED:
            queryset = queryset.order_by("created_at", "id")  # the review queue: oldest first
        return paginated_response(
            queryset=queryset, serializer_class=CertificateOutputSerializer, request=request, view=self
        )

    @extend_schema(request=CertificateInputSerializer, responses={201: CertificateOutputSerializer})
    def post(self, request: Request) -> Response:
        data = CertificateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        certificate = services.certificate_submit(
            user=request.user,
            scheme=values["scheme"],
            number=values["number"],
            holder=values["holder"],
            grade=values.get("grade") or None,
            valid_from=values["valid_from"],
            valid_until=values.get("valid_until"),
            product_ids=values["products"],
        )
        certificate = selectors.certificate_get_for(user=request.user, certificate_id=certificate.pk)
        return Response(CertificateOutputSerializer(certificate).data, status=status.HTTP_201_CREATED)


class CertificateDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=CertificateOutputSerializer)
    def get(self, request: Request, certificate_id: int) -> Response:
        certificate = selectors.certificate_get_for(user=request.user, certificate_id=certificate_id)
        return Response(CertificateOutputSerializer(certificate).data)


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class CertificateEvidenceUploadApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    def initialize_request(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Request:
        # Installed before authentication, which may parse the body (the session CSRF check).
        self.size_limit = EvidenceSizeLimitHandler(request)
        request.upload_handlers = [self.size_limit, *request.upload_handlers]
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(
        request={"multipart/form-data": EvidenceUploadSerializer}, responses={201: EvidenceOutputSerializer}
    )
    def post(self, request: Request, certificate_id: int) -> Response:
        certificate = selectors.certificate_get_for(user=request.user, certificate_id=certificate_id)
        services.certificate_check_owner(certificate=certificate, user=request.user)
        files = request.FILES  # parses the body through the size-limit handler
        if self.size_limit.exceeded:
            raise InvalidInput(
                f"The file is larger than {services.evidence_limit_mb()} MB.",
                field="file",
                code="file_too_large",
            )
        upload = files.get("file")
        if upload is None:
            raise InvalidInput("Send the evidence as a multipart field named 'file'.", field="file")
        evidence = services.certificate_add_evidence(
            certificate=certificate, user=request.user, upload=upload
        )
        return Response(EvidenceOutputSerializer(evidence).data, status=status.HTTP_201_CREATED)


class CertificateEvidenceDownloadApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request: Request, certificate_id: int, file_id: int) -> FileResponse:
        certificate = selectors.certificate_get_for(user=request.user, certificate_id=certificate_id)
        evidence = next((f for f in certificate.evidence_files.all() if f.pk == file_id), None)
        if evidence is None:
            raise NotFound("No evidence file matches the given id.")
        try:
            handle = evidence.file.open("rb")
        except OSError as exc:
            raise NotFound("The evidence file is missing from storage.") from exc
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=evidence.original_name,
            content_type=evidence.content_type,
        )
        response["Cache-Control"] = "private, no-store"
        return response


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=services.MAX_REASON_LENGTH)


class _ReviewApi(APIView):
    permission_classes = [IsAuthenticated]

    def _certificate(self, request: Request, certificate_id: int) -> Certificate:
        return selectors.certificate_get_for(user=request.user, certificate_id=certificate_id)

    def _answer(self, request: Request, certificate: Certificate) -> Response:
        fresh = selectors.certificate_get_for(user=request.user, certificate_id=certificate.pk)
        return Response(CertificateOutputSerializer(fresh).data)


class CertificateVerifyApi(_ReviewApi):
    @extend_schema(request=None, responses=CertificateOutputSerializer)
    def post(self, request: Request, certificate_id: int) -> Response:
        certificate = self._certificate(request, certificate_id)
        return self._answer(request, services.certificate_verify(certificate=certificate, user=request.user))


class CertificateRejectApi(_ReviewApi):
    @extend_schema(request=ReasonInputSerializer, responses=CertificateOutputSerializer)
    def post(self, request: Request, certificate_id: int) -> Response:
        certificate = self._certificate(request, certificate_id)
        services.check_staff(request.user)
        data = ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        updated = services.certificate_reject(
            certificate=certificate, user=request.user, reason=data.validated_data["reason"]
        )
        return self._answer(request, updated)


class CertificateRevokeApi(_ReviewApi):
    @extend_schema(request=ReasonInputSerializer, responses=CertificateOutputSerializer)
    def post(self, request: Request, certificate_id: int) -> Response:
        certificate = self._certificate(request, certificate_id)
        services.check_staff(request.user)
        data = ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        updated = services.certificate_revoke(
            certificate=certificate, user=request.user, reason=data.validated_data["reason"]
        )
        return self._answer(request, updated)


class NoticeOutputSerializer(serializers.ModelSerializer):
    certificate = serializers.IntegerField(source="certificate_id")
    scheme = serializers.CharField(source="certificate.scheme.code")
    number = serializers.CharField(source="certificate.number")

    class Meta:
        model = CertificateNotice
        fields = ["id", "kind", "certificate", "scheme", "number", "valid_until", "created_at"]


class CertificateNoticeListApi(APIView):
    """The merchant's dashboard notices: certificates expiring within 30 days or expired."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=NoticeOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        merchant = getattr(request.user, "merchant", None)
        queryset = (
            selectors.certificate_notices(merchant=merchant) if merchant else CertificateNotice.objects.none()
        )
        return paginated_response(
            queryset=queryset, serializer_class=NoticeOutputSerializer, request=request, view=self
        )
