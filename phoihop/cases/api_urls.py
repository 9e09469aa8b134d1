"""The case registry API, mounted at /api/v1/cases/ under the namespace `cases-api`."""

from rest_framework.routers import SimpleRouter

from phoihop.cases import api

router = SimpleRouter()
router.register("cases", api.CaseViewSet, basename="case")
router.register("wanted", api.WantedViewSet, basename="wanted")
router.register("catalogue", api.CatalogueViewSet, basename="catalogue")

urlpatterns = router.urls
