"""Product templates per subcategory, in both languages: the demo catalogue's raw material.

``TEMPLATES`` maps a subcategory slug to what a demo shop in it sells (``template.Template``)."""

from __future__ import annotations

from marketplace.demo.product_data.durable import DURABLE_GOODS
from marketplace.demo.product_data.everyday import EVERYDAY_GOODS
from marketplace.demo.product_data.template import MODEL_NUMBER_TOPS, Template

TEMPLATES: dict[str, tuple[Template, ...]] = {**DURABLE_GOODS, **EVERYDAY_GOODS}

__all__ = ["MODEL_NUMBER_TOPS", "TEMPLATES", "Template"]
