"""Timeliness figures of the information exchange, per force, unit and period (for the reports).

Every figure starts from the access rule (`phoihop.access.rules.visible` through the exchange
selectors): a receipt or verification request counts only if the actor sees its item, so no
count leaks what the actor may not see.

A period is `start` to `end`, both dates inclusive, in local time (Asia/Ho_Chi_Minh): quý III
under Nghị định 09/2019/NĐ-CP is `(date(2024, 6, 15), date(2024, 9, 14))`. Which timestamp puts a
record in the period:
- an information item: `sent_at`;
- a receipt: `delivered_at` (for a direct recipient, the item's `sent_at`);
- a verification request: the time it was requested (`created_at`).
Whatever happened to those records up to `as_of` (default: now) is counted: an acknowledgement
or answer after `as_of` counts as not yet given, so a report computed again later for the same
`as_of` gives the same figures.

Every count is a `Figure`: its value and the public ids of the information items behind it (the
provenance a report links to). A count of receipts or verification requests may have fewer
ids than its value when one item has several.

Sizes are those of a province (a few thousand items a year): the rows are read once with
`values_list` and the figures computed in Python.
"""

from __future__ import annotations

import datetime as dt
import statistics
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core.errors import DomainError
from phoihop.exchange.enums import VerificationResult, VerificationStatus
from phoihop.exchange.models import InformationItem, Receipt, VerificationRequest
from phoihop.exchange.selectors import info_item_list, verification_list
from phoihop.org.models import Force, Unit

_HOURS = Decimal("0.01")
_SHARE = Decimal("0.0001")
_ANSWERED = (VerificationStatus.ANSWERED, VerificationStatus.CLOSED)


@dataclass(frozen=True)
class Figure:
    """A count and the public ids of the information items behind it (sorted, distinct)."""

    value: int
    provenance: tuple[uuid.UUID, ...] = ()

    @classmethod
    def of(cls, item_ids: Sequence[uuid.UUID]) -> Figure:
        """One count per element of `item_ids` (a receipt, a request…), named by its item."""
        return cls(len(item_ids), tuple(sorted(set(item_ids), key=str)))

    @classmethod
    def distinct(cls, item_ids: Iterable[uuid.UUID]) -> Figure:
        """One count per distinct item."""
        ids = tuple(sorted(set(item_ids), key=str))
        return cls(len(ids), ids)

    def __int__(self) -> int:
        return self.value


@dataclass(frozen=True)
class ForceItems:
    """Items exchanged between forces, as one force sent and received them."""

    force: Force
    sent: Figure  # sent by a unit of the force to at least one unit of another force
    received: Figure  # received by at least one unit of the force from another force


@dataclass(frozen=True)
class ItemFigures:
    sent: Figure  # every visible item sent in the period
    # Items with at least one recipient of another force than the sender's: each counted once
    # in this joint total, however many forces received it.
    exchanged: Figure
    by_force: tuple[ForceItems, ...]

    def force(self, code: str) -> ForceItems:
        return next(f for f in self.by_force if f.force.code == code)


@dataclass(frozen=True)
class AcknowledgementFigures:
    """Receipts delivered in the period to a unit, a force (`unit` None) or everyone (both None)."""

    unit: Unit | None
    force: Force | None
    received: Figure  # receipts delivered in the period
    acknowledged: Figure  # of which acknowledged by `as_of`
    on_time: Figure  # acknowledged by the due time
    late: Figure  # acknowledged after the due time
    unacknowledged: Figure  # not acknowledged by `as_of`
    overdue: Figure  # not acknowledged and past the due time at `as_of`
    # Median time from delivery to acknowledgement, in hours (0.01), over the acknowledged.
    median_hours: Decimal | None
    # Acknowledged on time / received (0.0001); None without receipts.
    on_time_share: Decimal | None


@dataclass(frozen=True)
class VerificationFigures:
    """Verification requests made in the period, by the unit that must verify (`unit`)."""

    unit: Unit | None
    requested: Figure
    answered: Figure  # answered (or answered and closed) by `as_of`
    answered_on_time: Figure
    answered_late: Figure
    unanswered: Figure
    overdue: Figure  # not answered and past the due time at `as_of`
    median_hours: Decimal | None  # median time from request to answer
    on_time_share: Decimal | None  # answered on time / requested
    # Answers by result, every VerificationResult in its declared order.
    results: dict[str, Figure] = field(default_factory=dict)


