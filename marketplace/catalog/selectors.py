from __future__ import annotations

from typing import Any

from django.db.models import Q

from marketplace.catalog.models import Category, City, Product, ProductQuerySet


def city_list() -> list[City]:
    return list(City.objects.all())


def category_list() -> list[Category]:
    return list(Category.objects.select_related("parent"))


def category_with_descendants(slug: str) -> list[int]:
    """Ids of the category named by ``slug`` and its subcategories (empty if unknown)."""
    return list(Category.objects.filter(Q(slug=slug) | Q(parent__slug=slug)).values_list("id", flat=True))


def product_list(*, viewer: Any = None) -> ProductQuerySet:
    """Visible products with what a list shows joined in (constant queries whatever the page size)."""
    queryset = Product.objects.select_related("merchant", "merchant__city", "category", "category__parent")
    visible = Q(active=True, merchant__status="active")
    if viewer is not None and viewer.is_authenticated:
        # Owners still see their own deactivated products.
        visible |= Q(merchant__owner=viewer)
    return queryset.filter(visible)


def product_name_search_q(text: str) -> Q:
    """The catalog's search: ``text`` in the English or the Chinese name, ignoring case.

    On PostgreSQL the trigram indexes of migration 0004 serve exactly these expressions (Django's
    ``UPPER(name) LIKE UPPER(...)``) for texts of three characters or more."""
    return Q(name_en__icontains=text) | Q(name_zh__icontains=text)
