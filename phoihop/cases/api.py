"""API of the case registry, under /api/v1/cases/, on the one scoped-record base
(`access.api.ScopedRecordViewSet`) and its shared OpenAPI declarations (`access.schema`).

Cases and wanted persons are addressed by `public_id`; a case's subjects and seized items by
theirs, under the case. Reads start from the case selectors (built on the access rule); writes go
through the case services, which validate, audit, and save all or nothing.

Answers, in one error shape `{message, code, fields}`:
- a case or wanted person the caller may not see is 404, the same as a missing one; so is a
  subject or seized item that is not one of the case's rows;
- a visible record the caller may not change is 403 (`permission_denied`): changes are for the
  officers and commanders of the lead unit and the commanders above it;
- bad input is 400 naming the field, nested rows by their position (`subjects.0.citizen_id`,
  `seized_items.1.unit`), and nothing is saved; an unknown commune, unit, catalogue item or
  linked record is 400 too (`commune`, `cooperating_units`, `seized_items.0.item`, ...);
- every unit reference (`lead_unit`, `detecting_unit`, `cooperating_units`, `arresting_unit`) is
  a unit code or a public id (`phoihop.org.refs`); an unknown one is 400 `unknown_unit`;
- a transition the workflow does not allow is 400 `transition_not_allowed`;
- a `version` older than the stored one is 409 `stale_version`: someone else saved first.
Every POST honours `Idempotency-Key`: a retry with the same key and body replays the first
answer instead of acting twice.

`cases/totals/` answers the counting-rule figures (`case_figures`) of exactly the list the same
filters give, so it counts nothing the caller cannot see.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields as dataclass_fields
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from phoihop.access.api import ScopedRecordViewSet, delete_version, version_required
from phoihop.access.rules import Action, get_visible
from phoihop.access.schema import (
    PUBLIC_ID,
    documented,
    path_id,
    post_action,
    read_errors,
    version_query,
    write_errors,
)
from phoihop.cases.enums import CaseStatus
from phoihop.cases.filters import CaseFilter, WantedFilter
from phoihop.cases.models import (
    Case,
    CaseTransition,
    CaseUnit,
    CatalogueItem,
    SeizedItem,
    Subject,
    WantedPerson,
)
from phoihop.cases.selectors import (
    case_figures,
    case_list,
    catalogue_items,
    seized_item_list,
    subject_list,
    wanted_list,
)
from phoihop.cases.serializers import (
    CaseCooperatingUnitsSerializer,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseHandleSerializer,
    CaseSerializer,
    CaseStepSerializer,
    CaseSubjectSerializer,
    CaseTotalsSerializer,
    CaseTransferSerializer,
    CaseUpdateSerializer,
    CatalogueItemSerializer,
    SeizedItemInputSerializer,
    SeizedItemSerializer,
    SeizedItemUpdateSerializer,
    WantedArrestSerializer,
    WantedPersonSerializer,
)
from phoihop.cases.services import (
    CASE_STEPS,
    SeizedData,
    SubjectData,
    case_create,
    case_delete,
    case_set_cooperating_units,
    case_update,
    seized_item_add,
    seized_item_delete,
    seized_item_update,
    subject_add,
    subject_delete,
    subject_update,
    wanted_arrest,
    wanted_create,
)
from phoihop.core.errors import DomainError, NotFound, invalid
from phoihop.core.serializers import by_public_ids
from phoihop.exchange.models import InformationItem
from phoihop.exchange.selectors import info_item_list
from phoihop.org.models import User
from phoihop.org.refs import commune_by_code, unit_by_ref, units_by_ref

_TAG: Any = gettext_lazy("Vụ việc, vụ án")
_WANTED_TAG: Any = gettext_lazy("Đối tượng truy nã")
_BAD_INPUT: Any = gettext_lazy(
    "Dữ liệu không hợp lệ: `fields` nêu trường, dòng lồng nhau theo vị trí "
    "(subjects.0.citizen_id, seized_items.1.unit); `code` nêu lý do, ví dụ unknown_commune, "
    "unknown_unit, unit_not_allowed, invalid_quantity, invalid_citizen_id, future_birth_date, "
    "transition_not_allowed. Không có gì được lưu."
)


# --- input --------------------------------------------------------------------------------------


def _info_items(actor: User, ids: list[uuid.UUID]) -> list[InformationItem]:
    return by_public_ids(
        info_item_list(actor=actor),
        ids,
        field="info_items",
        unknown=_("Không có thông tin với mã định danh %(ids)s."),
        code="unknown_item",
    )


def _case_refs(actor: User, data: Mapping[str, Any]) -> dict[str, Any]:
    """The case's fields with the commune and the units they name resolved (unknown: 400)."""
    values = dict(data)
    if "commune" in values:
        values["commune"] = commune_by_code(values["commune"])
    for name in ("lead_unit", "detecting_unit"):
        if name in values:
            values[name] = unit_by_ref(actor, values[name], field=name)
    if "cooperating_units" in values:
        values["cooperating_units"] = units_by_ref(
            actor, values["cooperating_units"], field="cooperating_units"
        )
    if "classification" in values:
        values["classification"] = int(values["classification"])
    return values


