"""Writes of conference tasks (create, edit, move through the workflow, add progress notes) and of
a province's report settings (administrators of the province only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.access.models import Distribution
from phoihop.access.policy import check_classification
from phoihop.access.rules import Action, can, require, visible
from phoihop.audit.models import AuditAction
from phoihop.audit.services import audit_record
from phoihop.core.errors import PermissionDenied, StaleVersion
from phoihop.core.errors import invalid as _invalid
from phoihop.core.errors import validate as _full_clean
from phoihop.core.text import clean_text
from phoihop.core.versioning import apply_changes, audit_changes
from phoihop.indicators.periods import Period
from phoihop.org.enums import AreaLevel, RoleCode
from phoihop.org.forces import require_administrator_of
from phoihop.org.models import AdministrativeArea, Force, Unit, User
from phoihop.reports.enums import TASK_TRANSITIONS, TaskStatus
from phoihop.reports.models import (
    ConferenceTask,
    ConferenceTaskNote,
    ConferenceTaskTransition,
    ReportSettings,
)


def _member(actor: User) -> Unit:
    if not getattr(actor, "is_authenticated", False) or actor.unit is None:
        raise PermissionDenied()
    return actor.unit


def _writer(actor: User) -> Unit:
    unit = _member(actor)
    if not (actor.has_role(RoleCode.OFFICER) or actor.has_role(RoleCode.COMMANDER)):
        raise PermissionDenied()
    return unit


def _force(code: str | Force, field: str) -> Force:
    if isinstance(code, Force):
        return code
    force = Force.objects.filter(code=(code or "").strip().upper()).first()
    if force is None:
        raise _invalid(
            field, _("Lực lượng “%(code)s” không tồn tại.") % {"code": code}, code="unknown_force"
        )
    return force


def _forces(codes: Iterable[str | Force], *, lead: Force) -> list[Force]:
    found: dict[int, Force] = {}
    for code in codes:
        force = _force(code, "supporting_forces")
        if force.pk == lead.pk:
            raise _invalid(
                "supporting_forces",
                _("Lực lượng chủ trì không đồng thời là lực lượng phối hợp."),
                code="lead_is_supporting",
            )
        found[force.pk] = force
    return list(found.values())


def _period_key(key: str) -> str:
    return Period.parse(key, field="period_key").key


def _check_area(unit: Unit, area: AdministrativeArea) -> None:
    """A task belongs to the recording unit's province or one of its communes."""
    province_id = area.pk if area.level == AreaLevel.PROVINCE else area.parent_id
    if province_id != unit.province_id:
        raise _invalid(
            "area",
            _("Địa bàn “%(area)s” không thuộc tỉnh của đơn vị bạn.") % {"area": area.name},
            code="area_outside_province",
        )


def _force_heads(province_id: int, forces: Iterable[Force]) -> list[Unit]:
    """The top units of each force in the province (those whose parent is another force's or
    none): they receive the task, so the forces carrying it out see it."""
    codes = {f.pk for f in forces}
    units = Unit.objects.filter(
        province_id=province_id, force_id__in=codes, valid_until__isnull=True
    ).select_related("parent")
    return [u for u in units if u.parent is None or u.parent.force_id != u.force_id]


def _distribute(task: ConferenceTask, forces: Iterable[Force]) -> None:
    content_type = ContentType.objects.get_for_model(ConferenceTask)
    for unit in _force_heads(task.province_id, forces):
        if task.owner_unit.path.startswith(unit.path):
            continue  # already sees it: the owner is in its subtree
        Distribution.objects.get_or_create(content_type=content_type, object_id=task.pk, unit=unit)


@transaction.atomic
def task_create(
    *,
    actor: User,
    area: AdministrativeArea,
    period_key: str,
    conference_date: dt.date,
    content: str,
    lead_force: str | Force,
    deadline: dt.date,
    supporting_forces: Iterable[str | Force] = (),
    classification: int = 0,
    is_joint: bool = True,
) -> ConferenceTask:
    """Record a task set by the conference reviewing `period_key`. It is sent to the top unit of
    each force taking part (lead and supporting) and is joint by default, so the joint staff of
    the province follow it too."""
    unit = _writer(actor)
    check_classification(classification, actor=actor)
    key = _period_key(period_key)
    _check_area(unit, area)
    lead = _force(lead_force, "lead_force")
    supporting = _forces(supporting_forces, lead=lead)
    task = ConferenceTask(
        owner_unit=unit,
        province_id=unit.province_id,
        classification=classification,
        is_joint=is_joint,
        period_key=key,
        area=area,
        conference_date=conference_date,
        content=clean_text(content),
        lead_force=lead,
        deadline=deadline,
        created_by=actor,
    )
    _full_clean(task)
    task.save()
    task.supporting_forces.set(supporting)
    _distribute(task, [lead, *supporting])
    ConferenceTaskTransition.objects.create(
        task=task, from_status="", to_status=task.status, actor=actor
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=task,
        changes={
            "period_key": key,
            "area": area.code,
            "lead_force": lead.code,
            "supporting_forces": [f.code for f in supporting],
            "deadline": deadline.isoformat(),
        },
    )
    return task


EDITABLE = ("period_key", "area", "conference_date", "content", "lead_force", "deadline")


