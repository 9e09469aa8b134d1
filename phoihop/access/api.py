"""The one API base over scoped records: reads from the rule, writes through the services.

A module's viewset over a record kind subclasses `ScopedRecordViewSet` and supplies:
- `selector(actor)`: the module's selector (it starts from the access rule), for lists;
  `detail_queryset(actor)` if a detail loads more;
- the serializers: `serializer_class` (list rows), `detail_serializer_class` (one record, also the
  answer to every write), `input_serializer_class` (create), `change_serializer_class` (PATCH);
- `create_record(actor, data)`, `update_record(actor, record, version, data)`,
  `delete_record(actor, record, version)`: each calls one service.

The base then answers, the same way for every module:
- list (filtered, paginated) and retrieve; an invisible record is 404, as a missing one;
- POST create and every POST action (`self.idempotent(handler)`) honour `Idempotency-Key`;
- PATCH requires the `version` being edited (409 `stale_version` when someone saved first);
  DELETE takes `?version=` (required where `delete_version_required`);
- the rule's action for the method (view/change/delete) is checked on the record before any
  service runs: visible but not allowed is 403;
- bad input is 400 in the one error shape, naming nested rows by position.
Unit references in bodies are resolved by `phoihop.org.refs` (a code or a public id, everywhere).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from phoihop.access.models import ScopedModel
from phoihop.access.rules import Action, can, get_visible
from phoihop.access.schema import post_action
from phoihop.access.shortcuts import record_for
from phoihop.core.errors import invalid
from phoihop.core.idempotency import idempotent
from phoihop.core.serializers import validated

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


def version_required(data: dict[str, Any]) -> int:
    """The `version` a change was decided on, taken out of `data`; missing → 400."""
    version = data.pop("version", None)
    if version is None:
        raise invalid("version", _("Phải gửi phiên bản đang sửa (version)."), code="required")
    return int(version)


def delete_version(request: Request, *, required: bool) -> int | None:
    """The version a DELETE was decided on: `?version=` (or `version` in the body)."""
    raw = request.query_params.get("version")
    if raw is None and isinstance(request.data, Mapping):
        raw = request.data.get("version")
    if raw in (None, ""):
        if required:
            raise invalid(
                "version",
                _("Phải gửi phiên bản (version) của bản ghi khi xóa."),
                code="required",
            )
        return None
    try:
        version = int(str(raw))
    except ValueError as exc:
        raise invalid("version", _("Phiên bản phải là số nguyên.")) from exc
    if version < 1:
        raise invalid("version", _("Phiên bản phải là số nguyên dương."))
    return version


class ScopedRecordViewSet(viewsets.GenericViewSet):
    """List, read, create, change and delete one scoped record kind (see the module docstring)."""

    permission_classes: Any = [ScopedRecordPermission]
    lookup_field = "public_id"
    # Any id reaches the view, so that a malformed one gets the API's 404, not the site's.
    lookup_value_regex = "[^/]+"
    detail_serializer_class: ClassVar[type[serializers.BaseSerializer] | None] = None
    input_serializer_class: ClassVar[type[serializers.BaseSerializer] | None] = None
    change_serializer_class: ClassVar[type[serializers.BaseSerializer] | None] = None
    delete_version_required: ClassVar[bool] = False

    # --- what each record kind supplies

    def selector(self, actor: Any) -> QuerySet[Any]:
        raise NotImplementedError

    def detail_queryset(self, actor: Any) -> QuerySet[Any]:
        return self.selector(actor)

    def list_context(self, rows: list[Any]) -> dict[str, Any]:
        return {}

    def detail_context(self, record: Any) -> dict[str, Any]:
        return {}

    # A kind that does not supply a write answers 405 in the one error shape, never a 500.

    def create_record(self, actor: Any, data: dict[str, Any]) -> ScopedModel:
        raise exceptions.MethodNotAllowed(self.request.method or "POST")

    def update_record(self, actor: Any, record: Any, version: int, data: dict[str, Any]) -> None:
        raise exceptions.MethodNotAllowed(self.request.method or "PATCH")

    def delete_record(self, actor: Any, record: Any, version: int | None) -> None:
        raise exceptions.MethodNotAllowed(self.request.method or "DELETE")

    # --- helpers for actions

    @property
    def actor(self) -> Any:
        return self.request.user

    def get_queryset(self) -> QuerySet[Any]:
        return self.selector(self.actor)

    def record(self, action: Action = Action.VIEW, queryset: QuerySet[Any] | None = None) -> Any:
        """The record of the URL, checked for `action`: invisible 404, not allowed 403."""
        records = queryset if queryset is not None else self.detail_queryset(self.actor)
        public_id = self.kwargs[self.lookup_field]
        return record_for(records, self.actor, public_id=public_id, action=action)

    def get_object(self) -> Any:
        """DRF's hook, answered by the rule: the method's action (a POST action: change)."""
        action = _ACTION_BY_METHOD.get(self.request.method or "GET", Action.CHANGE)
        return self.record(action, queryset=self.get_queryset())

    def validated(
        self, serializer_class: type[serializers.BaseSerializer] | None, **kwargs: Any
    ) -> dict[str, Any]:
        assert serializer_class is not None
        return validated(serializer_class, self.request.data, **kwargs)  # type: ignore[arg-type]

    def detail_data(self, record: Any) -> Any:
        serializer = self.detail_serializer_class or self.get_serializer_class()
        return serializer(record, context=self.detail_context(record)).data

    def answer(self, record: Any, http_status: int = status.HTTP_200_OK) -> Response:
        """The record as it is now (re-read through the rule), as a detail."""
        fresh = get_visible(self.detail_queryset(self.actor), self.actor, pk=record.pk)
        return Response(self.detail_data(fresh), status=http_status)

    def idempotent(self, handler: Callable[[], Response]) -> Response:
        return idempotent(self.request, handler)

    # --- the actions

    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        serializer = self.get_serializer_class()
        data = serializer(rows, many=True, context=self.list_context(rows)).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, public_id: str) -> Response:
        return Response(self.detail_data(self.record()))

    def create(self, request: Request) -> Response:
        if self.input_serializer_class is None:
            raise exceptions.MethodNotAllowed(request.method or "POST")

        def handler() -> Response:
            data = self.validated(self.input_serializer_class)
            record = self.create_record(self.actor, data)
            return self.answer(record, status.HTTP_201_CREATED)

        return self.idempotent(handler)

    def partial_update(self, request: Request, public_id: str) -> Response:
        serializer = self.change_serializer_class or self.input_serializer_class
        if serializer is None:
            raise exceptions.MethodNotAllowed(request.method or "PATCH")
        record = self.record(Action.CHANGE)
        data = self.validated(serializer, partial=self.change_serializer_class is None)
        version = version_required(data)
        self.update_record(self.actor, record, version, data)
        return self.answer(record)

    def destroy(self, request: Request, public_id: str) -> Response:
        record = self.record(Action.DELETE)
        version = delete_version(request, required=self.delete_version_required)
        self.delete_record(self.actor, record, version)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ScopedReadOnlyViewSet(ScopedRecordViewSet):
    """List and retrieve only."""

    http_method_names = ["get", "head", "options"]


def workflow_step(
    name: str,
    change: Callable[[Any, Any, dict[str, Any]], object],
    *,
    tag: Any,
    summary: Any,
    response: Any,
    body: type[serializers.BaseSerializer] | None = None,
    url_path: str | None = None,
    check: Action = Action.VIEW,
    **schema: Any,
) -> Any:
    """A POST action `/{public_id}/<url_path or name>/` of a `ScopedRecordViewSet`, assigned to
    the attribute `name`, moving one record along its workflow: the record (checked for
    `check`), the body validated by `body`, one service `change(actor, record, data)`, the
    record's detail as the answer; idempotent, documented by `access.schema.post_action`
    (`schema` passes e.g. `bad_input`). The service decides who may take the step."""

    def step(self: ScopedRecordViewSet, request: Request, public_id: str) -> Response:
        def handler() -> Response:
            record = self.record(check)
            data = self.validated(body) if body is not None else {}
            change(self.actor, record, data)
            return self.answer(record)

        return self.idempotent(handler)

    # DRF dispatches an action by its function's name: the attribute's, set before routing.
    step.__name__ = step.__qualname__ = name
    path = url_path or name
    routed = action(detail=True, methods=["post"], url_path=path, url_name=path)(step)
    return post_action(tag=tag, summary=summary, request=body, response=response, **schema)(routed)
