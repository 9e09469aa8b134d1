"""Reminders of submissions due and overdue, sent by the task worker (or the command).

For every active form and every period of its kind whose deadline is near, each unit that owes
the form and has not sent its submission (none yet, a draft, or returned and not sent again) is
reminded once at each step of `PHOIHOP_SUBMISSION_REMINDER_DAYS` (days relative to the deadline:
negative before it, positive after it; default −3, +1 and +7):
- before the deadline, the officers and commanders of the unit;
- after it, the commanders of the unit and of the level above, which approves the submission.
They are told in the application and by e-mail. A `Reminder` row per (form, unit, period, step),
unique in the database, is written in the same transaction as the notifications, so a step is
never sent twice, even by two runs at once; when a run finds several steps passed (the worker was
stopped), only the latest is sent. Steps more than `PHOIHOP_SUBMISSION_REMINDER_LOOKBACK_DAYS`
(default 30) old are history, not news.

The message names the form, the period and the unit: facts every recipient already knows
(their own unit's duty, or a subordinate's), never a figure of the report.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from phoihop.audit.models import AuditAction
from phoihop.audit.services import audit_record
from phoihop.core.errors import DomainError
from phoihop.core.mail import email_enqueue
from phoihop.indicators.enums import RECEIVED_STATUSES
from phoihop.indicators.models import Reminder, ReportForm, Submission
from phoihop.indicators.periods import Period, PeriodKind
from phoihop.indicators.selectors import units_owing
from phoihop.indicators.services import approver_unit
from phoihop.notifications.enums import NotificationKind
from phoihop.notifications.services import notification_create
from phoihop.org.enums import RoleCode
from phoihop.org.models import Unit, User

logger = logging.getLogger(__name__)

SYSTEM_ACTOR = "system:reminders"


@dataclass
class ReminderSummary:
    units: int = 0
    notifications: int = 0
    emails: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def reminder_steps() -> list[int]:
    configured = getattr(settings, "PHOIHOP_SUBMISSION_REMINDER_DAYS", (-3, 1, 7))
    return sorted({int(days) for days in configured})


def periods_of(kind: PeriodKind, years: range) -> list[Period]:
    found: list[Period] = []
    for year in years:
        if kind is PeriodKind.MONTH:
            found.extend(Period.month(year, m) for m in range(1, 13))
        elif kind is PeriodKind.QUARTER:
            found.extend(Period.quarter(year, q) for q in range(1, 5))
        elif kind is PeriodKind.HALF:
            found.extend(Period.half(year, h) for h in (1, 2))
        elif kind is PeriodKind.NINE_MONTHS:
            found.append(Period.nine_months(year))
        else:
            found.append(Period.whole_year(year))
    return found


def _people(unit: Unit, roles: list[str]) -> list[User]:
    return list(
        User.objects.filter(is_active=True, unit=unit, roles__code__in=roles)
        .distinct()
        .order_by("pk")
    )


def _link(submission: Submission | None, form: ReportForm, period: Period) -> str:
    if submission is not None:
        return reverse("indicators:submission", kwargs={"public_id": submission.public_id})
    return reverse("indicators:index") + f"?period={period.key}"


def _texts(
    *, form: ReportForm, period: Period, unit: Unit, deadline: dt.date, today: dt.date, own: bool
) -> tuple[str, str]:
    facts = {
        "form": form.name,
        "period": period.label,
        "unit": unit.name,
        "deadline": deadline.strftime("%d/%m/%Y"),
        "days": abs((deadline - today).days),
    }
    if today <= deadline:
        title = _("Sắp đến hạn gửi báo cáo %(period)s – %(unit)s") % facts
        body = (
            _(
                "Báo cáo “%(form)s” %(period)s của %(unit)s phải gửi cấp trên chậm nhất ngày "
                "%(deadline)s (còn %(days)s ngày)."
            )
            % facts
        )
    else:
        title = _("Quá hạn gửi báo cáo %(period)s – %(unit)s") % facts
        body = (
            _(
                "Báo cáo “%(form)s” %(period)s của %(unit)s chưa được gửi; hạn gửi là ngày "
                "%(deadline)s (đã quá %(days)s ngày)."
            )
            % facts
        )
        if not own:
            body += " " + _("Đề nghị đồng chí đôn đốc đơn vị gửi báo cáo.")
    return title, body


def _remind(
    *,
    form: ReportForm,
    period: Period,
    unit: Unit,
    step: int,
    deadline: dt.date,
    today: dt.date,
    submission: Submission | None,
    now: dt.datetime,
    summary: ReminderSummary,
) -> None:
    if step < 0:
        recipients = [(u, True) for u in _people(unit, [RoleCode.OFFICER, RoleCode.COMMANDER])]
    else:
        recipients = [(u, True) for u in _people(unit, [RoleCode.COMMANDER])]
        above = approver_unit(unit)
        if above.pk != unit.pk:
            recipients += [(u, False) for u in _people(above, [RoleCode.COMMANDER])]
    if not recipients:
        logger.warning("Reminder: nobody to tell for unit %s, form %s", unit.code, form.code)
        return
    emails = 0
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                form=form,
                unit=unit,
                period_key=period.key,
                offset_days=step,
                sent_at=now,
                notified=len(recipients),
            )
            for person, own in recipients:
                title, body = _texts(
                    form=form, period=period, unit=unit, deadline=deadline, today=today, own=own
                )
                notification_create(
                    recipient=person,
                    kind=NotificationKind.OTHER,
                    title=title,
                    body=body,
                    link=_link(submission, form, period)
                    if own
                    else reverse("indicators:completeness") + f"?period={period.key}",
                    related=submission if own else None,
                )
                if person.email:
                    try:
                        email_enqueue(recipients=[person.email], subject=title, body=body)
                        emails += 1
                    except DomainError:
                        logger.warning("Reminder: bad e-mail address of %s", person.username)
            audit_record(
                actor=None,
                username=SYSTEM_ACTOR,
                action=AuditAction.UPDATE,
                object_type="indicators.reminder",
                object_id=str(reminder.pk),
                object_repr=str(reminder),
                changes={
                    "form": form.code,
                    "period": period.key,
                    "unit": unit.code,
                    "offset_days": step,
                    "notified": [p.username for p, _own in recipients],
                },
            )
    except IntegrityError:
        # Another run sent this step at the same moment.
        return
    summary.units += 1
    summary.notifications += len(recipients)
    summary.emails += emails


def send_reminders(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Remind every unit whose submission is due soon or overdue, once per step."""
    moment = now or timezone.now()
    today = timezone.localtime(moment).date()
    steps = reminder_steps()
    summary = ReminderSummary()
    if not steps:
        return summary.as_dict()
    lookback = dt.timedelta(days=getattr(settings, "PHOIHOP_SUBMISSION_REMINDER_LOOKBACK_DAYS", 30))
    years = range(today.year - 1, today.year + 2)
    with translation.override(settings.LANGUAGE_CODE):
        for form in ReportForm.objects.filter(is_active=True).select_related("force", "level"):
            for period in periods_of(PeriodKind(form.period_kind), years):
                deadline = form.deadline_for(period)
                first = deadline + dt.timedelta(days=steps[0])
                if not (first <= today <= deadline + dt.timedelta(days=steps[-1]) + lookback):
                    continue
                reached = max(s for s in steps if deadline + dt.timedelta(days=s) <= today)
                _remind_period(form, period, deadline, reached, today, moment, summary)
    return summary.as_dict()


def _remind_period(
    form: ReportForm,
    period: Period,
    deadline: dt.date,
    step: int,
    today: dt.date,
    now: dt.datetime,
    summary: ReminderSummary,
) -> None:
    units = units_owing(form, period)
    # The reminders concern the units' duty, not what anyone may see: the job reads every
    # submission of the form and period (only their status), as the system.
    submissions = {
        s.owner_unit_id: s for s in Submission.objects.filter(form=form, period_key=period.key)
    }
    done: dict[int, int] = defaultdict(lambda: -10_000)
    for unit_id, offset in Reminder.objects.filter(form=form, period_key=period.key).values_list(
        "unit_id", "offset_days"
    ):
        done[unit_id] = max(done[unit_id], offset)
    for unit in units.select_related("parent").order_by("path"):
        submission = submissions.get(unit.pk)
        if submission is not None and submission.status in RECEIVED_STATUSES:
            continue
        if done[unit.pk] >= step:
            continue
        _remind(
            form=form,
            period=period,
            unit=unit,
            step=step,
            deadline=deadline,
            today=today,
            submission=submission,
            now=now,
            summary=summary,
        )
