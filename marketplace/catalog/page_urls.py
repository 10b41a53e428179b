"""Server-rendered pages of this app (the API lives in urls.py)."""

from django.urls import path

from marketplace.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("categories/", views.category_index, name="categories"),
    path("categories/<slug:slug>/", views.category_detail, name="category"),
    path("products/<int:pk>/", views.product_detail, name="product"),
    path("search/", views.search, name="search"),
]
