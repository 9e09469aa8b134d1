"""API of the bulk import of zones, rescues and patrols, under /api/v1/operations/.

- `POST <kind>/import/` (multipart, `file`): stores the file as a job and queues it for the task
  worker; 202 with the job (its id, status, progress and, once failed, every error with sheet,
  row and column). All or nothing: a refused file saves no record.
- `GET <kind>/import/template/`: the XLSX template of the kind.
- `GET imports/{id}/`: a job of the caller's (anyone else's is 404, like a missing one).
Only officers and commanders of a unit may import (the access rule's create): 403 otherwise.
"""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phoihop.access.api import ScopedRecordPermission
from phoihop.access.schema import post_errors, read_errors
from phoihop.core.serializers import validated
from phoihop.core.tabular import XLSX_CONTENT_TYPE
from phoihop.operations import record_imports
from phoihop.operations.serializers import ImportFileSerializer
from phoihop.org.models import User

_TAG: Any = gettext_lazy("Hoạt động phối hợp")
_BAD_INPUT = gettext_lazy(
    "Tệp không nhận được (file): không phải .xlsx hoặc .csv (import_type), rỗng (import_empty) "
    "hoặc quá lớn (import_too_large). Không có gì được lưu."
)
_KIND = OpenApiParameter(
    "kind",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=list(record_imports.IMPORT_KINDS),
    description=gettext_lazy("Loại bản ghi: zones, rescues hoặc patrols."),
)
_JOB = OpenApiParameter(
    "public_id",
    OpenApiTypes.UUID,
    OpenApiParameter.PATH,
    description=gettext_lazy("Mã định danh của lượt nhập."),
)


class ImportErrorSerializer(serializers.Serializer):
    sheet = serializers.CharField(help_text=gettext_lazy("Tên sheet."))
    row = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("Số dòng như bảng tính hiện (dòng tiêu đề là 1).")
    )
    column = serializers.CharField(help_text=gettext_lazy("Tiêu đề cột."))
    message = serializers.CharField(help_text=gettext_lazy("Lỗi."))


class ImportJobSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text=gettext_lazy("Mã định danh của lượt nhập."))
    kind = serializers.CharField(help_text=gettext_lazy("Loại bản ghi."))
    file = serializers.CharField(help_text=gettext_lazy("Tên tệp đã tải lên."))
    status = serializers.ChoiceField(
        choices=record_imports.JobStatus.choices,
        help_text=gettext_lazy("queued, running, done hoặc failed."),
    )
    status_label = serializers.CharField(help_text=gettext_lazy("Trạng thái, tiếng Việt."))
    created_at = serializers.DateTimeField(help_text=gettext_lazy("Thời điểm tải lên."))
    total_rows = serializers.IntegerField(help_text=gettext_lazy("Số dòng bản ghi của tệp."))
    processed_rows = serializers.IntegerField(help_text=gettext_lazy("Số dòng đã xử lý."))
    created = serializers.IntegerField(help_text=gettext_lazy("Số bản ghi đã tạo."))

    def get_fields(self) -> dict[str, serializers.Field]:
        # `errors` names a serializer's own property: the field is added here.
        fields = super().get_fields()
        fields["errors"] = ImportErrorSerializer(
            many=True, help_text=gettext_lazy("Các lỗi của tệp bị từ chối.")
        )
        return fields


def _actor(request: Request) -> User:
    return cast(User, request.user)


class RecordImportView(APIView):
    permission_classes = [ScopedRecordPermission]
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Nhập bản ghi từ tệp XLSX/CSV (cả tệp hoặc không bản ghi nào)"),
        description=gettext_lazy(
            "Tệp được xử lý nền; kết quả và tiến độ đọc ở imports/{public_id}/."
        ),
        parameters=[_KIND],
        request={"multipart/form-data": ImportFileSerializer},
        responses={202: ImportJobSerializer, **post_errors(_BAD_INPUT)},
    )
    def post(self, request: Request, kind: str) -> Response:
        k = record_imports.import_kind(kind)
        upload = validated(ImportFileSerializer, request.data)["file"]
        job = record_imports.record_import_start(
            actor=_actor(request),
            kind=k,
            upload=upload,
            language=translation.get_language() or "",
        )
        return Response(job.as_dict(), status=status.HTTP_202_ACCEPTED)


class RecordImportTemplateView(APIView):
    permission_classes = [ScopedRecordPermission]

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Tệp mẫu XLSX để nhập bản ghi"),
        parameters=[_KIND],
        responses={
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY),
            **read_errors(_BAD_INPUT),
        },
    )
    def get(self, request: Request, kind: str) -> HttpResponse:
        k = record_imports.import_kind(kind)
        response = HttpResponse(
            record_imports.import_template(actor=_actor(request), kind=k),
            content_type=XLSX_CONTENT_TYPE,
        )
        response["Content-Disposition"] = f'attachment; filename="mau-nhap-{k.slug}.xlsx"'
        return response


class RecordImportJobView(APIView):
    permission_classes = [ScopedRecordPermission]

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Một lượt nhập từ tệp: trạng thái, tiến độ, lỗi"),
        parameters=[_JOB],
        responses={200: ImportJobSerializer, **read_errors(_BAD_INPUT)},
    )
    def get(self, request: Request, public_id: UUID) -> Response:
        job = record_imports.record_import_get(actor=request.user, public_id=public_id)
        return Response(job.as_dict())
