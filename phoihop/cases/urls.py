from django.urls import path  # noqa: F401

from phoihop.cases import import_urls

app_name = "cases"

urlpatterns = [
    *import_urls.urlpatterns,
]
