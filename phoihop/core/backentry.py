"""Back-entry: records entered after the fact, with their real dates. The rules, in one place.

- A record's real date (an item sent, a case detected, an operation started, a forum held…) is
  refused in the future (a moment may run `FUTURE_TOLERANCE` ahead, for clocks a little apart)
  and before `EARLIEST` (1/1/2019, the first year PhốiHợp holds): `check_record_date`, whose
  refusal names the field. The dates of one record follow each other (`check_order`:
  acknowledged not before delivered, answered not before requested…).
- A record is back-entered when its real date is more than `BACK_ENTRY_AFTER` (one day, counted
  in local calendar days) before the day it was entered (`is_back_entry`).
- The audit entry of a back-entered record's creation carries its real dates
  (`back_entry_note`, merged into the entry's `changes`); the record's page reads who entered
  it and when from that creation entry (`entered_later`, shown by `core/_entered.html`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core import formats
from phoihop.core.errors import invalid

EARLIEST = dt.date(2019, 1, 1)
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
BACK_ENTRY_AFTER = dt.timedelta(days=1)

RealDate = dt.date | dt.datetime


def local_day(value: RealDate) -> dt.date:
    """The calendar day of a date, or of a moment in local time."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def check_record_date(
    field: str,
    value: RealDate | None,
    *,
    label: str | None = None,
    planned: bool = False,
    now: dt.datetime | None = None,
) -> None:
    """Refuse a record's real date in the future or before `EARLIEST`, naming `field`.

    None (not given) passes: whether a date is required is the record's own rule. `planned`: the
    record may be set up ahead (a campaign launched before it starts), so only `EARLIEST` holds.
    """
    if value is None:
        return
    moment = now or timezone.now()
    name = label or _("Ngày")
    is_moment = isinstance(value, dt.datetime)
    future = value > moment + FUTURE_TOLERANCE if is_moment else value > timezone.localdate(moment)
    if future and not planned:
        raise invalid(
            field,
            _("%(name)s không được ở tương lai.") % {"name": name},
            code="future_time" if is_moment else "future_date",
        )
    if local_day(value) < EARLIEST:
        raise invalid(
            field,
            _("%(name)s không được trước ngày %(earliest)s.")
            % {"name": name, "earliest": formats.date(EARLIEST)},
            code="before_earliest",
        )


def check_order(
    earlier: tuple[str, RealDate | None], later: tuple[str, RealDate | None], message: str
) -> None:
    """Refuse `later` (field, value) when it comes before `earlier`; the refusal names `later`."""
    (_first, start), (field, end) = earlier, later
    if start is None or end is None:
        return
    if isinstance(start, dt.datetime) != isinstance(end, dt.datetime):
        start, end = local_day(start), local_day(end)
    if end < start:
        raise invalid(field, message, code="out_of_order")


def is_back_entry(real: RealDate, entered: dt.datetime | dt.date) -> bool:
    """True when the real date is more than a day before the day the record was entered."""
    return local_day(entered) - local_day(real) > BACK_ENTRY_AFTER


def back_entry_note(
    real: RealDate | None, *, now: dt.datetime | None = None, **dates: RealDate | None
) -> dict[str, Any]:
    """What the audit entry of a creation adds when the record is back-entered, else nothing:
    `{"back_entry": {"real_date": …, <other real dates given>…}}`."""
    if real is None or not is_back_entry(real, now or timezone.now()):
        return {}
    given = {name: value.isoformat() for name, value in dates.items() if value is not None}
    return {"back_entry": {"real_date": real.isoformat(), **given}}


@dataclass(frozen=True)
class EnteredLater:
    """Who entered a back-entered record, and when."""

    entered_at: dt.datetime
    entered_by: str
    real_date: RealDate


def _creation(record: Model) -> Any:
    from phoihop.audit.models import AuditAction, AuditEntry

    meta = record._meta
    ident = getattr(record, "public_id", None) or record.pk
    return (
        AuditEntry.objects.filter(
            object_type=f"{meta.app_label}.{meta.model_name}",
            object_id=str(ident),
            action=AuditAction.CREATE,
        )
        .order_by("seq")
        .first()
    )


def _person(entry: Any) -> str:
    from phoihop.org.models import User

    person = User.objects.filter(pk=entry.actor_id).first() if entry.actor_id else None
    return str(person) if person is not None else entry.actor_username


def entered_later(record: Model, real: RealDate | None) -> EnteredLater | None:
    """Who entered `record` and when, if its real date is more than a day before its entry
    (as its creation's audit entry says); None for a record entered in its own time."""
    if real is None:
        return None
    entry = _creation(record)
    if entry is None or not is_back_entry(real, entry.at):
        return None
    return EnteredLater(entered_at=entry.at, entered_by=_person(entry), real_date=real)
