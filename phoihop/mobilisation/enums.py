from django.db import models
from django.utils.translation import gettext_lazy as _


class OpinionTopic(models.TextChoices):
    """What the people raised at a forum "Công an lắng nghe ý kiến Nhân dân"."""

    SECURITY = "security", _("An ninh, trật tự")
    DRUGS = "drugs", _("Ma túy, tệ nạn xã hội")
    TRAFFIC = "traffic", _("Trật tự an toàn giao thông")
    FIRE = "fire", _("Phòng cháy, chữa cháy")
    ADMINISTRATION = "administration", _("Cư trú, căn cước, thủ tục hành chính")
    FRAUD = "fraud", _("Lừa đảo, tín dụng đen, tội phạm mạng")
    LAND = "land", _("Đất đai, môi trường")
    POLICY = "policy", _("Chế độ, chính sách")
    CONDUCT = "conduct", _("Tác phong, thái độ của cán bộ")
    OTHER = "other", _("Khác")


class OpinionStatus(models.TextChoices):
    OPEN = "open", _("Chưa trả lời")
    ANSWERED = "answered", _("Đã trả lời")
    CLOSED = "closed", _("Đã kết thúc")


# The follow-up of an individual opinion: one service per transition, this map decides.
OPINION_TRANSITIONS: dict[str, frozenset[str]] = {
    OpinionStatus.OPEN: frozenset({OpinionStatus.ANSWERED}),
    OpinionStatus.ANSWERED: frozenset({OpinionStatus.CLOSED}),
    OpinionStatus.CLOSED: frozenset(),
}


class ProgrammeKind(models.TextChoices):
    """Social-support programmes the three forces run."""

    SCHOOL = "school", _("Nâng bước em tới trường")
    FOSTER = "foster", _("Con nuôi đồn Biên phòng")
    HOUSING = "housing", _("Mái ấm đồng đội")
    OTHER = "other", _("Chương trình khác")
