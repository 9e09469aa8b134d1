"""Escalation of overdue acknowledgements and verifications to the responsible commanders.

A receipt is overdue while it is unacknowledged past `ack_due_at`; a verification request while it
is open or in progress past `due_at`. Each is escalated once at every step of
`PHOIHOP_ESCALATION_STEPS_HOURS` (hours past the due time; default 0 and 24): the commanders of
the responsible unit — the recipient unit, or the unit assigned to verify — are told in the
application and by e-mail. A unit without a commander on the system is covered by the nearest
unit above it that has one.

Never twice for the same lateness: an `Escalation` row per (receipt or verification, step), unique
in the database, is written in the same transaction as the notifications, the e-mails (sent after
commit) and the audit entry; a run that loses the race for that row rolls its part back. When a
run finds several steps passed at once (the worker was stopped), it escalates only the latest
one, so a commander receives one message, not a burst.

Commanders are told only what they may see: the item's number and title go to those who see the
item under the access rule; others (the commander of a unit above, who does not see what was
sent to the unit below) learn that their unit is late, with the due time, but not the content.
E-mail leaves the system, so it never carries the title of a classified item.

A back-entered item (phoihop.core.backentry) is due from its real dates: acknowledged or answered
in the past, it is never overdue now; left unacknowledged, it is escalated only if it fell due
within the lookback (PHOIHOP_ESCALATION_LOOKBACK_DAYS): an older lateness is history, not news.

Run it periodically: `manage.py escalate_overdue` (see that command for the schedule).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from phoihop.access.rules import visible
from phoihop.audit.models import AuditAction
from phoihop.audit.services import audit_record
from phoihop.core.enums import Classification
from phoihop.core.errors import DomainError
from phoihop.core.mail import email_enqueue
from phoihop.core.templatetags.vi import vi_datetime, vi_duration
from phoihop.exchange.enums import Urgency, VerificationStatus
from phoihop.exchange.models import Escalation, InformationItem, Receipt, VerificationRequest
from phoihop.notifications.enums import NotificationKind
from phoihop.notifications.services import notification_create
from phoihop.org.enums import RoleCode
from phoihop.org.models import Unit, User

logger = logging.getLogger(__name__)

# The audit log names the escalation job as the one who acted.
SYSTEM_ACTOR = "system:escalation"
# The item's page, once the exchange pages define it.
ITEM_URL_NAME = "exchange:detail"


@dataclass
class EscalationSummary:
    receipts: int = 0
    verifications: int = 0
    notifications: int = 0
    emails: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def escalation_steps() -> list[int]:
    """Hours past the due time at which to escalate, ascending, without repeats."""
    configured = getattr(settings, "PHOIHOP_ESCALATION_STEPS_HOURS", (0, 24))
    return sorted({int(hours) for hours in configured if int(hours) >= 0})


def _reached_step(steps: list[int], due_at: dt.datetime, now: dt.datetime) -> int | None:
    """Index of the latest step whose time has passed, or None if none has."""
    reached = None
    for index, hours in enumerate(steps):
        if due_at + dt.timedelta(hours=hours) < now:
            reached = index
    return reached


def _item_link(item: InformationItem) -> str:
    try:
        return reverse(ITEM_URL_NAME, kwargs={"public_id": item.public_id})
    except NoReverseMatch:
        return ""


class _Commanders:
    """The commanders to tell for a unit: its own, else those of the nearest unit above it."""

    def __init__(self) -> None:
        self._cache: dict[int, tuple[Unit, list[User]]] = {}

    def for_unit(self, unit: Unit) -> tuple[Unit, list[User]]:
        if unit.pk not in self._cache:
            self._cache[unit.pk] = self._find(unit)
        return self._cache[unit.pk]

    @staticmethod
    def _find(unit: Unit) -> tuple[Unit, list[User]]:
        chain = unit.ancestor_ids() or [unit.pk]
        found: dict[int, list[User]] = defaultdict(list)
        units: dict[int, Unit] = {}
        commanders = (
            User.objects.filter(is_active=True, unit_id__in=chain, roles__code=RoleCode.COMMANDER)
            .select_related("unit")
            .distinct()
            .order_by("pk")
        )
        for commander in commanders:
            if commander.unit is not None:
                found[commander.unit.pk].append(commander)
                units[commander.unit.pk] = commander.unit
        for unit_id in reversed(chain):
            if found[unit_id]:
                return units[unit_id], found[unit_id]
        return unit, []


@dataclass(frozen=True)
class _Case:
    """One overdue receipt or verification, described for the messages."""

    kind: str
    target: Receipt | VerificationRequest
    item: InformationItem
    unit: Unit
    due_at: dt.datetime

    @property
    def is_receipt(self) -> bool:
        return self.kind == NotificationKind.ACK_OVERDUE


def _overdue(
    waiting: QuerySet[Any],
    *,
    due: str,
    escalated_by: str,
    related: tuple[str, ...],
    now: dt.datetime,
    steps: list[int],
    lookback: dt.timedelta | None,
) -> QuerySet[Any]:
    """What is still `waiting` past its `due` time by the first step, soonest due first."""
    qs = waiting.filter(
        **{f"{due}__lt": now - dt.timedelta(hours=steps[0])}, item__deleted_at__isnull=True
    )
    if lookback is not None:
        qs = qs.filter(**{f"{due}__gte": now - lookback})
    # Those escalated at the last step are done with.
    done = Escalation.objects.filter(**{escalated_by: OuterRef("pk")}, after_hours__gte=steps[-1])
    return (
        qs.exclude(Exists(done))
        .annotate(escalated_hours=Max("escalations__after_hours"))
        .select_related(*related)
        .order_by(due, "pk")
    )


def _overdue_receipts(
    now: dt.datetime, steps: list[int], lookback: dt.timedelta | None
) -> QuerySet[Receipt]:
    return _overdue(
        Receipt.objects.filter(acknowledged_at__isnull=True),
        due="ack_due_at",
        escalated_by="receipt",
        related=("unit", "item", "item__owner_unit"),
        now=now,
        steps=steps,
        lookback=lookback,
    )


def _overdue_verifications(
    now: dt.datetime, steps: list[int], lookback: dt.timedelta | None
) -> QuerySet[VerificationRequest]:
    return _overdue(
        VerificationRequest.objects.filter(
            status__in=[VerificationStatus.OPEN, VerificationStatus.IN_PROGRESS]
        ),
        due="due_at",
        escalated_by="verification",
        related=("assigned_unit", "requesting_unit", "item", "item__owner_unit"),
        now=now,
        steps=steps,
        lookback=lookback,
    )


def _messages(
    case: _Case,
    *,
    commander: User,
    told_unit: Unit,
    step_index: int,
    now: dt.datetime,
    sees_item: bool,
) -> tuple[str, str, str]:
    """(title, in-app body, e-mail body) for one commander, in the installation's language."""
    item = case.item
    facts = {
        "number": item.display_number,
        "title": item.title,
        "unit": case.unit.name,
        "due": vi_datetime(case.due_at),
        "late": vi_duration(now - case.due_at),
        "urgency": Urgency(item.urgency).label,
        "sender": item.owner_unit.name,
    }
    if case.is_receipt:
        if sees_item:
            title = _("Quá hạn xác nhận thông tin %(number)s – %(unit)s") % facts
            what = _(
                "Thông tin số %(number)s “%(title)s” (độ khẩn: %(urgency)s) của %(sender)s "
                "gửi %(unit)s chưa được xác nhận."
            )
        else:
            title = _("Quá hạn xác nhận thông tin – %(unit)s") % facts
            what = _("%(unit)s có một thông tin được gửi đến chưa được xác nhận.")
        due_line = _("Hạn xác nhận: %(due)s. Đã quá hạn: %(late)s.")
        ask = _("Đề nghị đồng chí chỉ đạo đơn vị xác nhận thông tin.")
    else:
        verification = case.target
        assert isinstance(verification, VerificationRequest)
        facts["requesting"] = verification.requesting_unit.name
        if sees_item:
            title = _("Quá hạn trả lời yêu cầu xác minh thông tin %(number)s – %(unit)s") % facts
            what = _(
                "Yêu cầu xác minh của %(requesting)s giao %(unit)s về thông tin số %(number)s "
                "“%(title)s” chưa được trả lời."
            )
        else:
            title = _("Quá hạn trả lời yêu cầu xác minh – %(unit)s") % facts
            what = _("%(unit)s có một yêu cầu xác minh chưa được trả lời.")
        due_line = _("Hạn trả lời: %(due)s. Đã quá hạn: %(late)s.")
        ask = _("Đề nghị đồng chí chỉ đạo đơn vị trả lời yêu cầu xác minh.")
    if step_index > 0:
        title = _("%(title)s (nhắc lần %(count)d)") % {"title": title, "count": step_index + 1}
    lines = [what % facts, due_line % facts]
    if told_unit.pk != case.unit.pk:
        lines.append(
            _("Thông báo gửi chỉ huy %(above)s vì %(unit)s chưa có chỉ huy trên hệ thống.")
            % {"above": told_unit.name, "unit": case.unit.name}
        )
    lines.append(ask)
    body = "\n".join(lines)
    if sees_item and item.classification > Classification.THUONG:
        # The title of a classified item stays inside the system.
        mail_lines = [
            _("Thông tin số %(number)s có độ mật: xem nội dung trên hệ thống.") % facts,
            *lines[1:],
        ]
    else:
        mail_lines = lines
    greeting = _("Kính gửi đồng chí %(name)s,") % {"name": commander}
    closing = _("Xem chi tiết trong mục Thông báo của hệ thống %(system)s.") % {
        "system": settings.PHOIHOP_INSTALLATION_NAME
    }
    return title, body, "\n".join([greeting, "", *mail_lines, "", closing])


