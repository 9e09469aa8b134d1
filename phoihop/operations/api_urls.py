"""The operations API, mounted at /api/v1/operations/ under the namespace `operations-api`."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from phoihop.operations import api

router = SimpleRouter()
router.register("protections", api.ProtectionViewSet, basename="protection")
router.register("checkpoints", api.CheckpointViewSet, basename="checkpoint")
router.register("checkpoint-counts", api.CheckpointCountViewSet, basename="checkpoint-count")
router.register("zones", api.ZoneViewSet, basename="zone")
router.register("patrols", api.PatrolViewSet, basename="patrol")
router.register("rescues", api.RescueViewSet, basename="rescue")
router.register("exercises", api.ExerciseViewSet, basename="exercise")

urlpatterns = [
    path("figures/", api.FiguresView.as_view(), name="figures"),
    *router.urls,
]
