"""Reads of the indicators module, all starting from the access rule, and completeness.

Submissions are scoped records owned by the submitting unit, so the access rule gives: a unit
sees its own submissions and those of the units below it; joint staff see the submissions of
their province whose form is a joint one (`ReportForm.is_joint`, on by default — the periodic
reports of the coordination regime are the joint picture). Forms and indicators are catalogue
data every member may read.

Completeness and timeliness of a period (after DHIS2's reporting rates):
- expected: every active unit of the right force and level for each form of the period's kind,
  among the units the actor covers — the actor's unit and the units below it, and for joint
  staff every unit of their province (joint forms only), so that a unit is never counted
  "missing" just because the actor may not see its submission;
- received: the submission was sent and not returned (submitted or approved) at `as_of`;
- on time: received, and first sent by the end of the deadline day (a report returned for
  correction and sent again keeps the time of its first sending);
- late: received, first sent after the deadline;
- missing: not received (no submission, a draft, or returned and not sent again); overdue when
  the deadline has passed at `as_of`.
Completeness is received / expected, timeliness on time / expected.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from phoihop.access.rules import OPERATOR, get_visible, visible
from phoihop.indicators import registry
from phoihop.indicators.enums import RECEIVED_STATUSES, SubmissionStatus, Transition
from phoihop.indicators.models import (
    Indicator,
    ReportForm,
    ReportFormLine,
    Submission,
    SubmissionTransition,
)
from phoihop.indicators.periods import Period
from phoihop.indicators.validation import (
    CheckResult,
    SoftWarning,
    check_submission,
    form_lines,
    line_value,
    previous_submission,
    stored_values,
    value_field,
)
from phoihop.org.enums import AreaLevel, RoleCode
from phoihop.org.models import AdministrativeArea, Force, Unit

_SHARE = Decimal("0.0001")


# --- catalogue ----------------------------------------------------------------------------------


def indicator_list(*, actor: Any = None) -> QuerySet[Indicator]:
    return Indicator.objects.filter(is_active=True).order_by("order", "code")


def form_list(*, actor: Any = None) -> QuerySet[ReportForm]:
    return (
        ReportForm.objects.filter(is_active=True)
        .select_related("force", "level")
        .prefetch_related("lines__indicator")
    )


def forms_owed(*, unit: Unit | None) -> QuerySet[ReportForm]:
    """The active forms a unit reports on (its level, its force or every force)."""
    if unit is None:
        return ReportForm.objects.none()
    return form_list().filter(
        Q(force__isnull=True) | Q(force_id=unit.force_id), level_id=unit.level_id
    )


# --- submissions --------------------------------------------------------------------------------


def submission_list(*, actor: Any) -> QuerySet[Submission]:
    return visible(Submission, actor).select_related(
        "form",
        "owner_unit",
        "owner_unit__force",
        "owner_unit__parent",
        "submitted_by",
        "decided_by",
    )


def submission_get(*, actor: Any, public_id: Any) -> Submission:
    return get_visible(submission_list(actor=actor), actor, public_id=public_id)


def approval_queue(*, actor: Any) -> QuerySet[Submission]:
    """Sent submissions waiting for the actor's unit to approve them, oldest first: those of
    the units directly below it, and its own if it is at the top of the tree."""
    unit_id = getattr(actor, "unit_id", None)
    if unit_id is None:
        return Submission.objects.none()
    return (
        submission_list(actor=actor)
        .filter(status=SubmissionStatus.SUBMITTED)
        .filter(
            Q(owner_unit__parent_id=unit_id)
            | Q(owner_unit_id=unit_id, owner_unit__parent__isnull=True)
        )
        # Nobody approves what they sent themselves (a commander at the top of the tree).
        .exclude(submitted_by_id=actor.pk)
        .order_by("submitted_at", "id")
    )


def submission_transitions(submission: Submission) -> QuerySet[SubmissionTransition]:
    return SubmissionTransition.objects.filter(submission=submission).select_related(
        "actor", "actor__unit"
    )


# --- one submission's sheet ---------------------------------------------------------------------


def derived_values(*, actor: Any, submission: Submission) -> dict[str, Decimal | None]:
    """The derived indicators of the submission's form, computed now for its unit and period,
    from what `actor` may see."""
    codes = [line.indicator.code for line in form_lines(submission) if line.indicator.is_derived]
    return registry.values(codes, _scope(actor, submission))


def _scope(actor: Any, submission: Submission) -> registry.Scope:
    return registry.Scope(
        actor=actor,
        unit=submission.owner_unit,
        start=submission.period_start,
        end=submission.period_end,
    )


@dataclass
class SheetRow:
    line: ReportFormLine
    indicator: Indicator
    value: Decimal | None
    explanation: str
    previous: Decimal | None
    link: str  # the page of the records behind a derived value
    live: bool  # a derived value computed now (the snapshot is taken when it is sent)
    warning: SoftWarning | None
    errors: list[str]


@dataclass
class Sheet:
    submission: Submission
    rows: list[SheetRow]
    previous: Submission | None
    check: CheckResult


def submission_sheet(*, actor: Any, submission: Submission) -> Sheet:
    """The submission as a table: every indicator of its form with its value, the previous
    period's, and what the rules say. Derived values of a submission still with its unit are
    computed now; once sent they are the snapshot taken then."""
    lines = form_lines(submission)
    live = submission.is_editable
    derived = derived_values(actor=actor, submission=submission) if live else None
    check = check_submission(submission, derived=derived, lines=lines)
    stored = stored_values(submission)
    previous = previous_submission(submission)
    before = stored_values(previous)
    scope = _scope(actor, submission)
    derived_indicators = registry.registered()
    rows: list[SheetRow] = []
    for line in lines:
        indicator = line.indicator
        row = stored.get(indicator.pk)
        value = line_value(indicator, row, derived)
        item = derived_indicators.get(indicator.code) if indicator.is_derived else None
        prior = before.get(indicator.pk)
        rows.append(
            SheetRow(
                line=line,
                indicator=indicator,
                value=value,
                explanation=row.explanation if row is not None else "",
                previous=prior.value if prior is not None else None,
                link=item.link_for(scope) if item is not None else "",
                live=bool(indicator.is_derived and live),
                warning=check.warnings.get(indicator.code),
                errors=check.errors.get(value_field(indicator.code), []),
            )
        )
    return Sheet(submission=submission, rows=rows, previous=previous, check=check)


# --- completeness -------------------------------------------------------------------------------


@dataclass
class Tally:
    expected: int = 0
    received: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    overdue: int = 0
    approved: int = 0

    def add(self, row: UnitCompleteness) -> None:
        self.expected += 1
        self.received += row.received
        self.on_time += row.on_time
        self.late += row.late
        self.missing += row.missing
        self.overdue += row.overdue
        self.approved += row.status == SubmissionStatus.APPROVED

    @staticmethod
    def _share(part: int, whole: int) -> Decimal | None:
        if not whole:
            return None
        return (Decimal(part) / Decimal(whole)).quantize(_SHARE, rounding=ROUND_HALF_UP)

    @property
    def completeness(self) -> Decimal | None:
        return self._share(self.received, self.expected)

    @property
    def timeliness(self) -> Decimal | None:
        return self._share(self.on_time, self.expected)


@dataclass
class UnitCompleteness:
    unit: Unit
    form: ReportForm
    deadline: dt.date
    submission: Submission | None
    status: str | None  # at `as_of`; None without a (visible) submission
    first_submitted_at: dt.datetime | None
    received: bool
    on_time: bool
    late: bool
    missing: bool
    overdue: bool


@dataclass
class CompletenessReport:
    period: Period
    as_of: dt.datetime
    rows: list[UnitCompleteness]
    total: Tally
    by_force: list[tuple[Force, Tally]]
    by_area: list[tuple[AdministrativeArea, Tally]]
    by_form: list[tuple[ReportForm, Tally]] = field(default_factory=list)

    @property
    def late_or_missing(self) -> list[UnitCompleteness]:
        return [r for r in self.rows if r.late or r.missing]


def _covered_units(actor: Any, *, joint: bool) -> Q:
    if actor is OPERATOR:
        # A command run by the server's operator covers every unit (the area filter narrows it).
        return Q()
    unit = getattr(actor, "unit", None)
    if unit is None:
        return Q(pk__in=[])
    reach = Q(path__startswith=unit.path)
    if joint and actor.has_role(RoleCode.JOINT_STAFF):
        reach |= Q(province_id=unit.province_id)
    return reach


def _active_on(day: dt.date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
        Q(valid_until__isnull=True) | Q(valid_until__gte=day)
    )


def units_owing(form: ReportForm, period: Period) -> QuerySet[Unit]:
    """Every unit that owes `form` for `period`: of its level and force, existing at the end of
    the period's window (a unit closed before, or opened after, owes nothing)."""
    units = Unit.objects.filter(_active_on(period.window()[1]), level_id=form.level_id)
    if form.force_id is not None:
        units = units.filter(force_id=form.force_id)
    return units