@dataclass(frozen=True)
class ExchangeFigures:
    start: dt.date
    end: dt.date
    as_of: dt.datetime
    items: ItemFigures
    acknowledgements: AcknowledgementFigures
    acknowledgements_by_force: tuple[AcknowledgementFigures, ...]
    acknowledgements_by_unit: tuple[AcknowledgementFigures, ...]
    verifications: VerificationFigures
    verifications_by_unit: tuple[VerificationFigures, ...]


# --- period -------------------------------------------------------------------------------------


def period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, day after end 00:00) in local time, as aware datetimes."""
    if start > end:
        message = _("Ngày kết thúc kỳ phải bằng hoặc sau ngày bắt đầu.")
        raise DomainError(message, code="invalid_period", fields={"end": [message]})
    tz = timezone.get_default_timezone()
    lower = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    upper = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return lower, upper


def items_in_period(*, actor: Any, start: dt.date, end: dt.date) -> QuerySet[InformationItem]:
    """The visible items sent in the period: the records behind the item figures."""
    lower, upper = period_bounds(start, end)
    return info_item_list(actor=actor).filter(sent_at__gte=lower, sent_at__lt=upper)


def receipts_in_period(*, actor: Any, start: dt.date, end: dt.date) -> QuerySet[Receipt]:
    """Receipts of visible items delivered in the period: the records behind the timeliness."""
    lower, upper = period_bounds(start, end)
    return Receipt.objects.filter(
        item__in=info_item_list(actor=actor).values("pk"),
        delivered_at__gte=lower,
        delivered_at__lt=upper,
    )


def verifications_in_period(
    *, actor: Any, start: dt.date, end: dt.date
) -> QuerySet[VerificationRequest]:
    lower, upper = period_bounds(start, end)
    return verification_list(actor=actor).filter(created_at__gte=lower, created_at__lt=upper)


# --- computing ----------------------------------------------------------------------------------


def _hours(seconds: Sequence[float]) -> Decimal | None:
    if not seconds:
        return None
    median = Decimal(str(statistics.median(seconds))) / 3600
    return median.quantize(_HOURS, rounding=ROUND_HALF_UP)


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(_SHARE, rounding=ROUND_HALF_UP)


# (item public id, delivered_at, ack_due_at, acknowledged_at)
_ReceiptRow = tuple[uuid.UUID, dt.datetime, dt.datetime, dt.datetime | None]


def _acknowledgements(
    rows: Sequence[_ReceiptRow], *, as_of: dt.datetime, unit: Unit | None, force: Force | None
) -> AcknowledgementFigures:
    acknowledged: list[uuid.UUID] = []
    on_time: list[uuid.UUID] = []
    late: list[uuid.UUID] = []
    unacknowledged: list[uuid.UUID] = []
    overdue: list[uuid.UUID] = []
    delays: list[float] = []
    for item, delivered, due, acked in rows:
        if acked is not None and acked <= as_of:
            acknowledged.append(item)
            (on_time if acked <= due else late).append(item)
            delays.append((acked - delivered).total_seconds())
        else:
            unacknowledged.append(item)
            if due < as_of:
                overdue.append(item)
    return AcknowledgementFigures(
        unit=unit,
        force=force,
        received=Figure.of([r[0] for r in rows]),
        acknowledged=Figure.of(acknowledged),
        on_time=Figure.of(on_time),
        late=Figure.of(late),
        unacknowledged=Figure.of(unacknowledged),
        overdue=Figure.of(overdue),
        median_hours=_hours(delays),
        on_time_share=_share(len(on_time), len(rows)),
    )


# (item public id, created_at, due_at, status, answered_at, result)
_VerificationRow = tuple[uuid.UUID, dt.datetime, dt.datetime, str, dt.datetime | None, str]


def _verifications(
    rows: Sequence[_VerificationRow], *, as_of: dt.datetime, unit: Unit | None
) -> VerificationFigures:
    answered: list[uuid.UUID] = []
    on_time: list[uuid.UUID] = []
    late: list[uuid.UUID] = []
    unanswered: list[uuid.UUID] = []
    overdue: list[uuid.UUID] = []
    by_result: dict[str, list[uuid.UUID]] = {value: [] for value in VerificationResult.values}
    delays: list[float] = []
    for item, requested, due, status, answered_at, result in rows:
        if status in _ANSWERED and answered_at is not None and answered_at <= as_of:
            answered.append(item)
            (on_time if answered_at <= due else late).append(item)
            delays.append((answered_at - requested).total_seconds())
            if result in by_result:
                by_result[result].append(item)
        else:
            unanswered.append(item)
            if due < as_of:
                overdue.append(item)
    return VerificationFigures(
        unit=unit,
        requested=Figure.of([r[0] for r in rows]),
        answered=Figure.of(answered),
        answered_on_time=Figure.of(on_time),
        answered_late=Figure.of(late),
        unanswered=Figure.of(unanswered),
        overdue=Figure.of(overdue),
        median_hours=_hours(delays),
        on_time_share=_share(len(on_time), len(rows)),
        results={result: Figure.of(ids) for result, ids in by_result.items()},
    )


def _units(ids: Iterable[int]) -> list[Unit]:
    return list(Unit.objects.filter(pk__in=set(ids)).select_related("force").order_by("path"))


# --- selectors ----------------------------------------------------------------------------------


def item_figures(*, actor: Any, start: dt.date, end: dt.date) -> ItemFigures:
    """Items sent in the period, and those exchanged between forces, in total and by force."""
    items = items_in_period(actor=actor, start=start, end=end)
    senders = {
        pk: (public_id, force)
        for pk, public_id, force in items.values_list("pk", "public_id", "owner_unit__force_id")
    }
    recipients: dict[int, set[int]] = defaultdict(set)
    for item_pk, force in Receipt.objects.filter(item__in=items.values("pk")).values_list(
        "item_id", "unit__force_id"
    ):
        recipients[item_pk].add(force)
    sent: dict[int, list[uuid.UUID]] = defaultdict(list)
    received: dict[int, list[uuid.UUID]] = defaultdict(list)
    exchanged: list[uuid.UUID] = []
    for pk, (public_id, sender) in senders.items():
        others = recipients[pk] - {sender}
        if not others:
            continue
        exchanged.append(public_id)
        sent[sender].append(public_id)
        for force in others:
            received[force].append(public_id)
    return ItemFigures(
        sent=Figure.distinct(public_id for public_id, _force in senders.values()),
        exchanged=Figure.distinct(exchanged),
        by_force=tuple(
            ForceItems(
                force=force,
                sent=Figure.distinct(sent[force.pk]),
                received=Figure.distinct(received[force.pk]),
            )
            for force in Force.objects.filter(
                Q(is_partner=False) | Q(pk__in=[*sent, *received])
            ).order_by("order", "code")
        ),
    )


def _receipt_rows(
    *,
    actor: Any,
    start: dt.date,
    end: dt.date,
    force: str | None = None,
    within: Unit | None = None,
) -> list[tuple[int, int, _ReceiptRow]]:
    receipts = receipts_in_period(actor=actor, start=start, end=end)
    if force is not None:
        receipts = receipts.filter(unit__force__code=force)
    if within is not None:
        receipts = receipts.filter(unit__path__startswith=within.path)
    return [
        (unit, force_id, (item, delivered, due, acked))
        for unit, force_id, item, delivered, due, acked in receipts.values_list(
            "unit_id",
            "unit__force_id",
            "item__public_id",
            "delivered_at",
            "ack_due_at",
            "acknowledged_at",
        )
    ]


def acknowledgement_figures(
    *,
    actor: Any,
    start: dt.date,
    end: dt.date,
    force: str | None = None,
    within: Unit | None = None,
    as_of: dt.datetime | None = None,
) -> AcknowledgementFigures:
    """Timeliness of acknowledgement of the receipts delivered in the period: all the actor sees,
    or only those of a force (code) or of the units within a unit's subtree."""
    rows = _receipt_rows(actor=actor, start=start, end=end, force=force, within=within)
    return _acknowledgements(
        [row for _unit, _force, row in rows],
        as_of=as_of or timezone.now(),
        unit=within,
        force=Force.objects.get(code=force) if force is not None else None,
    )


