"""HTTP API of the alliance (conventions: docs/api.md): enrolment, membership transitions, the KPI catalogue,
the public directory and leaderboard, commitments and progress reports."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.apis import paginated_response
from marketplace.core.errors import NotFound
from merchants.alliance import kpis, selectors, services
from merchants.alliance.models import (
    VALUE_DIGITS,
    VALUE_PLACES,
    AllianceMembership,
    Commitment,
    Kpi,
    MembershipStatus,
    Pledge,
    ProgressReport,
    TargetType,
    VerificationLevel,
)

# --- serializers ------------------------------------------------------------------------------------


class AllianceMerchantBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    city = serializers.SerializerMethodField()

    def get_city(self, obj: Any) -> str:
        return str(obj.city.slug)


class AllianceStatusChangeSerializer(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class AllianceMembershipOutputSerializer(serializers.ModelSerializer):
    merchant = AllianceMerchantBriefSerializer(read_only=True)
    # [{code, label, required, actual, passed}], as checked by the platform at application (or approval).
    criteria = serializers.JSONField(read_only=True)
    history = AllianceStatusChangeSerializer(many=True, read_only=True)

    class Meta:
        model = AllianceMembership
        fields = [
            "id",
            "merchant",
            "status",
            "pledges",
            "declarations",
            "criteria",
            "criteria_passed",
            "status_reason",
            "applied_at",
            "decided_at",
            "activated_at",
            "history",
        ]


class AllianceDeclarationsSerializer(serializers.Serializer):
    """Soft declarations: stored as given, not checked by the platform."""

    renewable_electricity_share = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal(0), max_value=Decimal(100), required=False
    )
    green_power = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    green_logistics = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    packaging = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    other = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class AllianceApplicationInputSerializer(serializers.Serializer):
    pledges = serializers.ListField(
        child=serializers.ChoiceField(choices=Pledge.choices), min_length=1, max_length=len(Pledge.choices)
    )
    declarations = AllianceDeclarationsSerializer(required=False)


class AllianceReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=services.MAX_REASON_LENGTH, allow_blank=True, required=False)


class AllianceKpiOutputSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    definition = serializers.CharField(read_only=True)

    class Meta:
        model = Kpi
        fields = ["code", "name", "name_en", "name_zh", "unit", "definition", "direction", "source"]


class AllianceKpiBriefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Kpi
        fields = ["code", "name", "unit", "direction", "source"]


class AllianceCommitmentOutputSerializer(serializers.ModelSerializer):
    kpi = AllianceKpiBriefSerializer(read_only=True)
    status = serializers.SerializerMethodField()
    latest_value = serializers.SerializerMethodField()
    expected_value = serializers.SerializerMethodField()
    progress_percent = serializers.SerializerMethodField()
    sparkline = serializers.SerializerMethodField()

    class Meta:
        model = Commitment
        fields = [
            "id",
            "membership",
            "kpi",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "target_type",
            "coverage",
            "coverage_percent",
            "verification_level",
            "status",
            "latest_value",
            "expected_value",
            "progress_percent",
            "sparkline",
        ]

    def _progress(self, obj: Commitment) -> kpis.CommitmentProgress:
        cached = getattr(obj, "_progress_cache", None)
        if cached is None:
            cached = selectors.commitment_progress(commitment=obj)
            obj._progress_cache = cached  # type: ignore[attr-defined]
        return cached

    def get_status(self, obj: Commitment) -> str:
        return self._progress(obj).status

    def _decimal(self, value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    def get_latest_value(self, obj: Commitment) -> str | None:
        return self._decimal(self._progress(obj).latest_value)

    def get_expected_value(self, obj: Commitment) -> str | None:
        return self._decimal(self._progress(obj).expected_value)

    def get_progress_percent(self, obj: Commitment) -> str | None:
        return self._decimal(self._progress(obj).progress_percent)

    def get_sparkline(self, obj: Commitment) -> list[list[str]]:
        """(period end, value) pairs, oldest first: ready for a sparkline."""
        return [[day.isoformat(), str(value)] for day, value in self._progress(obj).history]


class AllianceCommitmentInputSerializer(serializers.Serializer):
    kpi = serializers.CharField(max_length=60)
    baseline_value = serializers.DecimalField(max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    baseline_date = serializers.DateField()
    target_value = serializers.DecimalField(max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    target_date = serializers.DateField()
    target_type = serializers.ChoiceField(choices=TargetType.choices, default=TargetType.INTENSITY)
    coverage = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    coverage_percent = serializers.DecimalField(max_digits=5, decimal_places=2, default=Decimal(100))
    verification_level = serializers.ChoiceField(choices=VerificationLevel.choices)


class AllianceReportInputSerializer(serializers.Serializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    value = serializers.DecimalField(max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    evidence_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    evidence_text = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class AllianceReportOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "commitment",
            "period_start",
            "period_end",
            "value",
            "source",
            "evidence_url",
            "evidence_text",
            "created_at",
        ]


class AllianceMemberOutputSerializer(serializers.ModelSerializer):
    merchant = AllianceMerchantBriefSerializer(read_only=True)
    member_since = serializers.DateTimeField(source="activated_at", read_only=True)
    measured_score = serializers.SerializerMethodField()
    commitments = serializers.SerializerMethodField()

    class Meta:
        model = AllianceMembership
        fields = ["id", "merchant", "member_since", "pledges", "measured_score", "commitments"]

    def get_measured_score(self, obj: AllianceMembership) -> str | None:
        """Mean progress of the member's platform-measured commitments (the leaderboard's key)."""
        score = getattr(obj, "measured_score", None)
        return None if score is None else str(score)

    def get_commitments(self, obj: AllianceMembership) -> Any:
        commitments = []
        for commitment, progress in getattr(obj, "commitment_progress", []):
            commitment._progress_cache = progress
            commitments.append(commitment)
        return AllianceCommitmentOutputSerializer(commitments, many=True, context=self.context).data


# --- helpers ----------------------------------------------------------------------------------------


def _membership_visible(request: Request, membership_id: int) -> AllianceMembership:
    membership = selectors.membership_get(membership_id=membership_id)
    if not selectors.membership_visible_to(membership=membership, user=request.user):
        raise NotFound("No membership matches the given id.")
    return membership


def _membership_response(membership: AllianceMembership, request: Request, code: int = 200) -> Response:
    fresh = selectors.membership_list(user=request.user).filter(pk=membership.pk).first() or membership
    return Response(AllianceMembershipOutputSerializer(fresh, context={"request": request}).data, status=code)


# --- enrolment ----------------------------------------------------------------------------------------


class ApplicationListCreateApi(APIView):
    """Apply (the shop's owner); list applications (staff: all, filterable by status; owner: own)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=MembershipStatus.values)],
        responses=AllianceMembershipOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        status_filter = request.query_params.get("status") or None
        if status_filter and status_filter not in MembershipStatus.values:
            status_filter = None
        queryset = selectors.membership_list(user=request.user, status=status_filter)
        return paginated_response(
            queryset=queryset, serializer_class=AllianceMembershipOutputSerializer, request=request, view=self
        )

    @extend_schema(
        request=AllianceApplicationInputSerializer, responses={201: AllianceMembershipOutputSerializer}
    )
    def post(self, request: Request) -> Response:
        data = AllianceApplicationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        declarations = {
            key: str(value) for key, value in (data.validated_data.get("declarations") or {}).items()
        }
        membership = services.membership_apply(
            user=request.user, pledges=data.validated_data["pledges"], declarations=declarations
        )
        return _membership_response(membership, request, status.HTTP_201_CREATED)


class _TransitionApi(APIView):
    permission_classes = [IsAuthenticated]
    needs_reason = False

    def act(self, membership: AllianceMembership, request: Request, reason: str) -> AllianceMembership:
        raise NotImplementedError

    @extend_schema(request=AllianceReasonInputSerializer, responses=AllianceMembershipOutputSerializer)
    def post(self, request: Request, membership_id: int) -> Response:
        membership = _membership_visible(request, membership_id)
        data = AllianceReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = self.act(membership, request, data.validated_data.get("reason", ""))
        return _membership_response(membership, request)


class ApplicationApproveApi(_TransitionApi):
    def act(self, membership: AllianceMembership, request: Request, reason: str) -> AllianceMembership:
        return services.membership_approve(membership=membership, user=request.user)


class ApplicationRejectApi(_TransitionApi):
    def act(self, membership: AllianceMembership, request: Request, reason: str) -> AllianceMembership:
        return services.membership_reject(membership=membership, user=request.user, reason=reason)


class MembershipSuspendApi(_TransitionApi):
    def act(self, membership: AllianceMembership, request: Request, reason: str) -> AllianceMembership:
        return services.membership_suspend(membership=membership, user=request.user, reason=reason)


class MembershipReinstateApi(_TransitionApi):
    def act(self, membership: AllianceMembership, request: Request, reason: str) -> AllianceMembership:
        return services.membership_reinstate(membership=membership, user=request.user, reason=reason)


class MembershipWithdrawApi(_TransitionApi):
    def act(self, membership: AllianceMembership, request: Request, reason: str) -> AllianceMembership:
        return services.membership_withdraw(membership=membership, user=request.user, reason=reason)


class AllianceMeasureInputSerializer(serializers.Serializer):
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)