def _escalate(
    case: _Case,
    *,
    step_index: int,
    step_hours: int,
    now: dt.datetime,
    commanders: _Commanders,
    summary: EscalationSummary,
) -> None:
    told_unit, people = commanders.for_unit(case.unit)
    if not people:
        # Left for a later run: it escalates as soon as someone is made commander.
        logger.warning(
            "Escalation: no commander on or above unit %s for %s", case.unit.code, case.target
        )
        return
    notified: list[str] = []
    emails = 0
    try:
        with transaction.atomic():
            Escalation.objects.create(
                receipt=case.target if isinstance(case.target, Receipt) else None,
                verification=(
                    case.target if isinstance(case.target, VerificationRequest) else None
                ),
                threshold=step_index,
                after_hours=step_hours,
                unit=told_unit,
                created_at=now,
            )
            for commander in people:
                sees_item = visible(InformationItem, commander).filter(pk=case.item.pk).exists()
                title, body, mail_body = _messages(
                    case,
                    commander=commander,
                    told_unit=told_unit,
                    step_index=step_index,
                    now=now,
                    sees_item=sees_item,
                )
                notification_create(
                    recipient=commander,
                    kind=case.kind,
                    title=title,
                    body=body,
                    link=_item_link(case.item) if sees_item else "",
                    related=(case.item if case.is_receipt else case.target) if sees_item else None,
                )
                notified.append(commander.username)
                if commander.email:
                    try:
                        email_enqueue(recipients=[commander.email], subject=title, body=mail_body)
                        emails += 1
                    except DomainError:
                        logger.warning("Escalation: bad e-mail address of %s", commander.username)
            audit_record(
                actor=None,
                username=SYSTEM_ACTOR,
                action=AuditAction.UPDATE,
                obj=case.item if case.is_receipt else case.target,
                changes={
                    "escalation": case.kind,
                    "responsible_unit": case.unit.code,
                    "notified_unit": told_unit.code,
                    "after_hours": step_hours,
                    "due_at": case.due_at.isoformat(),
                    "notified": notified,
                },
            )
    except IntegrityError:
        # Another run escalated this lateness at the same moment.
        return
    if case.is_receipt:
        summary.receipts += 1
    else:
        summary.verifications += 1
    summary.notifications += len(notified)
    summary.emails += emails


