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
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phoihop.access.api import ScopedRecordPermission
from phoihop.access.shortcuts import record_for
from phoihop.core.errors import DomainError, NotFound
from phoihop.core.idempotency import idempotent
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
from phoihop.org.selectors import area_list, unit_list
from phoihop.org.serializers import ErrorSerializer

_TAG: Any = gettext_lazy("Chỉ tiêu, báo cáo định kỳ")
_ERRORS: dict[int, OpenApiResponse] = {
    status.HTTP_400_BAD_REQUEST: OpenApiResponse(
        ErrorSerializer,
        gettext_lazy(
            "Dữ liệu không hợp lệ: `fields` nêu trường hoặc chỉ tiêu (values.<mã>), `code` nêu "
            "lý do (invalid_period, unknown_form, unknown_indicator, not_in_form, "
            "negative_value, not_whole, locked, own_submission, not_next_level, "
            "validation_failed, explanation_required…). Không có gì được lưu."
        ),
    ),
    status.HTTP_401_UNAUTHORIZED: OpenApiResponse(ErrorSerializer, gettext_lazy("Chưa xác thực.")),
    status.HTTP_403_FORBIDDEN: OpenApiResponse(
        ErrorSerializer,
        gettext_lazy("Không có quyền: chỉ cán bộ, chỉ huy của đơn vị báo cáo nhập và gửi."),
    ),
    status.HTTP_404_NOT_FOUND: OpenApiResponse(
        ErrorSerializer, gettext_lazy("Không có, hoặc không được xem (not_found).")
    ),
}
_POST_ERRORS: dict[int, OpenApiResponse] = {
    **_ERRORS,
    status.HTTP_409_CONFLICT: OpenApiResponse(
        ErrorSerializer,
        gettext_lazy("Phiên bản đã cũ (stale_version), hoặc Idempotency-Key đang được xử lý."),
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
        "Khóa do máy khách tạo: gửi lại cùng khóa và cùng nội dung thì nhận lại câu trả lời "
        "lần đầu, không thực hiện lại."
    ),
)
_PUBLIC_ID = OpenApiParameter("public_id", OpenApiTypes.UUID, OpenApiParameter.PATH)


def _actor(request: Request) -> User:
    return request.user  # type: ignore[return-value]


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


@extend_schema_view(
    list=extend_schema(tags=[_TAG], summary=gettext_lazy("Danh mục chỉ tiêu")),
    retrieve=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Một chỉ tiêu"),
        parameters=[OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses={200: IndicatorSerializer, **_ERRORS},
    ),
)
class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = IndicatorSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[Indicator]:
        return selectors.indicator_list(actor=self.request.user)

    def get_object(self) -> Indicator:
        indicator = self.get_queryset().filter(code=self.kwargs["code"]).first()
        if indicator is None:
            raise NotFound()
        return indicator


@extend_schema_view(
    list=extend_schema(tags=[_TAG], summary=gettext_lazy("Biểu mẫu báo cáo")),
    retrieve=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Một biểu mẫu với các chỉ tiêu của nó"),
        parameters=[OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses={200: ReportFormSerializer, **_ERRORS},
    ),
)
class ReportFormViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ReportFormSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[ReportForm]:
        return selectors.form_list(actor=self.request.user)

    def get_object(self) -> ReportForm:
        code = self.kwargs["code"]
        form = self.get_queryset().filter(code=code).first()
        if form is None:
            raise NotFound()
        return form


# --- submissions --------------------------------------------------------------------------------


