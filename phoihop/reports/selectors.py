"""Reads of conference tasks, all starting from the access rule."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.access.rules import get_visible, visible
from phoihop.core.errors import DomainError, NotFound
from phoihop.indicators.periods import Period
from phoihop.org.enums import AreaLevel
from phoihop.org.models import AdministrativeArea
from phoihop.org.selectors import area_get
from phoihop.reports.enums import UNFINISHED
from phoihop.reports.models import ConferenceTask, ConferenceTaskNote, ConferenceTaskTransition


def task_list(*, actor: Any) -> QuerySet[ConferenceTask]:
    return (
        visible(ConferenceTask, actor)
        .select_related("area", "lead_force", "owner_unit")
        .prefetch_related("supporting_forces")
    )


def task_get(*, actor: Any, public_id: str | uuid.UUID) -> ConferenceTask:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise NotFound() from exc
    return get_visible(task_list(actor=actor), actor, public_id=key)


def task_filter(
    tasks: QuerySet[ConferenceTask],
    *,
    status: str = "",
    overdue: bool = False,
    force: str = "",
    period_key: str = "",
    today: dt.date | None = None,
) -> QuerySet[ConferenceTask]:
    """Narrow a visible list: by status, overdue (unfinished past the deadline), force (lead or
    supporting, by code) and the conference's period key."""
    if status == "unfinished":
        tasks = tasks.filter(status__in=UNFINISHED)
    elif status:
        tasks = tasks.filter(status=status)
    if overdue:
        tasks = tasks.filter(status__in=UNFINISHED, deadline__lt=today or timezone.localdate())
    if force:
        tasks = tasks.filter(
            Q(lead_force__code=force) | Q(supporting_forces__code=force)
        ).distinct()
    if period_key:
        tasks = tasks.filter(period_key=period_key)
    return tasks


def task_notes(*, task: ConferenceTask) -> QuerySet[ConferenceTaskNote]:
    """Notes of a task the caller already obtained through `task_get` (visible)."""
    return ConferenceTaskNote.objects.filter(task=task).select_related("author", "unit")


def task_transitions(*, task: ConferenceTask) -> QuerySet[ConferenceTaskTransition]:
    return ConferenceTaskTransition.objects.filter(task=task).select_related("actor")


def area_and_below(area: AdministrativeArea) -> Q:
    """Tasks of the area itself or of an area inside it (a commune of the province)."""
    return Q(area=area) | Q(area__parent=area) | Q(area__parent__parent=area)


def tasks_carried_over(
    *, actor: Any, area: AdministrativeArea, period: Period
) -> list[ConferenceTask]:
    """Unfinished tasks set by conferences of earlier periods for the area (or an area in it),
    that the actor may see: what the report of `period` must carry over."""
    start = period.start
    candidates = task_list(actor=actor).filter(area_and_below(area), status__in=UNFINISHED)
    carried = []
    for task in candidates:
        try:
            earlier = Period.parse(task.period_key).start < start
        except DomainError:  # an unreadable key still orders by its text
            earlier = task.period_key < period.key
        if earlier:
            carried.append(task)
    carried.sort(key=lambda t: (t.deadline, t.pk))
    return carried


def report_area(*, actor: Any, code: str, field: str = "area") -> AdministrativeArea:
    """A province (2 digits) or commune (5 digits) of the actor's province, by official code."""
    code = (code or "").strip()
    level = {2: AreaLevel.PROVINCE, 5: AreaLevel.COMMUNE}.get(len(code)) if code.isdigit() else None
    message = _("Không có địa bàn mã “%(code)s”. Nhập mã tỉnh (2 chữ số) hoặc mã xã (5 chữ số).")
    if level is None:
        raise DomainError(
            message % {"code": code},
            code="unknown_area",
            fields={field: [message % {"code": code}]},
        )
    try:
        area = area_get(actor=actor, level=level, code=code)
    except NotFound as exc:
        raise DomainError(
            message % {"code": code},
            code="unknown_area",
            fields={field: [message % {"code": code}]},
        ) from exc
    unit = actor.unit
    province_id = area.pk if area.level == AreaLevel.PROVINCE else area.parent_id
    if unit is None or province_id != unit.province_id:
        text = _("Địa bàn “%(area)s” nằm ngoài tỉnh của đơn vị bạn.") % {"area": area.name}
        raise DomainError(text, code="area_outside_province", fields={field: [text]})
    return area