_SUBJECT_FIELDS = [f.name for f in dataclass_fields(SubjectData)]


def _subject_data(values: Mapping[str, Any]) -> SubjectData:
    return SubjectData(**{name: values[name] for name in _SUBJECT_FIELDS if name in values})


def _seized_data(values: Mapping[str, Any]) -> SeizedData:
    # The API sends plain decimals: "1.508" is one and a half thousandths, not 1508.
    return SeizedData(
        item=values["item"],
        quantity=values["quantity"],
        unit=values.get("unit", ""),
        note=values.get("note", ""),
        localized=False,
    )


def _subject_changed(subject: Subject, data: Mapping[str, Any]) -> SubjectData:
    """The subject with the fields of a PATCH replacing the stored ones."""
    values = {name: getattr(subject, name) for name in _SUBJECT_FIELDS}
    if "birth_date" in data and "birth_year" not in data:
        # The year follows a new birth date (the service derives it).
        values["birth_year"] = None
    return _subject_data({**values, **data})


def _seized_changed(seized: SeizedItem, data: Mapping[str, Any]) -> SeizedData:
    """The seized item with the fields of a PATCH replacing the stored ones."""
    values: dict[str, Any] = {
        "item": seized.item,
        "quantity": seized.entered_quantity,
        "unit": seized.entered_unit,
        "note": seized.note,
    }
    if "item" in data and "unit" not in data:
        # Another item without a unit: the new item's canonical unit.
        values["unit"] = ""
    return _seized_data({**values, **data})


# --- cases --------------------------------------------------------------------------------------

_PARTICIPANTS = Prefetch(
    "participants",
    # Lead first ("lead" sorts after "cooperating"), then in the order they were added.
    queryset=CaseUnit.objects.select_related("unit", "force").order_by("-role", "id"),
)


def _step(name: str, to_status: str, form: type[serializers.Serializer], summary: Any) -> Any:
    """The POST action `/{public_id}/<name>/` moving a case to `to_status` (`CASE_STEPS`)."""

    def step(self: CaseViewSet, request: Request, public_id: str) -> Response:
        def handler() -> Response:
            case = self.case()
            data = self.validated(form)
            CASE_STEPS[to_status](
                actor=self.actor, case=case, expected_version=data.pop("version"), **data
            )
            return self.answer(case)

        return self.idempotent(handler)

    # DRF routes an action by its function's name.
    step.__name__ = name
    routed = action(detail=True, methods=["post"])(step)
    return post_action(tag=_TAG, summary=summary, request=form, response=CaseDetailSerializer)(
        routed
    )


def _row_endpoint(
    *,
    row_id: str,
    request: type[serializers.Serializer],
    response: type[serializers.Serializer],
    change: Any,
    remove: Any,
) -> Callable[[Any], Any]:
    """The schema of PATCH and DELETE on one row of a case (`/{public_id}/<rows>/{row_id}/`)."""
    patch = extend_schema(
        methods=["PATCH"],
        tags=[_TAG],
        summary=change,
        parameters=[PUBLIC_ID, path_id(row_id)],
        request=request,
        responses={200: response, **write_errors(_BAD_INPUT)},
    )
    delete = extend_schema(
        methods=["DELETE"],
        tags=[_TAG],
        summary=remove,
        parameters=[PUBLIC_ID, path_id(row_id), version_query(required=True)],
        request=None,
        responses={204: None, **write_errors(_BAD_INPUT)},
    )
    return lambda view: patch(delete(view))


