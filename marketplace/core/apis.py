"""Small helpers shared by the apps' API modules."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.core.errors import NotFound
from marketplace.core.pagination import PageNumberPagination


def get_object_or_404(queryset: QuerySet[Any], **lookup: Any) -> Any:
    """Fetch one object; a malformed id is "not found", not a 500."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(f"No {queryset.model._meta.verbose_name} matches the given id.") from exc


def paginated_response(
    *, queryset: QuerySet[Any] | list[Any], serializer_class: type, request: Request, view: APIView
) -> Response:
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(queryset, request, view=view)  # type: ignore[arg-type]
    serializer = serializer_class(page, many=True, context={"request": request})
    return paginator.get_paginated_response(serializer.data)


def model_label(model: type[Model]) -> str:
    return str(model._meta.verbose_name)
