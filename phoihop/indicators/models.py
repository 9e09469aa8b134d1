"""Indicators, report forms (biểu mẫu), consistency rules, submissions with their values and log.

- An `Indicator` is derived (registered in code by the module that owns the records, see
  `phoihop.indicators.registry`) or entered by units (edited by administrators).
- A `ReportForm` says which indicators a unit of a force and level owes, for which period kind
  and by which deadline (N days after the period's end).
- A `Submission` is one unit's report for one form and period: a scoped record owned by the
  submitting unit, with its values (entered, and a snapshot of the derived ones) and the log of
  its transitions (draft → submitted → approved, or returned → resubmitted; reopened).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phoihop.access.models import ScopedModel
from phoihop.core.models import BaseModel, TransitionLog
from phoihop.indicators.enums import (
    Aggregation,
    Comparison,
    IndicatorKind,
    PeriodKindChoice,
    SubmissionStatus,
    Transition,
    ValueKind,
)
from phoihop.indicators.periods import Period

VALUE_DIGITS = 24
VALUE_PLACES = 6

code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9._-]*$",
    _("Mã chỉ gồm chữ thường không dấu, số, dấu chấm, gạch ngang, gạch dưới."),
)


class Indicator(BaseModel):
    """Chỉ tiêu: a figure a unit reports for a period."""

    code = models.CharField(
        _("mã chỉ tiêu"), max_length=60, unique=True, validators=[code_validator]
    )
    name = models.CharField(_("tên chỉ tiêu"), max_length=250)
    unit = models.CharField(_("đơn vị tính"), max_length=40)
    kind = models.CharField(
        _("loại"), max_length=10, choices=IndicatorKind.choices, default=IndicatorKind.ENTERED
    )
    value_kind = models.CharField(
        _("kiểu giá trị"), max_length=10, choices=ValueKind.choices, default=ValueKind.COUNT
    )
    aggregation = models.CharField(
        _("cách tổng hợp"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    description = models.TextField(_("mô tả, cách tính"), blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    history = HistoricalRecords()

    class Meta(BaseModel.Meta):
        ordering = ["order", "code"]
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    @property
    def is_derived(self) -> bool:
        return self.kind == IndicatorKind.DERIVED

    @property
    def is_count(self) -> bool:
        return self.value_kind == ValueKind.COUNT


class ReportForm(BaseModel):
    """Biểu mẫu báo cáo: what units of a force (or every force) at one level owe, and when."""

    code = models.CharField(
        _("mã biểu mẫu"), max_length=40, unique=True, validators=[code_validator]
    )
    name = models.CharField(_("tên biểu mẫu"), max_length=250)
    force = models.ForeignKey(
        "org.Force",
        verbose_name=_("lực lượng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Để trống: đơn vị của mọi lực lượng ở cấp này."),
    )
    level = models.ForeignKey(
        "org.UnitLevel", verbose_name=_("cấp đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    period_kind = models.CharField(
        _("kỳ báo cáo"),
        max_length=12,
        choices=PeriodKindChoice.choices,
        default=PeriodKindChoice.QUARTER,
    )
    deadline_days = models.PositiveSmallIntegerField(
        _("hạn gửi (số ngày sau ngày cuối kỳ)"),
        default=5,
        validators=[MaxValueValidator(120)],
    )
    rise_factor = models.DecimalField(
        _("cảnh báo khi tăng quá (lần)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(3),
        validators=[MinValueValidator(Decimal("1.01"))],
        help_text=_("Giá trị lớn hơn số lần này so với kỳ trước thì phải giải trình."),
    )
    drop_share = models.DecimalField(
        _("cảnh báo khi giảm quá (tỷ lệ)"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.5"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("0.99"))],
        help_text=_("Ví dụ 0,5: giảm hơn 50% so với kỳ trước thì phải giải trình."),
    )
    is_joint = models.BooleanField(
        _("báo cáo phối hợp"),
        default=True,
        help_text=_("Tham mưu tổng hợp của tỉnh xem được báo cáo theo biểu mẫu này."),
    )
    description = models.TextField(_("hướng dẫn"), blank=True)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    indicators: models.ManyToManyField[Indicator, ReportFormLine] = models.ManyToManyField(
        Indicator, through="ReportFormLine", related_name="forms", verbose_name=_("chỉ tiêu")
    )
    history = HistoricalRecords()

    class Meta(BaseModel.Meta):
        ordering = ["level__rank", "force__order", "code"]
        verbose_name = _("biểu mẫu báo cáo")
        verbose_name_plural = _("biểu mẫu báo cáo")

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def deadline_for(self, period: Period) -> dt.date:
        """The last day a submission of `period` is on time."""
        return period.end + dt.timedelta(days=int(self.deadline_days))


class ReportFormLine(models.Model):
    """One indicator of a form, in its order; thresholds of the soft rules may be narrowed."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="lines")
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    required = models.BooleanField(_("bắt buộc nhập"), default=True)
    rise_factor = models.DecimalField(
        _("cảnh báo khi tăng quá (lần)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1.01"))],
    )
    drop_share = models.DecimalField(
        _("cảnh báo khi giảm quá (tỷ lệ)"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("0.99"))],
    )

    class Meta:
        ordering = ["form", "order", "id"]
        verbose_name = _("chỉ tiêu của biểu mẫu")
        verbose_name_plural = _("chỉ tiêu của biểu mẫu")
        constraints = [
            models.UniqueConstraint(fields=["form", "indicator"], name="form_indicator_once")
        ]

    def __str__(self) -> str:
        return f"{self.form_id}: {self.indicator_id}"


