"""Conference tasks (nhiệm vụ): conclusions of a coordination conference to be carried out."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phoihop.access.models import ScopedModel
from phoihop.core.models import BaseModel, TransitionLog
from phoihop.reports.enums import UNFINISHED, TaskStatus


class ConferenceTask(ScopedModel):
    """One task set by the conference reviewing `period_key` for `area`; owned by the unit that
    recorded it, led by one force and supported by others."""

    period_key = models.CharField(_("kỳ báo cáo của hội nghị"), max_length=10, db_index=True)
    area = models.ForeignKey(
        "org.AdministrativeArea",
        verbose_name=_("địa bàn"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    conference_date = models.DateField(_("ngày hội nghị"))
    content = models.TextField(_("nội dung nhiệm vụ"))
    lead_force = models.ForeignKey(
        "org.Force", verbose_name=_("lực lượng chủ trì"), on_delete=models.PROTECT, related_name="+"
    )
    supporting_forces = models.ManyToManyField(
        "org.Force", verbose_name=_("lực lượng phối hợp"), blank=True, related_name="+"
    )
    deadline = models.DateField(_("thời hạn"), db_index=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=TaskStatus.choices,
        default=TaskStatus.OPEN,
        db_index=True,
    )
    created_by = models.ForeignKey(
        "org.User", verbose_name=_("người tạo"), on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[supporting_forces])

    class Meta(ScopedModel.Meta):
        ordering = ["deadline", "id"]
        verbose_name = _("nhiệm vụ sau hội nghị")
        verbose_name_plural = _("nhiệm vụ sau hội nghị")

    def __str__(self) -> str:
        return self.content[:80]

    def clean(self) -> None:
        super().clean()
        if self.deadline and self.conference_date and self.deadline < self.conference_date:
            raise ValidationError(
                {"deadline": _("Thời hạn không được trước ngày hội nghị.")}, code="deadline"
            )

    @property
    def is_unfinished(self) -> bool:
        return self.status in UNFINISHED

    def is_overdue(self, on: dt.date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.is_unfinished and self.deadline < day


class ConferenceTaskTransition(TransitionLog):
    """The log of every status change of a task."""

    record_field = "task"

    task = models.ForeignKey(ConferenceTask, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    @property
    def from_label(self) -> str:
        return str(TaskStatus(self.from_status).label) if self.from_status else ""

    @property
    def to_label(self) -> str:
        return str(TaskStatus(self.to_status).label)


class ConferenceTaskNote(BaseModel):
    """Progress note (kết quả thực hiện): seen by whoever sees its task."""

    task = models.ForeignKey(ConferenceTask, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        "org.User", verbose_name=_("người ghi"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    noted_on = models.DateField(_("ngày"), default=timezone.localdate)
    body = models.TextField(_("nội dung"))

    class Meta(BaseModel.Meta):
        ordering = ["noted_on", "created_at", "id"]
        verbose_name = _("tiến độ thực hiện")
        verbose_name_plural = _("tiến độ thực hiện")

    def __str__(self) -> str:
        return f"{self.task_id}: {self.body[:40]}"


class ReportSettings(BaseModel):
    """How a province's coordination report is headed and closed, set by its administrators.

    A blank field falls back to the installation's setting (`PHOIHOP_REPORT_ISSUER`,
    `PHOIHOP_REPORT_RECIPIENTS`), then to what the province's forces and name give
    (`reports.header`). Written through `services.report_settings_save`.
    """

    province = models.OneToOneField(
        "org.AdministrativeArea",
        verbose_name=_("tỉnh"),
        on_delete=models.PROTECT,
        related_name="report_settings",
    )
    issuer = models.TextField(
        _("cơ quan ban hành"),
        blank=True,
        help_text=_("Mỗi dòng một dòng của khối cơ quan ban hành, dòng cuối in đậm."),
    )
    recipients = models.TextField(
        _("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận, ví dụ: Lưu: VT.")
    )
    place = models.CharField(
        _("địa danh"),
        max_length=60,
        blank=True,
        help_text=_("Ghi trước ngày tháng của báo cáo, ví dụ: Hà Tĩnh."),
    )
    document_symbol = models.CharField(
        _("ký hiệu văn bản"),
        max_length=30,
        blank=True,
        help_text=_("Phần sau số của báo cáo, ví dụ BC-BCĐ cho “Số: 15/BC-BCĐ”."),
    )
    history = HistoricalRecords()

    class Meta(BaseModel.Meta):
        verbose_name = _("thiết lập báo cáo của tỉnh")
        verbose_name_plural = _("thiết lập báo cáo của tỉnh")

    def __str__(self) -> str:
        return str(self.province)

    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]
