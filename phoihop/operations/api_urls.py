"""The operations API, mounted at /api/v1/operations/ under the namespace `operations-api`."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from phoihop.operations import api
from phoihop.operations.kinds import KINDS

router = SimpleRouter()
for kind in KINDS.values():
    router.register(kind.slug, api.VIEWSETS[kind.name], basename=kind.name)
router.register("checkpoint-counts", api.CheckpointCountViewSet, basename="checkpoint-count")

urlpatterns = [
    path("figures/", api.FiguresView.as_view(), name="figures"),
    *router.urls,
]
