"""The API, version 1 (mounted at /api/v1/). Records are addressed by public_id, never by pk."""

from django.urls import path

from phoihop.org import api

# str, not uuid, for ids: a malformed id answers the API's 404 rather than Django's HTML page.
urlpatterns = [
    path("auth/token/", api.TokenView.as_view(), name="api-token"),
    path("me", api.MeView.as_view(), name="api-me"),
    path("forces/", api.ForceListView.as_view(), name="api-force-list"),
    path("forces/<str:public_id>/", api.ForceDetailView.as_view(), name="api-force-detail"),
    path("units/", api.UnitListView.as_view(), name="api-unit-list"),
    path("units/<str:public_id>/", api.UnitDetailView.as_view(), name="api-unit-detail"),
    path("units/<str:public_id>/move/", api.UnitMoveView.as_view(), name="api-unit-move"),
    path("units/<str:public_id>/close/", api.UnitCloseView.as_view(), name="api-unit-close"),
    path("users/", api.UserListView.as_view(), name="api-user-list"),
    path("users/<str:public_id>/", api.UserDetailView.as_view(), name="api-user-detail"),
    path(
        "users/<str:public_id>/password-setup/",
        api.UserPasswordSetupView.as_view(),
        name="api-user-password-setup",
    ),
    path(
        "organisation/import/",
        api.OrganisationImportView.as_view(),
        name="api-organisation-import",
    ),
    path(
        "organisation/import/template/",
        api.OrganisationImportTemplateView.as_view(),
        name="api-organisation-import-template",
    ),
    path("areas/", api.AreaListView.as_view(), name="api-area-list"),
    path("areas/<str:level>/<str:code>/", api.AreaDetailView.as_view(), name="api-area-detail"),
]
