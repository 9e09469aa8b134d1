"""API of the indicators module, under /api/v1/indicators/.

- `periods/` lists the periods of a year (`?year=2024&kind=quarter`), `periods/<key>/` parses a
  key (`2024-Q3`) into its window under the configured rule, label and neighbours;
- `indicators/` and `forms/` are the catalogue (by code);
- `submissions/` are the periodic reports the caller may see (the access rule): open one
  (POST with form and period), read it with its values, set values (`values/`), see what the
  rules say (`check/`), and move it through the workflow (`submit/`, `resubmit/`, `approve/`,
  `return/`, `reopen/`);
- `completeness/?period=2024-Q3` gives expected, received, on time, late and missing.

Errors in one shape `{message, code, fields}`: an unknown period key (`fields.period`), form code
(`fields.form`) or indicator code (`fields["values.<code>"]`), a value for an indicator not on
the form, a negative or fractional count, a locked submission (`locked`), approving one's own
(`own_submission`) or from a unit that is not the next level up (`not_next_level`) are 400 and
save nothing; a submission the caller may not see is 404. Every POST honours `Idempotency-Key`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phoihop.access.api import ScopedRecordPermission, ScopedRecordViewSet, workflow_step
from phoihop.access.schema import PUBLIC_ID, documented, post_action, read_errors
from phoihop.core.errors import DomainError, NotFound
from phoihop.indicators import selectors, services
from phoihop.indicators.enums import SubmissionStatus
from phoihop.indicators.models import Indicator, ReportForm, Submission
from phoihop.indicators.periods import PeriodKind
from phoihop.indicators.reminders import periods_of
from phoihop.indicators.serializers import (
    CheckSerializer,
    CompletenessSerializer,
    IndicatorSerializer,
    PeriodSerializer,
    ReasonSerializer,
    ReportFormSerializer,
    SubmissionCreateSerializer,
    SubmissionDetailSerializer,
    SubmissionSerializer,
    ValuesSerializer,
)
from phoihop.org.models import Force, User
from phoihop.org.refs import unit_by_ref
from phoihop.org.selectors import area_list

_TAG: Any = gettext_lazy("Chỉ tiêu, báo cáo định kỳ")
_BAD_INPUT = gettext_lazy(
    "Dữ liệu không hợp lệ: `fields` nêu trường hoặc chỉ tiêu (values.<mã>), `code` nêu "
    "lý do (invalid_period, unknown_form, unknown_indicator, not_in_form, "
    "negative_value, not_whole, locked, own_submission, not_next_level, "
    "validation_failed, explanation_required…). Không có gì được lưu."
)
_ERRORS = read_errors(_BAD_INPUT)


# --- periods ------------------------------------------------------------------------------------


class PeriodViewSet(viewsets.ViewSet):
    permission_classes = [permissions.IsAuthenticated]
    lookup_field = "key"
    lookup_value_regex = "[^/]+"

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Các kỳ báo cáo của một năm"),
        parameters=[
            OpenApiParameter(
                "year", OpenApiTypes.INT, description=gettext_lazy("Mặc định: năm nay")
            ),
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                enum=[k.value for k in PeriodKind],
                description=gettext_lazy("Loại kỳ; mặc định: mọi loại"),
            ),
        ],
        responses={200: PeriodSerializer(many=True), **_ERRORS},
    )
    def list(self, request: Request) -> Response:
        raw_year = request.query_params.get("year") or str(timezone.localdate().year)
        if not raw_year.isdigit() or not 1900 <= int(raw_year) <= 2999:
            message = _("Năm “%(year)s” không hợp lệ.") % {"year": raw_year}
            raise DomainError(message, code="invalid", fields={"year": [message]})
        raw_kind = request.query_params.get("kind")
        if raw_kind and raw_kind not in {k.value for k in PeriodKind}:
            message = _("Loại kỳ “%(kind)s” không có.") % {"kind": raw_kind}
            raise DomainError(message, code="invalid", fields={"kind": [message]})
        kinds = [PeriodKind(raw_kind)] if raw_kind else list(PeriodKind)
        year = int(raw_year)
        periods = [p for kind in kinds for p in periods_of(kind, range(year, year + 1))]
        return Response([PeriodSerializer.of(p) for p in periods])

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Đọc một khóa kỳ (2024-Q3): khoảng số liệu, tên kỳ, kỳ liền trước"),
        parameters=[OpenApiParameter("key", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses={200: PeriodSerializer, **_ERRORS},
    )
    def retrieve(self, request: Request, key: str) -> Response:
        return Response(PeriodSerializer.of(services.parse_period(key)))


# --- catalogue ----------------------------------------------------------------------------------


class _CatalogueViewSet(viewsets.ReadOnlyModelViewSet):
    """Catalogue rows every signed-in user may read, addressed by their code."""

    permission_classes = [permissions.IsAuthenticated]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_object(self) -> Any:
        found = self.get_queryset().filter(code=self.kwargs["code"]).first()
        if found is None:
            raise NotFound()
        return found


def _catalogue_schema(list_summary: Any, one_summary: Any, serializer: Any) -> Any:
    return extend_schema_view(
        list=extend_schema(tags=[_TAG], summary=list_summary),
        retrieve=extend_schema(
            tags=[_TAG],
            summary=one_summary,
            parameters=[OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH)],
            responses={200: serializer, **_ERRORS},
        ),
    )


@_catalogue_schema(
    gettext_lazy("Danh mục chỉ tiêu"), gettext_lazy("Một chỉ tiêu"), IndicatorSerializer
)
class IndicatorViewSet(_CatalogueViewSet):
    serializer_class = IndicatorSerializer

    def get_queryset(self) -> QuerySet[Indicator]:
        return selectors.indicator_list(actor=self.request.user)


@_catalogue_schema(
    gettext_lazy("Biểu mẫu báo cáo"),
    gettext_lazy("Một biểu mẫu với các chỉ tiêu của nó"),
    ReportFormSerializer,
)
class ReportFormViewSet(_CatalogueViewSet):
    serializer_class = ReportFormSerializer

    def get_queryset(self) -> QuerySet[ReportForm]:
        return selectors.form_list(actor=self.request.user)


# --- submissions --------------------------------------------------------------------------------


class SubmissionFilter(filters.FilterSet):
    period = filters.CharFilter(
        method="filter_period", label=gettext_lazy("Khóa kỳ, ví dụ 2024-Q3")
    )
    form = filters.CharFilter(field_name="form__code", label=gettext_lazy("Mã biểu mẫu"))
    status = filters.ChoiceFilter(
        choices=SubmissionStatus.choices, label=gettext_lazy("Trạng thái")
    )
    unit = filters.CharFilter(
        method="filter_unit",
        label=gettext_lazy("Đơn vị báo cáo: mã đơn vị hoặc mã định danh (public_id)"),
    )
    queue = filters.BooleanFilter(
        method="filter_queue", label=gettext_lazy("Chỉ các báo cáo đơn vị mình phải duyệt")
    )

    class Meta:
        model = Submission
        fields = ["period", "form", "status", "unit", "queue"]

    def filter_period(
        self, queryset: QuerySet[Submission], name: str, value: str
    ) -> QuerySet[Submission]:
        return queryset.filter(period_key=services.parse_period(value).key)

    def filter_unit(
        self, queryset: QuerySet[Submission], name: str, value: str
    ) -> QuerySet[Submission]:
        unit = unit_by_ref(self.request.user, value, field="unit")
        return queryset.filter(owner_unit=unit) if unit is not None else queryset

    def filter_queue(
        self, queryset: QuerySet[Submission], name: str, value: bool
    ) -> QuerySet[Submission]:
        if not value:
            return queryset
        return queryset.filter(
            pk__in=selectors.approval_queue(actor=self.request.user).values("pk")
        )


def _move(
    name: str,
    summary: Any,
    change: Callable[[User, Submission, dict[str, Any]], object],
    *,
    with_reason: bool = False,
    url_path: str | None = None,
) -> Any:
    """A workflow step of a submission: one service, the submission's detail as the answer."""
    return workflow_step(
        name,
        change,
        tag=_TAG,
        summary=summary,
        response=SubmissionDetailSerializer,
        body=ReasonSerializer if with_reason else None,
        url_path=url_path,
        bad_input=_BAD_INPUT,
    )


