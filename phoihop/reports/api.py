"""API of the conference tasks, under /api/v1/reports/.

Tasks are addressed by `public_id`; reads start from the reports selectors (built on the access
rule), writes go through the services. An invisible task is 404 like a missing one; a refusal of
the input (deadline before the conference, unknown force, transition not allowed, stale version)
is 400 in the one error shape `{message, code, fields}`, nothing saved. Every POST honours
`Idempotency-Key`.
"""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from phoihop.access.api import ScopedRecordPermission
from phoihop.access.rules import Action
from phoihop.access.shortcuts import record_for
from phoihop.core.idempotency import idempotent
from phoihop.org.models import User
from phoihop.reports import selectors, services
from phoihop.reports.models import ConferenceTask
from phoihop.reports.serializers import (
    TaskCreateSerializer,
    TaskDetailSerializer,
    TaskNoteCreateSerializer,
    TaskNoteSerializer,
    TaskSerializer,
    TaskTransitionSerializer,
    TaskUpdateSerializer,
)

_TAG = "Nhiệm vụ sau hội nghị"
_IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=gettext_lazy("Gửi lại cùng khóa và cùng nội dung thì không tạo bản ghi trùng."),
)
_FILTERS = [
    OpenApiParameter(
        "status", OpenApiTypes.STR, description="open|in_progress|done|cancelled|unfinished"
    ),
    OpenApiParameter("overdue", OpenApiTypes.BOOL),
    OpenApiParameter(
        "force", OpenApiTypes.STR, description=gettext_lazy("mã lực lượng: CA, QS, BP")
    ),
    OpenApiParameter("period", OpenApiTypes.STR, description="2024-Q3"),
]


def _actor(request: Request) -> User:
    return cast(User, request.user)


def _detail(actor: User, task: ConferenceTask) -> dict[str, Any]:
    fresh = (
        selectors.task_list(actor=actor)
        .prefetch_related("supporting_forces", "notes__author", "notes__unit", "transitions__actor")
        .select_related("area", "lead_force", "owner_unit")
        .get(pk=task.pk)
    )
    return dict(TaskDetailSerializer(fresh).data)


@extend_schema_view(
    list=extend_schema(tags=[_TAG], parameters=_FILTERS, responses=TaskSerializer(many=True)),
    retrieve=extend_schema(tags=[_TAG], responses=TaskDetailSerializer),
    create=extend_schema(
        tags=[_TAG],
        parameters=[_IDEMPOTENCY_KEY],
        request=TaskCreateSerializer,
        responses={201: TaskDetailSerializer},
    ),
    partial_update=extend_schema(
        tags=[_TAG], request=TaskUpdateSerializer, responses=TaskDetailSerializer
    ),
)
class TaskViewSet(viewsets.GenericViewSet):
    permission_classes = [ScopedRecordPermission]
    serializer_class = TaskSerializer
    lookup_field = "public_id"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> Any:
        return selectors.task_list(actor=_actor(self.request))

    def _task(self, public_id: str, action: Action = Action.VIEW) -> ConferenceTask:
        actor = _actor(self.request)
        return record_for(self.get_queryset(), actor, public_id=public_id, action=action)

    def list(self, request: Request) -> Response:
        params = request.query_params
        tasks = selectors.task_filter(
            self.get_queryset(),
            status=params.get("status", ""),
            overdue=params.get("overdue", "").lower() in {"1", "true", "yes"},
            force=params.get("force", "").upper(),
            period_key=params.get("period", "").upper(),
        ).order_by("deadline", "id")
        page = self.paginate_queryset(tasks)
        rows = page if page is not None else tasks
        data = TaskSerializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, public_id: str) -> Response:
        return Response(_detail(_actor(request), self._task(public_id)))

    def create(self, request: Request) -> Response:
        def handler() -> Response:
            actor = _actor(request)
            form = TaskCreateSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            data = dict(form.validated_data)
            data["area"] = selectors.report_area(actor=actor, code=data["area"])
            task = services.task_create(actor=actor, **data)
            return Response(_detail(actor, task), status=status.HTTP_201_CREATED)

        return idempotent(request, handler)

    def partial_update(self, request: Request, public_id: str) -> Response:
        actor = _actor(request)
        task = self._task(public_id, Action.CHANGE)
        form = TaskUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        version = data.pop("version")
        if "area" in data:
            data["area"] = selectors.report_area(actor=actor, code=data["area"])
        services.task_update(actor=actor, task=task, expected_version=version, **data)
        return Response(_detail(actor, task))

    @extend_schema(
        tags=[_TAG],
        parameters=[_IDEMPOTENCY_KEY],
        request=TaskTransitionSerializer,
        responses=TaskDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, public_id: str) -> Response:
        def handler() -> Response:
            actor = _actor(request)
            task = self._task(public_id, Action.CHANGE)
            form = TaskTransitionSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            services.task_transition(
                actor=actor,
                task=task,
                to=form.validated_data["to"],
                expected_version=form.validated_data.get("version"),
                note=form.validated_data["note"],
            )
            return Response(_detail(actor, task))

        return idempotent(request, handler)

    @extend_schema(
        tags=[_TAG],
        parameters=[_IDEMPOTENCY_KEY],
        request=TaskNoteCreateSerializer,
        responses={201: TaskNoteSerializer},
    )
    @action(detail=True, methods=["post"])
    def notes(self, request: Request, public_id: str) -> Response:
        def handler() -> Response:
            actor = _actor(request)
            task = self._task(public_id)
            form = TaskNoteCreateSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            note = services.task_note_add(
                actor=actor,
                task=task,
                body=form.validated_data["body"],
                noted_on=form.validated_data.get("noted_on"),
            )
            return Response(TaskNoteSerializer(note).data, status=status.HTTP_201_CREATED)

        return idempotent(request, handler)
