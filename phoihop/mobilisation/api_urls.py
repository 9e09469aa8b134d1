"""The mobilisation API, mounted at /api/v1/mobilisation/ under the namespace `mobilisation-api`."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from phoihop.mobilisation import api

router = SimpleRouter()
for viewset in api.RECORD_VIEWSETS:
    router.register(viewset.kind.slug, viewset, basename=viewset.kind.name)
router.register("opinions", api.OpinionViewSet, basename="opinion")
router.register("laws", api.LawViewSet, basename="law")

urlpatterns = [
    path("figures/", api.FiguresView.as_view(), name="figures"),
    *router.urls,
]
