"""API of the case registry, under /api/v1/cases/.

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
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from phoihop.access.api import ScopedRecordViewSet
from phoihop.access.rules import Action, get_visible
from phoihop.access.shortcuts import record_for
from phoihop.cases.enums import WantedStatus
from phoihop.cases.filters import CaseFilter
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
    SeizedData,
    SubjectData,
    case_close,
    case_create,
    case_delete,
    case_handle,
    case_set_cooperating_units,
    case_start_verification,
    case_transfer,
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
from phoihop.core.api import flat_errors
from phoihop.core.errors import DomainError, NotFound
from phoihop.core.idempotency import idempotent
from phoihop.exchange.models import InformationItem
from phoihop.exchange.selectors import info_item_list
from phoihop.org.models import Unit, User
from phoihop.org.refs import commune_by_code
from phoihop.org.selectors import unit_list
from phoihop.org.serializers import ErrorSerializer

_TAG: Any = gettext_lazy("Vụ việc, vụ án")
_WANTED_TAG: Any = gettext_lazy("Đối tượng truy nã")

_ERRORS: dict[int, OpenApiResponse] = {
    status.HTTP_400_BAD_REQUEST: OpenApiResponse(
        ErrorSerializer,
        gettext_lazy(
            "Dữ liệu không hợp lệ: `fields` nêu trường, dòng lồng nhau theo vị trí "
            "(subjects.0.citizen_id, seized_items.1.unit); `code` nêu lý do, ví dụ "
            "unknown_commune, unit_not_allowed, invalid_quantity, invalid_citizen_id, "
            "future_birth_date, transition_not_allowed. Không có gì được lưu."
        ),
    ),
    status.HTTP_401_UNAUTHORIZED: OpenApiResponse(ErrorSerializer, gettext_lazy("Chưa xác thực.")),
    status.HTTP_403_FORBIDDEN: OpenApiResponse(
        ErrorSerializer,
        gettext_lazy(
            "Quy tắc truy cập không cho phép (permission_denied): được xem nhưng không được sửa "
            "vụ việc, hoặc người dùng không thuộc đơn vị nào."
        ),
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
            "Phiên bản đã cũ (stale_version): người khác đã lưu trước; hoặc yêu cầu cùng "
            "Idempotency-Key đang được xử lý."
        ),
    ),
}
_POST_ERRORS: dict[int, OpenApiResponse] = {
    **_WRITE_ERRORS,
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
_SUBJECT_ID = OpenApiParameter("subject_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
_SEIZED_ID = OpenApiParameter("seized_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
_VERSION = OpenApiParameter(
    "version",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    required=True,
    description=gettext_lazy("Phiên bản của bản ghi khi quyết định xóa."),
)


# --- input --------------------------------------------------------------------------------------


def _actor(request: Request) -> User:
    return request.user  # type: ignore[return-value]


def _unknown(field: str, code: str, message: str) -> DomainError:
    return DomainError(message, code=code, fields={field: [message]})


def _validated(
    serializer_class: type[serializers.Serializer], data: Any, **kwargs: Any
) -> dict[str, Any]:
    form = serializer_class(data=data, **kwargs)
    if not form.is_valid():
        fields = flat_errors(form.errors)
        first = next((f"{name}: {msgs[0]}" for name, msgs in fields.items() if msgs), "")
        raise DomainError(
            _("Dữ liệu không hợp lệ. %(detail)s") % {"detail": first}, code="invalid", fields=fields
        )
    return dict(form.validated_data)


def _version_param(request: Request) -> int:
    """The version a DELETE was decided on: `?version=` (or `version` in the body)."""
    raw = request.query_params.get("version")
    if raw is None and isinstance(request.data, Mapping):
        raw = request.data.get("version")
    try:
        version = int(str(raw))
    except ValueError:
        version = 0
    if version < 1:
        message = _("Phải gửi phiên bản (version) của bản ghi khi xóa.")
        raise DomainError(message, code="required", fields={"version": [message]})
    return version


def _units(actor: User, refs: Iterable[str], *, field: str) -> list[Unit]:
    """Units named by code or public id, as the exchange names recipients; unknown ones → 400."""
    wanted = list(dict.fromkeys(r.strip() for r in refs if r and r.strip()))
    if not wanted:
        return []
    ids: dict[str, uuid.UUID] = {}
    for ref in wanted:
        try:
            ids[ref] = uuid.UUID(ref)
        except ValueError:
            continue
    codes = [ref for ref in wanted if ref not in ids]
    found = list(unit_list(actor=actor).filter(Q(public_id__in=ids.values()) | Q(code__in=codes)))
    by_id = {u.public_id: u for u in found}
    by_code = {u.code: u for u in found}
    units: dict[int, Unit] = {}
    missing: list[str] = []
    for ref in wanted:
        unit = by_id.get(ids[ref]) if ref in ids else by_code.get(ref)
        if unit is None:
            missing.append(ref)
        else:
            units.setdefault(unit.pk, unit)
    if missing:
        raise _unknown(
            field,
            "unknown_unit",
            _("Không có đơn vị mã %(refs)s.") % {"refs": ", ".join(missing)},
        )
    return list(units.values())


def _unit(actor: User, ref: str, *, field: str) -> Unit | None:
    units = _units(actor, [ref], field=field)
    return units[0] if units else None


def _info_items(actor: User, ids: list[uuid.UUID]) -> list[InformationItem]:
    if not ids:
        return []
    found = {i.public_id: i for i in info_item_list(actor=actor).filter(public_id__in=ids)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise _unknown(
            "info_items",
            "unknown_item",
            _("Không có thông tin với mã định danh %(ids)s.") % {"ids": ", ".join(missing)},
        )
    return [found[i] for i in ids]


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


# --- reads built on the selectors ---------------------------------------------------------------

_PARTICIPANTS = Prefetch(
    "participants",
    # Lead first ("lead" sorts after "cooperating"), then in the order they were added.
    queryset=CaseUnit.objects.select_related("unit", "force").order_by("-role", "id"),
)


def _detail_queryset(actor: User) -> QuerySet[Case]:
    return (
        case_list(actor=actor)
        .defer(None)
        .select_related("detecting_unit", "created_by")
        .prefetch_related(
            _PARTICIPANTS,
            Prefetch("subjects", queryset=Subject.objects.order_by("created_at", "id")),
            Prefetch(
                "seized_items",
                queryset=SeizedItem.objects.select_related("item").order_by("item__order", "id"),
            ),
            Prefetch("transitions", queryset=CaseTransition.objects.select_related("by")),
        )
    )


def _detail_data(actor: User, case: Case) -> dict[str, Any]:
    # Linked information items the caller cannot see are left out, not even their number.
    items = list(info_item_list(actor=actor).filter(pk__in=case.info_items.values("pk")))
    return CaseDetailSerializer(case, context={"info_items": items}).data


def _detail_response(actor: User, case: Case, *, http_status: int = status.HTTP_200_OK) -> Response:
    fresh = get_visible(_detail_queryset(actor), actor, pk=case.pk)
    return Response(_detail_data(actor, fresh), status=http_status)


# --- cases --------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Danh sách vụ việc (lọc theo loại, địa bàn, lực lượng, kỳ)"),
        responses={200: CaseSerializer(many=True), **_ERRORS},
    ),
    retrieve=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy(
            "Một vụ việc: đơn vị tham gia, đối tượng, tang vật, nhật ký chuyển trạng thái"
        ),
        parameters=[_PUBLIC_ID],
        responses={200: CaseDetailSerializer, **_ERRORS},
    ),
    create=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Ghi nhận vụ việc cùng đối tượng và tang vật (tất cả hoặc không)"),
        parameters=[_IDEMPOTENCY_KEY],
        request=CaseCreateSerializer,
        responses={201: CaseDetailSerializer, **_POST_ERRORS},
    ),
    partial_update=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Sửa vụ việc (kèm phiên bản đang sửa)"),
        parameters=[_PUBLIC_ID],
        request=CaseUpdateSerializer,
        responses={200: CaseDetailSerializer, **_WRITE_ERRORS},
    ),
    destroy=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Xóa vụ việc (xóa mềm, vẫn giữ lịch sử)"),
        parameters=[_PUBLIC_ID, _VERSION],
        responses={204: None, **_WRITE_ERRORS},
    ),
)
class CaseViewSet(ScopedRecordViewSet):
    scoped_model = Case
    # Any id reaches the view, so that a malformed one gets the API's 404, not the site's.
    lookup_value_regex = "[^/]+"
    serializer_class = CaseSerializer
    filterset_class = CaseFilter

    def get_queryset(self) -> QuerySet[Case]:
        return case_list(actor=_actor(self.request)).prefetch_related(_PARTICIPANTS)

    def _case(self, action: Action = Action.CHANGE) -> Case:
        actor = _actor(self.request)
        public_id = self.kwargs[self.lookup_field]
        return record_for(case_list(actor=actor), actor, public_id=public_id, action=action)

    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        data = CaseSerializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, public_id: str) -> Response:
        actor = _actor(request)
        case = record_for(_detail_queryset(actor), actor, public_id=public_id)
        return Response(_detail_data(actor, case))

    def create(self, request: Request) -> Response:
        return idempotent(request, lambda: self._create(request))

    def _create(self, request: Request) -> Response:
        actor = _actor(request)
        data = _validated(CaseCreateSerializer, request.data)
        commune = commune_by_code(data["commune"])
        lead_unit = _unit(actor, data["lead_unit"], field="lead_unit")
        detecting_unit = _unit(actor, data["detecting_unit"], field="detecting_unit")
        partners = _units(actor, data["cooperating_units"], field="cooperating_units")
        info_items = _info_items(actor, data["info_items"])
        case = case_create(
            actor=actor,
            title=data["title"],
            summary=data["summary"],
            category=data["category"],
            domain=data["domain"],
            commune=commune,
            latitude=data["latitude"],
            longitude=data["longitude"],
            occurred_at=data["occurred_at"],
            detected_at=data["detected_at"],
            lead_unit=lead_unit,
            detecting_unit=detecting_unit,
            cooperating_units=partners,
            classification=int(data["classification"]),
            is_joint=data["is_joint"],
            info_items=info_items,
            subjects=[_subject_data(s) for s in data["subjects"]],
            seized=[_seized_data(s) for s in data["seized_items"]],
        )
        return _detail_response(actor, case, http_status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, public_id: str) -> Response:
        actor = _actor(request)
        case = self._case()
        data = _validated(CaseUpdateSerializer, request.data)
        version = data.pop("version")
        if "commune" in data:
            data["commune"] = commune_by_code(data["commune"])
        if "detecting_unit" in data:
            data["detecting_unit"] = _unit(actor, data["detecting_unit"], field="detecting_unit")
        if "classification" in data:
            data["classification"] = int(data["classification"])
        case_update(actor=actor, case=case, expected_version=version, changes=data)
        return _detail_response(actor, case)

    def destroy(self, request: Request, public_id: str) -> Response:
        case = self._case(Action.DELETE)
        case_delete(actor=_actor(request), case=case, expected_version=_version_param(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    # --- figures ----------------------------------------------------------------------------

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy(
            "Số liệu theo quy tắc đếm của đúng danh sách đã lọc: số vụ, đối tượng, tổ chức, "
            "theo loại, địa bàn, lực lượng, kết quả; tiền phạt; tổng tang vật theo đơn vị chuẩn"
        ),
        filters=True,
        responses={200: CaseTotalsSerializer, **_ERRORS},
    )
    @action(detail=False, methods=["get"])
    def totals(self, request: Request) -> Response:
        cases = self.filter_queryset(case_list(actor=_actor(request)))
        return Response(CaseTotalsSerializer(case_figures(cases)).data)

    # --- workflow ---------------------------------------------------------------------------

    def _step(
        self,
        request: Request,
        form: type[serializers.Serializer],
        change: Callable[[User, Case, dict[str, Any]], object],
    ) -> Response:
        def handler() -> Response:
            actor = _actor(request)
            case = self._case()
            change(actor, case, _validated(form, request.data))
            return _detail_response(actor, case)

        return idempotent(request, handler)

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Chuyển sang đang xác minh"),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request=CaseStepSerializer,
        responses={200: CaseDetailSerializer, **_POST_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, public_id: str) -> Response:
        return self._step(
            request,
            CaseStepSerializer,
            lambda actor, case, data: case_start_verification(
                actor=actor,
                case=case,
                expected_version=data["version"],
                note=data["note"],
                at=data["at"],
            ),
        )

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy(
            "Xử lý xong: khởi tố, xử phạt hành chính (kèm tiền phạt) hoặc không vi phạm"
        ),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request=CaseHandleSerializer,
        responses={200: CaseDetailSerializer, **_POST_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def handle(self, request: Request, public_id: str) -> Response:
        return self._step(
            request,
            CaseHandleSerializer,
            lambda actor, case, data: case_handle(
                actor=actor,
                case=case,
                outcome=data["outcome"],
                fine_amount=data["fine_amount"],
                expected_version=data["version"],
                note=data["note"],
                at=data["at"],
            ),
        )

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Chuyển cơ quan có thẩm quyền"),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request=CaseTransferSerializer,
        responses={200: CaseDetailSerializer, **_POST_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, public_id: str) -> Response:
        return self._step(
            request,
            CaseTransferSerializer,
            lambda actor, case, data: case_transfer(
                actor=actor,
                case=case,
                transferred_to=data["transferred_to"],
                expected_version=data["version"],
                note=data["note"],
                at=data["at"],
            ),
        )

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Kết thúc vụ việc"),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request=CaseStepSerializer,
        responses={200: CaseDetailSerializer, **_POST_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, public_id: str) -> Response:
        return self._step(
            request,
            CaseStepSerializer,
            lambda actor, case, data: case_close(
                actor=actor,
                case=case,
                expected_version=data["version"],
                note=data["note"],
                at=data["at"],
            ),
        )

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy(
            "Thay danh sách đơn vị phối hợp (các đơn vị bị bỏ không còn nhận vụ việc)"
        ),
        parameters=[_PUBLIC_ID],
        request=CaseCooperatingUnitsSerializer,
        responses={200: CaseDetailSerializer, **_WRITE_ERRORS},
    )
    @action(detail=True, methods=["put"], url_path="cooperating-units")
    def cooperating_units(self, request: Request, public_id: str) -> Response:
        actor = _actor(request)
        case = self._case()
        data = _validated(CaseCooperatingUnitsSerializer, request.data)
        units = _units(actor, data["cooperating_units"], field="cooperating_units")
        case_set_cooperating_units(
            actor=actor, case=case, units=units, expected_version=data["version"]
        )
        return _detail_response(actor, case)

    # --- subjects ---------------------------------------------------------------------------

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Thêm đối tượng (cá nhân hoặc tổ chức) vào vụ việc"),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request=CaseSubjectSerializer,
        responses={201: CaseSubjectSerializer, **_POST_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def subjects(self, request: Request, public_id: str) -> Response:
        def handler() -> Response:
            actor = _actor(request)
            case = self._case()
            data = _validated(CaseSubjectSerializer, request.data)
            subject = subject_add(actor=actor, case=case, data=_subject_data(data))
            return Response(CaseSubjectSerializer(subject).data, status=status.HTTP_201_CREATED)

        return idempotent(request, handler)

    def _subject(self, case: Case, subject_id: str) -> Subject:
        actor = _actor(self.request)
        try:
            subject: Subject = subject_list(actor=actor).get(case=case, public_id=subject_id)
        except (Subject.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
            raise NotFound() from exc
        subject.case = case
        return subject

    @extend_schema(
        methods=["PATCH"],
        tags=[_TAG],
        summary=gettext_lazy("Sửa một đối tượng của vụ việc (kèm phiên bản của đối tượng)"),
        parameters=[_PUBLIC_ID, _SUBJECT_ID],
        request=CaseSubjectSerializer,
        responses={200: CaseSubjectSerializer, **_WRITE_ERRORS},
    )
    @extend_schema(
        methods=["DELETE"],
        tags=[_TAG],
        summary=gettext_lazy("Xóa một đối tượng khỏi vụ việc"),
        parameters=[_PUBLIC_ID, _SUBJECT_ID, _VERSION],
        request=None,
        responses={204: None, **_WRITE_ERRORS},
    )
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"subjects/(?P<subject_id>[^/]+)",
        url_name="subject",
    )
    def subject(self, request: Request, public_id: str, subject_id: str) -> Response:
        actor = _actor(request)
        case = self._case()
        subject = self._subject(case, subject_id)
        if request.method == "DELETE":
            subject_delete(actor=actor, subject=subject, expected_version=_version_param(request))
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = _validated(CaseSubjectSerializer, request.data, partial=True)
        version = data.pop("version", None)
        if version is None:
            message = _("Phải gửi phiên bản (version) của đối tượng đang sửa.")
            raise DomainError(message, code="required", fields={"version": [message]})
        values = {name: getattr(subject, name) for name in _SUBJECT_FIELDS}
        if "birth_date" in data and "birth_year" not in data:
            # The year follows a new birth date (the service derives it).
            values["birth_year"] = None
        values.update(data)
        subject_update(
            actor=actor, subject=subject, data=_subject_data(values), expected_version=version
        )
        return Response(CaseSubjectSerializer(subject).data)

    # --- seized items -----------------------------------------------------------------------

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Thêm tang vật vào vụ việc (số lượng và đơn vị như đã nhập)"),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request=SeizedItemInputSerializer,
        responses={201: SeizedItemSerializer, **_POST_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="seized-items", url_name="seized-items")
    def seized_items(self, request: Request, public_id: str) -> Response:
        def handler() -> Response:
            actor = _actor(request)
            case = self._case()
            data = _validated(SeizedItemInputSerializer, request.data)
            seized = seized_item_add(actor=actor, case=case, data=_seized_data(data))
            return Response(SeizedItemSerializer(seized).data, status=status.HTTP_201_CREATED)

        return idempotent(request, handler)

    def _seized(self, case: Case, seized_id: str) -> SeizedItem:
        actor = _actor(self.request)
        try:
            seized: SeizedItem = seized_item_list(actor=actor).get(case=case, public_id=seized_id)
        except (SeizedItem.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
            raise NotFound() from exc
        seized.case = case
        return seized

    @extend_schema(
        methods=["PATCH"],
        tags=[_TAG],
        summary=gettext_lazy(
            "Sửa một tang vật (các trường gửi lên thay giá trị cũ; đổi mặt hàng mà không gửi "
            "đơn vị thì dùng đơn vị chuẩn của mặt hàng mới)"
        ),
        parameters=[_PUBLIC_ID, _SEIZED_ID],
        request=SeizedItemUpdateSerializer,
        responses={200: SeizedItemSerializer, **_WRITE_ERRORS},
    )
    @extend_schema(
        methods=["DELETE"],
        tags=[_TAG],
        summary=gettext_lazy("Xóa một tang vật khỏi vụ việc"),
        parameters=[_PUBLIC_ID, _SEIZED_ID, _VERSION],
        request=None,
        responses={204: None, **_WRITE_ERRORS},
    )
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"seized-items/(?P<seized_id>[^/]+)",
        url_name="seized-item",
    )
    def seized_item(self, request: Request, public_id: str, seized_id: str) -> Response:
        actor = _actor(request)
        case = self._case()
        seized = self._seized(case, seized_id)
        if request.method == "DELETE":
            seized_item_delete(actor=actor, seized=seized, expected_version=_version_param(request))
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = _validated(SeizedItemUpdateSerializer, request.data)
        values: dict[str, Any] = {
            "item": seized.item,
            "quantity": seized.entered_quantity,
            "unit": seized.entered_unit,
            "note": seized.note,
        }
        if "item" in data and "unit" not in data:
            values["unit"] = ""
        values.update({k: v for k, v in data.items() if k != "version"})
        seized_item_update(
            actor=actor, seized=seized, data=_seized_data(values), expected_version=data["version"]
        )
        return Response(SeizedItemSerializer(seized).data)


# --- wanted persons -----------------------------------------------------------------------------


class WantedFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=WantedStatus.choices, label=gettext_lazy("Trạng thái"))

    class Meta:
        model = WantedPerson
        fields = ["status"]


def _wanted_context(actor: User, rows: Iterable[WantedPerson]) -> dict[str, Any]:
    """The arrest cases the caller may see: the others are not even named."""
    ids = {w.arrest_case_id for w in rows if w.arrest_case_id is not None}
    shown = (
        set(case_list(actor=actor).filter(pk__in=ids).values_list("pk", flat=True))
        if ids
        else set()
    )
    return {"visible_case_ids": shown}


def _wanted_response(
    actor: User, wanted: WantedPerson, *, http_status: int = status.HTTP_200_OK
) -> Response:
    fresh = get_visible(wanted_list(actor=actor), actor, pk=wanted.pk)
    data = WantedPersonSerializer(fresh, context=_wanted_context(actor, [fresh])).data
    return Response(data, status=http_status)


@extend_schema_view(
    list=extend_schema(
        tags=[_WANTED_TAG],
        summary=gettext_lazy("Danh sách đối tượng truy nã"),
        responses={200: WantedPersonSerializer(many=True), **_ERRORS},
    ),
    retrieve=extend_schema(
        tags=[_WANTED_TAG],
        summary=gettext_lazy("Một đối tượng truy nã"),
        parameters=[_PUBLIC_ID],
        responses={200: WantedPersonSerializer, **_ERRORS},
    ),
    create=extend_schema(
        tags=[_WANTED_TAG],
        summary=gettext_lazy("Ghi nhận quyết định truy nã"),
        parameters=[_IDEMPOTENCY_KEY],
        request=WantedPersonSerializer,
        responses={201: WantedPersonSerializer, **_POST_ERRORS},
    ),
)
class WantedViewSet(ScopedRecordViewSet):
    scoped_model = WantedPerson
    lookup_value_regex = "[^/]+"
    serializer_class = WantedPersonSerializer
    filterset_class = WantedFilter

    def get_queryset(self) -> QuerySet[WantedPerson]:
        return wanted_list(actor=_actor(self.request))

    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        context = _wanted_context(_actor(request), rows)
        data = WantedPersonSerializer(rows, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, public_id: str) -> Response:
        wanted = self.get_object()
        return _wanted_response(_actor(request), wanted)

    def create(self, request: Request) -> Response:
        def handler() -> Response:
            actor = _actor(request)
            data = _validated(WantedPersonSerializer, request.data)
            data["classification"] = int(data["classification"])
            try:
                wanted = wanted_create(actor=actor, **data)
            except DomainError as exc:
                # The person is checked as a subject is: its name is the notice's `full_name`.
                if "name" in exc.fields:
                    exc.fields["full_name"] = exc.fields.pop("name")
                raise
            return _wanted_response(actor, wanted, http_status=status.HTTP_201_CREATED)

        return idempotent(request, handler)

    @extend_schema(
        tags=[_WANTED_TAG],
        summary=gettext_lazy("Ghi nhận bắt (hoặc đầu thú): đơn vị bắt, vụ việc"),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request=WantedArrestSerializer,
        responses={200: WantedPersonSerializer, **_POST_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def arrest(self, request: Request, public_id: str) -> Response:
        def handler() -> Response:
            actor = _actor(request)
            # Recording the arrest changes the notice: the access rule's `change` decides who.
            wanted = self.get_object()
            data = _validated(WantedArrestSerializer, request.data)
            unit = _unit(actor, data["arresting_unit"], field="arresting_unit")
            case = None
            if data["case"] is not None:
                try:
                    case = get_visible(case_list(actor=actor), actor, public_id=data["case"])
                except NotFound as exc:
                    raise _unknown(
                        "case", "unknown_case", _("Không có vụ việc với mã định danh này.")
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
            return _wanted_response(actor, wanted)

        return idempotent(request, handler)


# --- catalogue ----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Danh mục tang vật đang dùng, với các đơn vị được nhập"),
        responses={200: CatalogueItemSerializer(many=True), **_ERRORS},
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
