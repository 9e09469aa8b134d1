"""Writes of the indicators module: submissions, their values and their workflow.

Every service is atomic, validates before it writes, logs the transition and writes the audit
entry in the same transaction; a refusal is a DomainError naming the field or the indicator,
and nothing is saved.

Who does what:
- the submitting unit (officers and commanders of the unit that owns the submission) opens a
  submission, fills in its values and sends it (submit, resubmit after a return);
- the next level up approves it, returns it with a reason, or reopens an approved one with a
  reason: the commanders of the owning unit's parent unit. A unit at the top of the tree (a
  provincial command: its next level is outside the system) is signed off by its own
  commanders. Nobody approves a submission they sent themselves, and a unit never approves its
  own report when it has a level above.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.access.rules import Action, author_unit, can, require
from phoihop.audit.models import AuditAction
from phoihop.audit.services import audit_record
from phoihop.core.enums import Classification
from phoihop.core.errors import DomainError, PermissionDenied, StaleVersion
from phoihop.core.errors import invalid as _invalid
from phoihop.core.errors import validate as _full_clean
from phoihop.core.lookups import by_code
from phoihop.indicators.enums import (
    TRANSITIONS,
    IndicatorKind,
    SubmissionStatus,
    Transition,
)
from phoihop.indicators.models import (
    Indicator,
    ReportForm,
    ReportFormLine,
    Submission,
    SubmissionTransition,
    SubmissionValue,
)
from phoihop.indicators.periods import Period, PeriodKind
from phoihop.indicators.selectors import derived_values
from phoihop.indicators.validation import (
    check_submission,
    explanation_field,
    form_lines,
    parse_value,
    shown,
    value_field,
)
from phoihop.org.enums import RoleCode
from phoihop.org.models import Unit, User


def _member(actor: User) -> Unit:
    if actor is None or not actor.is_authenticated or actor.unit is None:
        raise PermissionDenied()
    return actor.unit


# --- lookups by what a request names ------------------------------------------------------------


def parse_period(key: str | Period, *, field: str = "period") -> Period:
    if isinstance(key, Period):
        return key
    return Period.parse(str(key or ""), field=field)


def form_by_code(code: str, *, field: str = "form") -> ReportForm:
    return by_code(
        ReportForm.objects.all(),
        code,
        field=field,
        unknown=_("Không có biểu mẫu báo cáo mã “%(code)s”."),
        error_code="unknown_form",
    )


def indicator_by_code(code: str, *, field: str = "indicator") -> Indicator:
    return by_code(
        Indicator.objects.all(),
        code,
        field=field,
        unknown=_("Không có chỉ tiêu mã “%(code)s”."),
        error_code="unknown_indicator",
    )


def unit_owes(form: ReportForm, unit: Unit) -> bool:
    """Does `unit` report on `form` (its force, or any force, and its level)?"""
    return (
        form.is_active
        and form.deleted_at is None
        and unit.level_id == form.level_id
        and (form.force_id is None or unit.force_id == form.force_id)
    )


def approver_unit(unit: Unit) -> Unit:
    """The unit whose commanders approve `unit`'s submissions: the next level up, or the unit
    itself at the top of the tree."""
    return unit.parent if unit.parent_id is not None and unit.parent is not None else unit


# --- creating a submission ----------------------------------------------------------------------


def _require_reporter(actor: User, submission: Submission) -> None:
    """Entering and sending a unit's figures is the rule's `record`: its own officers and
    commanders."""
    require(
        actor,
        Action.RECORD,
        submission,
        message=_("Chỉ cán bộ, chỉ huy của %(unit)s được nhập và gửi báo cáo này.")
        % {"unit": submission.owner_unit.name},
    )


@transaction.atomic
def submission_create(
    *,
    actor: User,
    form: ReportForm,
    period: Period | str,
    at: dt.datetime | None = None,
) -> Submission:
    """Open the actor's unit's submission of `form` for `period`, as a draft."""
    unit = author_unit(actor, message=_("Chỉ cán bộ, chỉ huy của đơn vị được lập báo cáo."))
    chosen = parse_period(period)
    if not unit_owes(form, unit):
        raise _invalid(
            "form",
            _("%(unit)s không thuộc đối tượng báo cáo theo biểu mẫu “%(form)s”.")
            % {"unit": unit.name, "form": form.name},
            code="form_not_owed",
        )
    if chosen.kind != PeriodKind(form.period_kind):
        raise _invalid(
            "period",
            _("Biểu mẫu “%(form)s” báo cáo theo %(kind)s; “%(key)s” là %(label)s.")
            % {
                "form": form.name,
                "kind": form.get_period_kind_display().lower(),
                "key": chosen.key,
                "label": chosen.label,
            },
            code="wrong_period_kind",
        )
    moment = at or timezone.now()
    start, end = chosen.window()
    if start > timezone.localtime(moment).date():
        raise _invalid(
            "period",
            _("Kỳ báo cáo %(label)s chưa bắt đầu (số liệu tính từ %(start)s).")
            % {"label": chosen.label, "start": start.strftime("%d/%m/%Y")},
            code="period_not_started",
        )
    if Submission.objects.filter(form=form, owner_unit=unit, period_key=chosen.key).exists():
        raise _invalid(
            "period",
            _("%(unit)s đã có báo cáo “%(form)s” %(label)s.")
            % {"unit": unit.name, "form": form.name, "label": chosen.label},
            code="submission_exists",
        )
    submission = Submission(
        owner_unit=unit,
        province=unit.province,
        classification=Classification.THUONG,
        is_joint=form.is_joint,
        form=form,
        period_key=chosen.key,
        period_start=start,
        period_end=end,
        deadline=form.deadline_for(chosen),
        created_by=actor,
        created_at=moment,
    )
    _full_clean(submission)
    submission.save()
    entered = [
        SubmissionValue(submission=submission, indicator=line.indicator)
        for line in form_lines(submission)
        if not line.indicator.is_derived
    ]
    for row in entered:
        row.save()
    SubmissionTransition.objects.create(
        submission=submission,
        transition=Transition.CREATE,
        from_status="",
        to_status=SubmissionStatus.DRAFT,
        actor=actor,
        at=moment,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=submission,
        changes={"form": form.code, "period": chosen.key, "unit": unit.code},
    )
    return submission


def submission_open(
    *, actor: User, form: ReportForm, period: Period | str, at: dt.datetime | None = None
) -> tuple[Submission, bool]:
    """The unit's submission of `form` for `period`, created as a draft if there is none yet."""
    unit = _member(actor)
    chosen = parse_period(period)
    existing = Submission.objects.filter(form=form, owner_unit=unit, period_key=chosen.key).first()
    if existing is not None:
        return existing, False
    return submission_create(actor=actor, form=form, period=chosen, at=at), True


