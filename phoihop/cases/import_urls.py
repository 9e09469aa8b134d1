"""URLs of the case import; included by phoihop/cases/urls.py."""

from django.urls import URLPattern, path

from phoihop.cases import import_views

urlpatterns: list[URLPattern] = [
    path("import/", import_views.import_page, name="import"),
    path("import/template.xlsx", import_views.import_template, name="import_template"),
    path("import/<uuid:public_id>/", import_views.import_status, name="import_status"),
    path("import/<uuid:public_id>/errors.xlsx", import_views.import_errors, name="import_errors"),
]
