from django.urls import path

from phoihop.operations import record_import_urls, views

app_name = "operations"

urlpatterns = [
    path("", views.index, name="index"),
    path("units/row/", views.unit_row, name="unit_row"),
    path("checkpoints/counts/template.xlsx", views.counts_template, name="counts_template"),
    path("checkpoints/counts/<uuid:public_id>/delete/", views.count_delete, name="count_delete"),
    path("checkpoints/<uuid:public_id>/counts/", views.count_add, name="count_add"),
    path("checkpoints/<uuid:public_id>/import/", views.counts_import, name="counts_import"),
    *record_import_urls.urlpatterns,
    path("<slug:kind>/", views.record_list, name="list"),
    path("<slug:kind>/new/", views.create, name="create"),
    path("<slug:kind>/<uuid:public_id>/", views.detail, name="detail"),
    path("<slug:kind>/<uuid:public_id>/edit/", views.edit, name="edit"),
    path("<slug:kind>/<uuid:public_id>/delete/", views.delete, name="delete"),
]