def _row_of(rows: QuerySet[Any], case: Case, row_id: str) -> Any:
    """A row of this very case, or 404 (a row of another case, or a malformed id, too)."""
    try:
        row = rows.get(case=case, public_id=row_id)
    except (rows.model.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise NotFound() from exc
    # The row services move the case's version on: they must see this very case.
    row.case = case
    return row


@documented(
    tag=_TAG,
    noun=gettext_lazy("vụ việc"),
    bad_input=_BAD_INPUT,
    summaries={
        "list": gettext_lazy("Danh sách vụ việc (lọc theo loại, địa bàn, lực lượng, kỳ)"),
        "retrieve": gettext_lazy(
            "Một vụ việc: đơn vị tham gia, đối tượng, tang vật, nhật ký chuyển trạng thái"
        ),
        "create": gettext_lazy("Ghi nhận vụ việc cùng đối tượng và tang vật (tất cả hoặc không)"),
        "partial_update": gettext_lazy("Sửa vụ việc (kèm phiên bản đang sửa)"),
        "destroy": gettext_lazy("Xóa vụ việc (xóa mềm, vẫn giữ lịch sử)"),
    },
)
class CaseViewSet(ScopedRecordViewSet):
    serializer_class = CaseSerializer
    detail_serializer_class = CaseDetailSerializer
    input_serializer_class = CaseCreateSerializer
    change_serializer_class = CaseUpdateSerializer
    delete_version_required = True
    filterset_class = CaseFilter

    def selector(self, actor: User) -> QuerySet[Case]:
        return case_list(actor=actor).prefetch_related(_PARTICIPANTS)

    def detail_queryset(self, actor: User) -> QuerySet[Case]:
        return (
            case_list(actor=actor)
            .defer(None)
            .select_related("detecting_unit", "created_by")
            .prefetch_related(
                _PARTICIPANTS,
                Prefetch("subjects", queryset=Subject.objects.order_by("created_at", "id")),
                Prefetch(
                    "seized_items",
                    queryset=SeizedItem.objects.select_related("item").order_by(
                        "item__order", "id"
                    ),
                ),
                Prefetch("transitions", queryset=CaseTransition.objects.select_related("by")),
            )
        )

    def detail_context(self, record: Case) -> dict[str, Any]:
        # Linked information items the caller cannot see are left out, not even their number.
        visible_items = info_item_list(actor=self.actor).filter(
            pk__in=record.info_items.values("pk")
        )
        return {"info_items": list(visible_items)}

    def case(self, action: Action = Action.CHANGE) -> Case:
        """The case of the URL, checked for `action` (its rows and steps change it)."""
        case: Case = self.record(action, queryset=case_list(actor=self.actor))
        return case

    def create_record(self, actor: User, data: dict[str, Any]) -> Case:
        values = _case_refs(actor, data)
        info_items = _info_items(actor, values.pop("info_items"))
        subjects = [_subject_data(s) for s in values.pop("subjects")]
        seized = [_seized_data(s) for s in values.pop("seized_items")]
        return case_create(
            actor=actor, **values, info_items=info_items, subjects=subjects, seized=seized
        )

    def update_record(self, actor: User, record: Case, version: int, data: dict[str, Any]) -> None:
        changes = _case_refs(actor, data)
        if "detecting_unit" in changes and changes["detecting_unit"] is None:
            changes["detecting_unit"] = record.owner_unit
        case_update(actor=actor, case=record, expected_version=version, changes=changes)

    def delete_record(self, actor: User, record: Case, version: int | None) -> None:
        case_delete(actor=actor, case=record, expected_version=version)

    # --- figures ----------------------------------------------------------------------------

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy(
            "Số liệu theo quy tắc đếm của đúng danh sách đã lọc: số vụ, đối tượng, tổ chức, "
            "theo loại, địa bàn, lực lượng, kết quả; tiền phạt; tổng tang vật theo đơn vị chuẩn"
        ),
        filters=True,
        responses={200: CaseTotalsSerializer, **read_errors(_BAD_INPUT)},
    )
    @action(detail=False, methods=["get"])
    def totals(self, request: Request) -> Response:
        cases = self.filter_queryset(case_list(actor=self.actor))
        return Response(CaseTotalsSerializer(case_figures(cases)).data)

    # --- workflow ---------------------------------------------------------------------------

    verify = _step(
        "verify",
        CaseStatus.VERIFYING,
        CaseStepSerializer,
        gettext_lazy("Chuyển sang đang xác minh"),
    )
    handle = _step(
        "handle",
        CaseStatus.HANDLED,
        CaseHandleSerializer,
        gettext_lazy("Xử lý xong: khởi tố, xử phạt hành chính (kèm tiền phạt) hoặc không vi phạm"),
    )
    transfer = _step(
        "transfer",
        CaseStatus.TRANSFERRED,
        CaseTransferSerializer,
        gettext_lazy("Chuyển cơ quan có thẩm quyền"),
    )
    close = _step("close", CaseStatus.CLOSED, CaseStepSerializer, gettext_lazy("Kết thúc vụ việc"))

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy(
            "Thay danh sách đơn vị phối hợp (các đơn vị bị bỏ không còn nhận vụ việc)"
        ),
        parameters=[PUBLIC_ID],
        request=CaseCooperatingUnitsSerializer,
        responses={200: CaseDetailSerializer, **write_errors(_BAD_INPUT)},
    )
    @action(detail=True, methods=["put"], url_path="cooperating-units")
    def cooperating_units(self, request: Request, public_id: str) -> Response:
        case = self.case()
        data = self.validated(CaseCooperatingUnitsSerializer)
        units = units_by_ref(self.actor, data["cooperating_units"], field="cooperating_units")
        case_set_cooperating_units(
            actor=self.actor, case=case, units=units, expected_version=data["version"]
        )
        return self.answer(case)

    # --- rows: subjects and seized items ----------------------------------------------------

    def _add_row(
        self,
        form: type[serializers.Serializer],
        answer: type[serializers.Serializer],
        add: Callable[[Case, dict[str, Any]], Any],
    ) -> Response:
        def handler() -> Response:
            case = self.case()
            row = add(case, self.validated(form))
            return Response(answer(row).data, status=status.HTTP_201_CREATED)

        return self.idempotent(handler)

    @post_action(
        tag=_TAG,
        summary=gettext_lazy("Thêm đối tượng (cá nhân hoặc tổ chức) vào vụ việc"),
        request=CaseSubjectSerializer,
        response=CaseSubjectSerializer,
        status_code=201,
    )
    @action(detail=True, methods=["post"])
    def subjects(self, request: Request, public_id: str) -> Response:
        return self._add_row(
            CaseSubjectSerializer,
            CaseSubjectSerializer,
            lambda case, data: subject_add(actor=self.actor, case=case, data=_subject_data(data)),
        )

    @_row_endpoint(
        row_id="subject_id",
        request=CaseSubjectSerializer,
        response=CaseSubjectSerializer,
        change=gettext_lazy("Sửa một đối tượng của vụ việc (kèm phiên bản của đối tượng)"),
        remove=gettext_lazy("Xóa một đối tượng khỏi vụ việc"),
    )
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"subjects/(?P<subject_id>[^/]+)",
        url_name="subject",
    )
    def subject(self, request: Request, public_id: str, subject_id: str) -> Response:
        subject: Subject = _row_of(subject_list(actor=self.actor), self.case(), subject_id)
        if request.method == "DELETE":
            version = delete_version(request, required=True)
            subject_delete(actor=self.actor, subject=subject, expected_version=version)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = self.validated(CaseSubjectSerializer, partial=True)
        version = version_required(data)
        changed = _subject_changed(subject, data)
        subject_update(actor=self.actor, subject=subject, data=changed, expected_version=version)
        return Response(CaseSubjectSerializer(subject).data)

    @post_action(
        tag=_TAG,
        summary=gettext_lazy("Thêm tang vật vào vụ việc (số lượng và đơn vị như đã nhập)"),
        request=SeizedItemInputSerializer,
        response=SeizedItemSerializer,
        status_code=201,
    )
    @action(detail=True, methods=["post"], url_path="seized-items", url_name="seized-items")
    def seized_items(self, request: Request, public_id: str) -> Response:
        return self._add_row(
            SeizedItemInputSerializer,
            SeizedItemSerializer,
            lambda case, data: seized_item_add(
                actor=self.actor, case=case, data=_seized_data(data)
            ),
        )

    @_row_endpoint(
        row_id="seized_id",
        request=SeizedItemUpdateSerializer,
        response=SeizedItemSerializer,
        change=gettext_lazy(
            "Sửa một tang vật (các trường gửi lên thay giá trị cũ; đổi mặt hàng mà không gửi "
            "đơn vị thì dùng đơn vị chuẩn của mặt hàng mới)"
        ),
        remove=gettext_lazy("Xóa một tang vật khỏi vụ việc"),
    )
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"seized-items/(?P<seized_id>[^/]+)",
        url_name="seized-item",
    )
    def seized_item(self, request: Request, public_id: str, seized_id: str) -> Response:
        seized: SeizedItem = _row_of(seized_item_list(actor=self.actor), self.case(), seized_id)
        if request.method == "DELETE":
            version = delete_version(request, required=True)
            seized_item_delete(actor=self.actor, seized=seized, expected_version=version)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = self.validated(SeizedItemUpdateSerializer)
        version = version_required(data)
        changed = _seized_changed(seized, data)
        seized_item_update(actor=self.actor, seized=seized, data=changed, expected_version=version)
        return Response(SeizedItemSerializer(seized).data)


