"""Serializer plumbing shared by every module's API: Vietnamese field messages, lists of public
ids, and validating a request body into the one error shape.

Input serializers check shape only: references (units, communes, records) are resolved against
what the actor may see by `phoihop.org.refs` and the modules' selectors, and every rule lives in
the services.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from phoihop.core.api import flat_errors
from phoihop.core.errors import DomainError, invalid
from phoihop.core.models import BaseModel

M = TypeVar("M", bound=BaseModel)

# DRF's Vietnamese catalogue lacks most field messages: ours name the problem in Vietnamese.
MESSAGES: dict[str, Any] = {
    "required": _("Trường này là bắt buộc."),
    "blank": _("Trường này không được để trống."),
    "null": _("Trường này không được để trống."),
    "invalid": _("Giá trị không hợp lệ."),
    "invalid_choice": _("“{input}” không phải là lựa chọn hợp lệ."),
    "max_length": _("Không được dài quá {max_length} ký tự."),
    "not_a_list": _("Phải là một danh sách."),
    "empty": _("Danh sách không được để trống."),
    "date": _("Phải là thời điểm (ngày và giờ), không chỉ ngày."),
}


def field_messages(**extra: Any) -> dict[str, Any]:
    """The Vietnamese field messages, with `extra` replacing some of them."""
    return {**MESSAGES, **extra}


class PublicIdListField(serializers.ListField):
    """A list of public ids; malformed ones are reported together, as unknown ids are."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", field_messages())
        super().__init__(child=serializers.UUIDField(), **kwargs)

    def run_child_validation(self, data: list[Any]) -> list[uuid.UUID]:
        parsed: list[uuid.UUID] = []
        bad: list[str] = []
        for value in data:
            try:
                parsed.append(uuid.UUID(str(value)))
            except ValueError:
                bad.append(str(value))
        if bad:
            raise serializers.ValidationError(
                _("Mã định danh không hợp lệ: %(ids)s.") % {"ids": ", ".join(bad)}
            )
        return list(dict.fromkeys(parsed))


def by_public_ids(
    rows: QuerySet[M], ids: Sequence[uuid.UUID], *, field: str, unknown: str, code: str
) -> list[M]:
    """The records of `rows` (what the actor may see) that a `PublicIdListField` names, in its
    order; any missing refuses `field` with `unknown` % {"ids": the missing ones} and `code`."""
    found = {row.public_id: row for row in rows.filter(public_id__in=ids)}
    missing = ", ".join(str(i) for i in ids if i not in found)
    if missing:
        raise invalid(field, unknown % {"ids": missing}, code=code)
    return [found[i] for i in ids]


def validated(serializer_class: type[serializers.Serializer], data: Any, **kwargs: Any) -> dict:
    """`data` checked by `serializer_class`, or a DomainError naming every bad field (nested
    rows by position: `subjects.0.citizen_id`) — the API's one error shape."""
    form = serializer_class(data=data, **kwargs)
    if not form.is_valid():
        fields = flat_errors(form.errors)
        first = next((f"{name}: {msgs[0]}" for name, msgs in fields.items() if msgs), "")
        raise DomainError(
            gettext_now("Dữ liệu không hợp lệ. %(detail)s") % {"detail": first},
            code="invalid",
            fields=fields,
        )
    return dict(form.validated_data)
