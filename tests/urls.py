from django.urls import include, path

from config.urls import urlpatterns as base_urlpatterns

urlpatterns = [*base_urlpatterns, path("_test/", include("tests.scopedapp.urls"))]
