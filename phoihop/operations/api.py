"""API of the joint operations, under /api/v1/operations/.

`protections/`, `checkpoints/`, `zones/`, `patrols/`, `rescues/`, `exercises/`, `destructions/`
(tiêu hủy vật liệu nổ, bom mìn, vũ khí): list (the same
filters as the pages), read, create (POST, `Idempotency-Key`), change (PATCH with `version`),
delete (soft). One viewset a kind, generated from the table in `kinds.py`. A checkpoint's daily
counts: `checkpoints/{id}/counts/` (GET, POST), `checkpoints/{id}/counts/import/` (an XLSX/CSV
file, all or nothing), and `checkpoint-counts/{id}/` (GET, PATCH, DELETE). `figures/` gives the
period figures of every kind for a period and area, as the caller sees them.

Records are addressed by `public_id`; the shared base `ScopedRecordViewSet` reads through the
operation selectors (the access rule) and writes through the operation services. Units are named
by code or public id (`lead_unit`, `units[].unit`). Errors have one shape `{message, code,
fields}`: invisible is 404 like missing; an unknown unit, commune or case named in a body is 400
naming the field (`units.0.unit`, `communes`, `cases`); a refused value is 400 naming the field
(`end_date`, `day`, `units.1.personnel`…); 403 only when the access rule refuses the action on
a visible record.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phoihop.access.api import (
    ScopedRecordPermission,
    ScopedRecordViewSet,
    delete_version,
    version_required,
)
from phoihop.access.schema import (
    PUBLIC_ID,
    documented,
    post_action,
    read_errors,
    version_query,
    write_errors,
)
from phoihop.cases.models import Case
from phoihop.cases.selectors import case_list
from phoihop.core.errors import DomainError, NotFound, invalid, prefixed
from phoihop.core.qualifiers import SUFFIX, refuse_on_computed
from phoihop.core.serializers import validated
from phoihop.operations import imports, selectors, services
from phoihop.operations.kinds import CHECKPOINTS, KINDS, Kind
from phoihop.operations.models import CheckpointCount, OperationRecord
from phoihop.operations.serializers import (
    CheckpointCountInputSerializer,
    CheckpointCountSerializer,
    FiguresQuerySerializer,
    ImportFileSerializer,
    ImportResultSerializer,
    OperationsFiguresSerializer,
    record_input_serializer,
    record_serializer,
)
from phoihop.operations.services import UnitPart
from phoihop.org.models import User
from phoihop.org.refs import area_by_code_or_error, communes_by_code, unit_by_ref

_TAG: Any = gettext_lazy("Hoạt động phối hợp")
_BAD_INPUT = gettext_lazy(
    "Dữ liệu không hợp lệ: `fields` nêu trường, dòng lồng nhau theo vị trí (ví dụ end_date, day, "
    "units.1.personnel, communes); `code` nêu lý do (ví dụ unknown_unit, unknown_commune, "
    "unknown_case, negative_count, duplicate_day). Không có gì được lưu."
)


# --- resolving what a request body names --------------------------------------------------


def _unit_parts(actor: User, rows: Sequence[Mapping[str, Any]]) -> list[UnitPart]:
    return [
        UnitPart(
            unit_by_ref(actor, row.get("unit"), field=f"units.{index}.unit", required=True),  # type: ignore[arg-type]
            personnel=row.get("personnel", 0),
            vehicles=row.get("vehicles", 0),
            vessels=row.get("vessels", 0),
        )
        for index, row in enumerate(rows)
    ]


def _cases(actor: User, ids: Sequence[uuid.UUID]) -> list[Case]:
    if not ids:
        return []
    found = {c.public_id: c for c in case_list(actor=actor).filter(public_id__in=ids)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise invalid(
            "cases",
            _("Không có vụ việc với mã định danh %(ids)s.") % {"ids": ", ".join(missing)},
            code="unknown_case",
        )
    return [found[i] for i in ids]


def _lists(actor: User, data: Mapping[str, Any]) -> dict[str, Any]:
    """The lists a body sends (units, communes, a patrol's cases), resolved; absent ones left
    out, so that a change keeps them."""
    resolve = {
        "communes": lambda codes: communes_by_code(codes, field="communes"),
        "units": lambda rows: _unit_parts(actor, rows),
        "cases": lambda ids: _cases(actor, ids),
    }
    return {name: how(data[name]) for name, how in resolve.items() if name in data}


def _record_values(model: type[OperationRecord], data: Mapping[str, Any]) -> dict[str, Any]:
    """The record's own fields of a body, as the services take them."""
    values = {name: data[name] for name in services.editable_fields(model) if name in data}
    if "classification" in values:
        values["classification"] = int(values["classification"])
    return values


# --- the record kinds ---------------------------------------------------------------------


class OperationViewSet(ScopedRecordViewSet):
    """One record kind; the subclasses are generated from `kinds.KINDS` (see `_viewset`)."""

    kind: ClassVar[Kind]

    def selector(self, actor: Any) -> QuerySet[Any]:
        return selectors.with_listing(selectors.record_list(self.kind.model, actor=actor), actor)

    def refuse_computed_qualifiers(self) -> None:
        """A qualifier (trên, hơn, gần, khoảng) is taken only beside a count the kind lets
        users enter with one; sent for anything else (a checkpoint's totals, a unit's row…) it
        is refused naming the field, never silently dropped."""
        raw = self.request.data
        if not isinstance(raw, Mapping):
            return
        model = self.kind.model
        refuse_on_computed(raw, [f for f in model.kind_fields if f.endswith(SUFFIX)])
        rows = raw.get("units")
        for index, row in enumerate(rows if isinstance(rows, list) else []):
            if isinstance(row, Mapping):
                try:
                    refuse_on_computed(row, ())
                except DomainError as exc:
                    raise prefixed(exc, f"units.{index}") from exc

    def create_record(self, actor: Any, data: dict[str, Any]) -> OperationRecord:
        self.refuse_computed_qualifiers()
        lead_unit = unit_by_ref(actor, data.get("lead_unit"), field="lead_unit")
        return self.kind.create(
            actor=actor,
            **_record_values(self.kind.model, data),
            **_lists(actor, data),
            lead_unit=lead_unit,
        )

    def update_record(
        self, actor: Any, record: OperationRecord, version: int, data: dict[str, Any]
    ) -> None:
        self.refuse_computed_qualifiers()
        if data.get("lead_unit"):
            # The lead unit is the owner: chosen when the record is created, never changed. A
            # reference is still resolved, so an unknown one is named as unknown.
            lead = unit_by_ref(actor, data["lead_unit"], field="lead_unit")
            if lead is not None and lead.pk != record.owner_unit_id:
                raise invalid(
                    "lead_unit",
                    _("Đơn vị chủ trì không sửa được sau khi đã ghi nhận."),
                    code="not_editable",
                )
        services.operation_update(
            actor=actor,
            record=record,
            expected_version=version,
            changes=_record_values(type(record), data),
            **_lists(actor, data),
        )

    def delete_record(self, actor: Any, record: OperationRecord, version: int | None) -> None:
        services.operation_delete(actor=actor, record=record, expected_version=version)


class CheckpointViewSet(OperationViewSet):
    """A checkpoint, and its daily counts entered one day at a time or from a file."""

    @extend_schema(
        methods=["GET"],
        tags=[_TAG],
        summary=gettext_lazy("Số liệu theo ngày của một chốt"),
        parameters=[PUBLIC_ID],
        filters=False,
        responses={200: CheckpointCountSerializer(many=True), **read_errors(_BAD_INPUT)},
    )
    @post_action(
        methods=["POST"],
        tag=_TAG,
        summary=gettext_lazy("Nhập số liệu một ngày của chốt (lượt phương tiện, lượt người)"),
        request=CheckpointCountInputSerializer,
        response=CheckpointCountSerializer,
        status_code=status.HTTP_201_CREATED,
        bad_input=_BAD_INPUT,
    )
    @action(detail=True, methods=["get", "post"], url_path="counts", filterset_class=None)
    def counts(self, request: Request, public_id: str) -> Response:
        checkpoint = self.record()
        if request.method == "GET":
            rows = selectors.checkpoint_count_list(actor=self.actor).filter(checkpoint=checkpoint)
            return Response(CheckpointCountSerializer(rows, many=True).data)

        def handler() -> Response:
            data = self.validated(CheckpointCountInputSerializer)
            count = services.checkpoint_count_add(
                actor=self.actor,
                checkpoint=checkpoint,
                day=data["day"],
                vehicles=data["vehicles"],
                people=data["people"],
                note=data.get("note", ""),
            )
            return Response(CheckpointCountSerializer(count).data, status=status.HTTP_201_CREATED)

        return self.idempotent(handler)

    @post_action(
        tag=_TAG,
        summary=gettext_lazy("Nhập số liệu theo ngày từ tệp XLSX/CSV (cả tệp hoặc không dòng nào)"),
        request={"multipart/form-data": ImportFileSerializer},
        response=ImportResultSerializer,
        status_code=status.HTTP_201_CREATED,
        bad_input=_BAD_INPUT,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="counts/import",
        parser_classes=[MultiPartParser],
        filterset_class=None,
    )
    def import_counts(self, request: Request, public_id: str) -> Response:
        checkpoint = self.record()

        def handler() -> Response:
            upload = self.validated(ImportFileSerializer)["file"]
            created = imports.checkpoint_counts_import(
                actor=self.actor,
                checkpoint=checkpoint,
                content=upload.read(),
                filename=upload.name or "",
            )
            body = {
                "created": len(created),
                "counts": CheckpointCountSerializer(created, many=True).data,
            }
            return Response(body, status=status.HTTP_201_CREATED)

        return self.idempotent(handler)


def _viewset(kind: Kind) -> type[OperationViewSet]:
    """The viewset of one kind: its model's shapes, its filters, its create service."""
    read = record_serializer(kind.model, kind.name)
    write = record_input_serializer(kind.model, kind.name)
    base = CheckpointViewSet if kind is CHECKPOINTS else OperationViewSet
    viewset = type(
        f"{kind.name.title()}ViewSet",
        (base,),
        {
            "__module__": __name__,
            "kind": kind,
            "serializer_class": read,
            "input_serializer_class": write,
            "filterset_class": kind.filterset,
        },
    )
    return documented(
        tag=_TAG,
        noun=kind.label,
        serializer=read,
        input_serializer=write,
        change_serializer=write,
        bad_input=_BAD_INPUT,
    )(viewset)


# One viewset a kind, by the kind's API name (`protection`: `protection-list`…).
VIEWSETS: dict[str, type[OperationViewSet]] = {kind.name: _viewset(kind) for kind in KINDS.values()}


# --- a day of counts ------------------------------------------------------------------------


@extend_schema_view(
    retrieve=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Một ngày số liệu của chốt"),
        parameters=[PUBLIC_ID],
        responses={200: CheckpointCountSerializer, **read_errors(_BAD_INPUT)},
    ),
    partial_update=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Sửa một ngày số liệu (gửi version)"),
        parameters=[PUBLIC_ID],
        request=CheckpointCountInputSerializer,
        responses={200: CheckpointCountSerializer, **write_errors(_BAD_INPUT)},
    ),
    destroy=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Xóa một ngày số liệu"),
        parameters=[PUBLIC_ID, version_query(required=False)],
        responses={204: None, **write_errors(_BAD_INPUT)},
    ),
)
class CheckpointCountViewSet(viewsets.GenericViewSet):
    # A day of counts is a row of its checkpoint, not a scoped record (the scoped base does not
    # fit): seen by whoever sees the checkpoint; the services decide who may change it.

    permission_classes = [ScopedRecordPermission]
    serializer_class = CheckpointCountSerializer
    lookup_field = "public_id"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[CheckpointCount]:
        return selectors.checkpoint_count_list(actor=self.request.user)

    def _count(self, public_id: str) -> CheckpointCount:
        try:
            return self.get_queryset().get(public_id=uuid.UUID(str(public_id)))
        except (ValueError, CheckpointCount.DoesNotExist):
            raise NotFound() from None

    def retrieve(self, request: Request, public_id: str) -> Response:
        return Response(CheckpointCountSerializer(self._count(public_id)).data)

    def partial_update(self, request: Request, public_id: str) -> Response:
        count = self._count(public_id)
        changes = validated(CheckpointCountInputSerializer, request.data, partial=True)
        version = version_required(changes)
        services.checkpoint_count_update(
            actor=request.user,  # type: ignore[arg-type]
            count=count,
            expected_version=version,
            changes=changes,
        )
        return Response(CheckpointCountSerializer(count).data)

    def destroy(self, request: Request, public_id: str) -> Response:
        count = self._count(public_id)
        services.checkpoint_count_delete(
            actor=request.user,  # type: ignore[arg-type]
            count=count,
            expected_version=delete_version(request, required=False),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- figures ------------------------------------------------------------------------------


class FiguresView(APIView):
    permission_classes = [ScopedRecordPermission]

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Số liệu trong kỳ của mọi loại hoạt động phối hợp"),
        parameters=[FiguresQuerySerializer],
        responses={200: OperationsFiguresSerializer, **read_errors(_BAD_INPUT)},
    )
    def get(self, request: Request) -> Response:
        query = validated(FiguresQuerySerializer, request.query_params)
        code = (query.get("area") or "").strip()
        area = area_by_code_or_error(code, field="area") if code else None
        figures = selectors.operations_figures(
            actor=request.user, start=query.get("start"), end=query.get("end"), area=area
        )
        body = {**asdict(figures), "area": area.code if area else None}
        return Response(OperationsFiguresSerializer(body).data)
