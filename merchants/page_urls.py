"""Server-rendered pages of this app (the API lives in urls.py)."""

from django.urls import path

from merchants import views

app_name = "merchants"

urlpatterns = [
    path("merchant/", views.dashboard, name="dashboard"),
    path("merchant/open/", views.merchant_open, name="open"),
    path("merchant/products/", views.product_list, name="products"),
    path("merchant/products/new/", views.product_create, name="product-create"),
    path("merchant/products/<int:pk>/edit/", views.product_edit, name="product-edit"),
]
