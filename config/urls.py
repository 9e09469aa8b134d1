from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from phoihop.dashboards.views import home
from phoihop.exchange.attachments import attachment_download

urlpatterns = [
    path("", home, name="home"),
    path("", include("phoihop.org.urls")),
    path("audit/", include("phoihop.audit.urls")),
    path(
        "exchange/files/<uuid:public_id>/",
        attachment_download,
        name="exchange_attachment_download",
    ),
    path("exchange/", include("phoihop.exchange.urls")),
    path("cases/", include("phoihop.cases.urls")),
    path("operations/", include("phoihop.operations.urls")),
    path("mobilisation/", include("phoihop.mobilisation.urls")),
    path("indicators/", include("phoihop.indicators.urls")),
    path("reports/", include("phoihop.reports.urls")),
    path("dashboards/", include("phoihop.dashboards.urls")),
    path("notifications/", include("phoihop.notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("phoihop.org.api_urls")),
    path("api/v1/exchange/", include(("phoihop.exchange.api_urls", "exchange-api"))),
    path("api/v1/cases/", include(("phoihop.cases.api_urls", "cases-api"))),
    path("api/v1/operations/", include(("phoihop.operations.api_urls", "operations-api"))),
    path("api/v1/mobilisation/", include(("phoihop.mobilisation.api_urls", "mobilisation-api"))),
    path("api/v1/indicators/", include(("phoihop.indicators.api_urls", "indicators-api"))),
    path("api/v1/reports/", include(("phoihop.reports.api_urls", "reports-api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
