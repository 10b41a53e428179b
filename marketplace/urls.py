from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from marketplace.accounts.language import language_switch
from marketplace.core.health import healthz

api_v1: list[URLPattern | URLResolver] = [
    path("", include("marketplace.accounts.urls")),
    path("", include("marketplace.catalog.urls")),
    path("", include("marketplace.orders.urls")),
    path("", include("merchants.urls")),
    path("", include("green_venue.urls")),
    path("", include("vouchers.urls")),
    path("", include("carbon.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    # Django's set_language, which also remembers a signed-in user's choice on the account.
    path("i18n/setlang/", language_switch, name="set_language"),
    # Pages, one module per app.
    path("", include("marketplace.accounts.page_urls")),
    path("", include("marketplace.catalog.page_urls")),
    path("", include("marketplace.orders.page_urls")),
    path("", include("merchants.page_urls")),
    path("", include("merchants.alliance.page_urls")),
    path("", include("green_venue.page_urls")),
    path("", include("vouchers.page_urls")),
    path("", include("carbon.page_urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
