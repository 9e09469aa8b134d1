from django.urls import path

from phoihop.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.index, name="index"),
    path("open/", views.open_submission, name="open"),
    path("queue/", views.queue, name="queue"),
    path("completeness/", views.completeness, name="completeness"),
    path("<uuid:public_id>/", views.submission_detail, name="submission"),
    path("<uuid:public_id>/export.xlsx", views.submission_export, name="export"),
    path("<uuid:public_id>/import/", views.submission_import, name="import"),
    path(
        "<uuid:public_id>/approve/",
        views.submission_decide,
        {"decision": "approve"},
        name="approve",
    ),
    path(
        "<uuid:public_id>/return/", views.submission_decide, {"decision": "return"}, name="return"
    ),
    path(
        "<uuid:public_id>/reopen/", views.submission_decide, {"decision": "reopen"}, name="reopen"
    ),
]