def acknowledgement_by_force(
    *, actor: Any, start: dt.date, end: dt.date, as_of: dt.datetime | None = None
) -> tuple[AcknowledgementFigures, ...]:
    moment = as_of or timezone.now()
    grouped: dict[int, list[_ReceiptRow]] = defaultdict(list)
    for _unit, force_id, row in _receipt_rows(actor=actor, start=start, end=end):
        grouped[force_id].append(row)
    return tuple(
        _acknowledgements(grouped[force.pk], as_of=moment, unit=None, force=force)
        for force in Force.objects.filter(pk__in=grouped).order_by("order", "code")
    )


def acknowledgement_by_unit(
    *,
    actor: Any,
    start: dt.date,
    end: dt.date,
    within: Unit | None = None,
    as_of: dt.datetime | None = None,
) -> tuple[AcknowledgementFigures, ...]:
    """One row per recipient unit that received something in the period, in tree order."""
    moment = as_of or timezone.now()
    grouped: dict[int, list[_ReceiptRow]] = defaultdict(list)
    for unit_id, _force, row in _receipt_rows(actor=actor, start=start, end=end, within=within):
        grouped[unit_id].append(row)
    return tuple(
        _acknowledgements(grouped[unit.pk], as_of=moment, unit=unit, force=unit.force)
        for unit in _units(grouped)
    )


