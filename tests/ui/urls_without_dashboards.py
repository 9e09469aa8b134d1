"""The test URLs without the dashboards app's pages: a module whose app is absent."""

from django.urls import URLPattern, URLResolver

from tests.urls import urlpatterns as test_urlpatterns


def _is_dashboards(pattern: URLPattern | URLResolver) -> bool:
    return getattr(pattern, "namespace", None) == "dashboards"


urlpatterns = [p for p in test_urlpatterns if not _is_dashboards(p)]