class ConsistencyRule(BaseModel):
    """A hard rule between two indicators of one submission, e.g. subjects ≥ wanted arrested."""

    left = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu bên trái"), on_delete=models.PROTECT, related_name="+"
    )
    comparison = models.CharField(_("so sánh"), max_length=3, choices=Comparison.choices)
    right = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu bên phải"), on_delete=models.PROTECT, related_name="+"
    )
    form = models.ForeignKey(
        ReportForm,
        verbose_name=_("chỉ áp dụng cho biểu mẫu"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rules",
        help_text=_("Để trống: mọi biểu mẫu có cả hai chỉ tiêu."),
    )
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    history = HistoricalRecords()

    class Meta(BaseModel.Meta):
        ordering = ["left__order", "id"]
        verbose_name = _("quy tắc kiểm tra chéo")
        verbose_name_plural = _("quy tắc kiểm tra chéo")

    def __str__(self) -> str:
        return f"{self.left.code} {Comparison(self.comparison).label} {self.right.code}"

    def clean(self) -> None:
        super().clean()
        if self.left_id is not None and self.left_id == self.right_id:
            raise ValidationError({"right": _("Phải so sánh hai chỉ tiêu khác nhau.")})

    def holds(self, left: Decimal, right: Decimal) -> bool:
        if self.comparison == Comparison.GTE:
            return left >= right
        if self.comparison == Comparison.LTE:
            return left <= right
        return left == right


class Submission(ScopedModel):
    """Báo cáo định kỳ of one unit (the owner) for one form and period."""

    form = models.ForeignKey(
        ReportForm, verbose_name=_("biểu mẫu"), on_delete=models.PROTECT, related_name="+"
    )
    period_key = models.CharField(_("kỳ báo cáo"), max_length=10, db_index=True)
    period_start = models.DateField(_("số liệu từ ngày"))
    period_end = models.DateField(_("số liệu đến ngày"))
    deadline = models.DateField(_("hạn gửi"))
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
        db_index=True,
    )
    created_by = models.ForeignKey(
        "org.User", verbose_name=_("người tạo"), on_delete=models.PROTECT, related_name="+"
    )
    # Timeliness is judged by the first submission: a report returned for correction and sent
    # again does not make its unit late.
    first_submitted_at = models.DateTimeField(_("gửi lần đầu lúc"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        "org.User",
        verbose_name=_("người gửi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("duyệt / trả lại lúc"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "org.User",
        verbose_name=_("người duyệt / trả lại"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    derived_at = models.DateTimeField(_("số liệu tính từ dữ liệu lúc"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta(ScopedModel.Meta):
        ordering = ["-period_end", "owner_unit__path", "form__code"]
        verbose_name = _("báo cáo định kỳ")
        verbose_name_plural = _("báo cáo định kỳ")
        constraints = [
            models.UniqueConstraint(
                fields=["form", "owner_unit", "period_key"],
                condition=Q(deleted_at__isnull=True),
                name="one_submission_per_unit_form_period",
            )
        ]
        indexes = [models.Index(fields=["period_key", "form", "status"])]

    def __str__(self) -> str:
        return f"{self.form.code} {self.period_key} – {self.owner_unit}"

    @property
    def period(self) -> Period:
        return Period.parse(self.period_key)

    @property
    def is_locked(self) -> bool:
        return self.status == SubmissionStatus.APPROVED

    @property
    def is_editable(self) -> bool:
        return self.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)

    def on_time(self) -> bool | None:
        """First sent by the end of the deadline day (local time); None if never sent."""
        if self.first_submitted_at is None:
            return None
        return timezone.localtime(self.first_submitted_at).date() <= self.deadline


class SubmissionValue(BaseModel):
    """One figure of a submission: entered by the unit, or a snapshot of a derived indicator."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(
        _("giá trị"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    is_derived = models.BooleanField(_("tính từ dữ liệu"), default=False)
    explanation = models.TextField(_("giải trình"), blank=True)
    history = HistoricalRecords()

    class Meta(BaseModel.Meta):
        ordering = ["submission", "id"]
        verbose_name = _("số liệu báo cáo")
        verbose_name_plural = _("số liệu báo cáo")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "indicator"], name="one_value_per_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.indicator_id} = {self.value}"


class SubmissionTransition(TransitionLog):
    """The log of a submission's workflow: who moved it, when, from what to what, and why."""

    record_field = "submission"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="transitions")
    transition = models.CharField(_("thao tác"), max_length=12, choices=Transition.choices)
    from_status = models.CharField(
        _("từ trạng thái"), max_length=12, choices=SubmissionStatus.choices, blank=True
    )
    to_status = models.CharField(
        _("sang trạng thái"), max_length=12, choices=SubmissionStatus.choices
    )
    actor = models.ForeignKey(
        "org.User", verbose_name=_("người thực hiện"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta(TransitionLog.Meta):
        verbose_name = _("nhật ký báo cáo")
        verbose_name_plural = _("nhật ký báo cáo")


class Reminder(models.Model):
    """A reminder sent once for a unit's form and period at one step around the deadline."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    period_key = models.CharField(max_length=10)
    # Days relative to the deadline: negative before it, positive after it.
    offset_days = models.SmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)
    notified = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sent_at", "id"]
        verbose_name = _("nhắc hạn báo cáo")
        verbose_name_plural = _("nhắc hạn báo cáo")
        constraints = [
            models.UniqueConstraint(
                fields=["form", "unit", "period_key", "offset_days"], name="one_reminder_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.form_id} {self.period_key} {self.unit_id} ({self.offset_days:+d})"
