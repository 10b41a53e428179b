from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from benchmarks.claim_naive import NaiveClaimApi


def plain(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [
    path("bench/plain/", plain),
    path("bench/naive-claim/<int:allocation_id>/", NaiveClaimApi.as_view()),
    path("", include("marketplace.urls")),
]
