"""The exchange API, mounted at /api/v1/exchange/ under the namespace `exchange-api`."""

from rest_framework.routers import SimpleRouter

from phoihop.exchange import api

router = SimpleRouter()
router.register("items", api.ItemViewSet, basename="item")
router.register("verifications", api.VerificationViewSet, basename="verification")

urlpatterns = router.urls
