"""API of mass mobilisation, under /api/v1/mobilisation/.

Records are addressed by `public_id`; reads start from the mobilisation selectors (built on the
access rule), writes go through the mobilisation services, and the answers use the one error
shape `{message, code, fields}`:
- a record the caller may not see is 404, the same as a missing one; 403 when it is visible but
  the access rule refuses the change (`permission_denied`);
- bad input is 400 naming the field (`attendees`, `topic_counts.1.count`, `items.0.unit`…) with
  the service's code (`negative_count`, `topics_exceed_total`, `end_before_start`,
  `commune_outside_area`, `already_launched`, `outside_period`, `unit_not_allowed`…); nothing is
  saved;
- a change from a stale `version` is 409 (`stale_version`).
Every POST honours `Idempotency-Key`: a retry with the same key and body replays the first answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers as drf_serializers
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phoihop.access.api import ScopedRecordPermission
from phoihop.access.rules import Action, get_visible
from phoihop.access.shortcuts import record_for
from phoihop.core.errors import DomainError, NotFound
from phoihop.core.idempotency import idempotent
from phoihop.mobilisation import selectors, services
from phoihop.mobilisation import serializers as ser
from phoihop.mobilisation.enums import OpinionTopic, ProgrammeKind
from phoihop.mobilisation.filters import (
    CampaignFilter,
    ForumFilter,
    ProgrammeFilter,
    PropagandaFilter,
    area_by_code,
)
from phoihop.mobilisation.models import (
    CampaignLaunch,
    Forum,
    HandedInItem,
    MobilisationRecord,
    Opinion,
)
from phoihop.mobilisation.selectors import MobilisationFigures
from phoihop.mobilisation.services import HandedInData, OpinionData
from phoihop.org.models import AdministrativeArea, Unit, User
from phoihop.org.refs import commune_by_code
from phoihop.org.selectors import unit_list
from phoihop.org.serializers import ErrorSerializer

_TAG: Any = gettext_lazy("Dân vận, phong trào")

_ERRORS: dict[int, OpenApiResponse] = {
    status.HTTP_400_BAD_REQUEST: OpenApiResponse(
        ErrorSerializer,
        gettext_lazy(
            "Dữ liệu không hợp lệ: `fields` nêu trường (kể cả dòng trong danh sách, ví dụ "
            "topic_counts.1.count), `code` nêu lý do (negative_count, topics_exceed_total, "
            "end_before_start, commune_outside_area, already_launched, outside_period, "
            "unit_not_allowed…). Không có gì được lưu."
        ),
    ),
    status.HTTP_401_UNAUTHORIZED: OpenApiResponse(ErrorSerializer, gettext_lazy("Chưa xác thực.")),
    status.HTTP_403_FORBIDDEN: OpenApiResponse(
        ErrorSerializer,
        gettext_lazy(
            "Được xem nhưng quy tắc truy cập không cho phép thao tác (permission_denied)."
        ),
    ),
    status.HTTP_404_NOT_FOUND: OpenApiResponse(
        ErrorSerializer,
        gettext_lazy("Không có, hoặc không được xem: cùng một câu trả lời (not_found)."),
    ),
}
_POST_ERRORS: dict[int, OpenApiResponse] = {
    **_ERRORS,
    status.HTTP_409_CONFLICT: OpenApiResponse(
        ErrorSerializer,
        gettext_lazy(
            "Phiên bản đã cũ (stale_version), hoặc yêu cầu cùng Idempotency-Key đang được xử lý."
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
    description=gettext_lazy("Phiên bản đang xóa; nếu đã cũ, yêu cầu bị từ chối (409)."),
)


# --- resolving what a request body names --------------------------------------------------------


def _actor(request: Request) -> User:
    return request.user  # type: ignore[return-value]


def _unknown(field: str, code: str, message: str) -> DomainError:
    return DomainError(message, code=code, fields={field: [message]})


def _units(actor: User, ids: Sequence[uuid.UUID], *, field: str) -> list[Unit]:
    if not ids:
        return []
    found = {u.public_id: u for u in unit_list(actor=actor).filter(public_id__in=ids)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise _unknown(
            field,
            "unknown_unit",
            _("Không có đơn vị với mã định danh %(ids)s.") % {"ids": ", ".join(missing)},
        )
    return [found[i] for i in ids]


def _unit(actor: User, value: uuid.UUID | None, *, field: str) -> Unit | None:
    return _units(actor, [value], field=field)[0] if value else None


def _commune(code: str | None, *, field: str = "commune") -> AdministrativeArea | None:
    if not (code or "").strip():
        return None
    try:
        return commune_by_code(str(code))
    except DomainError as exc:
        raise _unknown(field, exc.code, exc.message) from exc


def _province(code: str) -> AdministrativeArea:
    found = area_by_code(code)
    if found is None:
        raise _unknown(
            "area",
            "unknown_area",
            _("Không có địa bàn hành chính mã %(code)s.") % {"code": code},
        )
    return found


_COMMON = ("start_date", "end_date", "classification", "is_joint", "note")


def _common(actor: User, data: dict[str, Any]) -> dict[str, Any]:
    """The fields every record kind shares, resolved (only those present in `data`)."""
    values = {name: data[name] for name in _COMMON if name in data}
    if "classification" in values:
        values["classification"] = int(values["classification"])
    if "organising_unit" in data:
        values["organising_unit"] = _unit(actor, data["organising_unit"], field="organising_unit")
    if "participating_units" in data:
        values["participating_units"] = _units(
            actor, data["participating_units"], field="participating_units"
        )
    return values


def _opinion_data(actor: User, rows: Sequence[dict[str, Any]], prefix: str) -> list[OpinionData]:
    return [
        OpinionData(
            topic=row["topic"],
            content=row["content"],
            raised_by=row.get("raised_by", ""),
            assigned_unit=_unit(
                actor, row.get("assigned_unit"), field=f"{prefix}.{index}.assigned_unit"
            ),
        )
        for index, row in enumerate(rows)
    ]


def _version_of(data: dict[str, Any]) -> int:
    version = data.pop("version", None)
    if version is None:
        message = _("Phải gửi phiên bản đang sửa (version).")
        raise DomainError(message, code="required", fields={"version": [message]})
    return int(version)


# --- the shared viewset -------------------------------------------------------------------------


class RecordViewSet(viewsets.GenericViewSet):
    """List, read, create, change and delete one record kind through its selector and services."""

    permission_classes = [ScopedRecordPermission]
    lookup_field = "public_id"
    lookup_value_regex = "[^/]+"
    detail_serializer_class: ClassVar[type[drf_serializers.Serializer]]
    input_serializer_class: ClassVar[type[drf_serializers.Serializer]]
    change_serializer_class: ClassVar[type[drf_serializers.Serializer]]

    # --- what each kind supplies

    def selector(self, actor: User) -> QuerySet[Any]:
        raise NotImplementedError

    def detail_queryset(self, actor: User) -> QuerySet[Any]:
        return self.selector(actor).prefetch_related("participating_units")

    def create_record(self, actor: User, data: dict[str, Any]) -> MobilisationRecord:
        raise NotImplementedError

    def changes(self, actor: User, data: dict[str, Any]) -> dict[str, Any]:
        return _common(actor, data)

    def update_record(
        self, actor: User, record: Any, version: int, changes: dict[str, Any]
    ) -> None:
        raise NotImplementedError

    def delete_record(self, actor: User, record: Any, version: int | None) -> None:
        raise NotImplementedError

    def list_context(self, rows: list[Any]) -> dict[str, Any]:
        return {}

    def detail_context(self, record: Any) -> dict[str, Any]:
        return {}

    # --- the actions

    def get_queryset(self) -> QuerySet[Any]:
        return self.detail_queryset(_actor(self.request))

    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        data = self.get_serializer_class()(rows, many=True, context=self.list_context(rows)).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, public_id: str) -> Response:
        actor = _actor(request)
        record = record_for(self.detail_queryset(actor), actor, public_id=public_id)
        serializer = self.detail_serializer_class(record, context=self.detail_context(record))
        return Response(serializer.data)

    def create(self, request: Request) -> Response:
        def handler() -> Response:
            form = self.input_serializer_class(data=request.data)
            form.is_valid(raise_exception=True)
            record = self.create_record(_actor(request), dict(form.validated_data))
            return self._answer(request, record, status.HTTP_201_CREATED)

        return idempotent(request, handler)

    def partial_update(self, request: Request, public_id: str) -> Response:
        actor = _actor(request)
        record = record_for(
            self.detail_queryset(actor), actor, public_id=public_id, action=Action.CHANGE
        )
        form = self.change_serializer_class(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        version = _version_of(data)
        self.update_record(actor, record, version, self.changes(actor, data))
        return self._answer(request, record)

    def destroy(self, request: Request, public_id: str) -> Response:
        actor = _actor(request)
        record = record_for(
            self.detail_queryset(actor), actor, public_id=public_id, action=Action.DELETE
        )
        raw = request.query_params.get("version")
        try:
            version = int(raw) if raw else None
        except ValueError as exc:
            message = _("Phiên bản phải là số nguyên.")
            raise DomainError(message, fields={"version": [message]}) from exc
        self.delete_record(actor, record, version)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _answer(
        self, request: Request, record: Any, http_status: int = status.HTTP_200_OK
    ) -> Response:
        actor = _actor(request)
        fresh = get_visible(self.detail_queryset(actor), actor, pk=record.pk)
        serializer = self.detail_serializer_class(fresh, context=self.detail_context(fresh))
        return Response(serializer.data, status=http_status)


def _schema(
    *,
    noun: Any,
    list_serializer: Any,
    detail_serializer: Any,
    input_serializer: Any,
    change_serializer: Any,
) -> Callable[[type], type]:
    return extend_schema_view(
        list=extend_schema(
            tags=[_TAG],
            summary=gettext_lazy("Danh sách: %(noun)s") % {"noun": noun},
            responses={200: list_serializer(many=True), **_ERRORS},
        ),
        retrieve=extend_schema(
            tags=[_TAG],
            summary=gettext_lazy("Một bản ghi: %(noun)s") % {"noun": noun},
            parameters=[_PUBLIC_ID],
            responses={200: detail_serializer, **_ERRORS},
        ),
        create=extend_schema(
            tags=[_TAG],
            summary=gettext_lazy("Ghi nhận: %(noun)s") % {"noun": noun},
            parameters=[_IDEMPOTENCY_KEY],
            request=input_serializer,
            responses={201: detail_serializer, **_POST_ERRORS},
        ),
        partial_update=extend_schema(
            tags=[_TAG],
            summary=gettext_lazy("Sửa (gửi kèm version): %(noun)s") % {"noun": noun},
            parameters=[_PUBLIC_ID],
            request=change_serializer,
            responses={200: detail_serializer, **_POST_ERRORS},
        ),
        destroy=extend_schema(
            tags=[_TAG],
            summary=gettext_lazy("Xóa (xóa mềm): %(noun)s") % {"noun": noun},
            parameters=[_PUBLIC_ID, _VERSION],
            responses={204: None, **_POST_ERRORS},
        ),
    )


# --- forums and opinions ------------------------------------------------------------------------


@_schema(
    noun=gettext_lazy("diễn đàn lắng nghe ý kiến Nhân dân"),
    list_serializer=ser.ForumSerializer,
    detail_serializer=ser.ForumDetailSerializer,
    input_serializer=ser.ForumInputSerializer,
    change_serializer=ser.ForumChangeSerializer,
)
class ForumViewSet(RecordViewSet):
    serializer_class = ser.ForumSerializer
    detail_serializer_class = ser.ForumDetailSerializer
    input_serializer_class = ser.ForumInputSerializer
    change_serializer_class = ser.ForumChangeSerializer
    filterset_class = ForumFilter

    def selector(self, actor: User) -> QuerySet[Forum]:
        return selectors.forum_list(actor=actor).prefetch_related("topic_counts")

    def detail_queryset(self, actor: User) -> QuerySet[Forum]:
        opinions = Opinion.objects.select_related("forum", "assigned_unit", "answered_by")
        return (
            super()
            .detail_queryset(actor)
            .prefetch_related(Prefetch("opinion_items", queryset=opinions))
        )

    def changes(self, actor: User, data: dict[str, Any]) -> dict[str, Any]:
        values = _common(actor, data)
        for name in ("title", "attendees", "opinions"):
            if name in data:
                values[name] = data[name]
        if "commune" in data:
            values["commune"] = _commune(data["commune"])
            if values["commune"] is None:
                message = _("Phải chọn xã, phường.")
                raise DomainError(message, code="required", fields={"commune": [message]})
        if "topic_counts" in data:
            values["topic_counts"] = [(row["topic"], row["count"]) for row in data["topic_counts"]]
        if "opinion_items" in data:
            values["opinion_items"] = _opinion_data(actor, data["opinion_items"], "opinion_items")
        return values

    def create_record(self, actor: User, data: dict[str, Any]) -> Forum:
        values = self.changes(actor, data)
        return services.forum_create(actor=actor, **values)

    def update_record(
        self, actor: User, record: Forum, version: int, changes: dict[str, Any]
    ) -> None:
        services.forum_update(actor=actor, forum=record, expected_version=version, changes=changes)

    def delete_record(self, actor: User, record: Forum, version: int | None) -> None:
        services.forum_delete(actor=actor, forum=record, expected_version=version)

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Ghi một ý kiến của Nhân dân vào diễn đàn (kèm đơn vị giải quyết)"),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request=ser.OpinionInputSerializer,
        responses={201: ser.OpinionSerializer, **_POST_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="opinions", url_name="opinions")
    def add_opinion(self, request: Request, public_id: str) -> Response:
        def handler() -> Response:
            actor = _actor(request)
            forum = record_for(self.detail_queryset(actor), actor, public_id=public_id)
            form = ser.OpinionInputSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            (data,) = _opinion_data(actor, [form.validated_data], "opinion")
            opinion = services.opinion_add(actor=actor, forum=forum, data=data)
            return Response(ser.OpinionSerializer(opinion).data, status=status.HTTP_201_CREATED)

        return idempotent(request, handler)


@extend_schema_view(
    list=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Ý kiến của Nhân dân được ghi nhận riêng, với việc giải quyết"),
        parameters=[
            OpenApiParameter(
                "forum", OpenApiTypes.UUID, description=gettext_lazy("Mã định danh diễn đàn")
            ),
            OpenApiParameter(
                "assigned_to_me",
                OpenApiTypes.BOOL,
                description=gettext_lazy("Chỉ các ý kiến giao cho đơn vị mình"),
            ),
        ],
        responses={200: ser.OpinionSerializer(many=True), **_ERRORS},
    ),
    retrieve=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Một ý kiến"),
        parameters=[_PUBLIC_ID],
        responses={200: ser.OpinionSerializer, **_ERRORS},
    ),
)
class OpinionViewSet(viewsets.GenericViewSet):
    permission_classes = [ScopedRecordPermission]
    serializer_class = ser.OpinionSerializer
    lookup_field = "public_id"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[Opinion]:
        return selectors.opinion_list(actor=_actor(self.request)).order_by("-created_at", "-id")

    def _get(self, public_id: str) -> Opinion:
        try:
            return self.get_queryset().get(public_id=public_id)
        except (Opinion.DoesNotExist, ValueError, ValidationError) as exc:
            # A malformed id is answered like a missing one.
            raise NotFound() from exc

    def list(self, request: Request) -> Response:
        queryset = self.get_queryset()
        forum = request.query_params.get("forum")
        if forum:
            try:
                queryset = queryset.filter(forum__public_id=uuid.UUID(forum))
            except ValueError:
                queryset = queryset.none()
        if request.query_params.get("assigned_to_me") == "true":
            queryset = queryset.filter(assigned_unit_id=_actor(request).unit_id)
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        data = ser.OpinionSerializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, public_id: str) -> Response:
        return Response(ser.OpinionSerializer(self._get(public_id)).data)

    def _change(
        self, request: Request, public_id: str, form_class: type, change: Callable[..., Any]
    ) -> Response:
        def handler() -> Response:
            actor = _actor(request)
            opinion = self._get(public_id)
            form = form_class(data=request.data)
            form.is_valid(raise_exception=True)
            change(actor, opinion, dict(form.validated_data))
            return Response(ser.OpinionSerializer(self._get(public_id)).data)

        return idempotent(request, handler)

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Trả lời ý kiến (đơn vị được giao hoặc đơn vị chủ trì)"),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request=ser.OpinionAnswerSerializer,
        responses={200: ser.OpinionSerializer, **_POST_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, public_id: str) -> Response:
        return self._change(
            request,
            public_id,
            ser.OpinionAnswerSerializer,
            lambda actor, opinion, data: services.opinion_answer(
                actor=actor,
                opinion=opinion,
                answer=data["answer"],
                expected_version=data.get("version"),
            ),
        )

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Kết thúc ý kiến đã được trả lời (đơn vị chủ trì)"),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request=ser.OpinionCloseSerializer,
        responses={200: ser.OpinionSerializer, **_POST_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, public_id: str) -> Response:
        return self._change(
            request,
            public_id,
            ser.OpinionCloseSerializer,
            lambda actor, opinion, data: services.opinion_close(
                actor=actor,
                opinion=opinion,
                note=data.get("note", ""),
                expected_version=data.get("version"),
            ),
        )

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Giao (hoặc đổi) đơn vị giải quyết ý kiến chưa trả lời"),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request=ser.OpinionAssignSerializer,
        responses={200: ser.OpinionSerializer, **_POST_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, public_id: str) -> Response:
        return self._change(
            request,
            public_id,
            ser.OpinionAssignSerializer,
            lambda actor, opinion, data: services.opinion_assign(
                actor=actor,
                opinion=opinion,
                unit=_unit(actor, data.get("assigned_unit"), field="assigned_unit"),
                expected_version=data.get("version"),
            ),
        )


# --- law propaganda -----------------------------------------------------------------------------


@_schema(
    noun=gettext_lazy("tuyên truyền pháp luật"),
    list_serializer=ser.PropagandaSerializer,
    detail_serializer=ser.PropagandaSerializer,
    input_serializer=ser.PropagandaInputSerializer,
    change_serializer=ser.PropagandaChangeSerializer,
)
class PropagandaViewSet(RecordViewSet):
    serializer_class = ser.PropagandaSerializer
    detail_serializer_class = ser.PropagandaSerializer
    input_serializer_class = ser.PropagandaInputSerializer
    change_serializer_class = ser.PropagandaChangeSerializer
    filterset_class = PropagandaFilter

    def selector(self, actor: User) -> QuerySet[Any]:
        return selectors.propaganda_list(actor=actor).prefetch_related("laws")

    def changes(self, actor: User, data: dict[str, Any]) -> dict[str, Any]:
        values = _common(actor, data)
        for name in ("title", "laws", "sessions", "attendees", "leaflets"):
            if name in data:
                values[name] = data[name]
        if "commune" in data:
            values["commune"] = _commune(data["commune"])
        return values

    def create_record(self, actor: User, data: dict[str, Any]) -> Any:
        return services.propaganda_create(actor=actor, **self.changes(actor, data))

    def update_record(
        self, actor: User, record: Any, version: int, changes: dict[str, Any]
    ) -> None:
        services.propaganda_update(
            actor=actor, record=record, expected_version=version, changes=changes
        )

    def delete_record(self, actor: User, record: Any, version: int | None) -> None:
        services.propaganda_delete(actor=actor, record=record, expected_version=version)


@extend_schema_view(
    list=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Danh mục luật được tuyên truyền"),
        responses={200: ser.LawSerializer(many=True), **_ERRORS},
    )
)
class LawViewSet(viewsets.GenericViewSet):
    permission_classes = [ScopedRecordPermission]
    serializer_class = ser.LawSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.laws()

    def list(self, request: Request) -> Response:
        return Response(ser.LawSerializer(self.get_queryset(), many=True).data)


# --- surrender campaigns ------------------------------------------------------------------------


@_schema(
    noun=gettext_lazy("vận động giao nộp vũ khí, vật liệu nổ"),
    list_serializer=ser.CampaignSerializer,
    detail_serializer=ser.CampaignDetailSerializer,
    input_serializer=ser.CampaignInputSerializer,
    change_serializer=ser.CampaignChangeSerializer,
)
class CampaignViewSet(RecordViewSet):
    serializer_class = ser.CampaignSerializer
    detail_serializer_class = ser.CampaignDetailSerializer
    input_serializer_class = ser.CampaignInputSerializer
    change_serializer_class = ser.CampaignChangeSerializer
    filterset_class = CampaignFilter

    def selector(self, actor: User) -> QuerySet[Any]:
        return selectors.campaign_list(actor=actor)

    def detail_queryset(self, actor: User) -> QuerySet[Any]:
        return (
            super()
            .detail_queryset(actor)
            .prefetch_related(
                Prefetch(
                    "launches",
                    queryset=CampaignLaunch.objects.select_related("commune", "unit").order_by(
                        "launched_on", "commune__name"
                    ),
                ),
                Prefetch(
                    "handed_in",
                    queryset=HandedInItem.objects.select_related("commune", "item"),
                ),
            )
        )

    def list_context(self, rows: list[Any]) -> dict[str, Any]:
        ids = [row.pk for row in rows]
        figures = selectors.campaign_figures(
            selectors.campaign_list(actor=_actor(self.request)).filter(pk__in=ids)
        )
        return {"coverage": {c.campaign.pk: c for c in figures.campaigns}}

    def detail_context(self, record: Any) -> dict[str, Any]:
        figures = selectors.campaign_figures(
            selectors.campaign_list(actor=_actor(self.request)).filter(pk=record.pk)
        )
        return {
            "coverage": {c.campaign.pk: c for c in figures.campaigns},
            "handed_in_totals": figures.handed_in,
        }

    def changes(self, actor: User, data: dict[str, Any]) -> dict[str, Any]:
        values = _common(actor, data)
        if "name" in data:
            values["name"] = data["name"]
        if "area" in data:
            values["area"] = _province(data["area"])
        return values

    def create_record(self, actor: User, data: dict[str, Any]) -> Any:
        return services.campaign_create(actor=actor, **self.changes(actor, data))

    def update_record(
        self, actor: User, record: Any, version: int, changes: dict[str, Any]
    ) -> None:
        services.campaign_update(
            actor=actor, campaign=record, expected_version=version, changes=changes
        )

    def delete_record(self, actor: User, record: Any, version: int | None) -> None:
        services.campaign_delete(actor=actor, campaign=record, expected_version=version)

    def _campaign(self, actor: User, public_id: str) -> Any:
        return record_for(self.detail_queryset(actor), actor, public_id=public_id)

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Phát động đợt vận động tại một xã, phường"),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request=ser.LaunchInputSerializer,
        responses={201: ser.LaunchSerializer, **_POST_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def launches(self, request: Request, public_id: str) -> Response:
        def handler() -> Response:
            actor = _actor(request)
            campaign = self._campaign(actor, public_id)
            form = ser.LaunchInputSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            data = form.validated_data
            launch = services.campaign_launch(
                actor=actor,
                campaign=campaign,
                commune=_commune(data["commune"]),  # type: ignore[arg-type]
                launched_on=data["launched_on"],
                unit=_unit(actor, data.get("unit"), field="unit"),
                attendees=data.get("attendees"),
            )
            return Response(ser.LaunchSerializer(launch).data, status=status.HTTP_201_CREATED)

        return idempotent(request, handler)

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy(
            "Ghi vũ khí, vật liệu nổ, công cụ hỗ trợ, pháo được giao nộp "
            "(mọi dòng hoặc không dòng nào)"
        ),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request=ser.HandedInInputSerializer,
        responses={201: ser.HandedInSerializer(many=True), **_POST_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="handed-in", url_name="handed-in")
    def handed_in(self, request: Request, public_id: str) -> Response:
        def handler() -> Response:
            actor = _actor(request)
            campaign = self._campaign(actor, public_id)
            form = ser.HandedInInputSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            rows = [
                HandedInData(
                    commune=_commune(row["commune"], field=f"items.{index}.commune"),
                    handed_in_on=row["handed_in_on"],
                    item=row["item"],
                    quantity=row["quantity"],
                    unit=row.get("unit", ""),
                    note=row.get("note", ""),
                    localized=False,
                )
                for index, row in enumerate(form.validated_data["items"])
            ]
            created = services.handed_in_add(actor=actor, campaign=campaign, rows=rows)
            return Response(
                ser.HandedInSerializer(created, many=True).data, status=status.HTTP_201_CREATED
            )

        return idempotent(request, handler)


# --- social support -----------------------------------------------------------------------------


@_schema(
    noun=gettext_lazy("chương trình an sinh xã hội"),
    list_serializer=ser.ProgrammeSerializer,
    detail_serializer=ser.ProgrammeSerializer,
    input_serializer=ser.ProgrammeInputSerializer,
    change_serializer=ser.ProgrammeChangeSerializer,
)
class ProgrammeViewSet(RecordViewSet):
    serializer_class = ser.ProgrammeSerializer
    detail_serializer_class = ser.ProgrammeSerializer
    input_serializer_class = ser.ProgrammeInputSerializer
    change_serializer_class = ser.ProgrammeChangeSerializer
    filterset_class = ProgrammeFilter

    def selector(self, actor: User) -> QuerySet[Any]:
        return selectors.programme_list(actor=actor)

    def changes(self, actor: User, data: dict[str, Any]) -> dict[str, Any]:
        values = _common(actor, data)
        for name in ("kind", "name", "beneficiaries", "value"):
            if name in data:
                values[name] = data[name]
        if "commune" in data:
            values["commune"] = _commune(data["commune"])
        return values

    def create_record(self, actor: User, data: dict[str, Any]) -> Any:
        return services.programme_create(actor=actor, localized=False, **self.changes(actor, data))

    def update_record(
        self, actor: User, record: Any, version: int, changes: dict[str, Any]
    ) -> None:
        services.programme_update(
            actor=actor, record=record, expected_version=version, changes=changes, localized=False
        )

    def delete_record(self, actor: User, record: Any, version: int | None) -> None:
        services.programme_delete(actor=actor, record=record, expected_version=version)


# --- period figures -----------------------------------------------------------------------------


def figures_data(figures: MobilisationFigures) -> dict[str, Any]:
    """The figures as plain data (the API answer, and what pages and exports may reuse)."""
    forums = figures.forums
    propaganda = figures.propaganda
    campaigns = figures.campaigns
    programmes = figures.programmes
    return {
        "start": figures.start,
        "end": figures.end,
        "area": figures.area.code if figures.area else None,
        "forums": {
            "forums": forums.forums,
            "attendees": forums.attendees,
            "opinions": forums.opinions,
            "unclassified": forums.unclassified,
            "by_topic": [
                {"topic": topic, "label": str(OpinionTopic(topic).label), "opinions": n}
                for topic, n in forums.by_topic.items()
            ],
            "followed_up": forums.followed_up,
            "by_force": forums.by_force,
        },
        "propaganda": {
            "records": propaganda.records,
            "sessions": propaganda.sessions,
            "attendees": propaganda.attendees,
            "leaflets": propaganda.leaflets,
            "by_law": [
                {
                    "law": f.law.code,
                    "name": f.law.name,
                    "records": f.records,
                    "sessions": f.sessions,
                    "attendees": f.attendees,
                    "leaflets": f.leaflets,
                }
                for f in propaganda.by_law
            ],
            "by_force": propaganda.by_force,
        },
        "campaigns": {
            "communes": campaigns.communes,
            "launched": campaigns.launched,
            "share": campaigns.share,
            "campaigns": [
                {
                    "public_id": c.campaign.public_id,
                    "name": c.campaign.name,
                    "communes": c.communes,
                    "launched": c.launched,
                    "launched_in_period": c.launched_in_period,
                    "share": c.share,
                }
                for c in campaigns.campaigns
            ],
            "handed_in": [
                {
                    "item": t.item.code,
                    "name": t.item.name,
                    "quantity": t.quantity,
                    "unit": t.item.canonical_unit,
                    "report_phrase": t.item.report_phrase,
                }
                for t in campaigns.handed_in
            ],
        },
        "programmes": {
            "records": programmes.records,
            "beneficiaries": programmes.beneficiaries,
            "value": programmes.value,
            "by_kind": [
                {"kind": kind, "label": str(ProgrammeKind(kind).label), **values}
                for kind, values in programmes.by_kind.items()
            ],
        },
    }


class FiguresView(APIView):
    permission_classes = [ScopedRecordPermission]

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy(
            "Số liệu dân vận của một kỳ và địa bàn, trong phạm vi người dùng được xem"
        ),
        parameters=[ser.FiguresQuerySerializer],
        responses={200: ser.FiguresSerializer, **_ERRORS},
    )
    def get(self, request: Request) -> Response:
        query = ser.FiguresQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        area = _province(data["area"]) if data.get("area") else None
        figures = selectors.mobilisation_figures(
            actor=_actor(request), start=data.get("start"), end=data.get("end"), area=area
        )
        return Response(ser.FiguresSerializer(figures_data(figures)).data)