class MembershipMeasureApi(APIView):
    """Staff measure a member's platform KPIs now (default: last month); idempotent per period."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=AllianceMeasureInputSerializer, responses=AllianceReportOutputSerializer(many=True)
    )
    def post(self, request: Request, membership_id: int) -> Response:
        membership = _membership_visible(request, membership_id)
        data = AllianceMeasureInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reports = services.membership_measure_on_demand(
            membership=membership, user=request.user, **data.validated_data
        )
        return Response(AllianceReportOutputSerializer(reports, many=True).data)


# --- catalogue and directory -----------------------------------------------------------------------------


class KpiListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=AllianceKpiOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        return paginated_response(
            queryset=selectors.kpi_list(),
            serializer_class=AllianceKpiOutputSerializer,
            request=request,
            view=self,
        )


class MemberListApi(APIView):
    """Public directory; ``?ordering=progress`` is the leaderboard (measured progress only)."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("ordering", str, enum=["name", "progress"])],
        responses=AllianceMemberOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        ordering = "progress" if request.query_params.get("ordering") == "progress" else "name"
        members = selectors.directory_members(ordering=ordering)
        return paginated_response(
            queryset=members, serializer_class=AllianceMemberOutputSerializer, request=request, view=self
        )


class MemberDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=AllianceMemberOutputSerializer)
    def get(self, request: Request, membership_id: int) -> Response:
        member = selectors.directory_member(membership_id=membership_id)
        return Response(AllianceMemberOutputSerializer(member, context={"request": request}).data)


