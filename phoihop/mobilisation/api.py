"""API of mass mobilisation, under /api/v1/mobilisation/.

Every record kind of `phoihop.mobilisation.kinds` is a `ScopedRecordViewSet` (reads from the
selectors, writes through the services, the one error shape, `Idempotency-Key` on every POST,
`version` on PATCH and DELETE, invisible is 404 and visible-but-not-allowed 403); opinions are
read and moved on through their forum. What is particular to this module:
- units are named by code or public id (`organising_unit`, `participating_units`,
  `assigned_unit`, a launch's `unit`), communes and provinces by their official code, laws and
  catalogue items by theirs; an unknown one is 400 on its field (`unknown_unit`,
  `opinion_items.0.assigned_unit`), nothing saved;
- the services' own codes: `negative_count`, `topics_exceed_total`, `end_before_start`,
  `commune_outside_area`, `already_launched`, `outside_period`, `unit_not_allowed`…
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phoihop.access.api import (
    ScopedReadOnlyViewSet,
    ScopedRecordPermission,
    ScopedRecordViewSet,
)
from phoihop.access.rules import Action
from phoihop.access.schema import PUBLIC_ID, documented, post_action, read_errors
from phoihop.core.errors import NotFound
from phoihop.core.serializers import validated
from phoihop.mobilisation import selectors, services
from phoihop.mobilisation import serializers as ser
from phoihop.mobilisation.kinds import CAMPAIGNS, FORUMS, PROGRAMMES, PROPAGANDA, Kind
from phoihop.mobilisation.models import (
    CampaignLaunch,
    HandedInItem,
    MobilisationRecord,
    Opinion,
)
from phoihop.mobilisation.services import HandedInData, OpinionData
from phoihop.org.models import AdministrativeArea, User
from phoihop.org.refs import area_by_code_or_error, commune_by_code, unit_by_ref, units_by_ref

_TAG: Any = gettext_lazy("Dân vận, phong trào")

_BAD_INPUT = gettext_lazy(
    "Dữ liệu không hợp lệ: `fields` nêu trường (kể cả dòng trong danh sách, ví dụ "
    "topic_counts.1.count, opinion_items.0.assigned_unit), `code` nêu lý do (unknown_unit, "
    "unknown_commune, negative_count, topics_exceed_total, end_before_start, "
    "commune_outside_area, already_launched, outside_period, unit_not_allowed…). "
    "Không có gì được lưu."
)


# --- what a request body names ------------------------------------------------------------------


def _commune(code: str | None, *, field: str = "commune") -> AdministrativeArea | None:
    return commune_by_code(code, field=field) if (code or "").strip() else None


def _opinion(actor: User, row: Mapping[str, Any], *, field: str) -> OpinionData:
    """An opinion of a body; `field` names its assigned unit in errors."""
    return OpinionData(
        topic=row["topic"],
        content=row["content"],
        raised_by=row.get("raised_by", ""),
        assigned_unit=unit_by_ref(actor, row.get("assigned_unit"), field=field),
    )


def _values(actor: User, data: Mapping[str, Any]) -> dict[str, Any]:
    """A record's body as its services take it: the fields sent, references resolved."""
    values = dict(data)
    if "classification" in values:
        values["classification"] = int(values["classification"])
    if "organising_unit" in values:
        values["organising_unit"] = unit_by_ref(
            actor, values["organising_unit"], field="organising_unit"
        )
    if "participating_units" in values:
        values["participating_units"] = units_by_ref(
            actor, values["participating_units"], field="participating_units"
        )
    if "commune" in values:
        values["commune"] = _commune(values["commune"])
    if "area" in values:
        values["area"] = area_by_code_or_error(values["area"], field="area")
    if "topic_counts" in values:
        values["topic_counts"] = [(row["topic"], row["count"]) for row in values["topic_counts"]]
    if "opinion_items" in values:
        values["opinion_items"] = [
            _opinion(actor, row, field=f"opinion_items.{index}.assigned_unit")
            for index, row in enumerate(values["opinion_items"])
        ]
    return values


