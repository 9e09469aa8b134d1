"""The test URLs plus a stand-in `reports:index`, as the report app will provide."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path

from tests.urls import urlpatterns as test_urlpatterns


def _reports_index(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")


reports_patterns = ([path("", _reports_index, name="index")], "reports")

urlpatterns = [*test_urlpatterns, path("bao-cao/", include(reports_patterns))]