# --- values -------------------------------------------------------------------------------------


def _lock(submission: Submission, expected_version: int | None = None) -> Submission:
    locked = (
        Submission.objects.select_for_update()
        .select_related("form", "owner_unit")
        .get(pk=submission.pk)
    )
    if expected_version is not None and expected_version != locked.version:
        raise StaleVersion(expected=expected_version, actual=locked.version)
    return locked


def _require_editable(submission: Submission) -> None:
    if submission.status == SubmissionStatus.APPROVED:
        raise _invalid(
            "status",
            _(
                "Báo cáo %(label)s của %(unit)s đã được duyệt và khóa; muốn sửa phải đề nghị "
                "cấp trên mở lại (có lý do)."
            )
            % {"label": submission.period.label, "unit": submission.owner_unit.name},
            code="locked",
        )
    if submission.status == SubmissionStatus.SUBMITTED:
        raise _invalid(
            "status",
            _("Báo cáo đã gửi và đang chờ cấp trên duyệt: không sửa được."),
            code="awaiting_approval",
        )


def _refusal(errors: dict[str, list[str]], codes: list[str]) -> DomainError:
    first = next(m for msgs in errors.values() for m in msgs)
    return DomainError(
        _("Số liệu chưa lưu: %(first)s") % {"first": first}, code=codes[0], fields=errors
    )


