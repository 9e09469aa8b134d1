from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    ACK_OVERDUE = "ack_overdue", _("Thông tin quá hạn xác nhận")
    VERIFICATION_OVERDUE = "verification_overdue", _("Yêu cầu xác minh quá hạn")
    OTHER = "other", _("Thông báo khác")
