"""The OpenAPI schema generator: drf-spectacular's, describing lists as the contract answers them."""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi

from marketplace.core.pagination import PageNumberPagination


class AutoSchema(openapi.AutoSchema):
    """Lists are paginated as every list answers (``{count, next, previous, results}``, docs/api.md).

    The apps' list endpoints are plain ``APIView``s that answer through ``core.apis.paginated_response``,
    so drf-spectacular, which only looks at a generic view's ``pagination_class``, described them as bare
    arrays and the schema disagreed with every answer. A GET that answers a list is described (and given
    ``page``/``page_size``) as paginated unless its view sets ``pagination_class = None``.
    """

    def _get_paginator(self) -> Any:
        if self.method == "GET" and not hasattr(self.view, "pagination_class"):
            return PageNumberPagination()
        return super()._get_paginator()
