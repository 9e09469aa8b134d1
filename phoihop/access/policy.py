"""The installation's classification ceiling and the refusal of what exceeds it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from phoihop.core.enums import STORABLE_CLASSIFICATIONS, Classification
from phoihop.core.errors import DomainError


def installation_ceiling() -> Classification:
    return Classification.from_setting(settings.PHOIHOP_MAX_CLASSIFICATION)


def classification_choices() -> list[tuple[int, Any]]:
    """The classifications a form offers: what may be stored, up to the installation's ceiling."""
    ceiling = installation_ceiling()
    return [(value, label) for value, label in STORABLE_CLASSIFICATIONS if value <= ceiling]


def check_classification(
    value: int | None, *, field: str = "classification", actor: Any = None
) -> Classification:
    if value is None:
        raise DomainError(_("Phải chọn độ mật."), code="invalid", fields={field: [_("Bắt buộc.")]})
    """Refuse Tuyệt mật always and anything above what this installation is accredited for."""
    try:
        level = Classification(value)
    except ValueError as exc:
        raise DomainError(
            _("Độ mật không hợp lệ."), code="invalid", fields={field: [_("Giá trị không hợp lệ.")]}
        ) from exc
    if level >= Classification.TUYET_MAT:
        message = _(
            "Hệ thống không được lưu thông tin Tuyệt mật. Tài liệu Tuyệt mật phải được quản lý "
            "theo chế độ riêng, không đưa vào hệ thống này."
        )
        raise DomainError(message, code="classification_refused", fields={field: [message]})
    ceiling = installation_ceiling()
    if level > ceiling:
        message = _(
            "Hệ thống này chỉ được phép lưu thông tin đến mức %(ceiling)s; không nhập thông tin "
            "%(level)s vào đây (Luật Bảo vệ bí mật nhà nước)."
        ) % {"ceiling": ceiling.label, "level": level.label}
        raise DomainError(message, code="classification_above_ceiling", fields={field: [message]})
    clearance = getattr(actor, "clearance", None)
    if clearance is not None and level > clearance:
        # The author would lose sight of their own record the moment it is saved.
        message = _(
            "Bạn chỉ được tiếp cận thông tin đến mức %(clearance)s; không tạo hoặc sửa bản ghi "
            "mức %(level)s."
        ) % {"clearance": Classification(clearance).label, "level": level.label}
        raise DomainError(message, code="classification_above_clearance", fields={field: [message]})
    return level
