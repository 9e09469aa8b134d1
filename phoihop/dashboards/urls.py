from django.urls import path

from phoihop.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("map/", views.map_page, name="map"),
    path("map/data/", views.map_data, name="map_data"),
    path("map/provinces.geojson", views.provinces, name="provinces"),
    path("records/", views.records, name="records"),
]
