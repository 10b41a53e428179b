"""``GET /api/v1/carbon/impact/?campaign=<id>``: the campaign impact report as JSON (staff only)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAdminUser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carbon.reports import selectors
from marketplace.core.apis import get_object_or_404
from vouchers.models import Campaign


def _cny() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2)


def _kg() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=16, decimal_places=4)


def _percent() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=5, decimal_places=1)


class CampaignImpactInputSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(min_value=1)


class CampaignImpactPackagingSerializer(serializers.Serializer):
    packaging = serializers.CharField()
    orders = serializers.IntegerField()
    share_percent = _percent()


class CampaignImpactDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    orders = serializers.IntegerField()
    gmv = _cny()
    green_gmv = _cny()
    discount = _cny()
    vouchers_claimed = serializers.IntegerField()
    vouchers_claimed_face = _cny()
    vouchers_redeemed = serializers.IntegerField()
    vouchers_redeemed_face = _cny()
    labelled_orders = serializers.IntegerField()
    kgco2e = _kg()
    baseline_kgco2e = _kg()
    saved_kgco2e = _kg()


class CampaignImpactOutputSerializer(serializers.Serializer):
    campaign_id = serializers.IntegerField()
    campaign_name = serializers.CharField()
    campaign_status = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    total_budget = _cny()
    allocated = _cny()
    factor_set = serializers.CharField(allow_null=True)
    green_judged_at = serializers.SerializerMethodField()
    orders = serializers.IntegerField()
    gmv = _cny()
    green_gmv = _cny()
    green_share_percent = _percent()
    discount = _cny()
    vouchers_claimed = serializers.IntegerField()
    vouchers_issued = serializers.IntegerField()
    vouchers_issued_face = _cny()
    vouchers_redeemed = serializers.IntegerField()
    vouchers_redeemed_face = _cny()
    labelled_orders = serializers.IntegerField()
    kgco2e = _kg()
    baseline_kgco2e = _kg()
    saved_kgco2e = _kg()
    saved_percent = serializers.DecimalField(max_digits=7, decimal_places=1)
    packaging = CampaignImpactPackagingSerializer(many=True)
    daily = CampaignImpactDaySerializer(many=True)

    def get_green_judged_at(self, obj: Any) -> str:
        return "payment_day"


class CampaignImpactApi(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(
        parameters=[OpenApiParameter("campaign", int, required=True, description="Voucher campaign id.")],
        responses=CampaignImpactOutputSerializer,
    )
    def get(self, request: Request) -> Response:
        params = CampaignImpactInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        campaign = get_object_or_404(Campaign.objects.all(), pk=params.validated_data["campaign"])
        report = selectors.campaign_impact(campaign=campaign)
        return Response(CampaignImpactOutputSerializer(report).data)
