"""The test URLs plus a stand-in `cases:index`, as the case registry app will provide."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path

from tests.urls import urlpatterns as test_urlpatterns


def _cases_index(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")


cases_patterns = ([path("", _cases_index, name="index")], "cases")

urlpatterns = [*test_urlpatterns, path("vu-viec/", include(cases_patterns))]
