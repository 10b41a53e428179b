from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from marketplace.catalog import selectors
from marketplace.catalog.forms import SearchForm
from marketplace.catalog.models import Category, Product

NEWEST_ON_HOME = 12
FEATURED_CATEGORIES = 8


def _page(request: HttpRequest, queryset: QuerySet[Product]) -> Page[Product]:
    return Paginator(queryset, settings.STOREFRONT_PAGE_SIZE).get_page(request.GET.get("page"))


def home(request: HttpRequest) -> HttpResponse:
    featured = Category.objects.filter(parent__isnull=True).prefetch_related("children")[:FEATURED_CATEGORIES]
    newest = selectors.product_list().order_by("-created_at", "-id")[:NEWEST_ON_HOME]
    return render(request, "catalog/home.html", {"featured_categories": featured, "newest_products": newest})


def category_index(request: HttpRequest) -> HttpResponse:
    top = Category.objects.filter(parent__isnull=True).prefetch_related("children")
    return render(request, "catalog/category_index.html", {"categories": top})


def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    ids = selectors.category_with_descendants(slug)
    products = selectors.product_list().filter(category_id__in=ids).order_by("-created_at", "-id")
    return render(
        request,
        "catalog/category_detail.html",
        {
            "category": category,
            "subcategories": category.children.all(),
            "page_obj": _page(request, products),
        },
    )


def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        product: Product = selectors.product_list(viewer=request.user).get(pk=pk)
    except Product.DoesNotExist as exc:
        raise Http404 from exc
    # The add-to-cart form and the footprint estimate come from the orders and carbon apps' template tags
    # (templates/catalog/product_detail.html): the catalog sits below both and imports neither.
    return render(request, "catalog/product_detail.html", {"product": product})


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = ""
    page_obj = None
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
    if query:
        products = (
            selectors.product_list()
            .filter(selectors.product_name_search_q(query))
            .order_by("-created_at", "-id")
        )
        page_obj = _page(request, products)
    return render(
        request,
        "catalog/search.html",
        {"form": form, "search_query": query, "page_obj": page_obj},
    )
