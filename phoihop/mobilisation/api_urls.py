"""The mobilisation API, mounted at /api/v1/mobilisation/ under the namespace `mobilisation-api`."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from phoihop.mobilisation import api

router = SimpleRouter()
router.register("forums", api.ForumViewSet, basename="forum")
router.register("opinions", api.OpinionViewSet, basename="opinion")
router.register("propaganda", api.PropagandaViewSet, basename="propaganda")
router.register("laws", api.LawViewSet, basename="law")
router.register("campaigns", api.CampaignViewSet, basename="campaign")
router.register("programmes", api.ProgrammeViewSet, basename="programme")

urlpatterns = [
    path("figures/", api.FiguresView.as_view(), name="figures"),
    *router.urls,
]
