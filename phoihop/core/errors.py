"""The one error type of the domain, turned into the API's error shape and into form errors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class DomainError(Exception):
    """A refusal with a message for the user, a stable code and per-field messages."""

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid",
        fields: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = str(message)
        self.code = code
        self.fields: dict[str, list[str]] = {
            k: [str(m) for m in v] for k, v in (fields or {}).items()
        }

    def as_dict(self) -> dict[str, Any]:
        return {"message": self.message, "code": self.code, "fields": self.fields}

    @classmethod
    def from_validation_error(cls, exc: ValidationError) -> DomainError:
        if hasattr(exc, "error_dict"):
            fields = {
                name: [str(m) for e in errs for m in e.messages]
                for name, errs in exc.error_dict.items()
            }
        else:
            fields = {"__all__": [str(m) for m in exc.messages]}
        first = next((f"{name}: {msgs[0]}" for name, msgs in fields.items() if msgs), "")
        return cls(
            _("Dữ liệu không hợp lệ. %(detail)s") % {"detail": first}, code="invalid", fields=fields
        )


class NotFound(DomainError):
    """Missing or invisible: the same answer, so that existence does not leak."""

    def __init__(self) -> None:
        super().__init__(_("Không tìm thấy."), code="not_found")


class PermissionDenied(DomainError):
    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message or _("Bạn không có quyền thực hiện thao tác này."), code="permission_denied"
        )


class StaleVersion(DomainError):
    def __init__(self, *, expected: int, actual: int) -> None:
        super().__init__(
            _(
                "Bản ghi đã được người khác sửa (phiên bản %(actual)s, bạn đang sửa phiên bản "
                "%(expected)s). Hãy tải lại trang và sửa lại."
            )
            % {"actual": actual, "expected": expected},
            code="stale_version",
            fields={"version": [_("Phiên bản đã cũ.")]},
        )


def invalid(field: str, message: str, *, code: str = "invalid") -> DomainError:
    """A refusal of one field's value."""
    return DomainError(message, code=code, fields={field: [message]})


def prefixed(exc: DomainError, prefix: str) -> DomainError:
    """The same refusal with its fields named inside a list (`subjects.1.citizen_id`)."""
    fields = {f"{prefix}.{name}": msgs for name, msgs in exc.fields.items()}
    first = next(iter(fields), prefix)
    return DomainError(f"{first}: {exc.message}", code=exc.code, fields=fields)


def validate(instance: Any, *, exclude: Sequence[str] | None = None) -> None:
    """`full_clean()` with Django's ValidationError turned into a DomainError naming fields."""
    try:
        instance.full_clean(exclude=list(exclude or ()))
    except ValidationError as exc:
        raise DomainError.from_validation_error(exc) from exc
