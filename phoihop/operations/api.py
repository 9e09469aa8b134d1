"""API of the joint operations, under /api/v1/operations/.

`protections/`, `checkpoints/`, `zones/`, `patrols/`, `rescues/`, `exercises/`: list (the same
filters as the pages), read, create (POST, `Idempotency-Key`), change (PATCH with `version`),
delete (soft). A checkpoint's daily counts: `checkpoints/{id}/counts/` (GET, POST),
`checkpoints/{id}/counts/import/` (an XLSX/CSV file, all or nothing), and
`checkpoint-counts/{id}/` (GET, PATCH, DELETE). `figures/` gives the period figures of every
kind for a period and area, as the caller sees them.

Records are addressed by `public_id`. Reads start from the operation selectors (the access
rule); writes go through the operation services. Errors have one shape
`{message, code, fields}`: invisible is 404 like missing; an unknown unit, commune or case named
in a body is 400 naming the field (`units.0.unit`, `communes`, `cases`); a refused value is 400
naming the field (`end_date`, `day`, `units.1.personnel`…); 403 only when the access rule
refuses the action on a visible record.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phoihop.access.api import ScopedRecordPermission
from phoihop.access.rules import Action
from phoihop.access.shortcuts import record_for
from phoihop.cases.models import Case
from phoihop.cases.selectors import case_list
from phoihop.core.errors import DomainError, NotFound
from phoihop.core.idempotency import idempotent
from phoihop.operations import imports, selectors, services
from phoihop.operations.filters import area_by_code
from phoihop.operations.kinds import (
    CHECKPOINTS,
    EXERCISES,
    PATROLS,
    PROTECTIONS,
    RESCUES,
    ZONES,
    Kind,
)
from phoihop.operations.models import CheckpointCount, OperationRecord
from phoihop.operations.serializers import (
    CheckpointCountInputSerializer,
    CheckpointCountSerializer,
    CheckpointInputSerializer,
    CheckpointSerializer,
    ExerciseInputSerializer,
    ExerciseSerializer,
    ImportFileSerializer,
    ImportResultSerializer,
    OperationInputSerializer,
    OperationsFiguresSerializer,
    PatrolInputSerializer,
    PatrolSerializer,
    ProtectionInputSerializer,
    ProtectionSerializer,
    RescueInputSerializer,
    RescueSerializer,
    ZoneInputSerializer,
    ZoneSerializer,
)
from phoihop.operations.services import COMMON_EDITABLE, UnitPart
from phoihop.org.models import AdministrativeArea, Unit, User
from phoihop.org.refs import commune_by_code
from phoihop.org.selectors import unit_list
from phoihop.org.serializers import ErrorSerializer

_TAG: Any = gettext_lazy("Hoạt động phối hợp")

_ERRORS: dict[int, OpenApiResponse] = {
    status.HTTP_400_BAD_REQUEST: OpenApiResponse(
        ErrorSerializer,
        gettext_lazy(
            "Dữ liệu không hợp lệ: `fields` nêu trường (ví dụ end_date, day, "
            "units.1.personnel, communes); không có gì được lưu."
        ),
    ),
    status.HTTP_401_UNAUTHORIZED: OpenApiResponse(ErrorSerializer, gettext_lazy("Chưa xác thực.")),
    status.HTTP_403_FORBIDDEN: OpenApiResponse(
        ErrorSerializer,
        gettext_lazy("Quy tắc truy cập không cho phép thao tác này (permission_denied)."),
    ),
    status.HTTP_404_NOT_FOUND: OpenApiResponse(
        ErrorSerializer,
        gettext_lazy("Không có, hoặc không được xem: cùng một câu trả lời (not_found)."),
    ),
}
_WRITE_ERRORS: dict[int, OpenApiResponse] = {
    **_ERRORS,
    status.HTTP_409_CONFLICT: OpenApiResponse(
        ErrorSerializer,
        gettext_lazy(
            "Bản ghi đã được người khác sửa (stale_version), hoặc yêu cầu cùng Idempotency-Key "
            "đang được xử lý."
        ),
    ),
    status.HTTP_422_UNPROCESSABLE_ENTITY: OpenApiResponse(
        ErrorSerializer, gettext_lazy("Idempotency-Key đã dùng cho một yêu cầu khác.")
    ),
}
_IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=gettext_lazy(
        "Khóa do máy khách tạo (tối đa 100 ký tự): gửi lại cùng khóa và cùng nội dung thì nhận lại "
        "câu trả lời lần đầu, không tạo bản ghi trùng."
    ),
)
_PUBLIC_ID = OpenApiParameter("public_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
_VERSION = OpenApiParameter(
    "version",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    required=False,
    description=gettext_lazy("Phiên bản đang xem, để phát hiện sửa đồng thời."),
)


def _actor(request: Request) -> User:
    return request.user  # type: ignore[return-value]


def _unknown(field: str, code: str, message: str) -> DomainError:
    return DomainError(message, code=code, fields={field: [message]})


# --- resolving what a request body names --------------------------------------------------


def _unit(actor: User, ref: str, *, field: str) -> Unit:
    ref = (ref or "").strip()
    try:
        lookup = Q(public_id=uuid.UUID(ref))
    except ValueError:
        lookup = Q(code=ref)
    found = unit_list(actor=actor).filter(lookup).first() if ref else None
    if found is None:
        raise _unknown(field, "unknown_unit", _("Không có đơn vị “%(ref)s”.") % {"ref": ref or "—"})
    return found


def _unit_parts(actor: User, rows: Sequence[Mapping[str, Any]]) -> list[UnitPart]:
    return [
        UnitPart(
            _unit(actor, row["unit"], field=f"units.{index}.unit"),
            personnel=row.get("personnel", 0),
            vehicles=row.get("vehicles", 0),
            vessels=row.get("vessels", 0),
        )
        for index, row in enumerate(rows)
    ]


def _communes(codes: Iterable[str]) -> list[AdministrativeArea]:
    found = []
    for code in dict.fromkeys(c.strip() for c in codes):
        try:
            found.append(commune_by_code(code))
        except DomainError as exc:
            raise _unknown("communes", exc.code, exc.message) from exc
    return found


def _cases(actor: User, ids: Sequence[uuid.UUID]) -> list[Case]:
    if not ids:
        return []
    found = {c.public_id: c for c in case_list(actor=actor).filter(public_id__in=ids)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise _unknown(
            "cases",
            "unknown_case",
            _("Không có vụ việc với mã định danh %(ids)s.") % {"ids": ", ".join(missing)},
        )
    return [found[i] for i in ids]


# --- reads --------------------------------------------------------------------------------


class OperationViewSet(viewsets.GenericViewSet):
    kind: Kind
    input_serializer_class: type[OperationInputSerializer]
    permission_classes = [ScopedRecordPermission]
    lookup_field = "public_id"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[Any]:
        actor = _actor(self.request)
        return selectors.with_listing(selectors.record_list(self.kind.model, actor=actor), actor)

    def _record(self, request: Request, public_id: str, action: Action) -> Any:
        return record_for(self.get_queryset(), _actor(request), public_id=public_id, action=action)

    def _answer(self, record: OperationRecord, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=record.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if page is not None:
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        return Response(self.get_serializer(queryset, many=True).data)

    def retrieve(self, request: Request, public_id: str) -> Response:
        record = self._record(request, public_id, Action.VIEW)
        return Response(self.get_serializer(record).data)

    def create(self, request: Request) -> Response:
        return idempotent(request, lambda: self._create(request))

    def _create(self, request: Request) -> Response:
        actor = _actor(request)
        form = self.input_serializer_class(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        extra: dict[str, Any] = {name: data[name] for name in form.kind_fields if name in data}
        if self.kind is PATROLS:
            extra["cases"] = _cases(actor, data.get("cases", []))
        record = self.kind.create(
            actor=actor,
            title=data["title"],
            start_date=data["start_date"],
            end_date=data.get("end_date"),
            place=data.get("place", ""),
            outcome=data.get("outcome", ""),
            communes=_communes(data.get("communes", [])),
            units=_unit_parts(actor, data.get("units", [])),
            lead_unit=_unit(actor, data["lead_unit"], field="lead_unit")
            if data.get("lead_unit")
            else None,
            classification=int(data.get("classification", 0)),
            is_joint=data.get("is_joint", False),
            **extra,
        )
        return self._answer(record, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, public_id: str) -> Response:
        actor = _actor(request)
        record = self._record(request, public_id, Action.CHANGE)
        form = self.input_serializer_class(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        sent = set(request.data.keys()) & set(data)
        if "version" not in data:
            message = _("Phải gửi phiên bản đang sửa (version).")
            raise _unknown("version", "required", message)
        editable = set(COMMON_EDITABLE) | set(form.kind_fields)
        changes = {name: data[name] for name in sent & editable}
        if "classification" in changes:
            changes["classification"] = int(changes["classification"])
        services.operation_update(
            actor=actor,
            record=record,
            expected_version=data["version"],
            changes=changes,
            units=_unit_parts(actor, data["units"]) if "units" in sent else None,
            communes=_communes(data["communes"]) if "communes" in sent else None,
            cases=_cases(actor, data["cases"]) if "cases" in sent else None,
        )
        return self._answer(record)

    def destroy(self, request: Request, public_id: str) -> Response:
        record = self._record(request, public_id, Action.DELETE)
        version = request.query_params.get("version")
        services.operation_delete(
            actor=_actor(request),
            record=record,
            expected_version=int(version) if version and version.isdigit() else None,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


def _documented(kind: Kind, serializer: Any, input_serializer: Any) -> Any:
    label = str(kind.label)
    return extend_schema_view(
        list=extend_schema(
            tags=[_TAG],
            summary=gettext_lazy("Danh sách: %(kind)s") % {"kind": label},
            responses={200: serializer(many=True), **_ERRORS},
        ),
        retrieve=extend_schema(
            tags=[_TAG],
            summary=gettext_lazy("Một bản ghi: %(kind)s") % {"kind": label},
            parameters=[_PUBLIC_ID],
            responses={200: serializer, **_ERRORS},
        ),
        create=extend_schema(
            tags=[_TAG],
            summary=gettext_lazy("Ghi nhận: %(kind)s") % {"kind": label},
            parameters=[_IDEMPOTENCY_KEY],
            request=input_serializer,
            responses={201: serializer, **_WRITE_ERRORS},
        ),
        partial_update=extend_schema(
            tags=[_TAG],
            summary=gettext_lazy("Sửa (gửi version và các trường thay đổi): %(kind)s")
            % {"kind": label},
            parameters=[_PUBLIC_ID],
            request=input_serializer,
            responses={200: serializer, **_WRITE_ERRORS},
        ),
        destroy=extend_schema(
            tags=[_TAG],
            summary=gettext_lazy("Xóa (vẫn giữ trong lịch sử): %(kind)s") % {"kind": label},
            parameters=[_PUBLIC_ID, _VERSION],
            responses={204: None, **_WRITE_ERRORS},
        ),
    )


@_documented(PROTECTIONS, ProtectionSerializer, ProtectionInputSerializer)
class ProtectionViewSet(OperationViewSet):
    kind = PROTECTIONS
    serializer_class = ProtectionSerializer
    input_serializer_class = ProtectionInputSerializer
    filterset_class = PROTECTIONS.filterset


@_documented(ZONES, ZoneSerializer, ZoneInputSerializer)
class ZoneViewSet(OperationViewSet):
    kind = ZONES
    serializer_class = ZoneSerializer
    input_serializer_class = ZoneInputSerializer
    filterset_class = ZONES.filterset


@_documented(PATROLS, PatrolSerializer, PatrolInputSerializer)
class PatrolViewSet(OperationViewSet):
    kind = PATROLS
    serializer_class = PatrolSerializer
    input_serializer_class = PatrolInputSerializer
    filterset_class = PATROLS.filterset


@_documented(RESCUES, RescueSerializer, RescueInputSerializer)
class RescueViewSet(OperationViewSet):
    kind = RESCUES
    serializer_class = RescueSerializer
    input_serializer_class = RescueInputSerializer
    filterset_class = RESCUES.filterset


@_documented(EXERCISES, ExerciseSerializer, ExerciseInputSerializer)
class ExerciseViewSet(OperationViewSet):
    kind = EXERCISES
    serializer_class = ExerciseSerializer
    input_serializer_class = ExerciseInputSerializer
    filterset_class = EXERCISES.filterset


# --- checkpoints and their daily counts ---------------------------------------------------


def _count_values(data: Mapping[str, Any], sent: Iterable[str]) -> dict[str, Any]:
    return {name: data[name] for name in ("day", "vehicles", "people", "note") if name in sent}


@_documented(CHECKPOINTS, CheckpointSerializer, CheckpointInputSerializer)
class CheckpointViewSet(OperationViewSet):
    kind = CHECKPOINTS
    serializer_class = CheckpointSerializer
    input_serializer_class = CheckpointInputSerializer
    filterset_class = CHECKPOINTS.filterset

    @extend_schema(
        methods=["GET"],
        tags=[_TAG],
        summary=gettext_lazy("Số liệu theo ngày của một chốt"),
        parameters=[_PUBLIC_ID],
        filters=False,
        responses={200: CheckpointCountSerializer(many=True), **_ERRORS},
    )
    @extend_schema(
        methods=["POST"],
        tags=[_TAG],
        summary=gettext_lazy("Nhập số liệu một ngày của chốt (lượt phương tiện, lượt người)"),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request=CheckpointCountInputSerializer,
        responses={201: CheckpointCountSerializer, **_WRITE_ERRORS},
    )
    @action(detail=True, methods=["get", "post"], url_path="counts", filterset_class=None)
    def counts(self, request: Request, public_id: str) -> Response:
        actor = _actor(request)
        checkpoint = self._record(request, public_id, Action.VIEW)
        if request.method == "GET":
            rows = selectors.checkpoint_count_list(actor=actor).filter(checkpoint=checkpoint)
            return Response(CheckpointCountSerializer(rows, many=True).data)

        def handler() -> Response:
            form = CheckpointCountInputSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            data = form.validated_data
            count = services.checkpoint_count_add(
                actor=actor,
                checkpoint=checkpoint,
                day=data["day"],
                vehicles=data["vehicles"],
                people=data["people"],
                note=data.get("note", ""),
            )
            return Response(CheckpointCountSerializer(count).data, status=status.HTTP_201_CREATED)

        return idempotent(request, handler)

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Nhập số liệu theo ngày từ tệp XLSX/CSV (cả tệp hoặc không dòng nào)"),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request={"multipart/form-data": ImportFileSerializer},
        responses={201: ImportResultSerializer, **_WRITE_ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="counts/import",
        parser_classes=[MultiPartParser],
        filterset_class=None,
    )
    def import_counts(self, request: Request, public_id: str) -> Response:
        actor = _actor(request)
        checkpoint = self._record(request, public_id, Action.VIEW)

        def handler() -> Response:
            form = ImportFileSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            upload = form.validated_data["file"]
            created = imports.checkpoint_counts_import(
                actor=actor,
                checkpoint=checkpoint,
                content=upload.read(),
                filename=upload.name or "",
            )
            body = {
                "created": len(created),
                "counts": CheckpointCountSerializer(created, many=True).data,
            }
            return Response(body, status=status.HTTP_201_CREATED)

        return idempotent(request, handler)


@extend_schema_view(
    retrieve=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Một ngày số liệu của chốt"),
        parameters=[_PUBLIC_ID],
        responses={200: CheckpointCountSerializer, **_ERRORS},
    ),
    partial_update=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Sửa một ngày số liệu (gửi version)"),
        parameters=[_PUBLIC_ID],
        request=CheckpointCountInputSerializer,
        responses={200: CheckpointCountSerializer, **_WRITE_ERRORS},
    ),
    destroy=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Xóa một ngày số liệu"),
        parameters=[_PUBLIC_ID, _VERSION],
        responses={204: None, **_WRITE_ERRORS},
    ),
)
class CheckpointCountViewSet(viewsets.GenericViewSet):
    permission_classes = [ScopedRecordPermission]
    serializer_class = CheckpointCountSerializer
    lookup_field = "public_id"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[CheckpointCount]:
        return selectors.checkpoint_count_list(actor=_actor(self.request))

    def _count(self, public_id: str) -> CheckpointCount:
        try:
            parsed = uuid.UUID(str(public_id))
        except ValueError:
            raise NotFound() from None
        count = self.get_queryset().filter(public_id=parsed).first()
        if count is None:
            raise NotFound()
        return count

    def retrieve(self, request: Request, public_id: str) -> Response:
        return Response(CheckpointCountSerializer(self._count(public_id)).data)

    def partial_update(self, request: Request, public_id: str) -> Response:
        count = self._count(public_id)
        form = CheckpointCountInputSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        if "version" not in data:
            raise _unknown("version", "required", _("Phải gửi phiên bản đang sửa (version)."))
        services.checkpoint_count_update(
            actor=_actor(request),
            count=count,
            expected_version=data["version"],
            changes=_count_values(data, set(request.data.keys())),
        )
        return Response(CheckpointCountSerializer(count).data)

    def destroy(self, request: Request, public_id: str) -> Response:
        count = self._count(public_id)
        version = request.query_params.get("version")
        services.checkpoint_count_delete(
            actor=_actor(request),
            count=count,
            expected_version=int(version) if version and version.isdigit() else None,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- figures ------------------------------------------------------------------------------


class FiguresQuerySerializer(serializers.Serializer):
    start = serializers.DateField(
        required=False, help_text=gettext_lazy("Từ ngày (YYYY-MM-DD), tính cả ngày này.")
    )
    end = serializers.DateField(
        required=False, help_text=gettext_lazy("Đến ngày (YYYY-MM-DD), tính cả ngày này.")
    )
    area = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("Mã địa bàn: mã tỉnh (cả tỉnh) hoặc mã xã, phường."),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("start"), attrs.get("end")
        if start and end and end < start:
            raise serializers.ValidationError(
                {"end": [gettext_lazy("Ngày kết thúc không được trước ngày bắt đầu.")]}
            )
        return attrs


class FiguresView(APIView):
    permission_classes = [ScopedRecordPermission]

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Số liệu trong kỳ của mọi loại hoạt động phối hợp"),
        parameters=[FiguresQuerySerializer],
        responses={200: OperationsFiguresSerializer, **_ERRORS},
    )
    def get(self, request: Request) -> Response:
        query = FiguresQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        code = (query.validated_data.get("area") or "").strip()
        area = area_by_code(code) if code else None
        if code and area is None:
            raise _unknown(
                "area",
                "unknown_area",
                _("Không có địa bàn hành chính mã %(code)s.") % {"code": code},
            )
        figures = selectors.operations_figures(
            actor=_actor(request),
            start=query.validated_data.get("start"),
            end=query.validated_data.get("end"),
            area=area,
        )
        body = {**asdict(figures), "area": area.code if area else None}
        return Response(OperationsFiguresSerializer(body).data)
