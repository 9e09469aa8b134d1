from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorKind(models.TextChoices):
    DERIVED = "derived", _("Tính từ dữ liệu")
    ENTERED = "entered", _("Đơn vị nhập")


class ValueKind(models.TextChoices):
    COUNT = "count", _("Số đếm (số nguyên)")
    DECIMAL = "decimal", _("Số thập phân")


class Aggregation(models.TextChoices):
    """How values of several units or periods combine into one."""

    SUM = "sum", _("Cộng")
    MAX = "max", _("Lớn nhất")
    LAST = "last", _("Giá trị cuối kỳ")
    AVERAGE = "average", _("Trung bình")


class PeriodKindChoice(models.TextChoices):
    """The period kinds of `phoihop.indicators.periods.PeriodKind`, for model fields."""

    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    HALF = "half", _("6 tháng")
    NINE_MONTHS = "nine_months", _("9 tháng")
    YEAR = "year", _("Năm")


class Comparison(models.TextChoices):
    GTE = "gte", "≥"
    LTE = "lte", "≤"
    EQ = "eq", "="


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi, chờ duyệt")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã duyệt")


class Side(models.TextChoices):
    """Who performs a transition: the submitting unit or the approving unit (next level up)."""

    OWNER = "owner", _("Đơn vị báo cáo")
    APPROVER = "approver", _("Đơn vị cấp trên trực tiếp")


class Transition(models.TextChoices):
    CREATE = "create", _("Tạo báo cáo")
    SUBMIT = "submit", _("Gửi báo cáo")
    RESUBMIT = "resubmit", _("Gửi lại báo cáo")
    APPROVE = "approve", _("Duyệt")
    RETURN = "return", _("Trả lại")
    REOPEN = "reopen", _("Mở lại báo cáo đã duyệt")


# The workflow. One service per transition; this map is the only source of what is allowed:
# transition → (statuses it may start from, status it leads to, who performs it).
TRANSITIONS: dict[str, tuple[frozenset[str], str, str]] = {
    Transition.SUBMIT: (
        frozenset({SubmissionStatus.DRAFT}),
        SubmissionStatus.SUBMITTED,
        Side.OWNER,
    ),
    Transition.RESUBMIT: (
        frozenset({SubmissionStatus.RETURNED}),
        SubmissionStatus.SUBMITTED,
        Side.OWNER,
    ),
    Transition.APPROVE: (
        frozenset({SubmissionStatus.SUBMITTED}),
        SubmissionStatus.APPROVED,
        Side.APPROVER,
    ),
    Transition.RETURN: (
        frozenset({SubmissionStatus.SUBMITTED}),
        SubmissionStatus.RETURNED,
        Side.APPROVER,
    ),
    Transition.REOPEN: (
        frozenset({SubmissionStatus.APPROVED}),
        SubmissionStatus.RETURNED,
        Side.APPROVER,
    ),
}

# Values may be changed only while the submission is with its unit.
EDITABLE_STATUSES = frozenset({SubmissionStatus.DRAFT, SubmissionStatus.RETURNED})
# Counted as received by the level above (completeness).
RECEIVED_STATUSES = frozenset({SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED})
