"""The OpenAPI description every scoped-record endpoint shares, declared once.

Answers of every module's API, in the one error shape `{message, code, fields}`: 400 bad input
(nothing saved), 401 not authenticated, 403 a visible record the rule does not let the caller
act on, 404 missing or invisible (the same answer), 409 a stale `version` or an Idempotency-Key
still being processed, 422 an Idempotency-Key reused with another body.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status

from phoihop.org.serializers import ErrorSerializer

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=gettext_lazy(
        "Khóa do máy khách tạo (tối đa 100 ký tự): gửi lại cùng khóa và cùng nội dung thì nhận lại "
        "câu trả lời lần đầu, không tạo bản ghi trùng."
    ),
)
PUBLIC_ID = OpenApiParameter("public_id", OpenApiTypes.UUID, OpenApiParameter.PATH)


def path_id(name: str) -> OpenApiParameter:
    """A row under a record, addressed by its public id (`subject_id`, `seized_id`)."""
    return OpenApiParameter(name, OpenApiTypes.UUID, OpenApiParameter.PATH)


def version_query(*, required: bool) -> OpenApiParameter:
    return OpenApiParameter(
        "version",
        OpenApiTypes.INT,
        OpenApiParameter.QUERY,
        required=required,
        description=gettext_lazy(
            "Phiên bản của bản ghi khi quyết định xóa; nếu đã cũ, yêu cầu bị từ chối (409)."
        ),
    )


_BAD_INPUT = gettext_lazy(
    "Dữ liệu không hợp lệ: `fields` nêu trường, dòng lồng nhau theo vị trí (ví dụ units.1.unit); "
    "`code` nêu lý do (ví dụ unknown_unit, unknown_commune). Không có gì được lưu."
)


def read_errors(bad_input: Any = _BAD_INPUT) -> dict[int, OpenApiResponse]:
    """The errors of a read; `bad_input` describes the module's own 400 codes."""
    return {
        status.HTTP_400_BAD_REQUEST: OpenApiResponse(ErrorSerializer, bad_input),
        status.HTTP_401_UNAUTHORIZED: OpenApiResponse(
            ErrorSerializer, gettext_lazy("Chưa xác thực.")
        ),
        status.HTTP_403_FORBIDDEN: OpenApiResponse(
            ErrorSerializer,
            gettext_lazy(
                "Được xem nhưng quy tắc truy cập không cho phép thao tác này (permission_denied), "
                "hoặc người dùng không thuộc đơn vị nào."
            ),
        ),
        status.HTTP_404_NOT_FOUND: OpenApiResponse(
            ErrorSerializer,
            gettext_lazy("Không có, hoặc không được xem: cùng một câu trả lời (not_found)."),
        ),
    }


def write_errors(bad_input: Any = _BAD_INPUT) -> dict[int, OpenApiResponse]:
    """The errors of a PATCH, PUT or DELETE: a read's and a stale version."""
    return {
        **read_errors(bad_input),
        status.HTTP_409_CONFLICT: OpenApiResponse(
            ErrorSerializer,
            gettext_lazy(
                "Phiên bản đã cũ (stale_version): người khác đã lưu trước; hoặc yêu cầu cùng "
                "Idempotency-Key đang được xử lý."
            ),
        ),
    }


def post_errors(bad_input: Any = _BAD_INPUT) -> dict[int, OpenApiResponse]:
    """The errors of a POST: a write's and a reused Idempotency-Key."""
    return {
        **write_errors(bad_input),
        status.HTTP_422_UNPROCESSABLE_ENTITY: OpenApiResponse(
            ErrorSerializer, gettext_lazy("Idempotency-Key đã dùng cho một yêu cầu khác.")
        ),
    }


def post_action(
    *, tag: Any, summary: Any, request: Any, response: Any, status_code: int = 200, **kwargs: Any
) -> Callable[[Any], Any]:
    """The schema of a POST action on one record (`/{public_id}/verb/`), idempotent."""
    return extend_schema(
        tags=[tag],
        summary=summary,
        parameters=[PUBLIC_ID, IDEMPOTENCY_KEY, *kwargs.pop("parameters", [])],
        request=request,
        responses={status_code: response, **post_errors(kwargs.pop("bad_input", _BAD_INPUT))},
        **kwargs,
    )


# The generic summary of each action of a scoped-record viewset (`documented`).
_SUMMARIES = {
    "list": gettext_lazy("Danh sách: %(noun)s"),
    "retrieve": gettext_lazy("Một bản ghi: %(noun)s"),
    "create": gettext_lazy("Ghi nhận: %(noun)s"),
    "partial_update": gettext_lazy("Sửa (gửi kèm version): %(noun)s"),
    "destroy": gettext_lazy("Xóa (xóa mềm, vẫn giữ lịch sử): %(noun)s"),
}


def documented(
    *,
    tag: Any,
    noun: Any,
    serializer: Any = None,
    detail_serializer: Any = None,
    input_serializer: Any = None,
    change_serializer: Any = None,
    delete_version_required: bool | None = None,
    bad_input: Any = _BAD_INPUT,
    summaries: dict[str, Any] | None = None,
) -> Callable[[type], type]:
    """The schema of a `ScopedRecordViewSet`'s list/retrieve/create/partial_update/destroy.

    The serializers and whether DELETE requires a version are read from the viewset's own
    attributes (`serializer_class`, `detail_serializer_class`, `input_serializer_class`,
    `change_serializer_class`, `delete_version_required`) unless given here; create is
    documented when there is an input serializer, change and delete when there is a change
    serializer. `summaries` replaces the generic summary of any action."""
    own = summaries or {}

    def decorate(viewset: type) -> type:
        rows = serializer or viewset.serializer_class  # type: ignore[attr-defined]
        detail = detail_serializer or getattr(viewset, "detail_serializer_class", None) or rows
        create = input_serializer or getattr(viewset, "input_serializer_class", None)
        change = change_serializer or getattr(viewset, "change_serializer_class", None)
        version_required = (
            delete_version_required
            if delete_version_required is not None
            else bool(getattr(viewset, "delete_version_required", False))
        )

        views: dict[str, Any] = {}

        def step(action: str, answer: int, body: Any, errors: Any, **kwargs: Any) -> None:
            """Document `action`: its summary, its answer `body` with status `answer`, `errors`."""
            views[action] = extend_schema(
                tags=[tag],
                summary=own.get(action) or _SUMMARIES[action] % {"noun": noun},
                responses={answer: body, **errors(bad_input)},
                **kwargs,
            )

        step("list", 200, rows(many=True), read_errors)
        step("retrieve", 200, detail, read_errors, parameters=[PUBLIC_ID])
        if create is not None:
            step("create", 201, detail, post_errors, parameters=[IDEMPOTENCY_KEY], request=create)
        if change is not None:
            step(
                "partial_update", 200, detail, write_errors, parameters=[PUBLIC_ID], request=change
            )
            delete_parameters = [PUBLIC_ID, version_query(required=version_required)]
            step("destroy", 204, None, write_errors, parameters=delete_parameters)
        return extend_schema_view(**views)(viewset)

    return decorate