@transaction.atomic
def task_update(
    *,
    actor: User,
    task: ConferenceTask,
    expected_version: int,
    supporting_forces: Iterable[str | Force] | None = None,
    **changes: Any,
) -> ConferenceTask:
    """Edit a task from the version the editor started from (StaleVersion otherwise)."""
    unit = _writer(actor)
    require(actor, Action.CHANGE, task)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        name = sorted(unknown)[0]
        raise _invalid(name, _("Trường này không sửa được."), code="not_editable")
    if "period_key" in changes:
        changes["period_key"] = _period_key(changes["period_key"])
    if "area" in changes:
        _check_area(unit, changes["area"])
    if "content" in changes:
        changes["content"] = clean_text(changes["content"])
    if "lead_force" in changes:
        changes["lead_force"] = _force(changes["lead_force"], "lead_force")
    lead = changes.get("lead_force", task.lead_force)
    current = {f.pk for f in task.supporting_forces.all()}
    new_supporting = None
    if supporting_forces is not None:
        new_supporting = _forces(supporting_forces, lead=lead)
    elif "lead_force" in changes and lead.pk in current:
        raise _invalid(
            "lead_force",
            _("Lực lượng chủ trì không đồng thời là lực lượng phối hợp."),
            code="lead_is_supporting",
        )
    supporting_changed = new_supporting is not None and {f.pk for f in new_supporting} != current
    changed = apply_changes(task, expected_version=expected_version, changes=changes)
    if supporting_changed:
        assert new_supporting is not None
        if not changed:
            # apply_changes checked the version; bump it for the supporting forces alone.
            task.version = expected_version + 1
            task.save(update_fields=["version", "updated_at"])
        task.supporting_forces.set(new_supporting)
        changed.append("supporting_forces")
    if changed:
        _distribute(task, [task.lead_force, *task.supporting_forces.all()])
    if changed:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=task,
            changes={
                name: (
                    [f.code for f in new_supporting or ()]
                    if name == "supporting_forces"
                    else str(getattr(task, name))
                )
                for name in changed
            },
        )
    return task


@transaction.atomic
def task_transition(
    *,
    actor: User,
    task: ConferenceTask,
    to: str,
    expected_version: int | None = None,
    note: str = "",
) -> ConferenceTask:
    """Move a task along TASK_TRANSITIONS, logging the change."""
    _writer(actor)
    require(actor, Action.CHANGE, task)
    # Lock the task's row so that two transitions at once are applied one after the other.
    locked = visible(ConferenceTask, actor).select_for_update(of=("self",)).get(pk=task.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(expected=expected_version, actual=locked.version)
    if to not in TaskStatus.values:
        raise _invalid("status", _("Trạng thái không hợp lệ."), code="invalid_status")
    if to not in TASK_TRANSITIONS.get(locked.status, frozenset()):
        raise _invalid(
            "status",
            _("Không thể chuyển nhiệm vụ từ “%(old)s” sang “%(new)s”.")
            % {"old": TaskStatus(locked.status).label, "new": TaskStatus(to).label},
            code="invalid_transition",
        )
    ConferenceTaskTransition.objects.create(
        task=locked, from_status=locked.status, to_status=to, actor=actor, note=note.strip()
    )
    old = locked.status
    locked.status = to
    locked.version += 1
    locked.save(update_fields=["status", "version", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, changes={"status": [old, to]})
    task.status, task.version = locked.status, locked.version
    return locked


@transaction.atomic
def task_note_add(
    *,
    actor: User,
    task: ConferenceTask,
    body: str,
    noted_on: dt.date | None = None,
) -> ConferenceTaskNote:
    """A progress note by anyone who sees the task (the forces carrying it out report here)."""
    unit = _writer(actor)
    if not can(actor, Action.VIEW, task):
        raise PermissionDenied()
    day = noted_on or timezone.localdate()
    if day > timezone.localdate():
        raise _invalid("noted_on", _("Ngày ghi không được ở tương lai."), code="future_date")
    if day < task.conference_date:
        raise _invalid(
            "noted_on", _("Ngày ghi không được trước ngày hội nghị."), code="before_conference"
        )
    if task.status == TaskStatus.CANCELLED:
        raise _invalid("status", _("Nhiệm vụ đã hủy."), code="task_cancelled")
    note = ConferenceTaskNote(task=task, author=actor, unit=unit, noted_on=day, body=body.strip())
    _full_clean(note)
    note.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=note,
        changes={"task": str(task.public_id), "noted_on": day.isoformat()},
    )
    return note


# --- the province's report settings -------------------------------------------------------------


def _clean_lines(text: str) -> str:
    """Each line cleaned like any text input, blank lines dropped."""
    return "\n".join(line for line in (clean_text(x) for x in text.splitlines()) if line)


def report_settings_save(
    *,
    actor: User,
    province: AdministrativeArea,
    expected_version: int | None,
    issuer: str = "",
    recipients: str = "",
    place: str = "",
    document_symbol: str = "",
) -> ReportSettings:
    """Set how `province`'s report is headed and closed (blank: the installation's setting, then
    what the province gives). Administrators of the province only; audited. The first save
    creates the settings (`expected_version` None or 0), later ones must name the version they
    started from."""
    require_administrator_of(actor, province)
    if province.level != AreaLevel.PROVINCE:
        raise _invalid(
            "province", _("Thiết lập báo cáo chỉ đặt cho cấp tỉnh."), code="not_province"
        )
    values = {
        "issuer": _clean_lines(issuer),
        "recipients": _clean_lines(recipients),
        "place": clean_text(place),
        "document_symbol": clean_text(document_symbol).upper(),
    }
    with transaction.atomic():
        stored = ReportSettings.objects.select_for_update().filter(province=province).first()
        if stored is None:
            if expected_version:
                raise StaleVersion(expected=expected_version, actual=0)
            stored = ReportSettings(province=province, **values)
            _full_clean(stored)
            stored.save()
            audit_record(actor=actor, action=AuditAction.CREATE, obj=stored, changes=dict(values))
            return stored
        changed = apply_changes(stored, expected_version=expected_version, changes=values)
        audit_changes(actor=actor, instance=stored, changed=changed)
    return stored