def escalate_overdue(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Escalate every overdue acknowledgement and verification not yet escalated at its step.

    Returns how many receipts and verifications were escalated, notifications made and e-mails
    queued. Safe to run at any frequency and concurrently.
    """
    moment = now or timezone.now()
    steps = escalation_steps()
    summary = EscalationSummary()
    if not steps:
        return summary.as_dict()
    lookback_days = getattr(settings, "PHOIHOP_ESCALATION_LOOKBACK_DAYS", 30)
    lookback = dt.timedelta(days=lookback_days) if lookback_days else None
    commanders = _Commanders()
    cases: list[tuple[_Case, int | None]] = []
    for receipt in _overdue_receipts(moment, steps, lookback):
        case = _Case(
            NotificationKind.ACK_OVERDUE, receipt, receipt.item, receipt.unit, receipt.ack_due_at
        )
        cases.append((case, getattr(receipt, "escalated_hours", None)))
    for verification in _overdue_verifications(moment, steps, lookback):
        case = _Case(
            NotificationKind.VERIFICATION_OVERDUE,
            verification,
            verification.item,
            verification.assigned_unit,
            verification.due_at,
        )
        cases.append((case, getattr(verification, "escalated_hours", None)))
    # Stored texts and e-mails are in the installation's language, whoever triggered the run.
    with translation.override(settings.LANGUAGE_CODE):
        for case, escalated_hours in cases:
            index = _reached_step(steps, case.due_at, moment)
            if index is None or (escalated_hours is not None and escalated_hours >= steps[index]):
                continue
            _escalate(
                case,
                step_index=index,
                step_hours=steps[index],
                now=moment,
                commanders=commanders,
                summary=summary,
            )
    return summary.as_dict()