class SubmissionFilter(filters.FilterSet):
    period = filters.CharFilter(
        method="filter_period", label=gettext_lazy("Khóa kỳ, ví dụ 2024-Q3")
    )
    form = filters.CharFilter(field_name="form__code", label=gettext_lazy("Mã biểu mẫu"))
    status = filters.ChoiceFilter(
        choices=SubmissionStatus.choices, label=gettext_lazy("Trạng thái")
    )
    unit = filters.UUIDFilter(
        field_name="owner_unit__public_id", label=gettext_lazy("Mã định danh đơn vị báo cáo")
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

    def filter_queue(
        self, queryset: QuerySet[Submission], name: str, value: bool
    ) -> QuerySet[Submission]:
        if not value:
            return queryset
        return queryset.filter(
            pk__in=selectors.approval_queue(actor=self.request.user).values("pk")
        )


def _detail(actor: User, submission: Submission, *, http_status: int = 200) -> Response:
    fresh = selectors.submission_get(actor=actor, public_id=submission.public_id)
    sheet = selectors.submission_sheet(actor=actor, submission=fresh)
    data = SubmissionDetailSerializer(fresh, context={"sheet": sheet}).data
    return Response(data, status=http_status)


@extend_schema_view(
    list=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Báo cáo định kỳ được xem"),
        responses={200: SubmissionSerializer(many=True), **_ERRORS},
    ),
    retrieve=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Một báo cáo với số liệu, cảnh báo và nhật ký"),
        parameters=[_PUBLIC_ID],
        responses={200: SubmissionDetailSerializer, **_ERRORS},
    ),
    create=extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Lập báo cáo (bản nháp) của đơn vị mình cho một biểu mẫu và kỳ"),
        parameters=[_IDEMPOTENCY_KEY],
        request=SubmissionCreateSerializer,
        responses={201: SubmissionDetailSerializer, **_POST_ERRORS},
    ),
)
class SubmissionViewSet(viewsets.GenericViewSet):
    permission_classes = [ScopedRecordPermission]
    serializer_class = SubmissionSerializer
    filterset_class = SubmissionFilter
    lookup_field = "public_id"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[Submission]:
        return selectors.submission_list(actor=self.request.user).order_by(
            "-period_end", "owner_unit__path", "form__code"
        )

    def _get(self, public_id: str) -> Submission:
        actor = _actor(self.request)
        return record_for(selectors.submission_list(actor=actor), actor, public_id=public_id)

    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        data = SubmissionSerializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, public_id: str) -> Response:
        return _detail(_actor(request), self._get(public_id))

    def create(self, request: Request) -> Response:
        def handler() -> Response:
            actor = _actor(request)
            form = SubmissionCreateSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            period = services.parse_period(form.validated_data["period"])
            report_form = services.form_by_code(form.validated_data["form"])
            submission = services.submission_create(actor=actor, form=report_form, period=period)
            return _detail(actor, submission, http_status=status.HTTP_201_CREATED)

        return idempotent(request, handler)

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Nhập số liệu và giải trình (tất cả hoặc không gì cả)"),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request=ValuesSerializer,
        responses={200: SubmissionDetailSerializer, **_POST_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def values(self, request: Request, public_id: str) -> Response:
        def handler() -> Response:
            actor = _actor(request)
            submission = self._get(public_id)
            form = ValuesSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            data = form.validated_data
            services.submission_values_set(
                actor=actor,
                submission=submission,
                values=data["values"],
                explanations=data["explanations"],
                expected_version=data.get("version"),
            )
            return _detail(actor, submission)

        return idempotent(request, handler)

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Kiểm tra số liệu: lỗi chặn gửi và biến động cần giải trình"),
        parameters=[_PUBLIC_ID],
        responses={200: CheckSerializer, **_ERRORS},
    )
    @action(detail=True, methods=["get"])
    def check(self, request: Request, public_id: str) -> Response:
        actor = _actor(request)
        sheet = selectors.submission_sheet(actor=actor, submission=self._get(public_id))
        result = sheet.check
        return Response(
            {
                "errors": result.errors,
                "warnings": {code: w.message for code, w in result.warnings.items()},
                "unexplained": [w.indicator.code for w in result.unexplained],
                "ok": result.ok,
            }
        )

    def _move(
        self,
        request: Request,
        public_id: str,
        change: Callable[[User, Submission, dict[str, Any]], object],
        *,
        with_reason: bool = False,
    ) -> Response:
        def handler() -> Response:
            actor = _actor(request)
            submission = self._get(public_id)
            data: dict[str, Any] = {}
            if with_reason:
                form = ReasonSerializer(data=request.data)
                form.is_valid(raise_exception=True)
                data = dict(form.validated_data)
            change(actor, submission, data)
            return _detail(actor, submission)

        return idempotent(request, handler)

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Gửi báo cáo lên cấp trên (chốt số liệu tính từ dữ liệu)"),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request=None,
        responses={200: SubmissionDetailSerializer, **_POST_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, public_id: str) -> Response:
        return self._move(
            request, public_id, lambda a, s, d: services.submission_submit(actor=a, submission=s)
        )

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Gửi lại báo cáo bị trả lại"),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request=None,
        responses={200: SubmissionDetailSerializer, **_POST_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def resubmit(self, request: Request, public_id: str) -> Response:
        return self._move(
            request, public_id, lambda a, s, d: services.submission_resubmit(actor=a, submission=s)
        )

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Duyệt (chỉ huy cấp trên trực tiếp); báo cáo bị khóa"),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request=None,
        responses={200: SubmissionDetailSerializer, **_POST_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, public_id: str) -> Response:
        return self._move(
            request, public_id, lambda a, s, d: services.submission_approve(actor=a, submission=s)
        )

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Trả lại cho đơn vị (bắt buộc ghi lý do)"),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request=ReasonSerializer,
        responses={200: SubmissionDetailSerializer, **_POST_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, public_id: str) -> Response:
        return self._move(
            request,
            public_id,
            lambda a, s, d: services.submission_return(actor=a, submission=s, reason=d["reason"]),
            with_reason=True,
        )

    @extend_schema(
        tags=[_TAG],
        summary=gettext_lazy("Mở lại báo cáo đã duyệt (bắt buộc ghi lý do; ghi nhật ký)"),
        parameters=[_PUBLIC_ID, _IDEMPOTENCY_KEY],
        request=ReasonSerializer,
        responses={200: SubmissionDetailSerializer, **_POST_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, public_id: str) -> Response:
        return self._move(
            request,
            public_id,
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
        actor = _actor(request)
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
        within = None
        if params.get("unit"):
            try:
                within = unit_list(actor=actor).get(public_id=params["unit"])
            except Exception as exc:
                message = _("Không có đơn vị với mã định danh này.")
                raise DomainError(message, code="unknown_unit", fields={"unit": [message]}) from exc
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
