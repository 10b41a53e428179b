"""Template helpers of the carbon app for pages of apps below it (the catalog's product page)."""

from __future__ import annotations

import logging
from typing import Any

from django import template

from carbon import selectors

logger = logging.getLogger(__name__)
register = template.Library()


@register.simple_tag
def product_footprint(product: Any) -> Any:
    """The estimate of one unit's footprint and grade, or None when it cannot say.

    The estimate informs and never blocks the page: a failure is logged and the page shows no estimate."""
    try:
        return selectors.product_footprint_estimate(product)
    except Exception:
        logger.exception("footprint estimate of product %s failed", getattr(product, "pk", None))
        return None
