from django.urls import path

from phoihop.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("download/<str:fmt>/", views.download, name="download"),
    path("plotly.min.js", views.plotly_js, name="plotly_js"),
    path("settings/", views.report_settings, name="settings"),
    path("settings/forces/", views.report_settings_force_add, name="settings_force_add"),
    path(
        "settings/forces/<str:code>/",
        views.report_settings_force_change,
        name="settings_force_change",
    ),
    path(
        "settings/forces/<str:code>/remove/",
        views.report_settings_force_remove,
        name="settings_force_remove",
    ),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/new/", views.task_create, name="task_create"),
    path("tasks/<uuid:public_id>/", views.task_detail, name="task_detail"),
    path("tasks/<uuid:public_id>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<uuid:public_id>/notes/", views.task_note_add, name="task_note_add"),
    path("tasks/<uuid:public_id>/status/", views.task_transition, name="task_transition"),
]
