"""Information items, their distribution with receipts, replies and verification requests."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phoihop.access.models import ScopedModel
from phoihop.core.models import BaseModel, Searchable, TransitionLog
from phoihop.exchange.enums import (
    Credibility,
    Handling,
    Reliability,
    Topic,
    Urgency,
    VerificationResult,
    VerificationStatus,
)


class InformationItem(ScopedModel, Searchable):
    """Thông tin: owned by the issuing unit, numbered per unit and year (`15/TT-BP`)."""

    number = models.PositiveIntegerField(_("số"), editable=False)
    year = models.PositiveSmallIntegerField(_("năm"), editable=False)
    title = models.CharField(_("trích yếu"), max_length=300)
    content = models.TextField(_("nội dung"))
    topic = models.CharField(_("lĩnh vực"), max_length=20, choices=Topic.choices)
    areas = models.ManyToManyField(
        "org.AdministrativeArea", verbose_name=_("địa bàn"), blank=True, related_name="+"
    )
    urgency = models.PositiveSmallIntegerField(
        _("độ khẩn"), choices=Urgency.choices, default=Urgency.THUONG
    )
    reliability = models.CharField(
        _("độ tin cậy của nguồn"), max_length=1, choices=Reliability.choices, default=Reliability.F
    )
    credibility = models.PositiveSmallIntegerField(
        _("mức xác thực của thông tin"), choices=Credibility.choices, default=Credibility.UNKNOWN
    )
    handling = models.CharField(
        _("chế độ xử lý"), max_length=20, choices=Handling.choices, default=Handling.MAY_FORWARD
    )
    sent_at = models.DateTimeField(_("thời điểm gửi"), default=timezone.now, db_index=True)
    sent_by = models.ForeignKey(
        "org.User", verbose_name=_("người gửi"), on_delete=models.PROTECT, related_name="+"
    )
    # Title and content folded (no diacritics, lower case) for the text filter: `ma tuy` finds
    # `Ma túy` on SQLite too, which has no unaccent.
    search_text = models.TextField(editable=False, blank=True, default="")
    history = HistoricalRecords(excluded_fields=["search_text"])
    search_fields = ("title", "content")

    class Meta(ScopedModel.Meta):
        ordering = ["-sent_at", "-id"]
        verbose_name = _("thông tin")
        verbose_name_plural = _("thông tin")
        constraints = [
            models.UniqueConstraint(
                fields=["owner_unit", "year", "number"], name="info_item_number_per_unit_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.display_number} {self.title}"

    @property
    def display_number(self) -> str:
        return f"{self.number:02d}/TT-{self.owner_unit.code}"

    @property
    def evaluation_code(self) -> str:
        return f"{self.reliability}{self.credibility}"


class Receipt(models.Model):
    """One recipient unit of an item: delivered, read (first reader), acknowledged (who, when)."""

    item = models.ForeignKey(InformationItem, on_delete=models.CASCADE, related_name="receipts")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị nhận"), on_delete=models.PROTECT, related_name="+"
    )
    forwarded_by = models.ForeignKey(
        "org.Unit",
        verbose_name=_("chuyển tiếp từ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    delivered_at = models.DateTimeField(_("đã chuyển đến"), default=timezone.now)
    ack_due_at = models.DateTimeField(_("hạn xác nhận"), db_index=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    read_by = models.ForeignKey(
        "org.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("đã xác nhận lúc"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "org.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["item", "unit__path"]
        verbose_name = _("biên nhận")
        verbose_name_plural = _("biên nhận")
        constraints = [
            models.UniqueConstraint(fields=["item", "unit"], name="one_receipt_per_unit")
        ]
        indexes = [models.Index(fields=["unit", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.unit_id}"

    @property
    def acknowledged_on_time(self) -> bool | None:
        if self.acknowledged_at is None:
            return None
        return self.acknowledged_at <= self.ack_due_at


class Reply(BaseModel):
    item = models.ForeignKey(InformationItem, on_delete=models.CASCADE, related_name="replies")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("nội dung trả lời"))

    class Meta(BaseModel.Meta):
        ordering = ["created_at", "id"]
        verbose_name = _("trả lời")
        verbose_name_plural = _("trả lời")

    def __str__(self) -> str:
        return f"{self.item_id}: {self.body[:40]}"


class VerificationRequest(BaseModel):
    """Yêu cầu kiểm tra, xác minh: seen by whoever sees its item (the assigned unit receives it)."""

    item = models.ForeignKey(
        InformationItem, on_delete=models.CASCADE, related_name="verifications"
    )
    requesting_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị yêu cầu"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị xác minh"), on_delete=models.PROTECT, related_name="+"
    )
    question = models.TextField(_("nội dung cần xác minh"))
    due_at = models.DateTimeField(_("hạn trả lời"), db_index=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=VerificationStatus.choices,
        default=VerificationStatus.OPEN,
        db_index=True,
    )
    result = models.CharField(
        _("kết quả"), max_length=20, choices=VerificationResult.choices, blank=True
    )
    findings = models.TextField(_("kết quả xác minh"), blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    answered_by = models.ForeignKey(
        "org.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta(BaseModel.Meta):
        verbose_name = _("yêu cầu xác minh")
        verbose_name_plural = _("yêu cầu xác minh")

    def __str__(self) -> str:
        return f"{self.item_id} → {self.assigned_unit_id}: {self.question[:40]}"

    def is_overdue(self, now: object = None) -> bool:
        moment = now or timezone.now()
        if self.answered_at is not None:
            return self.answered_at > self.due_at
        return self.status in (VerificationStatus.OPEN, VerificationStatus.IN_PROGRESS) and (
            moment > self.due_at  # type: ignore[operator]
        )


class VerificationTransition(TransitionLog):
    """The log of every status change of a verification request."""

    record_field = "verification"

    verification = models.ForeignKey(
        VerificationRequest, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)


class Escalation(models.Model):
    """An overdue receipt or verification escalated once at one lateness step.

    `after_hours` is the step of PHOIHOP_ESCALATION_STEPS_HOURS (hours past the due time) and is
    unique per receipt or verification, so that two runs at once cannot escalate the same
    lateness twice; `threshold` keeps the step's position in the setting for reading.
    """

    receipt = models.ForeignKey(
        Receipt, null=True, blank=True, on_delete=models.CASCADE, related_name="escalations"
    )
    verification = models.ForeignKey(
        VerificationRequest,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="escalations",
    )
    threshold = models.PositiveSmallIntegerField(_("bậc"))
    after_hours = models.PositiveIntegerField(_("số giờ sau hạn"))
    # The unit whose commanders were told (the responsible unit, or the nearest one above it).
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị được báo"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("nhắc việc quá hạn")
        verbose_name_plural = _("nhắc việc quá hạn")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(receipt__isnull=False, verification__isnull=True)
                | models.Q(receipt__isnull=True, verification__isnull=False),
                name="escalation_of_receipt_or_verification",
            ),
            models.UniqueConstraint(
                fields=["receipt", "after_hours"],
                condition=models.Q(receipt__isnull=False),
                name="one_escalation_per_receipt_step",
            ),
            models.UniqueConstraint(
                fields=["verification", "after_hours"],
                condition=models.Q(verification__isnull=False),
                name="one_escalation_per_verification_step",
            ),
        ]

    def __str__(self) -> str:
        target = (
            f"receipt {self.receipt_id}"
            if self.receipt_id
            else f"verification {self.verification_id}"
        )
        return f"{target} +{self.after_hours}h"


from phoihop.exchange.attachments import Attachment  # noqa: E402,F401  (a model of this app)
