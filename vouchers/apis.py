"""Voucher HTTP API (DESIGN section 5): campaigns and allocations for staff, claims and own vouchers for
shoppers. Validate, call a service, serialize."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.catalog.models import Category
from marketplace.core.apis import get_object_or_404, paginated_response
from marketplace.core.errors import DomainError, InvalidInput, error_body
from merchants.models import Merchant
from vouchers import selectors, services
from vouchers.errors import IdempotencyMismatch
from vouchers.idempotency import StoredAnswer, answer_get, answer_put
from vouchers.models import Allocation, Campaign, VoucherStatus
from vouchers.ratelimit import check_claim_rate


def money_field(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, **kwargs)


class IsStaff(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_staff)


# --- serializers ------------------------------------------------------------------------------------
class CampaignOutputSerializer(serializers.ModelSerializer):
    allocated = money_field(read_only=True)
    unallocated = serializers.SerializerMethodField()
    issued = serializers.SerializerMethodField()
    redeemed = serializers.SerializerMethodField()
    remaining = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "status",
            "total_budget",
            "allocated",
            "unallocated",
            "issued",
            "redeemed",
            "remaining",
            "starts_at",
            "ends_at",
            "created_at",
        ]

    def _figures(self, obj: Campaign) -> dict[str, Decimal]:
        cache = self.context.setdefault("figures", {})
        if obj.pk not in cache:
            cache[obj.pk] = selectors.campaign_figures(obj)
        return cache[obj.pk]

    def get_unallocated(self, obj: Campaign) -> str:
        return str(self._figures(obj)["unallocated"])

    def get_issued(self, obj: Campaign) -> str:
        return str(self._figures(obj)["issued"])

    def get_redeemed(self, obj: Campaign) -> str:
        return str(self._figures(obj)["redeemed"])

    def get_remaining(self, obj: Campaign) -> str:
        return str(self._figures(obj)["remaining"])


class CampaignInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    total_budget = money_field(min_value=Decimal("0.01"))
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class AllocationOutputSerializer(serializers.ModelSerializer):
    campaign = serializers.IntegerField(source="campaign_id", read_only=True)
    category: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    merchant = serializers.IntegerField(source="merchant_id", read_only=True, allow_null=True)
    issued = serializers.SerializerMethodField()
    redeemed = serializers.SerializerMethodField()
    remaining = serializers.SerializerMethodField()

    class Meta:
        model = Allocation
        fields = [
            "id",
            "campaign",
            "name",
            "budget",
            "face_value",
            "min_spend",
            "per_user_limit",
            "claim_starts_at",
            "claim_ends_at",
            "valid_days",
            "category",
            "merchant",
            "issued",
            "redeemed",
            "remaining",
        ]

    def get_issued(self, obj: Allocation) -> str:
        return str(selectors.allocation_figures(obj).issued)

    def get_redeemed(self, obj: Allocation) -> str:
        return str(selectors.allocation_figures(obj).redeemed)

    def get_remaining(self, obj: Allocation) -> str:
        return str(selectors.allocation_figures(obj).remaining)


class ClaimableAllocationSerializer(AllocationOutputSerializer):
    available = serializers.SerializerMethodField()

    class Meta(AllocationOutputSerializer.Meta):
        fields = [
            "id",
            "campaign",
            "name",
            "face_value",
            "min_spend",
            "per_user_limit",
            "claim_starts_at",
            "claim_ends_at",
            "valid_days",
            "category",
            "merchant",
            "remaining",
            "available",
        ]

    def get_available(self, obj: Allocation) -> bool:
        return selectors.allocation_figures(obj).remaining >= obj.face_value


class AllocationInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    budget = money_field(min_value=Decimal("0.01"))
    face_value = money_field(min_value=Decimal("0.01"))
    min_spend = money_field(min_value=Decimal("0.01"))
    per_user_limit = serializers.IntegerField(min_value=1, max_value=1000, default=1)
    claim_starts_at = serializers.DateTimeField()
    claim_ends_at = serializers.DateTimeField()
    valid_days = serializers.IntegerField(min_value=1, max_value=3650)
    category: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", queryset=Category.objects.all(), required=False, allow_null=True
    )
    merchant = serializers.PrimaryKeyRelatedField(
        queryset=Merchant.objects.all(), required=False, allow_null=True
    )


class VoucherOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    face_value = money_field()
    min_spend = money_field()
    expires_at = serializers.DateTimeField()
    status = serializers.CharField()


class OwnVoucherSerializer(VoucherOutputSerializer):
    allocation = serializers.IntegerField(source="allocation_id")
    allocation_name = serializers.CharField(source="allocation.name")
    claimed_at = serializers.DateTimeField()
    category = serializers.CharField(source="allocation.category.slug", read_only=True, allow_null=True)
    merchant = serializers.IntegerField(source="allocation.merchant_id", allow_null=True)


# --- campaigns ------------------------------------------------------------------------------------
class CampaignListCreateApi(APIView):
    permission_classes = [IsAuthenticated, IsStaff]

    @extend_schema(responses=CampaignOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        return paginated_response(
            queryset=selectors.campaign_list(),
            serializer_class=CampaignOutputSerializer,
            request=request,
            view=self,
        )

    @extend_schema(request=CampaignInputSerializer, responses={201: CampaignOutputSerializer})
    def post(self, request: Request) -> Response:
        data = CampaignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = services.campaign_create(user=request.user, **data.validated_data)
        return Response(CampaignOutputSerializer(campaign).data, status=status.HTTP_201_CREATED)


class CampaignDetailApi(APIView):
    permission_classes = [IsAuthenticated, IsStaff]

    @extend_schema(responses=CampaignOutputSerializer)
    def get(self, request: Request, campaign_id: int) -> Response:
        campaign = get_object_or_404(Campaign.objects.all(), pk=campaign_id)
        services.voucher_journal_drain_quietly()  # live figures include claims acknowledged a moment ago
        return Response(CampaignOutputSerializer(campaign).data)

    @extend_schema(request=CampaignInputSerializer, responses=CampaignOutputSerializer)
    def patch(self, request: Request, campaign_id: int) -> Response:
        campaign = get_object_or_404(Campaign.objects.all(), pk=campaign_id)
        data = CampaignInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        campaign = services.campaign_update(campaign=campaign, user=request.user, **data.validated_data)
        return Response(CampaignOutputSerializer(campaign).data)


class CampaignTransitionApi(APIView):
    permission_classes = [IsAuthenticated, IsStaff]
    action_name = ""

    @extend_schema(request=None, responses=CampaignOutputSerializer)
    def post(self, request: Request, campaign_id: int) -> Response:
        campaign = services.campaign_transition(
            campaign_id=campaign_id, user=request.user, action=self.action_name
        )
        return Response(CampaignOutputSerializer(campaign).data)


class AllocationListCreateApi(APIView):
    permission_classes = [IsAuthenticated, IsStaff]

    @extend_schema(responses=AllocationOutputSerializer(many=True))
    def get(self, request: Request, campaign_id: int) -> Response:
        campaign = get_object_or_404(Campaign.objects.all(), pk=campaign_id)
        return paginated_response(
            queryset=selectors.campaign_allocations(campaign=campaign),
            serializer_class=AllocationOutputSerializer,
            request=request,
            view=self,
        )

    @extend_schema(request=AllocationInputSerializer, responses={201: AllocationOutputSerializer})
    def post(self, request: Request, campaign_id: int) -> Response:
        data = AllocationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        allocation = services.allocation_create(
            campaign_id=campaign_id, user=request.user, **data.validated_data
        )
        return Response(AllocationOutputSerializer(allocation).data, status=status.HTTP_201_CREATED)


# --- shoppers -------------------------------------------------------------------------------------
class ClaimableAllocationListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=ClaimableAllocationSerializer(many=True))
    def get(self, request: Request) -> Response:
        return paginated_response(
            queryset=selectors.claimable_allocations(),
            serializer_class=ClaimableAllocationSerializer,
            request=request,
            view=self,
        )


def _user_id(request: Request) -> int:
    return int(request.user.pk or 0)


def _client_ip(request: Request) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


class ClaimApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
        responses={201: VoucherOutputSerializer},
    )
    def post(self, request: Request, allocation_id: int) -> Response:
        key = request.headers.get("Idempotency-Key", "").strip()[:200] or None
        if key:
            stored = answer_get(user_id=_user_id(request), key=key)
            if stored is not None:
                if stored.allocation_id != allocation_id:
                    mismatch = IdempotencyMismatch()
                    return Response(error_body(mismatch.code, mismatch.detail), status=mismatch.status_code)
                return Response(stored.body, status=stored.status)
        check_claim_rate(user_id=_user_id(request), ip=_client_ip(request))
        try:
            result = services.voucher_claim(
                user=request.user, allocation_id=allocation_id, idempotency_key=key
            )
        except DomainError as exc:
            if key and exc.status_code < 500 and exc.code != "idempotency_mismatch":
                body = error_body(exc.code, exc.detail)
                answer_put(
                    user_id=_user_id(request),
                    key=key,
                    answer=StoredAnswer(allocation_id, exc.status_code, body),
                )
            raise
        body = dict(VoucherOutputSerializer(result).data)
        if key:
            answer_put(user_id=_user_id(request), key=key, answer=StoredAnswer(allocation_id, 201, body))
        return Response(body, status=status.HTTP_201_CREATED)


class OwnVoucherListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=list(VoucherStatus.values), required=False)],
        responses=OwnVoucherSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        wanted = request.query_params.get("status") or None
        if wanted and wanted not in VoucherStatus.values:
            raise InvalidInput(f"Unknown status {wanted!r}.", field="status")
        services.voucher_sync_user(user_id=_user_id(request))
        return paginated_response(
            queryset=selectors.voucher_list(user=request.user, status=wanted),
            serializer_class=OwnVoucherSerializer,
            request=request,
            view=self,
        )


class VoucherVoidApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=OwnVoucherSerializer)
    def post(self, request: Request, code: str) -> Response:
        voucher = services.voucher_void(code=code.strip().upper(), user=request.user)
        return Response(OwnVoucherSerializer(voucher).data)
