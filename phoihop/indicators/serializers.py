"""API shapes of the indicators module.

Input serializers check shape only: period keys, form and indicator codes are resolved in
`phoihop.indicators.api`, and every rule lives in the services and `validation`.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from phoihop.indicators.enums import SubmissionStatus
from phoihop.indicators.models import Indicator, ReportForm, Submission, SubmissionTransition
from phoihop.indicators.periods import Period
from phoihop.indicators.selectors import CompletenessReport, Sheet, SheetRow, Tally
from phoihop.org.serializers import UnitRefSerializer, UserRefSerializer

_MESSAGES: dict[str, Any] = {
    "required": _("Trường này là bắt buộc."),
    "blank": _("Trường này không được để trống."),
    "null": _("Trường này không được để trống."),
    "invalid": _("Giá trị không hợp lệ."),
    "not_a_dict": _("Phải là một đối tượng {mã chỉ tiêu: giá trị}."),
    "max_length": _("Không được dài quá {max_length} ký tự."),
}


def _decimal(value: Decimal | None) -> str | None:
    """Decimals travel as strings (no float ever touches a figure), without trailing zeros."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return text


class PeriodSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("Khóa kỳ: 2024-07, 2024-Q3, 2024-H1, 2024-9M, 2024."))
    kind = serializers.CharField()
    # The metaclass pops declared fields, so these do not shadow the Field attributes.
    label = serializers.CharField(help_text=_("Tên kỳ, ví dụ “quý III năm 2024”."))  # type: ignore[assignment]
    title = serializers.CharField()
    start = serializers.DateField(help_text=_("Ngày đầu của số liệu (theo quy tắc đang dùng)."))
    end = serializers.DateField(help_text=_("Ngày cuối của số liệu."))
    previous = serializers.CharField(help_text=_("Khóa kỳ liền trước."))
    same_period_last_year = serializers.CharField(help_text=_("Khóa kỳ cùng kỳ năm trước."))

    @staticmethod
    def of(period: Period) -> dict[str, Any]:
        start, end = period.window()
        return {
            "key": period.key,
            "kind": period.kind.value,
            "label": period.label,
            "title": period.title,
            "start": start,
            "end": end,
            "previous": period.previous.key,
            "same_period_last_year": period.same_period_last_year.key,
        }


@extend_schema_field(PeriodSerializer)
class PeriodField(serializers.Field):
    def to_representation(self, key: str) -> dict[str, Any]:
        return PeriodSerializer(PeriodSerializer.of(Period.parse(key))).data

    def to_internal_value(self, data: Any) -> Any:  # pragma: no cover - read only
        raise NotImplementedError


class IndicatorSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    aggregation_label = serializers.CharField(source="get_aggregation_display", read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "unit",
            "kind",
            "kind_label",
            "value_kind",
            "aggregation",
            "aggregation_label",
            "description",
        ]


class FormLineSerializer(serializers.Serializer):
    indicator = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.name")
    unit = serializers.CharField(source="indicator.unit")
    kind = serializers.CharField(source="indicator.kind")
    required = serializers.BooleanField()  # type: ignore[assignment]


class ReportFormSerializer(serializers.ModelSerializer):
    force = serializers.CharField(source="force.code", allow_null=True, default=None)
    level = serializers.CharField(source="level.code")
    period_kind_label = serializers.CharField(source="get_period_kind_display", read_only=True)
    lines = FormLineSerializer(many=True, read_only=True)

    class Meta:
        model = ReportForm
        fields = [
            "code",
            "name",
            "force",
            "level",
            "period_kind",
            "period_kind_label",
            "deadline_days",
            "rise_factor",
            "drop_share",
            "is_joint",
            "description",
            "lines",
        ]


class FormRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportForm
        fields = ["code", "name"]


