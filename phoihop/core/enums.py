from django.db import models
from django.utils.translation import gettext_lazy as _


class Classification(models.IntegerChoices):
    """Độ mật. Ordered, so that clearance >= classification is a plain comparison in SQL."""

    THUONG = 0, _("Thường")
    MAT = 1, _("Mật")
    TOI_MAT = 2, _("Tối mật")
    # Never stored: the system refuses it at input (Luật Bảo vệ bí mật nhà nước 2018).
    TUYET_MAT = 3, _("Tuyệt mật")

    @classmethod
    def from_setting(cls, value: str) -> "Classification":
        names = {"thuong": cls.THUONG, "mat": cls.MAT, "toi_mat": cls.TOI_MAT}
        try:
            return names[value.strip().lower()]
        except KeyError as exc:
            raise ValueError(
                f"Unknown classification {value!r}; expected one of {', '.join(names)}"
            ) from exc


STORABLE_CLASSIFICATIONS = [
    (c.value, c.label) for c in Classification if c is not Classification.TUYET_MAT
]
