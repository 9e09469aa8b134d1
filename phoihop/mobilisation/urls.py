from django.urls import URLPattern

app_name = "mobilisation"

urlpatterns: list[URLPattern] = []
