"""In-app notifications: a message to one user, with a link to what it is about."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import BaseModel
from phoihop.notifications.enums import NotificationKind


class Notification(BaseModel):
    recipient = models.ForeignKey(
        "org.User",
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(
        _("loại"), max_length=30, choices=NotificationKind.choices, default=NotificationKind.OTHER
    )
    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"), blank=True)
    # A path inside the site (never an external address): the page of the related record.
    link = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    related_type = models.ForeignKey(
        ContentType,
        verbose_name=_("loại bản ghi liên quan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The related record's public_id (or pk for records without one), as text.
    related_id = models.CharField(_("mã bản ghi liên quan"), max_length=64, blank=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta(BaseModel.Meta):
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
