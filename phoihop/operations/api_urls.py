"""The operations API, mounted at /api/v1/operations/ under the namespace `operations-api`."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from phoihop.operations import api, record_import_api
from phoihop.operations.kinds import KINDS

router = SimpleRouter()
for kind in KINDS.values():
    router.register(kind.slug, api.VIEWSETS[kind.name], basename=kind.name)
router.register("checkpoint-counts", api.CheckpointCountViewSet, basename="checkpoint-count")

urlpatterns = [
    path("figures/", api.FiguresView.as_view(), name="figures"),
    path(
        "imports/<uuid:public_id>/",
        record_import_api.RecordImportJobView.as_view(),
        name="record-import-job",
    ),
    path("<slug:kind>/import/", record_import_api.RecordImportView.as_view(), name="record-import"),
    path(
        "<slug:kind>/import/template/",
        record_import_api.RecordImportTemplateView.as_view(),
        name="record-import-template",
    ),
    *router.urls,
]