def _line_problem(
    submission: Submission, line: Any, code: str, *, is_value: bool
) -> tuple[str, str] | None:
    """Why `code` may not be entered on `submission` (message, error code), or None."""
    if line is None:
        if not Indicator.objects.filter(code=code).exists():
            return _("Không có chỉ tiêu mã “%(code)s”.") % {"code": code}, "unknown_indicator"
        return (
            _("Chỉ tiêu “%(code)s” không có trong biểu mẫu “%(form)s”.")
            % {"code": code, "form": submission.form.name},
            "not_in_form",
        )
    if line.indicator.is_derived and is_value:
        return (
            _("Chỉ tiêu “%(name)s” được tính từ dữ liệu của hệ thống: không nhập tay.")
            % {"name": line.indicator.name},
            "derived_read_only",
        )
    return None


def _parsed_values(
    submission: Submission,
    lines: Mapping[str, Any],
    values: Mapping[str, Any],
    explanations: Mapping[str, str],
    *,
    localized: bool,
) -> dict[str, Decimal | None]:
    """Every entered value parsed, or one refusal naming every indicator at fault."""
    errors: dict[str, list[str]] = {}
    codes: list[str] = []
    parsed: dict[str, Decimal | None] = {}
    for code, raw in [*values.items(), *((c, None) for c in explanations if c not in values)]:
        is_value = code in values
        field = value_field(code) if is_value else explanation_field(code)
        problem = _line_problem(submission, lines.get(code), code, is_value=is_value)
        if problem is not None:
            errors.setdefault(field, []).append(problem[0])
            codes.append(problem[1])
            continue
        if not is_value:
            continue
        try:
            parsed[code] = parse_value(raw, indicator=lines[code].indicator, localized=localized)
        except DomainError as exc:
            for name, messages in exc.fields.items():
                errors.setdefault(name, []).extend(messages)
                codes.extend(exc.code for _m in messages)
    if errors:
        raise _refusal(errors, codes)
    return parsed


def _save_values(
    submission: Submission,
    lines: Mapping[str, Any],
    parsed: Mapping[str, Decimal | None],
    explanations: Mapping[str, str],
) -> dict[str, list[Any]]:
    """Write the changed rows; the changes as the audit log shows them."""
    rows = {
        row.indicator.code: row
        for row in SubmissionValue.objects.filter(submission=submission).select_related("indicator")
    }
    changes: dict[str, list[Any]] = {}
    for code in {*parsed, *explanations}:
        row = rows.get(code) or SubmissionValue(
            submission=submission, indicator=lines[code].indicator
        )
        before = (row.value, row.explanation)
        if code in parsed:
            row.value = parsed[code]
        if code in explanations:
            row.explanation = (explanations[code] or "").strip()
        if row.pk is not None and (row.value, row.explanation) == before:
            continue
        if row.pk is not None:
            row.version += 1
        row.save()
        if row.value != before[0]:
            changes[code] = [shown(before[0]), shown(row.value)]
        if row.explanation != before[1]:
            changes[f"{code}.explanation"] = [before[1], row.explanation]
    return changes


@transaction.atomic
def submission_values_set(
    *,
    actor: User,
    submission: Submission,
    values: Mapping[str, Any] | None = None,
    explanations: Mapping[str, str] | None = None,
    expected_version: int | None = None,
    localized: bool = False,
) -> Submission:
    """Set entered values (by indicator code; blank clears) and explanations of variations.

    All or nothing: a code that is unknown, not on the form or derived, or a value that breaks a
    hard rule of its own, refuses the whole change, naming every indicator at fault.
    """
    submission = _lock(submission, expected_version)
    _require_reporter(actor, submission)
    _require_editable(submission)
    values = dict(values or {})
    explanations = dict(explanations or {})
    lines = {line.indicator.code: line for line in form_lines(submission)}
    parsed = _parsed_values(submission, lines, values, explanations, localized=localized)
    changes = _save_values(submission, lines, parsed, explanations)
    if changes:
        submission.version += 1
        submission.save(update_fields=["version", "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=submission, changes=changes)
    return submission


def _snapshot(actor: User, submission: Submission, values: Mapping[str, Decimal | None]) -> None:
    rows = {
        row.indicator.code: row
        for row in SubmissionValue.objects.filter(
            submission=submission, indicator__kind=IndicatorKind.DERIVED
        ).select_related("indicator")
    }
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=list(values))}
    for code, value in values.items():
        row = rows.get(code) or SubmissionValue(
            submission=submission, indicator=indicators[code], is_derived=True
        )
        if row.pk is not None and row.value == value:
            continue
        if row.pk is not None:
            row.version += 1
        row.value = value
        row.save()