def _state_at(
    submission: Submission, log: list[SubmissionTransition], as_of: dt.datetime | None
) -> tuple[str | None, dt.datetime | None]:
    """(status, first sent) of a submission at `as_of`, from its transition log."""
    if as_of is None:
        return submission.status, submission.first_submitted_at
    status: str | None = None
    first: dt.datetime | None = None
    for entry in log:
        if entry.at > as_of:
            break
        status = entry.to_status
        if first is None and entry.transition in (Transition.SUBMIT, Transition.RESUBMIT):
            first = entry.at
    return status, first


def completeness(
    *,
    actor: Any,
    period: Period,
    form: ReportForm | None = None,
    force: Force | None = None,
    within: Unit | None = None,
    area: AdministrativeArea | None = None,
    as_of: dt.datetime | None = None,
) -> CompletenessReport:
    """Expected, received, on time, late and missing submissions of `period`, per unit, force
    and area, among the units the actor covers (see the module's docstring)."""
    now = timezone.now()
    moment = as_of or now
    replay = as_of is not None and as_of < now
    today = timezone.localtime(moment).date()
    forms = list(
        ReportForm.objects.filter(is_active=True, period_kind=period.kind.value)
        .select_related("force", "level")
        .order_by("level__rank", "force__order", "code")
    )
    if form is not None:
        forms = [f for f in forms if f.pk == form.pk]
    units_by_form: dict[int, list[Unit]] = {}
    all_units: dict[int, Unit] = {}
    for report_form in forms:
        listed = _units_covered(actor, report_form, period, force=force, within=within, area=area)
        units_by_form[report_form.pk] = listed
        all_units.update({u.pk: u for u in listed})
    submissions = {
        (s.form_id, s.owner_unit_id): s
        for s in submission_list(actor=actor).filter(
            period_key=period.key,
            form_id__in=[f.pk for f in forms],
            owner_unit_id__in=list(all_units),
        )
    }
    logs: dict[int, list[SubmissionTransition]] = defaultdict(list)
    if replay and submissions:
        for entry in SubmissionTransition.objects.filter(
            submission_id__in=[s.pk for s in submissions.values()]
        ).order_by("at", "id"):
            logs[entry.submission_id].append(entry)
    rows: list[UnitCompleteness] = []
    for report_form in forms:
        form_deadline = report_form.deadline_for(period)
        for unit in units_by_form[report_form.pk]:
            submission = submissions.get((report_form.pk, unit.pk))
            # A submission keeps the deadline it was opened with (the form may change later).
            deadline = submission.deadline if submission is not None else form_deadline
            status: str | None = None
            first: dt.datetime | None = None
            if submission is not None:
                status, first = _state_at(
                    submission, logs[submission.pk], as_of if replay else None
                )
            rows.append(_row(unit, report_form, deadline, submission, status, first, today=today))
    return _report(period, moment, rows, forms)


