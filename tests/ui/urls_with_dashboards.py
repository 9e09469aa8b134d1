"""The test URLs plus a stand-in `dashboards:map`, as the dashboards app will provide."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path

from tests.urls import urlpatterns as test_urlpatterns


def _map(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")


dashboards_patterns = ([path("", _map, name="map")], "dashboards")

urlpatterns = [*test_urlpatterns, path("ban-do/", include(dashboards_patterns))]