@documented(
    tag=_TAG,
    noun=gettext_lazy("báo cáo định kỳ"),
    bad_input=_BAD_INPUT,
    summaries={
        "list": gettext_lazy("Báo cáo định kỳ được xem"),
        "retrieve": gettext_lazy("Một báo cáo với số liệu, cảnh báo và nhật ký"),
        "create": gettext_lazy("Lập báo cáo (bản nháp) của đơn vị mình cho một biểu mẫu và kỳ"),
    },
)
class SubmissionViewSet(ScopedRecordViewSet):
    serializer_class = SubmissionSerializer
    detail_serializer_class = SubmissionDetailSerializer
    input_serializer_class = SubmissionCreateSerializer
    filterset_class = SubmissionFilter
    http_method_names = ["get", "post", "head", "options"]

    def selector(self, actor: User) -> QuerySet[Submission]:
        return selectors.submission_list(actor=actor).order_by(
            "-period_end", "owner_unit__path", "form__code"
        )

    def detail_context(self, record: Submission) -> dict[str, Any]:
        return {"sheet": selectors.submission_sheet(actor=self.actor, submission=record)}

    def create_record(self, actor: User, data: dict[str, Any]) -> Submission:
        period = services.parse_period(data["period"])
        report_form = services.form_by_code(data["form"])
        return services.submission_create(actor=actor, form=report_form, period=period)

    @post_action(
        tag=_TAG,
        summary=gettext_lazy("Nhập số liệu và giải trình (tất cả hoặc không gì cả)"),
        request=ValuesSerializer,
        response=SubmissionDetailSerializer,
        bad_input=_BAD_INPUT,
    )
    @action(detail=True, methods=["post"])
    def values(self, request: Request, public_id: str) -> Response:
        def handler() -> Response:
            submission = self.record()
            data = self.validated(ValuesSerializer)
            services.submission_values_set(
                actor=self.actor,
                submission=submission,
                values=data["values"],
                explanations=data["explanations"],
                expected_version=data.get("version"),
            )
            return self.answer(submission)

        return self.idempotent(handler)

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Kiểm tra số liệu: lỗi chặn gửi và biến động cần giải trình"),
        parameters=[PUBLIC_ID],
        responses={200: CheckSerializer, **_ERRORS},
    )
    @action(detail=True, methods=["get"])
    def check(self, request: Request, public_id: str) -> Response:
        sheet = selectors.submission_sheet(actor=self.actor, submission=self.record())
        result = sheet.check
        return Response(
            {
                "errors": result.errors,
                "warnings": {code: w.message for code, w in result.warnings.items()},
                "unexplained": [w.indicator.code for w in result.unexplained],
                "ok": result.ok,
            }
        )

    submit = _move(
        "submit",
        gettext_lazy("Gửi báo cáo lên cấp trên (chốt số liệu tính từ dữ liệu)"),
        lambda a, s, d: services.submission_submit(actor=a, submission=s),
    )
    resubmit = _move(
        "resubmit",
        gettext_lazy("Gửi lại báo cáo bị trả lại"),
        lambda a, s, d: services.submission_resubmit(actor=a, submission=s),
    )
    approve = _move(
        "approve",
        gettext_lazy("Duyệt (chỉ huy cấp trên trực tiếp); báo cáo bị khóa"),
        lambda a, s, d: services.submission_approve(actor=a, submission=s),
    )
    return_ = _move(
        "return_",
        gettext_lazy("Trả lại cho đơn vị (bắt buộc ghi lý do)"),
        lambda a, s, d: services.submission_return(actor=a, submission=s, reason=d["reason"]),
        with_reason=True,
        url_path="return",
    )
    reopen = _move(
        "reopen",
        gettext_lazy("Mở lại báo cáo đã duyệt (bắt buộc ghi lý do; ghi nhật ký)"),
        lambda a, s, d: services.submission_reopen(actor=a, submission=s, reason=d["reason"]),
        with_reason=True,
    )