# --- transitions --------------------------------------------------------------------------------


def _allowed(submission: Submission, transition: str) -> str:
    sources, target, _side = TRANSITIONS[transition]
    if submission.status in sources:
        return target
    if submission.status == SubmissionStatus.APPROVED and transition != Transition.REOPEN:
        raise _invalid(
            "status",
            _("Báo cáo %(label)s của %(unit)s đã được duyệt và khóa.")
            % {"label": submission.period.label, "unit": submission.owner_unit.name},
            code="locked",
        )
    raise _invalid(
        "status",
        _("Không thể “%(action)s” báo cáo đang ở trạng thái “%(status)s”.")
        % {
            "action": Transition(transition).label.lower(),
            "status": SubmissionStatus(submission.status).label,
        },
        code="invalid_transition",
    )


def _require_approver(actor: User, submission: Submission) -> None:
    unit = _member(actor)
    owner = submission.owner_unit
    above = approver_unit(owner)
    if submission.submitted_by_id == actor.pk:
        raise _invalid(
            "approver",
            _("Không được tự duyệt hay trả lại báo cáo do chính mình gửi."),
            code="own_submission",
        )
    if unit.pk == owner.pk and above.pk != owner.pk:
        raise _invalid(
            "approver",
            _("Đơn vị không tự duyệt báo cáo của mình: báo cáo do %(above)s duyệt.")
            % {"above": above.name},
            code="own_submission",
        )
    if unit.pk != above.pk:
        raise _invalid(
            "approver",
            _(
                "Báo cáo của %(owner)s do chỉ huy %(above)s (cấp trên trực tiếp) duyệt; "
                "%(unit)s không phải cấp trên trực tiếp."
            )
            % {"owner": owner.name, "above": above.name, "unit": unit.name},
            code="not_next_level",
        )
    if not actor.has_role(RoleCode.COMMANDER):
        raise _invalid(
            "approver",
            _("Chỉ chỉ huy %(above)s được duyệt hoặc trả lại báo cáo.") % {"above": above.name},
            code="not_a_commander",
        )


def can_report(actor: User, submission: Submission) -> bool:
    """May `actor` fill in and send `submission` (its unit's officers and commanders)?"""
    return can(actor, Action.RECORD, submission)


def can_decide(actor: User, submission: Submission) -> bool:
    """May `actor` approve, return or reopen `submission` (the next level up's commanders)?"""
    try:
        _require_approver(actor, submission)
    except (DomainError, PermissionDenied):
        return False
    return True


def _log(
    submission: Submission,
    *,
    actor: User,
    transition: str,
    from_status: str,
    at: dt.datetime,
    note: str = "",
) -> None:
    SubmissionTransition.objects.create(
        submission=submission,
        transition=transition,
        from_status=from_status,
        to_status=submission.status,
        actor=actor,
        at=at,
        note=note,
    )
    changes: dict[str, Any] = {"transition": transition, "status": [from_status, submission.status]}
    if note:
        changes["reason"] = note
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=submission, changes=changes)


