from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    BORDER = "border", _("Tình hình biên giới")
    FOREIGNERS = "foreigners", _("Người nước ngoài")
    SEA = "sea", _("Biển, đảo")
    RELIGION = "religion", _("Tôn giáo")
    ETHNIC = "ethnic", _("Dân tộc")
    DRUGS = "drugs", _("Ma túy")
    SMUGGLING = "smuggling", _("Buôn lậu")
    TRAFFICKING = "trafficking", _("Mua bán người")
    MIGRATION = "migration", _("Xuất nhập cảnh trái phép")
    WEAPONS = "weapons", _("Vũ khí, vật liệu nổ")
    DISASTERS = "disasters", _("Thiên tai")
    PUBLIC_ORDER = "public_order", _("Trật tự an toàn xã hội")
    OTHER = "other", _("Khác")


class Urgency(models.IntegerChoices):
    """Độ khẩn, ordered so that the most urgent sorts first when descending."""

    THUONG = 0, _("Thường")
    KHAN = 1, _("Khẩn")
    THUONG_KHAN = 2, _("Thượng khẩn")
    HOA_TOC = 3, _("Hỏa tốc")


class Reliability(models.TextChoices):
    """Source reliability of the Admiralty (NATO) code."""

    A = "A", _("A – Hoàn toàn tin cậy")
    B = "B", _("B – Thường tin cậy")
    C = "C", _("C – Khá tin cậy")
    D = "D", _("D – Thường không tin cậy")
    E = "E", _("E – Không tin cậy")
    F = "F", _("F – Chưa đánh giá được")


class Credibility(models.IntegerChoices):
    CONFIRMED = 1, _("1 – Đã được xác nhận")
    PROBABLE = 2, _("2 – Có khả năng đúng")
    POSSIBLE = 3, _("3 – Có thể đúng")
    DOUBTFUL = 4, _("4 – Đáng nghi ngờ")
    IMPROBABLE = 5, _("5 – Khó có thể đúng")
    UNKNOWN = 6, _("6 – Chưa đánh giá được")


class Handling(models.TextChoices):
    MAY_FORWARD = "may_forward", _("Được chuyển cho đơn vị cấp dưới")
    NAMED_ONLY = "named_only", _("Chỉ đơn vị được gửi")
    NO_EVIDENCE = "no_evidence", _("Không dùng làm chứng cứ khi chưa có đồng ý của đơn vị gửi")


class VerificationStatus(models.TextChoices):
    OPEN = "open", _("Mới giao")
    IN_PROGRESS = "in_progress", _("Đang xác minh")
    ANSWERED = "answered", _("Đã trả lời")
    CLOSED = "closed", _("Đã kết thúc")


class VerificationResult(models.TextChoices):
    CONFIRMED = "confirmed", _("Xác minh đúng")
    PARTLY = "partly", _("Đúng một phần")
    NOT_CONFIRMED = "not_confirmed", _("Không đúng")
    CANNOT_VERIFY = "cannot_verify", _("Không xác minh được")
