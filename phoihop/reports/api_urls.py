"""The reports API, mounted at /api/v1/reports/ under the namespace `reports-api`."""

from rest_framework.routers import SimpleRouter

from phoihop.reports import api

router = SimpleRouter()
router.register("tasks", api.TaskViewSet, basename="task")

urlpatterns = router.urls
