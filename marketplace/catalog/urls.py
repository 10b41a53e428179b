from django.urls import path

from marketplace.catalog import apis

urlpatterns = [
    path("cities/", apis.CityListApi.as_view(), name="city-list"),
    path("categories/", apis.CategoryListApi.as_view(), name="category-list"),
    path("products/", apis.ProductListCreateApi.as_view(), name="product-list"),
    path("products/<int:product_id>/", apis.ProductDetailApi.as_view(), name="product-detail"),
]
