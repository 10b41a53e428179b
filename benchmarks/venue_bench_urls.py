from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def plain(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [
    path("bench/plain/", plain),
    path("", include("marketplace.urls")),
]
