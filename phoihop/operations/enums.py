"""Choices of the joint-operation records.

Field names differ from one record kind to the next (`target`, `purpose`, `zone_kind`, `route`,
`incident_kind`, `exercise_kind`) so that the OpenAPI schema gets one enum per choice set.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProtectionTarget(models.TextChoices):
    DELEGATION = "delegation", _("Đoàn")
    EVENT = "event", _("Sự kiện")


class DelegationLevel(models.TextChoices):
    CENTRAL_LEADERS = "central_leaders", _("Đoàn lãnh đạo Đảng, Nhà nước trung ương")
    MINISTRY = "ministry", _("Đoàn bộ, ngành trung ương")
    FOREIGN = "foreign", _("Đoàn khách nước ngoài")


class EventCategory(models.TextChoices):
    POLITICAL = "political", _("Chính trị")
    SOCIAL = "social", _("Xã hội")
    CULTURAL = "cultural", _("Văn hóa")
    SPORT = "sport", _("Thể thao")


class CheckpointPurpose(models.TextChoices):
    EPIDEMIC = "epidemic", _("Phòng, chống dịch bệnh")
    BORDER = "border", _("Kiểm soát biên giới")
    TRAFFIC = "traffic", _("Trật tự an toàn giao thông")
    CAMPAIGN = "campaign", _("Cao điểm, chuyên đề")


class ZoneKind(models.TextChoices):
    """The zone kinds every installation starts with (rows of `models.ZoneCategory`, which
    administrators extend); zones name their kind by the catalogue's code."""

    LOCKDOWN = "lockdown", _("Khu vực phong tỏa")
    QUARANTINE = "quarantine", _("Khu cách ly")
    TREATMENT = "treatment", _("Cơ sở điều trị")
    ENHANCED_TREATMENT = "enhanced_treatment", _("Cơ sở điều trị tăng cường")
    KEY_TARGET = "key_target", _("Mục tiêu trọng điểm")


class PatrolRoute(models.TextChoices):
    LAND = "land", _("Nội địa")
    BORDER = "border", _("Biên giới đất liền")
    SEA = "sea", _("Trên biển")


class IncidentKind(models.TextChoices):
    STORM = "storm", _("Bão, áp thấp nhiệt đới")
    FLOOD = "flood", _("Lũ, lụt")
    LANDSLIDE = "landslide", _("Sạt lở đất")
    FIRE = "fire", _("Cháy, cháy rừng")
    SEA_ACCIDENT = "sea_accident", _("Tai nạn trên biển")


class ExerciseKind(models.TextChoices):
    DEFENSIVE_AREA = "defensive_area", _("Diễn tập khu vực phòng thủ")
    CIVIL_DEFENCE = "civil_defence", _("Diễn tập phòng thủ dân sự")
    SAR = "sar", _("Diễn tập tìm kiếm cứu nạn")
