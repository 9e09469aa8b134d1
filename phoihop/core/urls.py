from django.urls import path

from phoihop.core import views

urlpatterns = [
    path("", views.home, name="home"),
]
