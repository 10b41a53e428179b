"""Server-rendered pages of this app (the API lives in urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
