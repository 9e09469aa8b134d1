"""API plumbing shared by every app: pagination and the one error shape."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from phoihop.core.errors import DomainError, NotFound, PermissionDenied


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


_STATUS_BY_CODE = {
    "not_found": status.HTTP_404_NOT_FOUND,
    "permission_denied": status.HTTP_403_FORBIDDEN,
    "stale_version": status.HTTP_409_CONFLICT,
}


def flat_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested errors named from the top: `subjects.1.birth_date`, `cooperating_units.0`."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            name = str(key)
            if name == "non_field_errors":
                name = prefix or "__all__"
            elif prefix:
                name = f"{prefix}.{name}"
            out.update(flat_errors(value, name))
    elif isinstance(detail, list) and any(isinstance(v, Mapping | list) for v in detail):
        for index, value in enumerate(detail):
            if value:
                out.update(flat_errors(value, f"{prefix}.{index}" if prefix else str(index)))
    elif isinstance(detail, list):
        out[prefix or "__all__"] = [str(v) for v in detail]
    else:
        out[prefix or "__all__"] = [str(detail)]
    return out


def _fields_from_drf(detail: Any) -> dict[str, list[str]]:
    return flat_errors(detail) if isinstance(detail, Mapping) else {}


# DRF's own messages for these are English (its Vietnamese catalogue is incomplete); ours
# replace them only when the exception still carries DRF's default text.
_DEFAULT_MESSAGES: dict[type[exceptions.APIException], Any] = {
    exceptions.NotAuthenticated: gettext_lazy(
        "Chưa xác thực: hãy đăng nhập hoặc gửi mã truy cập (Authorization: Token …)."
    ),
    exceptions.AuthenticationFailed: gettext_lazy("Thông tin xác thực không đúng."),
    exceptions.PermissionDenied: gettext_lazy("Bạn không có quyền thực hiện thao tác này."),
    exceptions.ParseError: gettext_lazy("Dữ liệu gửi lên không đọc được."),
    exceptions.NotAcceptable: gettext_lazy("Không thể trả lời theo định dạng được yêu cầu."),
}


def _vietnamese_message(exc: exceptions.APIException, context: dict[str, Any]) -> str | None:
    if isinstance(exc, exceptions.MethodNotAllowed):
        request = context.get("request")
        return _("Phương thức %(method)s không được hỗ trợ ở địa chỉ này.") % {
            "method": getattr(request, "method", "")
        }
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _("Kiểu dữ liệu gửi lên không được hỗ trợ.")
    if isinstance(exc, exceptions.Throttled):
        return _("Quá nhiều yêu cầu. Hãy thử lại sau.")
    default = _DEFAULT_MESSAGES.get(type(exc))
    if default is not None and str(exc.detail) == str(exc.default_detail):
        return str(default)
    return None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every API error as `{"message", "code", "fields"}`."""
    if isinstance(exc, DomainError):
        code: int = status.HTTP_400_BAD_REQUEST
        if isinstance(exc, NotFound):
            code = status.HTTP_404_NOT_FOUND
        elif isinstance(exc, PermissionDenied):
            code = status.HTTP_403_FORBIDDEN
        else:
            code = _STATUS_BY_CODE.get(exc.code, status.HTTP_400_BAD_REQUEST)
        return Response(exc.as_dict(), status=code)
    if isinstance(exc, DjangoValidationError):
        err = DomainError.from_validation_error(exc)
        return Response(err.as_dict(), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _fields_from_drf(exc.detail)
        if isinstance(exc.detail, list):
            fields = {"__all__": [str(d) for d in exc.detail]}
        first = next((f"{k}: {v[0]}" for k, v in fields.items() if v), "")
        body = {
            "message": _("Dữ liệu không hợp lệ. %(detail)s") % {"detail": first},
            "code": "invalid",
            "fields": fields,
        }
    elif isinstance(exc, exceptions.NotFound):
        body = NotFound().as_dict()
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        message = _vietnamese_message(exc, context) or (
            str(detail) if not isinstance(detail, dict | list) else _("Yêu cầu không hợp lệ.")
        )
        codes = exc.get_codes()
        body = {
            "message": message,
            "code": codes if isinstance(codes, str) else exc.default_code,
            "fields": {},
        }
    else:  # pragma: no cover - DRF only returns responses for APIException subclasses
        body = {"message": str(exc), "code": "error", "fields": {}}
    response.data = body
    return response