def _units_covered(
    actor: Any,
    report_form: ReportForm,
    period: Period,
    *,
    force: Force | None,
    within: Unit | None,
    area: AdministrativeArea | None,
) -> list[Unit]:
    """The units owing `report_form` for `period` that the actor covers, narrowed by force,
    unit subtree and area (a province: its units and those placed in it or its communes)."""
    units = units_owing(report_form, period).filter(
        _covered_units(actor, joint=report_form.is_joint)
    )
    if force is not None:
        units = units.filter(force_id=force.pk)
    if within is not None:
        units = units.filter(path__startswith=within.path)
    if area is not None:
        if area.level == AreaLevel.PROVINCE:
            units = units.filter(Q(province_id=area.pk) | Q(areas=area) | Q(areas__parent=area))
        else:
            units = units.filter(areas=area)
    return list(
        units.distinct()
        .select_related("force", "province", "parent")
        .prefetch_related("areas")
        .order_by("path")
    )


def _row(
    unit: Unit,
    report_form: ReportForm,
    deadline: dt.date,
    submission: Submission | None,
    status: str | None,
    first: dt.datetime | None,
    *,
    today: dt.date,
) -> UnitCompleteness:
    received = status in RECEIVED_STATUSES
    on_time = received and first is not None and timezone.localtime(first).date() <= deadline
    return UnitCompleteness(
        unit=unit,
        form=report_form,
        deadline=deadline,
        submission=submission if status is not None else None,
        status=status,
        first_submitted_at=first,
        received=received,
        on_time=on_time,
        late=received and not on_time,
        missing=not received,
        overdue=not received and today > deadline,
    )


def _report(
    period: Period, moment: dt.datetime, rows: list[UnitCompleteness], forms: Iterable[ReportForm]
) -> CompletenessReport:
    total = Tally()
    by_force: dict[int, Tally] = defaultdict(Tally)
    by_area: dict[int, Tally] = defaultdict(Tally)
    by_form: dict[int, Tally] = defaultdict(Tally)
    forces: dict[int, Force] = {}
    areas: dict[int, AdministrativeArea] = {}
    for row in rows:
        total.add(row)
        by_force[row.unit.force_id].add(row)
        forces[row.unit.force_id] = row.unit.force
        by_form[row.form.pk].add(row)
        unit_areas = list(row.unit.areas.all()) or [row.unit.province]
        for unit_area in unit_areas:
            by_area[unit_area.pk].add(row)
            areas[unit_area.pk] = unit_area
    return CompletenessReport(
        period=period,
        as_of=moment,
        rows=rows,
        total=total,
        by_force=[
            (forces[pk], by_force[pk])
            for pk in sorted(forces, key=lambda pk: (forces[pk].order, forces[pk].code))
        ],
        by_area=[
            (areas[pk], by_area[pk])
            for pk in sorted(areas, key=lambda pk: (areas[pk].level != "province", areas[pk].code))
        ],
        by_form=[(f, by_form[f.pk]) for f in forms if f.pk in by_form],
    )
