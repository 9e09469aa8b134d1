from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseCategory(models.TextChoices):
    DRUGS = "drugs", _("Ma túy")
    SMUGGLING = "smuggling", _("Buôn lậu, gian lận thương mại")
    TRAFFICKING = "trafficking", _("Mua bán người")
    MIGRATION = "migration", _("Xuất nhập cảnh, di cư trái phép")
    WEAPONS = "weapons", _("Vũ khí, vật liệu nổ, pháo")
    FOREST = "forest", _("Lâm sản")
    IUU = "iuu", _("Khai thác IUU, vi phạm trên biển")
    OTHER_CRIMINAL = "other_criminal", _("Hình sự khác")
    ADMINISTRATIVE = "administrative", _("Vi phạm hành chính")


class CaseDomain(models.TextChoices):
    LAND_BORDER = "land_border", _("Biên giới đất liền")
    SEA = "sea", _("Biển")
    INLAND = "inland", _("Nội địa")


class CaseStatus(models.TextChoices):
    DETECTED = "detected", _("Mới phát hiện")
    VERIFYING = "verifying", _("Đang xác minh")
    HANDLED = "handled", _("Đã xử lý")
    TRANSFERRED = "transferred", _("Đã chuyển cơ quan khác")
    CLOSED = "closed", _("Đã kết thúc")


# The workflow: one service per transition, this map is the only source of what is allowed.
CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.DETECTED: frozenset(
        {CaseStatus.VERIFYING, CaseStatus.HANDLED, CaseStatus.TRANSFERRED}
    ),
    CaseStatus.VERIFYING: frozenset(
        {CaseStatus.HANDLED, CaseStatus.TRANSFERRED, CaseStatus.CLOSED}
    ),
    CaseStatus.HANDLED: frozenset({CaseStatus.CLOSED}),
    CaseStatus.TRANSFERRED: frozenset({CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),
}


class CaseOutcome(models.TextChoices):
    PROSECUTION = "prosecution", _("Khởi tố hình sự")
    ADMINISTRATIVE = "administrative", _("Xử phạt vi phạm hành chính")
    TRANSFERRED = "transferred", _("Chuyển cơ quan có thẩm quyền")
    NO_VIOLATION = "no_violation", _("Không có vi phạm")


class ParticipationRole(models.TextChoices):
    LEAD = "lead", _("Chủ trì")
    COOPERATING = "cooperating", _("Phối hợp")


class SubjectKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức")


class SubjectRole(models.TextChoices):
    SUSPECT = "suspect", _("Nghi phạm")
    ARRESTED = "arrested", _("Bị bắt giữ")
    WITNESS = "witness", _("Người làm chứng")
    VICTIM = "victim", _("Bị hại")


class SubjectResult(models.TextChoices):
    ARRESTED = "arrested", _("Bắt giữ")
    SUMMONED = "summoned", _("Triệu tập")
    FINED = "fined", _("Xử phạt")
    PROSECUTED = "prosecuted", _("Khởi tố")
    RELEASED = "released", _("Trả tự do")


class Sex(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class ItemCategory(models.TextChoices):
    DRUGS = "drugs", _("Ma túy")
    EXPLOSIVES = "explosives", _("Vật liệu nổ, pháo")
    WEAPONS = "weapons", _("Vũ khí, công cụ hỗ trợ")
    FOREST = "forest", _("Lâm sản")
    GOODS = "goods", _("Hàng hóa")
    FUEL = "fuel", _("Xăng dầu")
    VEHICLES = "vehicles", _("Phương tiện")
    OTHER = "other", _("Khác")


class WantedStatus(models.TextChoices):
    WANTED = "wanted", _("Đang truy nã")
    ARRESTED = "arrested", _("Đã bắt")
    SURRENDERED = "surrendered", _("Đầu thú")
    CANCELLED = "cancelled", _("Đã đình nã")