class SubmissionSerializer(serializers.ModelSerializer):
    form = FormRefSerializer(read_only=True)
    period = PeriodField(source="period_key", read_only=True)
    unit = UnitRefSerializer(source="owner_unit", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    submitted_by = UserRefSerializer(read_only=True, allow_null=True)
    decided_by = UserRefSerializer(read_only=True, allow_null=True)
    on_time = serializers.SerializerMethodField(
        help_text=_("Gửi lần đầu đúng hạn; null khi chưa gửi.")
    )

    class Meta:
        model = Submission
        fields = [
            "public_id",
            "form",
            "period",
            "unit",
            "status",
            "status_label",
            "deadline",
            "first_submitted_at",
            "submitted_at",
            "submitted_by",
            "decided_at",
            "decided_by",
            "return_reason",
            "on_time",
            "is_joint",
            "version",
        ]

    def get_on_time(self, submission: Submission) -> bool | None:
        return submission.on_time()


class SheetRowSerializer(serializers.Serializer):
    indicator = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.name")
    unit = serializers.CharField(source="indicator.unit")
    kind = serializers.CharField(source="indicator.kind")
    required = serializers.BooleanField(source="line.required")  # type: ignore[assignment]
    value = serializers.SerializerMethodField(
        method_name="value_text", help_text=_("Số dạng chuỗi, ví dụ “11.09”.")
    )
    previous = serializers.SerializerMethodField(help_text=_("Giá trị kỳ trước (nếu đã gửi)."))
    explanation = serializers.CharField()
    live = serializers.BooleanField(
        help_text=_("Chỉ tiêu tính từ dữ liệu, tính lúc xem (chưa chốt: chốt khi gửi).")
    )
    link = serializers.CharField(help_text=_("Trang danh sách bản ghi làm nên số liệu."))
    warning = serializers.SerializerMethodField(
        help_text=_("Cảnh báo biến động so với kỳ trước (cần giải trình), nếu có.")
    )
    errors = serializers.ListField(child=serializers.CharField())  # type: ignore[assignment]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def value_text(self, row: SheetRow) -> str | None:
        return _decimal(row.value)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_previous(self, row: SheetRow) -> str | None:
        return _decimal(row.previous)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_warning(self, row: SheetRow) -> str | None:
        return row.warning.message if row.warning is not None else None


class SubmissionTransitionSerializer(serializers.ModelSerializer):
    actor = UserRefSerializer(read_only=True)
    transition_label = serializers.CharField(source="get_transition_display", read_only=True)

    class Meta:
        model = SubmissionTransition
        fields = [
            "transition",
            "transition_label",
            "from_status",
            "to_status",
            "actor",
            "at",
            "note",
        ]


class SubmissionDetailSerializer(SubmissionSerializer):
    values = serializers.SerializerMethodField()
    transitions = SubmissionTransitionSerializer(many=True, read_only=True)
    can_submit = serializers.SerializerMethodField(
        help_text=_("Không có lỗi và mọi biến động đã được giải trình.")
    )

    class Meta(SubmissionSerializer.Meta):
        fields = [
            *SubmissionSerializer.Meta.fields,
            "derived_at",
            "values",
            "can_submit",
            "transitions",
        ]

    @extend_schema_field(SheetRowSerializer(many=True))
    def get_values(self, submission: Submission) -> Any:
        sheet: Sheet = self.context["sheet"]
        return SheetRowSerializer(sheet.rows, many=True).data

    def get_can_submit(self, submission: Submission) -> bool:
        sheet: Sheet = self.context["sheet"]
        return sheet.check.ok and submission.is_editable


class SubmissionCreateSerializer(serializers.Serializer):
    form = serializers.CharField(max_length=40, error_messages=_MESSAGES)
    period = serializers.CharField(max_length=10, error_messages=_MESSAGES)


class ValuesSerializer(serializers.Serializer):
    values = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        required=False,
        default=dict,
        error_messages=_MESSAGES,
        help_text=_("{mã chỉ tiêu: giá trị}; số thường (11.09) hoặc chuỗi; rỗng/null để xóa."),
    )
    explanations = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=4000),
        required=False,
        default=dict,
        error_messages=_MESSAGES,
        help_text=_("{mã chỉ tiêu: giải trình biến động}."),
    )
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=_("Phiên bản đang sửa; khác phiên bản hiện tại thì bị từ chối (409)."),
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        allow_blank=True, max_length=4000, required=False, default="", error_messages=_MESSAGES
    )


class CheckSerializer(serializers.Serializer):
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField())
    )
    warnings = serializers.DictField(child=serializers.CharField())
    unexplained = serializers.ListField(child=serializers.CharField())
    ok = serializers.BooleanField()


class TallySerializer(serializers.Serializer):
    expected = serializers.IntegerField()
    received = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    missing = serializers.IntegerField()
    overdue = serializers.IntegerField()
    approved = serializers.IntegerField()
    completeness = serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True)
    timeliness = serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True)


class CompletenessRowSerializer(serializers.Serializer):
    unit = UnitRefSerializer()
    form = FormRefSerializer()
    deadline = serializers.DateField()
    status = serializers.ChoiceField(choices=SubmissionStatus.choices, allow_null=True)
    submission = serializers.UUIDField(source="submission.public_id", allow_null=True)
    first_submitted_at = serializers.DateTimeField(allow_null=True)
    received = serializers.BooleanField()
    on_time = serializers.BooleanField()
    late = serializers.BooleanField()
    missing = serializers.BooleanField()
    overdue = serializers.BooleanField()


class GroupTallySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    tally = TallySerializer()


class CompletenessSerializer(serializers.Serializer):
    period = PeriodSerializer()
    as_of = serializers.DateTimeField()
    total = TallySerializer()
    by_force = GroupTallySerializer(many=True)
    by_area = GroupTallySerializer(many=True)
    by_form = GroupTallySerializer(many=True)
    rows = CompletenessRowSerializer(many=True)

    @staticmethod
    def of(report: CompletenessReport) -> dict[str, Any]:
        """The report as this serializer reads it: its tallies and rows are read off the
        selector's dataclasses; a group is a force, an area or a form with its tally."""

        def groups(pairs: Iterable[tuple[Any, Tally]]) -> list[dict[str, Any]]:
            return [{"code": g.code, "name": g.name, "tally": tally} for g, tally in pairs]

        return {
            "period": PeriodSerializer.of(report.period),
            "as_of": report.as_of,
            "total": report.total,
            "by_force": groups(report.by_force),
            "by_area": groups(report.by_area),
            "by_form": groups(report.by_form),
            "rows": report.rows,
        }
