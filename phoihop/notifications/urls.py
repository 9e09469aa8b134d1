from django.urls import path

from phoihop.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.index, name="index"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("<uuid:public_id>/read/", views.mark_read, name="mark_read"),
]
