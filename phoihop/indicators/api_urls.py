"""The indicators API, mounted at /api/v1/indicators/ under the namespace `indicators-api`."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from phoihop.indicators import api

router = SimpleRouter()
router.register("periods", api.PeriodViewSet, basename="period")
router.register("indicators", api.IndicatorViewSet, basename="indicator")
router.register("forms", api.ReportFormViewSet, basename="form")
router.register("submissions", api.SubmissionViewSet, basename="submission")

urlpatterns = [
    path("completeness/", api.CompletenessView.as_view(), name="completeness"),
    *router.urls,
]
