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
