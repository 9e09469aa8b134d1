"""URLs of the bulk import of operation records; included by phoihop/operations/urls.py before
the kinds' own pages."""

from django.urls import URLPattern, path

from phoihop.operations import record_import_views as views

urlpatterns: list[URLPattern] = [
    path("import/<uuid:public_id>/", views.import_status, name="import_status"),
    path("import/<uuid:public_id>/errors.xlsx", views.import_errors, name="import_errors"),
    path("<slug:kind>/import/", views.import_page, name="import"),
    path("<slug:kind>/import/template.xlsx", views.import_template, name="import_template"),
]
