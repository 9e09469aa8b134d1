"""DRF building blocks for scoped records: querysets from the rule, actions from the predicates."""

from __future__ import annotations

from typing import Any

from rest_framework import permissions, viewsets
from rest_framework.request import Request

from phoihop.access.models import ScopedModel
from phoihop.access.rules import Action, can, visible
from phoihop.access.shortcuts import record_for

_ACTION_BY_METHOD = {
    "GET": Action.VIEW,
    "HEAD": Action.VIEW,
    "OPTIONS": Action.VIEW,
    "PUT": Action.CHANGE,
    "PATCH": Action.CHANGE,
    "DELETE": Action.DELETE,
}


class ScopedRecordPermission(permissions.BasePermission):
    """Authenticated members of the unit tree; per-record actions decided by `access.rules.can`."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "unit_id", None))

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        action = _ACTION_BY_METHOD.get(request.method or "GET", Action.CHANGE)
        return can(request.user, action, obj)


class ScopedViewSetMixin:
    """Lists and details start from the visibility rule; records are addressed by public_id."""

    scoped_model: type[ScopedModel]
    lookup_field = "public_id"
    lookup_value_regex = "[0-9a-fA-F-]{36}"
    permission_classes: Any = [ScopedRecordPermission]

    def get_queryset(self) -> Any:
        return visible(self.scoped_model, self.request.user)  # type: ignore[attr-defined]

    def get_object(self) -> Any:
        request = self.request  # type: ignore[attr-defined]
        action = _ACTION_BY_METHOD.get(request.method or "GET", Action.CHANGE)
        public_id = self.kwargs[self.lookup_field]  # type: ignore[attr-defined]
        return record_for(self.get_queryset(), request.user, public_id=public_id, action=action)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass
