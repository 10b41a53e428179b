from django.urls import path

from marketplace.accounts import apis

urlpatterns = [
    path("auth/register/", apis.RegisterApi.as_view(), name="auth-register"),
    path("auth/token/", apis.TokenApi.as_view(), name="auth-token"),
    path("auth/me/", apis.MeApi.as_view(), name="auth-me"),
]
