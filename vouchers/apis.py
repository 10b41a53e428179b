"""Voucher HTTP API (conventions: docs/api.md): campaigns and allocations for staff, claims and own
vouchers for shoppers. Validate, call a service, serialize."""

from __future__ import annotations

import functools
import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.accounts.authentication import CachedTokenAuthentication
from marketplace.catalog.models import Category
from marketplace.core.apis import get_object_or_404, paginated_response
from marketplace.core.errors import DomainError, InvalidInput, error_body
from marketplace.core.serializers import BusinessDateTimeField, SlugLookupField
from merchants.models import Merchant
from vouchers import selectors, services
from vouchers.backends import ClaimResult
from vouchers.errors import IdempotencyMismatch
from vouchers.idempotency import StoredAnswer, answer_get, answer_put
from vouchers.models import Allocation, Campaign, VoucherStatus


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
    starts_at = BusinessDateTimeField()
    ends_at = BusinessDateTimeField()


class AllocationOutputSerializer(serializers.ModelSerializer):
    campaign = serializers.IntegerField(source="campaign_id", read_only=True)
    category = serializers.CharField(source="category.slug", read_only=True, allow_null=True)
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
    claim_starts_at = BusinessDateTimeField()
    claim_ends_at = BusinessDateTimeField()
    valid_days = serializers.IntegerField(min_value=1, max_value=3650)
    category = SlugLookupField(
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


def _client_ip(request: HttpRequest | Request) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


# --- the claim: a lean path for token-authenticated POSTs, the DRF view for everything else --------
CENT = Decimal("0.01")
ClaimAnswer = tuple[int, dict[str, Any], dict[str, str]]
NOT_REPLAYED = ("idempotency_mismatch", "rate_limited")


def _money(value: Decimal) -> str:
    return f"{value.quantize(CENT):f}"  # as DRF's DecimalField(decimal_places=2) with strings


def _datetime(value: datetime) -> str:
    text = timezone.localtime(value).isoformat()  # as DRF's DateTimeField: the current time zone
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def voucher_body(result: ClaimResult) -> dict[str, Any]:
    """The 201 body, built by hand (the same fields and formats as ``VoucherOutputSerializer``)."""
    return {
        "code": result.code,
        "face_value": _money(result.face_value),
        "min_spend": _money(result.min_spend),
        "expires_at": _datetime(result.expires_at),
        "status": result.status,
    }


def claim_answer(
    *,
    user: Any,
    allocation_id: int,
    idempotency_key: str | None,
    client_ip: str,
    remember_token: str | None = None,
) -> ClaimAnswer:
    """Status, body and headers of a claim, whichever view answers it.

    Idempotency-Key: the same user and key get the first answer (errors included, rate limits not); the
    redis backend keeps the stored answers in the claims Redis and replays them inside the claim's one
    script, the database backend keeps them in the cache."""
    key = (idempotency_key or "").strip()[:200] or None
    cache_key = key if settings.VOUCHER_CLAIM_BACKEND != "redis" else None
    user_id = int(user.pk)
    try:
        if cache_key:
            stored = answer_get(user_id=user_id, key=cache_key)
            if stored is not None:
                if stored.allocation_id != allocation_id:
                    raise IdempotencyMismatch()
                return stored.status, stored.body, {}
        try:
            result = services.voucher_claim(
                user=user,
                allocation_id=allocation_id,
                idempotency_key=key,
                rate_limit_ip=client_ip,
                remember_token=remember_token,
            )
        except DomainError as exc:
            if cache_key and exc.status_code < 500 and exc.code not in NOT_REPLAYED:
                answer = StoredAnswer(allocation_id, exc.status_code, error_body(exc.code, exc.detail))
                answer_put(user_id=user_id, key=cache_key, answer=answer)
            raise
        body = voucher_body(result)
        if cache_key:
            answer_put(user_id=user_id, key=cache_key, answer=StoredAnswer(allocation_id, 201, body))
        return status.HTTP_201_CREATED, body, {}
    except DomainError as exc:
        return exc.status_code, error_body(exc.code, exc.detail), dict(getattr(exc, "headers", None) or {})


_token_authentication = CachedTokenAuthentication()


def token_key(request: HttpRequest) -> str | None:
    """The key of a well-formed ``Authorization: Token <key>`` header, else None."""
    parts = request.META.get("HTTP_AUTHORIZATION", "").split()
    if len(parts) != 2 or parts[0].lower() != "token":
        return None
    return parts[1]


def _token_user(key: str) -> Any:
    try:
        user, _token = _token_authentication.authenticate_credentials(key)
    except AuthenticationFailed:
        return None
    return user


def _json_response(answer: ClaimAnswer) -> HttpResponse:
    code, body, headers = answer
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        status=code,
        content_type="application/json",
    )
    response["Allow"] = "POST, OPTIONS"
    response["Vary"] = "Accept"
    for name, value in headers.items():
        response[name] = value
    return response