# --- completeness -------------------------------------------------------------------------------


class CompletenessView(APIView):
    permission_classes = [ScopedRecordPermission]

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy(
            "Tình hình gửi báo cáo của một kỳ: phải gửi, đã nhận, đúng hạn, muộn, chưa gửi"
        ),
        parameters=[
            OpenApiParameter("period", OpenApiTypes.STR, required=True),
            OpenApiParameter("form", OpenApiTypes.STR, description=gettext_lazy("Mã biểu mẫu")),
            OpenApiParameter("force", OpenApiTypes.STR, description=gettext_lazy("CA, QS, BP")),
            OpenApiParameter("area", OpenApiTypes.STR, description=gettext_lazy("Mã địa bàn")),
            OpenApiParameter(
                "as_of",
                OpenApiTypes.DATETIME,
                description=gettext_lazy("Tình hình tại thời điểm này (mặc định: bây giờ)"),
            ),
        ],
        responses={200: CompletenessSerializer, **_ERRORS},
    )
    def get(self, request: Request) -> Response:
        actor: User = request.user  # type: ignore[assignment]
        params = request.query_params
        period = services.parse_period(params.get("period", ""))
        form = services.form_by_code(params["form"]) if params.get("form") else None
        force = None
        if params.get("force"):
            force = Force.objects.filter(code=params["force"].upper()).first()
            if force is None:
                message = _("Không có lực lượng mã %(code)s.") % {"code": params["force"]}
                raise DomainError(message, code="unknown_force", fields={"force": [message]})
        area = None
        if params.get("area"):
            area = (
                area_list(actor=actor).filter(code=params["area"]).order_by("-valid_from").first()
            )
            if area is None:
                message = _("Không có địa bàn mã %(code)s.") % {"code": params["area"]}
                raise DomainError(message, code="unknown_area", fields={"area": [message]})
        as_of = _as_of(params.get("as_of"))
        within = unit_by_ref(actor, params.get("unit"), field="unit")
        report = selectors.completeness(
            actor=actor,
            period=period,
            form=form,
            force=force,
            within=within,
            area=area,
            as_of=as_of,
        )
        return Response(CompletenessSerializer(CompletenessSerializer.of(report)).data)


def _as_of(raw: str | None) -> dt.datetime | None:
    if not raw:
        return None
    from django.utils.dateparse import parse_datetime

    try:
        parsed = parse_datetime(raw)
    except ValueError:
        parsed = None
    if parsed is None:
        message = _("Thời điểm “%(value)s” không hợp lệ.") % {"value": raw}
        raise DomainError(message, code="invalid", fields={"as_of": [message]})
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
