"""URLs of the case import; included by phoihop/cases/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
