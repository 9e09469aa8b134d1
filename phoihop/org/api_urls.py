"""The API, version 1 (mounted at /api/v1/). Records are addressed by public_id, never by pk."""

from django.urls import path

from phoihop.org import api

urlpatterns = [
    path("auth/token/", api.TokenView.as_view(), name="api-token"),
    path("me", api.MeView.as_view(), name="api-me"),
    path("units/", api.UnitListView.as_view(), name="api-unit-list"),
    # str, not uuid: a malformed id answers the API's 404 rather than Django's HTML page.
    path("units/<str:public_id>/", api.UnitDetailView.as_view(), name="api-unit-detail"),
    path("areas/", api.AreaListView.as_view(), name="api-area-list"),
    path("areas/<str:level>/<str:code>/", api.AreaDetailView.as_view(), name="api-area-detail"),
]