# --- the record kinds ---------------------------------------------------------------------------


class RecordViewSet(ScopedRecordViewSet):
    """One record kind of the table, through its selector and services."""

    kind: ClassVar[Kind]
    # What the API sends differs from what pages type (`2900000`, not `2.900.000`).
    service_options: ClassVar[dict[str, Any]] = {}

    @property
    def filterset_class(self) -> Any:
        return self.kind.filterset

    def selector(self, actor: User) -> QuerySet[Any]:
        return self.kind.rows(actor).prefetch_related("participating_units")

    def create_record(self, actor: User, data: dict[str, Any]) -> MobilisationRecord:
        return self.kind.create(actor=actor, **_values(actor, data), **self.service_options)

    def update_record(
        self, actor: User, record: MobilisationRecord, version: int, data: dict[str, Any]
    ) -> None:
        self.kind.update(
            actor=actor,
            record=record,
            expected_version=version,
            changes=_values(actor, data),
            **self.service_options,
        )

    def delete_record(self, actor: User, record: MobilisationRecord, version: int | None) -> None:
        self.kind.delete(actor=actor, record=record, expected_version=version)


def _documented(viewset: type[RecordViewSet]) -> type[RecordViewSet]:
    """The schema of a kind's list, detail, create, change and delete, from its viewset."""
    return documented(
        tag=_TAG,
        noun=viewset.kind.noun,
        serializer=viewset.serializer_class,
        detail_serializer=viewset.detail_serializer_class,
        input_serializer=viewset.input_serializer_class,
        change_serializer=viewset.change_serializer_class,
        bad_input=_BAD_INPUT,
    )(viewset)


# --- forums and opinions ------------------------------------------------------------------------


@_documented
class ForumViewSet(RecordViewSet):
    kind = FORUMS
    serializer_class = ser.ForumSerializer
    detail_serializer_class = ser.ForumDetailSerializer
    input_serializer_class = ser.ForumInputSerializer
    change_serializer_class = ser.ForumChangeSerializer

    def detail_queryset(self, actor: User) -> QuerySet[Any]:
        opinions = Opinion.objects.select_related("forum", "assigned_unit", "answered_by")
        return self.selector(actor).prefetch_related(Prefetch("opinion_items", queryset=opinions))

    @post_action(
        tag=_TAG,
        summary=gettext_lazy("Ghi một ý kiến của Nhân dân vào diễn đàn (kèm đơn vị giải quyết)"),
        request=ser.OpinionInputSerializer,
        response=ser.OpinionSerializer,
        status_code=status.HTTP_201_CREATED,
        bad_input=_BAD_INPUT,
    )
    @action(detail=True, methods=["post"], url_path="opinions", url_name="opinions")
    def add_opinion(self, request: Request, public_id: str) -> Response:
        def handler() -> Response:
            forum = self.record()
            data = self.validated(ser.OpinionInputSerializer)
            opinion = services.opinion_add(
                actor=self.actor,
                forum=forum,
                data=_opinion(self.actor, data, field="assigned_unit"),
            )
            return Response(ser.OpinionSerializer(opinion).data, status=status.HTTP_201_CREATED)

        return self.idempotent(handler)


