"""HTTP API of the carbon app (mounted under /api/v1/)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAdminUser, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carbon import selectors, services
from carbon.models import Factor, FactorSet
from marketplace.core.apis import get_object_or_404, paginated_response


class FactorOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Factor
        fields = ["key", "value", "unit", "scope", "source", "table", "proxy", "note"]


class SourceSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField(allow_blank=True)


class FactorSetOutputSerializer(serializers.ModelSerializer):
    sources = SourceSerializer(many=True)
    factors = FactorOutputSerializer(many=True)

    class Meta:
        model = FactorSet
        fields = [
            "version",
            "description",
            "is_active",
            "published_at",
            "superseded_at",
            "sources",
            "factors",
        ]


class FactorSetListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=FactorSetOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        return paginated_response(
            queryset=selectors.factor_set_list(),
            serializer_class=FactorSetOutputSerializer,
            request=request,
            view=self,
        )


ProgressSerializer = inline_serializer(
    name="CarbonRecomputationProgress",
    fields={
        "factor_set": serializers.CharField(),
        "is_active": serializers.BooleanField(),
        "orders": serializers.IntegerField(),
        "labelled": serializers.IntegerField(),
        "percent": serializers.IntegerField(),
        "batches_enqueued": serializers.IntegerField(),
        "started_at": serializers.DateTimeField(allow_null=True),
        "enqueued_at": serializers.DateTimeField(allow_null=True),
    },
)


class FactorSetProgressApi(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(responses=ProgressSerializer)
    def get(self, request: Request, version: str) -> Response:
        factor_set = get_object_or_404(FactorSet.objects.all(), version=version)
        return Response(selectors.recomputation_progress(factor_set))


class FactorSetPublishApi(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(request=None, responses={202: ProgressSerializer, 200: ProgressSerializer})
    def post(self, request: Request, version: str) -> Response:
        factor_set = get_object_or_404(FactorSet.objects.all(), version=version)
        recomputation = services.factor_set_publish(factor_set=factor_set)
        code = status.HTTP_202_ACCEPTED if recomputation is not None else status.HTTP_200_OK
        return Response(selectors.recomputation_progress(factor_set), status=code)


class CarbonAccountApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=inline_serializer(
            name="CarbonAccount",
            fields={
                "factor_set": serializers.CharField(allow_null=True),
                "orders": serializers.IntegerField(),
                "kgco2e": serializers.DecimalField(max_digits=14, decimal_places=4),
                "saving_kgco2e": serializers.DecimalField(max_digits=14, decimal_places=4),
                "months": inline_serializer(
                    name="CarbonAccountMonth",
                    many=True,
                    fields={
                        "month": serializers.CharField(),
                        "orders": serializers.IntegerField(),
                        "kgco2e": serializers.DecimalField(max_digits=14, decimal_places=4),
                        "baseline_kgco2e": serializers.DecimalField(max_digits=14, decimal_places=4),
                        "saving_kgco2e": serializers.DecimalField(max_digits=14, decimal_places=4),
                    },
                ),
            },
        )
    )
    def get(self, request: Request) -> Response:
        data: dict[str, Any] = selectors.carbon_account_for_user(request.user)
        return Response(data)