# Set on a request the known-token path already tried, so the full stack does not ask the claims Redis
# the same question again.
FAST_PATH_TRIED = "vouchers.fast_path_tried"


def known_token_claim_response(request: HttpRequest, allocation_id: int) -> HttpResponse | None:
    """The flash-sale hot path (redis backend): one EVALSHA that authenticates a token the claims Redis
    knows (``vouchers.signals``), counts the rate limits, claims and journals. None when it does not
    apply: the database backend, no token, an Idempotency-Key, or a token the claims Redis does not know
    (nothing is counted then); the caller authenticates the usual way. Touches no database once the
    allocation's campaign id is known to this process."""
    key = token_key(request)
    if key is None or request.META.get(FAST_PATH_TRIED):
        return None
    if (request.META.get("HTTP_IDEMPOTENCY_KEY") or "").strip():
        return None
    request.META[FAST_PATH_TRIED] = True
    try:
        result = services.voucher_claim_by_token(
            token=key, allocation_id=allocation_id, rate_limit_ip=_client_ip(request)
        )
    except DomainError as exc:
        errors = dict(getattr(exc, "headers", None) or {})
        return _json_response((exc.status_code, error_body(exc.code, exc.detail), errors))
    if result is None:
        return None
    return _json_response((status.HTTP_201_CREATED, voucher_body(result), {}))


def lean_claim_response(request: HttpRequest, allocation_id: int) -> HttpResponse | None:
    """A token-authenticated claim answered without DRF, or None: then the DRF view answers (no or a
    malformed token header, an unknown or inactive token: its exact 401 bodies; session
    authentication with its CSRF check).

    Without an Idempotency-Key the redis backend first tries the claim by token alone
    (``known_token_claim_response``). Otherwise (and when the claims Redis does not know the token yet):
    the cached token lookup, then the claim, which teaches the claims Redis the token."""
    response = known_token_claim_response(request, allocation_id)
    if response is not None:
        return response
    key = token_key(request)
    if key is None:
        return None
    user = _token_user(key)
    if user is None:
        return None
    answer = claim_answer(
        user=user,
        allocation_id=allocation_id,
        idempotency_key=request.META.get("HTTP_IDEMPOTENCY_KEY"),
        client_ip=_client_ip(request),
        remember_token=key,
    )
    return _json_response(answer)


# ``POST /voucher-allocations/{id}/claim/``, the flash-sale hot path: a token-authenticated POST is
# answered by lean_claim_response (and before the URL resolver by vouchers.middleware), without DRF's
# request wrapping, negotiation and serializers: with the redis backend a single EVALSHA authenticates a
# known token, counts the rate limits, replays an Idempotency-Key's answer, claims and journals.
# Anything else (no or bad token, session authentication, other methods) goes through the DRF view,
# which also describes the endpoint in the OpenAPI schema (a docstring here would change its
# description). Both answer through claim_answer.
class ClaimApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
        responses={201: VoucherOutputSerializer},
    )
    def post(self, request: Request, allocation_id: int) -> Response:
        code, body, headers = claim_answer(
            user=request.user,
            allocation_id=allocation_id,
            idempotency_key=request.headers.get("Idempotency-Key"),
            client_ip=_client_ip(request),
        )
        return Response(body, status=code, headers=headers)

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:  # the DRF view's attributes on a leaner function
        drf_view = super().as_view(**initkwargs)

        def view(request: HttpRequest, allocation_id: int) -> HttpResponse:
            if request.method == "POST":
                response = lean_claim_response(request, allocation_id)
                if response is not None:
                    return response
            return drf_view(request, allocation_id=allocation_id)

        # cls, initkwargs (drf-spectacular finds the endpoint by them) and csrf_exempt: token-authenticated
        # calls need no CSRF check, and the DRF view enforces it for session-authenticated ones.
        return functools.update_wrapper(view, drf_view)


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