def _opinion_action(summary: Any, request: Any, *, name: str) -> Callable[[Any], Any]:
    """A POST on one opinion (`/opinions/{id}/<name>/`), answered with the opinion."""

    def decorate(method: Any) -> Any:
        # The viewset is read-only but for these actions.
        routed = action(
            detail=True,
            methods=["post"],
            url_path=name,
            url_name=name,
            http_method_names=["post", "options"],
        )(method)
        return post_action(
            tag=_TAG,
            summary=summary,
            request=request,
            response=ser.OpinionSerializer,
            bad_input=_BAD_INPUT,
        )(routed)

    return decorate


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
        responses={200: ser.OpinionSerializer(many=True), **read_errors(_BAD_INPUT)},
    ),
    retrieve=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Một ý kiến"),
        parameters=[PUBLIC_ID],
        responses={200: ser.OpinionSerializer, **read_errors(_BAD_INPUT)},
    ),
)
class OpinionViewSet(ScopedReadOnlyViewSet):
    """An opinion has no scope of its own: it is seen by whoever sees its forum, and the
    services decide who may assign, answer or close it."""

    serializer_class = ser.OpinionSerializer

    def selector(self, actor: User) -> QuerySet[Opinion]:
        return selectors.opinion_list(actor=actor).order_by("-created_at", "-id")

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        params = self.request.query_params
        if params.get("forum"):
            try:
                queryset = queryset.filter(forum__public_id=uuid.UUID(params["forum"]))
            except ValueError:
                queryset = queryset.none()
        if params.get("assigned_to_me") == "true":
            queryset = queryset.filter(assigned_unit_id=self.actor.unit_id)
        return queryset

    def record(self, action: Action = Action.VIEW, queryset: Any = None) -> Opinion:
        try:
            return self.selector(self.actor).get(public_id=self.kwargs[self.lookup_field])
        except (Opinion.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
            # A malformed id is answered like a missing one.
            raise NotFound() from exc

    def _move(
        self,
        form: Any,
        service: Callable[..., Any],
        values: Callable[[dict[str, Any]], dict[str, Any]],
    ) -> Response:
        """Validate the body with `form`, call `service` on the opinion with `values` of it."""

        def handler() -> Response:
            data = self.validated(form)
            service(
                actor=self.actor,
                opinion=self.record(),
                expected_version=data.get("version"),
                **values(data),
            )
            return Response(self.detail_data(self.record()))

        return self.idempotent(handler)

    # Named apart from the base's `answer`; the address stays /opinions/{id}/answer/.
    @_opinion_action(
        gettext_lazy("Trả lời ý kiến (đơn vị được giao hoặc đơn vị chủ trì)"),
        ser.OpinionAnswerSerializer,
        name="answer",
    )
    def reply(self, request: Request, public_id: str) -> Response:
        return self._move(
            ser.OpinionAnswerSerializer,
            services.opinion_answer,
            lambda data: {"answer": data["answer"]},
        )

    @_opinion_action(
        gettext_lazy("Kết thúc ý kiến đã được trả lời (đơn vị chủ trì)"),
        ser.OpinionCloseSerializer,
        name="close",
    )
    def close(self, request: Request, public_id: str) -> Response:
        return self._move(
            ser.OpinionCloseSerializer,
            services.opinion_close,
            lambda data: {"note": data.get("note", "")},
        )

    @_opinion_action(
        gettext_lazy("Giao (hoặc đổi) đơn vị giải quyết ý kiến chưa trả lời"),
        ser.OpinionAssignSerializer,
        name="assign",
    )
    def assign(self, request: Request, public_id: str) -> Response:
        return self._move(
            ser.OpinionAssignSerializer,
            services.opinion_assign,
            lambda data: {
                "unit": unit_by_ref(self.actor, data.get("assigned_unit"), field="assigned_unit")
            },
        )


# --- law propaganda -----------------------------------------------------------------------------


@_documented
class PropagandaViewSet(RecordViewSet):
    kind = PROPAGANDA
    serializer_class = ser.PropagandaSerializer
    input_serializer_class = ser.PropagandaInputSerializer
    change_serializer_class = ser.PropagandaChangeSerializer


@extend_schema_view(
    list=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Danh mục luật được tuyên truyền"),
        responses={200: ser.LawSerializer(many=True), **read_errors(_BAD_INPUT)},
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


@_documented
class CampaignViewSet(RecordViewSet):
    kind = CAMPAIGNS
    serializer_class = ser.CampaignSerializer
    detail_serializer_class = ser.CampaignDetailSerializer
    input_serializer_class = ser.CampaignInputSerializer
    change_serializer_class = ser.CampaignChangeSerializer

    def detail_queryset(self, actor: User) -> QuerySet[Any]:
        launches = CampaignLaunch.objects.select_related("commune", "unit").order_by(
            "launched_on", "commune__name"
        )
        handed_in = HandedInItem.objects.select_related("commune", "item")
        return self.selector(actor).prefetch_related(
            Prefetch("launches", queryset=launches), Prefetch("handed_in", queryset=handed_in)
        )

    def _figures(self, records: Iterable[Any]) -> selectors.CampaignFigures:
        ids = [record.pk for record in records]
        return selectors.campaign_figures(
            selectors.campaign_list(actor=self.actor).filter(pk__in=ids)
        )

    def list_context(self, rows: list[Any]) -> dict[str, Any]:
        return {"coverage": {c.campaign.pk: c for c in self._figures(rows).campaigns}}

    def detail_context(self, record: Any) -> dict[str, Any]:
        figures = self._figures([record])
        return {
            "coverage": {c.campaign.pk: c for c in figures.campaigns},
            "handed_in_totals": figures.handed_in,
        }

    @post_action(
        tag=_TAG,
        summary=gettext_lazy("Phát động đợt vận động tại một xã, phường"),
        request=ser.LaunchInputSerializer,
        response=ser.LaunchSerializer,
        status_code=status.HTTP_201_CREATED,
        bad_input=_BAD_INPUT,
    )
    @action(detail=True, methods=["post"])
    def launches(self, request: Request, public_id: str) -> Response:
        def handler() -> Response:
            campaign = self.record()
            data = self.validated(ser.LaunchInputSerializer)
            launch = services.campaign_launch(
                actor=self.actor,
                campaign=campaign,
                commune=_commune(data["commune"]),  # type: ignore[arg-type]
                launched_on=data["launched_on"],
                unit=unit_by_ref(self.actor, data.get("unit"), field="unit"),
                attendees=data.get("attendees"),
            )
            return Response(ser.LaunchSerializer(launch).data, status=status.HTTP_201_CREATED)

        return self.idempotent(handler)

    @post_action(
        tag=_TAG,
        summary=gettext_lazy(
            "Ghi vũ khí, vật liệu nổ, công cụ hỗ trợ, pháo được giao nộp "
            "(mọi dòng hoặc không dòng nào)"
        ),
        request=ser.HandedInInputSerializer,
        response=ser.HandedInSerializer(many=True),
        status_code=status.HTTP_201_CREATED,
        bad_input=_BAD_INPUT,
    )
    @action(detail=True, methods=["post"], url_path="handed-in", url_name="handed-in")
    def handed_in(self, request: Request, public_id: str) -> Response:
        def handler() -> Response:
            campaign = self.record()
            data = self.validated(ser.HandedInInputSerializer)
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
                for index, row in enumerate(data["items"])
            ]
            created = services.handed_in_add(actor=self.actor, campaign=campaign, rows=rows)
            return Response(
                ser.HandedInSerializer(created, many=True).data, status=status.HTTP_201_CREATED
            )

        return self.idempotent(handler)


# --- social support -----------------------------------------------------------------------------


@_documented
class ProgrammeViewSet(RecordViewSet):
    kind = PROGRAMMES
    service_options = {"localized": False}
    serializer_class = ser.ProgrammeSerializer
    input_serializer_class = ser.ProgrammeInputSerializer
    change_serializer_class = ser.ProgrammeChangeSerializer


RECORD_VIEWSETS: tuple[type[RecordViewSet], ...] = (
    ForumViewSet,
    PropagandaViewSet,
    CampaignViewSet,
    ProgrammeViewSet,
)


# --- period figures -----------------------------------------------------------------------------


class FiguresView(APIView):
    permission_classes = [ScopedRecordPermission]

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy(
            "Số liệu dân vận của một kỳ và địa bàn, trong phạm vi người dùng được xem"
        ),
        parameters=[ser.FiguresQuerySerializer],
        responses={200: ser.FiguresSerializer, **read_errors(_BAD_INPUT)},
    )
    def get(self, request: Request) -> Response:
        data = validated(ser.FiguresQuerySerializer, request.query_params)
        area = area_by_code_or_error(data["area"], field="area") if data.get("area") else None
        figures = selectors.mobilisation_figures(
            actor=request.user, start=data.get("start"), end=data.get("end"), area=area
        )
        return Response(ser.FiguresSerializer(figures).data)
