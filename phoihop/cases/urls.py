from django.urls import path

from phoihop.cases import import_urls, views

app_name = "cases"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("rows/<str:list_name>/", views.row, name="row"),
    path("unit-options/", views.unit_options, name="unit_options"),
    path("wanted/", views.wanted, name="wanted"),
    path("wanted/new/", views.wanted_create, name="wanted_create"),
    path("wanted/<uuid:public_id>/arrest/", views.wanted_arrest, name="wanted_arrest"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/edit/", views.edit, name="edit"),
    *[
        path(
            f"<uuid:public_id>/{step.path}/",
            views.transition,
            {"to_status": status},
            name=step.path,
        )
        for status, step in views.STEPS.items()
    ],
    *import_urls.urlpatterns,
]