# --- wanted persons -----------------------------------------------------------------------------


def _wanted_context(actor: User, rows: Iterable[WantedPerson]) -> dict[str, Any]:
    """The arrest cases the caller may see: the others are not even named."""
    ids = {w.arrest_case_id for w in rows if w.arrest_case_id is not None}
    shown = (
        set(case_list(actor=actor).filter(pk__in=ids).values_list("pk", flat=True))
        if ids
        else set()
    )
    return {"visible_case_ids": shown}


@documented(
    tag=_WANTED_TAG,
    noun=gettext_lazy("đối tượng truy nã"),
    bad_input=_BAD_INPUT,
    summaries={
        "list": gettext_lazy("Danh sách đối tượng truy nã"),
        "retrieve": gettext_lazy("Một đối tượng truy nã"),
        "create": gettext_lazy("Ghi nhận quyết định truy nã"),
    },
)
class WantedViewSet(ScopedRecordViewSet):
    # Recorded and arrested; a notice is not edited nor deleted through the API.
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = WantedPersonSerializer
    input_serializer_class = WantedPersonSerializer
    filterset_class = WantedFilter

    def selector(self, actor: User) -> QuerySet[WantedPerson]:
        return wanted_list(actor=actor)

    def list_context(self, rows: list[WantedPerson]) -> dict[str, Any]:
        return _wanted_context(self.actor, rows)

    def detail_context(self, record: WantedPerson) -> dict[str, Any]:
        return _wanted_context(self.actor, [record])

    def create_record(self, actor: User, data: dict[str, Any]) -> WantedPerson:
        data["classification"] = int(data["classification"])
        try:
            return wanted_create(actor=actor, **data)
        except DomainError as exc:
            # The person is checked as a subject is: its name is the notice's `full_name`.
            if "name" in exc.fields:
                exc.fields["full_name"] = exc.fields.pop("name")
            raise

    @post_action(
        tag=_WANTED_TAG,
        summary=gettext_lazy("Ghi nhận bắt (hoặc đầu thú): đơn vị bắt, vụ việc"),
        request=WantedArrestSerializer,
        response=WantedPersonSerializer,
    )
    @action(detail=True, methods=["post"])
    def arrest(self, request: Request, public_id: str) -> Response:
        def handler() -> Response:
            actor = self.actor
            # Recording the arrest changes the notice: the access rule's `change` decides who.
            wanted = self.record(Action.CHANGE)
            data = self.validated(WantedArrestSerializer)
            unit = unit_by_ref(actor, data["arresting_unit"], field="arresting_unit")
            case = None
            if data["case"] is not None:
                try:
                    case = get_visible(case_list(actor=actor), actor, public_id=data["case"])
                except NotFound as exc:
                    raise invalid(
                        "case", _("Không có vụ việc với mã định danh này."), code="unknown_case"
                    ) from exc
            wanted_arrest(
                actor=actor,
                wanted=wanted,
                arrested_at=data["arrested_at"],
                arresting_unit=unit,
                case=case,
                surrendered=data["surrendered"],
                expected_version=data["version"],
            )
            return self.answer(wanted)

        return self.idempotent(handler)


# --- catalogue ----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Danh mục tang vật đang dùng, với các đơn vị được nhập"),
        responses={200: CatalogueItemSerializer(many=True), **read_errors(_BAD_INPUT)},
    ),
)
class CatalogueViewSet(viewsets.GenericViewSet):
    """Organisation data every signed-in user may read, like units and areas."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = CatalogueItemSerializer
    pagination_class = None
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[CatalogueItem]:
        return catalogue_items()

    def list(self, request: Request) -> Response:
        return Response(CatalogueItemSerializer(self.get_queryset(), many=True).data)