def _send(
    *, actor: User, submission: Submission, transition: str, at: dt.datetime | None
) -> Submission:
    submission = _lock(submission)
    target = _allowed(submission, transition)
    _require_reporter(actor, submission)
    moment = at or timezone.now()
    derived = derived_values(actor=actor, submission=submission)
    # The snapshot and the checks happen together; a refusal rolls the snapshot back too.
    _snapshot(actor, submission, derived)
    result = check_submission(submission, derived=derived)
    if not result.ok:
        raise result.as_error()
    from_status = submission.status
    submission.status = target
    submission.submitted_at = moment
    submission.submitted_by = actor
    if submission.first_submitted_at is None:
        submission.first_submitted_at = moment
    submission.derived_at = moment
    submission.version += 1
    submission.save(
        update_fields=[
            "status",
            "submitted_at",
            "submitted_by",
            "first_submitted_at",
            "derived_at",
            "version",
            "updated_at",
        ]
    )
    _log(submission, actor=actor, transition=transition, from_status=from_status, at=moment)
    return submission


@transaction.atomic
def submission_submit(
    *, actor: User, submission: Submission, at: dt.datetime | None = None
) -> Submission:
    """Send a draft to the level above, with a snapshot of its derived values."""
    return _send(actor=actor, submission=submission, transition=Transition.SUBMIT, at=at)


@transaction.atomic
def submission_resubmit(
    *, actor: User, submission: Submission, at: dt.datetime | None = None
) -> Submission:
    """Send a returned (or reopened) submission again, once corrected."""
    return _send(actor=actor, submission=submission, transition=Transition.RESUBMIT, at=at)


def _decide(
    *,
    actor: User,
    submission: Submission,
    transition: str,
    reason: str = "",
    at: dt.datetime | None = None,
) -> Submission:
    submission = _lock(submission)
    target = _allowed(submission, transition)
    _require_approver(actor, submission)
    reason = (reason or "").strip()
    if transition != Transition.APPROVE and not reason:
        raise _invalid(
            "reason",
            _("Phải ghi lý do trả lại.")
            if transition == Transition.RETURN
            else _("Phải ghi lý do mở lại báo cáo đã duyệt."),
            code="reason_required",
        )
    moment = at or timezone.now()
    from_status = submission.status
    submission.status = target
    submission.decided_at = moment
    submission.decided_by = actor
    if transition != Transition.APPROVE:
        submission.return_reason = reason
    submission.version += 1
    submission.save(
        update_fields=[
            "status",
            "decided_at",
            "decided_by",
            "return_reason",
            "version",
            "updated_at",
        ]
    )
    _log(
        submission,
        actor=actor,
        transition=transition,
        from_status=from_status,
        at=moment,
        note=reason,
    )
    return submission


@transaction.atomic
def submission_approve(
    *, actor: User, submission: Submission, at: dt.datetime | None = None
) -> Submission:
    """The next level up approves: the submission is locked."""
    return _decide(actor=actor, submission=submission, transition=Transition.APPROVE, at=at)


@transaction.atomic
def submission_return(
    *, actor: User, submission: Submission, reason: str, at: dt.datetime | None = None
) -> Submission:
    """The next level up sends it back to the unit, saying why."""
    return _decide(
        actor=actor, submission=submission, transition=Transition.RETURN, reason=reason, at=at
    )


@transaction.atomic
def submission_reopen(
    *, actor: User, submission: Submission, reason: str, at: dt.datetime | None = None
) -> Submission:
    """Unlock an approved submission for correction (audited with its reason)."""
    return _decide(
        actor=actor, submission=submission, transition=Transition.REOPEN, reason=reason, at=at
    )


# --- catalogue helpers for forms (admin, demo) --------------------------------------------------


@transaction.atomic
def report_form_set_lines(
    *, actor: User | None, form: ReportForm, codes: list[str]
) -> list[ReportFormLine]:
    """Put `codes` on `form`, in that order (used by the demo and tests; admins use the admin)."""
    indicators = []
    for position, code in enumerate(codes):
        indicators.append((position, indicator_by_code(code, field=f"indicators.{position}")))
    lines = []
    for position, indicator in indicators:
        line, _created = ReportFormLine.objects.update_or_create(
            form=form, indicator=indicator, defaults={"order": (position + 1) * 10}
        )
        lines.append(line)
    ReportFormLine.objects.filter(form=form).exclude(
        indicator__in=[i for _p, i in indicators]
    ).delete()
    if actor is not None:
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=form, changes={"indicators": codes}
        )
    return lines