# --- commitments and reports ---------------------------------------------------------------------------


class CommitmentCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=AllianceCommitmentInputSerializer, responses={201: AllianceCommitmentOutputSerializer}
    )
    def post(self, request: Request) -> Response:
        data = AllianceCommitmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        commitment = services.commitment_create(user=request.user, kpi_code=values.pop("kpi"), **values)
        commitment = selectors.commitment_get(commitment_id=commitment.pk)
        return Response(
            AllianceCommitmentOutputSerializer(commitment, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


def _commitment_visible(request: Request, commitment_id: int) -> Commitment:
    commitment = selectors.commitment_get(commitment_id=commitment_id)
    if not selectors.membership_visible_to(membership=commitment.membership, user=request.user):
        raise NotFound("No commitment matches the given id.")
    return commitment


class CommitmentReportListCreateApi(APIView):
    def get_permissions(self) -> list[Any]:
        return [IsAuthenticated()] if self.request.method == "POST" else [AllowAny()]

    @extend_schema(responses=AllianceReportOutputSerializer(many=True))
    def get(self, request: Request, commitment_id: int) -> Response:
        commitment = _commitment_visible(request, commitment_id)
        return paginated_response(
            queryset=commitment.reports.order_by("period_end", "id"),
            serializer_class=AllianceReportOutputSerializer,
            request=request,
            view=self,
        )

    @extend_schema(request=AllianceReportInputSerializer, responses={201: AllianceReportOutputSerializer})
    def post(self, request: Request, commitment_id: int) -> Response:
        commitment = _commitment_visible(request, commitment_id)
        services.check_owner(membership=commitment.membership, user=request.user)
        data = AllianceReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.progress_report_declare(
            commitment=commitment, user=request.user, **data.validated_data
        )
        return Response(AllianceReportOutputSerializer(report).data, status=status.HTTP_201_CREATED)
