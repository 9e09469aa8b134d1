from django.urls import path

from phoihop.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.inbox, name="index"),
    path("outbox/", views.outbox, name="outbox"),
    path("compose/", views.compose, name="compose"),
    path("verifications/", views.verification_queue, name="verifications"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<uuid:public_id>/reply/", views.reply, name="reply"),
    path("<uuid:public_id>/forward/", views.forward, name="forward"),
    path("<uuid:public_id>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("<uuid:public_id>/verify/", views.verification_create, name="verification_create"),
    path(
        "verifications/<uuid:public_id>/answer/",
        views.verification_answer,
        name="verification_answer",
    ),
    path(
        "verifications/<uuid:public_id>/close/", views.verification_close, name="verification_close"
    ),
    path(
        "verifications/<uuid:public_id>/return/",
        views.verification_return,
        name="verification_return",
    ),
]
