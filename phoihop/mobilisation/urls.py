from django.urls import path

from phoihop.mobilisation import views

app_name = "mobilisation"

urlpatterns = [
    path("", views.index, name="index"),
    # forums and opinions
    path("forums/", views.forum_list, name="forum_list"),
    path("forums/new/", views.forum_create, name="forum_create"),
    path("forums/topic-row/", views.topic_row, name="topic_row"),
    path("forums/import/", views.forum_import, name="forum_import"),
    path("import/errors/", views.import_errors, name="import_errors"),
    path("forums/import/template/", views.forum_import_template, name="forum_import_template"),
    path("forums/<uuid:public_id>/", views.forum_detail, name="forum_detail"),
    path("forums/<uuid:public_id>/edit/", views.forum_edit, name="forum_edit"),
    path("forums/<uuid:public_id>/delete/", views.forum_delete, name="forum_delete"),
    path("forums/<uuid:public_id>/opinions/", views.opinion_add, name="opinion_add"),
    path("opinions/<uuid:public_id>/answer/", views.opinion_answer, name="opinion_answer"),
    path("opinions/<uuid:public_id>/close/", views.opinion_close, name="opinion_close"),
    # law propaganda
    path("propaganda/", views.propaganda_list, name="propaganda_list"),
    path("propaganda/new/", views.propaganda_create, name="propaganda_create"),
    path("propaganda/<uuid:public_id>/", views.propaganda_detail, name="propaganda_detail"),
    path("propaganda/<uuid:public_id>/edit/", views.propaganda_edit, name="propaganda_edit"),
    path("propaganda/<uuid:public_id>/delete/", views.propaganda_delete, name="propaganda_delete"),
    # surrender campaigns
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path(
        "campaigns/import/template/",
        views.handed_in_import_template,
        name="handed_in_import_template",
    ),
    path("campaigns/<uuid:public_id>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<uuid:public_id>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<uuid:public_id>/delete/", views.campaign_delete, name="campaign_delete"),
    path("campaigns/<uuid:public_id>/launch/", views.campaign_launch, name="campaign_launch"),
    path("campaigns/<uuid:public_id>/handed-in/", views.handed_in_add, name="handed_in_add"),
    path("campaigns/<uuid:public_id>/handed-in/row/", views.handed_in_row, name="handed_in_row"),
    path(
        "campaigns/<uuid:public_id>/handed-in/import/",
        views.handed_in_import,
        name="handed_in_import",
    ),
    path("launches/<uuid:public_id>/delete/", views.launch_delete, name="launch_delete"),
    path("handed-in/<uuid:public_id>/delete/", views.handed_in_delete, name="handed_in_delete"),
    # social support
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<uuid:public_id>/", views.programme_detail, name="programme_detail"),
    path("programmes/<uuid:public_id>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<uuid:public_id>/delete/", views.programme_delete, name="programme_delete"),
]