def _verification_rows(
    *, actor: Any, start: dt.date, end: dt.date, within: Unit | None = None
) -> list[tuple[int, _VerificationRow]]:
    requests = verifications_in_period(actor=actor, start=start, end=end)
    if within is not None:
        requests = requests.filter(assigned_unit__path__startswith=within.path)
    return [
        (unit, (item, created, due, status, answered, result))
        for unit, item, created, due, status, answered, result in requests.values_list(
            "assigned_unit_id",
            "item__public_id",
            "created_at",
            "due_at",
            "status",
            "answered_at",
            "result",
        )
    ]


def verification_figures(
    *,
    actor: Any,
    start: dt.date,
    end: dt.date,
    within: Unit | None = None,
    as_of: dt.datetime | None = None,
) -> VerificationFigures:
    """Verification requests made in the period (to units within `within`, if given)."""
    rows = _verification_rows(actor=actor, start=start, end=end, within=within)
    return _verifications([row for _unit, row in rows], as_of=as_of or timezone.now(), unit=within)


def verification_by_unit(
    *,
    actor: Any,
    start: dt.date,
    end: dt.date,
    within: Unit | None = None,
    as_of: dt.datetime | None = None,
) -> tuple[VerificationFigures, ...]:
    """One row per unit asked to verify in the period, in tree order."""
    moment = as_of or timezone.now()
    grouped: dict[int, list[_VerificationRow]] = defaultdict(list)
    for unit_id, row in _verification_rows(actor=actor, start=start, end=end, within=within):
        grouped[unit_id].append(row)
    return tuple(
        _verifications(grouped[unit.pk], as_of=moment, unit=unit) for unit in _units(grouped)
    )


def exchange_figures(
    *, actor: Any, start: dt.date, end: dt.date, as_of: dt.datetime | None = None
) -> ExchangeFigures:
    """All the figures of the period that the actor may see."""
    moment = as_of or timezone.now()
    return ExchangeFigures(
        start=start,
        end=end,
        as_of=moment,
        items=item_figures(actor=actor, start=start, end=end),
        acknowledgements=acknowledgement_figures(actor=actor, start=start, end=end, as_of=moment),
        acknowledgements_by_force=acknowledgement_by_force(
            actor=actor, start=start, end=end, as_of=moment
        ),
        acknowledgements_by_unit=acknowledgement_by_unit(
            actor=actor, start=start, end=end, as_of=moment
        ),
        verifications=verification_figures(actor=actor, start=start, end=end, as_of=moment),
        verifications_by_unit=verification_by_unit(actor=actor, start=start, end=end, as_of=moment),
    )
