from __future__ import annotations

from typing import Any

from django.db import transaction

from marketplace.catalog.models import Category, Product
from marketplace.core.errors import Forbidden, InvalidInput

# Fields a merchant may set on their product.
EDITABLE_FIELDS = frozenset(
    {
        "name_en",
        "name_zh",
        "description_en",
        "description_zh",
        "category",
        "price",
        "stock",
        "weight_grams",
        "ships_in_own_box",
        "declared_footprint_kg",
        "declared_footprint_document",
        "active",
    }
)


def _check_values(values: dict[str, Any]) -> None:
    category = values.get("category")
    if isinstance(category, Category) and category.parent_id is None and category.children.exists():
        raise InvalidInput("Choose a subcategory, not a top-level category.", field="category")
    footprint = values.get("declared_footprint_kg")
    if footprint is not None and not values.get("declared_footprint_document"):
        raise InvalidInput(
            "A declared footprint needs the document it comes from (ISO 14067, PAS 2050 or EPD).",
            field="declared_footprint_document",
        )


@transaction.atomic
def product_create(*, merchant: Any, user: Any, **values: Any) -> Product:
    if merchant.owner_id != user.pk:
        raise Forbidden("You can only list products in your own shop.")
    unknown = set(values) - EDITABLE_FIELDS
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}")
    if not values.get("name_en") and not values.get("name_zh"):
        raise InvalidInput("Give the product a name (name_en or name_zh).", field="name")
    _check_values(values)
    product = Product(merchant=merchant, **values)
    product.full_clean()
    product.save()
    return product


def product_check_editable(*, product: Product, user: Any) -> None:
    """Products are public, so another merchant's product answers 403 rather than 404."""
    if product.merchant.owner_id != user.pk:
        raise Forbidden("You can only edit products of your own shop.")


@transaction.atomic
def product_update(*, product: Product, user: Any, **values: Any) -> Product:
    product_check_editable(product=product, user=user)
    unknown = set(values) - EDITABLE_FIELDS
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}")
    merged = {field: getattr(product, field) for field in ("declared_footprint_document",)}
    merged.update(values)
    _check_values(merged)
    for field, value in values.items():
        setattr(product, field, value)
    if not product.name_en and not product.name_zh:
        raise InvalidInput("A product needs a name (name_en or name_zh).", field="name")
    product.full_clean()
    product.save()
    return product
