from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, path

from phoihop.mobilisation import views

app_name = "mobilisation"

_RECORD_ROUTES = {
    "list": "",
    "create": "new/",
    "detail": "<uuid:public_id>/",
    "edit": "<uuid:public_id>/edit/",
    "delete": "<uuid:public_id>/delete/",
}
_RECORD_VIEWS: dict[str, Callable[..., Any]] = {
    "list": views.record_list,
    "create": views.record_create,
    "detail": views.record_detail,
    "edit": views.record_edit,
    "delete": views.record_delete,
}


def _record_urls(page: views.Page, **own: Callable[..., Any]) -> list[URLPattern]:
    """A kind's list, new, detail, edit and delete pages (`<name>_list`…) under /<slug>/;
    `own` names the views a kind has of its own."""
    return [
        path(f"{page.kind.slug}/{route}", own[name], name=f"{page.kind.name}_{name}")
        if name in own
        else path(
            f"{page.kind.slug}/{route}",
            _RECORD_VIEWS[name],
            {"page": page},
            name=f"{page.kind.name}_{name}",
        )
        for name, route in _RECORD_ROUTES.items()
    ]


urlpatterns = [
    path("", views.index, name="index"),
    # forums and opinions
    *_record_urls(
        views.FORUM_PAGES,
        create=views.forum_create,
        edit=views.forum_edit,
        detail=views.forum_detail,
    ),
    path("forums/topic-row/", views.topic_row, name="topic_row"),
    path("forums/import/", views.forum_import, name="forum_import"),
    path("import/errors/", views.import_errors, name="import_errors"),
    path("forums/import/template/", views.forum_import_template, name="forum_import_template"),
    path("forums/<uuid:public_id>/opinions/", views.opinion_add, name="opinion_add"),
    path("opinions/<uuid:public_id>/answer/", views.opinion_answer, name="opinion_answer"),
    path("opinions/<uuid:public_id>/close/", views.opinion_close, name="opinion_close"),
    # law propaganda
    *_record_urls(views.PROPAGANDA_PAGES),
    # surrender campaigns
    *_record_urls(views.CAMPAIGN_PAGES, detail=views.campaign_detail),
    path(
        "campaigns/import/template/",
        views.handed_in_import_template,
        name="handed_in_import_template",
    ),
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
    *_record_urls(views.PROGRAMME_PAGES),
]
