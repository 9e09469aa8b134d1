"""The figures of the information exchange: its timeliness per force, unit and period, and (at
the end of the module) its declarations in the registry of figures (`phoihop.core.figures`)
that the report, the dashboard and the derived indicators read.

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

from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from phoihop.core import figures as registry
from phoihop.core import formats
from phoihop.core.errors import DomainError
from phoihop.core.figures import Derived, Results
from phoihop.exchange.enums import VerificationResult, VerificationStatus
from phoihop.exchange.models import InformationItem, Receipt, VerificationRequest
from phoihop.exchange.selectors import info_item_list, verification_list
from phoihop.org.enums import AreaLevel
from phoihop.org.models import AdministrativeArea, Force, Unit

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


@dataclass(frozen=True)
class _Exchanged:
    """Who sent what to which other force, item by item (public ids)."""

    sent: list[uuid.UUID]  # every item
    exchanged: list[uuid.UUID]  # with a recipient of another force than the sender's
    sent_by: dict[int, list[uuid.UUID]]  # force id -> exchanged items it sent
    received_by: dict[int, list[uuid.UUID]]  # force id -> exchanged items it received


def _exchange_of(items: QuerySet[InformationItem]) -> _Exchanged:
    """Two queries: the items and the forces of their recipients."""
    senders = {
        pk: (public_id, force)
        for pk, public_id, force in items.order_by().values_list(
            "pk", "public_id", "owner_unit__force_id"
        )
    }
    recipients: dict[int, set[int]] = defaultdict(set)
    for item_pk, force in Receipt.objects.filter(item__in=items.values("pk")).values_list(
        "item_id", "unit__force_id"
    ):
        recipients[item_pk].add(force)
    result = _Exchanged([public_id for public_id, _f in senders.values()], [], {}, {})
    for pk, (public_id, sender) in senders.items():
        others = recipients[pk] - {sender}
        if not others:
            continue
        result.exchanged.append(public_id)
        result.sent_by.setdefault(sender, []).append(public_id)
        for force in others:
            result.received_by.setdefault(force, []).append(public_id)
    return result


def _exchanging_forces(exchanged: _Exchanged) -> QuerySet[Force]:
    """The three forces, and any partner that exchanged something."""
    involved = [*exchanged.sent_by, *exchanged.received_by]
    return Force.objects.filter(Q(is_partner=False) | Q(pk__in=involved)).order_by("order", "code")


def item_figures(*, actor: Any, start: dt.date, end: dt.date) -> ItemFigures:
    """Items sent in the period, and those exchanged between forces, in total and by force."""
    exchanged = _exchange_of(items_in_period(actor=actor, start=start, end=end))
    return ItemFigures(
        sent=Figure.distinct(exchanged.sent),
        exchanged=Figure.distinct(exchanged.exchanged),
        by_force=tuple(
            ForceItems(
                force=force,
                sent=Figure.distinct(exchanged.sent_by.get(force.pk, [])),
                received=Figure.distinct(exchanged.received_by.get(force.pk, [])),
            )
            for force in _exchanging_forces(exchanged)
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


# --- the registry of figures --------------------------------------------------------------------
# What the indicators, the coordination report and the dashboard count of the exchange, declared
# once (see `phoihop.core.figures`). Items count by the time they were sent, receipts by the time
# they were delivered, verification requests by the time they were made (the report and the
# indicators) or by their due time (the dashboard); an area keeps the items of that province or
# naming that commune (or a pre-2025 commune merged into it); a scope's unit keeps what it or a
# unit below it sent, received or must verify; the dashboard's force filter keeps the sender's,
# the recipient's or the verifying unit's force. The report's timeliness counts the receipts and
# requests of the items sent in its period (`ACKNOWLEDGEMENTS`, `REQUESTS_OF_ITEMS`).

_PENDING = Q(acknowledged_at__isnull=True)
_ACK_ON_TIME = Q(acknowledged_at__isnull=False, acknowledged_at__lte=F("ack_due_at"))


def _acked(scope: registry.Scope) -> Q:
    return Q(acknowledged_at__isnull=False, acknowledged_at__lte=scope.now)


def _answered(scope: registry.Scope) -> Q:
    return Q(status__in=_ANSWERED, answered_at__isnull=False, answered_at__lte=scope.now)


def _in_area(qs: QuerySet[Any], area: Any) -> QuerySet[Any]:
    """Items of a province, or naming a commune (or the pre-2025 communes merged into it);
    through a subquery, as the join on the areas would repeat an item named twice."""
    if area is None:
        return qs
    if area.level == AreaLevel.PROVINCE:
        named = Q(province=area)
    else:
        merged = AdministrativeArea.objects.filter(successors=area).values("pk")
        named = Q(areas=area) | Q(areas__in=merged)
    return qs.filter(pk__in=qs.filter(named).values("pk"))


def _visible_items(scope: registry.Scope) -> QuerySet[InformationItem]:
    return _in_area(info_item_list(actor=scope.actor), scope.area)


def _items(scope: registry.Scope) -> QuerySet[InformationItem]:
    low, high = scope.bounds
    qs = _visible_items(scope).filter(sent_at__gte=low, sent_at__lt=high)
    if scope.force is not None:
        qs = qs.filter(owner_unit__force=scope.force)
    return scope.within(qs).order_by()


def _receipts(scope: registry.Scope) -> QuerySet[Receipt]:
    low, high = scope.bounds
    qs = Receipt.objects.filter(
        item__in=_visible_items(scope).values("pk"), delivered_at__gte=low, delivered_at__lt=high
    )
    if scope.force is not None:
        qs = qs.filter(unit__force=scope.force)
    return scope.within(qs, field="unit").order_by()


def _receipts_of_items(scope: registry.Scope) -> QuerySet[Receipt]:
    return _receipts(scope).filter(item__in=_items(scope).values("pk"))


def _requests_dated(scope: registry.Scope, dated: str) -> QuerySet[VerificationRequest]:
    low, high = scope.bounds
    qs = verification_list(actor=scope.actor).filter(
        item__in=_visible_items(scope).values("pk"), **{f"{dated}__gte": low, f"{dated}__lt": high}
    )
    if scope.force is not None:
        qs = qs.filter(assigned_unit__force=scope.force)
    return scope.within(qs, field="assigned_unit").order_by()


def _requests(scope: registry.Scope) -> QuerySet[VerificationRequest]:
    return _requests_dated(scope, "created_at")


def _requests_of_items(scope: registry.Scope) -> QuerySet[VerificationRequest]:
    return _requests(scope).filter(item__in=_items(scope).values("pk"))


def _falling_due(scope: registry.Scope) -> QuerySet[VerificationRequest]:
    return _requests_dated(scope, "due_at")


def _day(moment: dt.datetime) -> str:
    return formats.date(timezone.localtime(moment).date())


def _item_title(item: InformationItem) -> str:
    return f"{item.number:02d}/{item.year} · {item.title}"


def _item_row(item: InformationItem) -> registry.RecordRow:
    return registry.RecordRow(
        _item_title(item),
        reverse("exchange:detail", args=[item.public_id]),
        _day(item.sent_at),
        item.owner_unit.name,
    )


def _receipt_row(receipt: Receipt) -> registry.RecordRow:
    return registry.RecordRow(
        _item_title(receipt.item),
        reverse("exchange:detail", args=[receipt.item.public_id]),
        _day(receipt.delivered_at),
        receipt.unit.name,
    )


def _request_row(request: VerificationRequest) -> registry.RecordRow:
    return registry.RecordRow(
        request.item.title,
        reverse("exchange:detail", args=[request.item.public_id]),
        _day(request.due_at),
        request.assigned_unit.name,
    )


def _page(url_name: str) -> registry.Page:
    def page(scope: registry.Scope, **query: Any) -> str:
        return registry.page_link(url_name)

    return page


ITEMS = registry.Source(
    "exchange.items",
    label=gettext_lazy("Thông tin đã gửi"),
    select=_items,
    row=_item_row,
    page=_page("exchange:outbox"),
    related=("owner_unit",),
    newest=("-sent_at", "pk"),
    dated="sent_at",
    instant=True,
    communes="areas",
    province="province__code",
    forces="owner_unit__force__code",
)
_RECEIPTS = {
    "row": _receipt_row,
    "page": _page("exchange:index"),
    "related": ("item", "unit"),
    "newest": ("-delivered_at", "pk"),
    "dated": "delivered_at",
    "instant": True,
    "communes": "item__areas",
    "province": "item__province__code",
    "forces": "unit__force__code",
    "ids": "item__public_id",
}
RECEIPTS = registry.Source(
    "exchange.receipts",
    label=gettext_lazy("Lượt tiếp nhận thông tin"),
    select=_receipts,
    **_RECEIPTS,  # type: ignore[arg-type]
)
ACKNOWLEDGEMENTS = registry.Source(
    "exchange.acknowledgements",
    label=gettext_lazy("Lượt tiếp nhận thông tin"),
    select=_receipts_of_items,
    **_RECEIPTS,  # type: ignore[arg-type]
)
_REQUESTS = {
    "row": _request_row,
    "page": _page("exchange:verifications"),
    "related": ("item", "assigned_unit"),
    "instant": True,
    "communes": "item__areas",
    "province": "item__province__code",
    "forces": "assigned_unit__force__code",
    "ids": "item__public_id",
}
REQUESTS = registry.Source(
    "exchange.requests",
    label=gettext_lazy("Yêu cầu xác minh"),
    select=_requests,
    newest=("-created_at", "pk"),
    dated="created_at",
    **_REQUESTS,  # type: ignore[arg-type]
)
REQUESTS_OF_ITEMS = registry.Source(
    "exchange.requests_of_items",
    label=gettext_lazy("Yêu cầu xác minh"),
    select=_requests_of_items,
    newest=("-created_at", "pk"),
    dated="created_at",
    **_REQUESTS,  # type: ignore[arg-type]
)
FALLING_DUE = registry.Source(
    "exchange.falling_due",
    label=gettext_lazy("Yêu cầu xác minh"),
    select=_falling_due,
    newest=("due_at", "pk"),
    dated="due_at",
    **_REQUESTS,  # type: ignore[arg-type]
)

# Items exchanged between forces: each counted once in the joint total, however many forces
# received it, and by the force that sent it and every other force that received it.
EXCHANGED = ITEMS.figure(
    "exchange.items",
    gettext_lazy("Thông tin trao đổi giữa các lực lượng"),
    unit=gettext_lazy("thông tin"),
    order=0,
    report=True,
)
SENT_BY = ITEMS.family(
    "exchange.items.sent",
    label=lambda name: _("Thông tin do %(force)s gửi") % {"force": name},
    unit=gettext_lazy("thông tin"),
    order=1,
    report=True,
)
RECEIVED_BY = ITEMS.family(
    "exchange.items.received",
    label=lambda name: _("Thông tin %(force)s tiếp nhận") % {"force": name},
    unit=gettext_lazy("thông tin"),
    order=1,
    report=True,
)
ITEMS_SENT = ITEMS.figure(
    "exchange.items_sent",
    gettext_lazy("Thông tin đã gửi"),
    unit=gettext_lazy("thông tin"),
    order=10,
    derived=Derived(
        "Số thông tin đã gửi cho các đơn vị",
        "tin",
        description="Thông tin do đơn vị (hoặc đơn vị cấp dưới) gửi trong kỳ.",
    ),
)


@ITEMS.provider(EXCHANGED, SENT_BY, RECEIVED_BY)
def _exchanged(records: QuerySet[InformationItem], scope: registry.Scope, out: Results) -> None:
    found = _exchange_of(records)

    def of(ids: list[uuid.UUID]) -> QuerySet[InformationItem]:
        return records.filter(public_id__in=ids)

    out.add(EXCHANGED, len(found.exchanged), of(found.exchanged), ids=found.exchanged)
    for force in _exchanging_forces(found):
        for family, ids in (
            (SENT_BY, found.sent_by.get(force.pk, [])),
            (RECEIVED_BY, found.received_by.get(force.pk, [])),
        ):
            if ids:
                out.add(family.member(force.code, force.name), len(ids), of(ids), ids=ids)


# Receipts delivered in the period (the dashboard and the indicators).
RECEIVED = RECEIPTS.figure(
    "exchange.received",
    gettext_lazy("Lượt tiếp nhận thông tin"),
    unit=pgettext_lazy("unit of count", "lượt"),
    order=20,
    derived=Derived(
        "Số thông tin nhận được",
        "tin",
        code="exchange.items_received",
        description="Lượt thông tin chuyển đến đơn vị (hoặc đơn vị cấp dưới) trong kỳ.",
    ),
)
UNACKNOWLEDGED = RECEIPTS.figure(
    "exchange.unacknowledged",
    gettext_lazy("Chưa xác nhận tiếp nhận"),
    unit=pgettext_lazy("unit of count", "lượt"),
    where=_PENDING,
    order=21,
)
OVERDUE = RECEIPTS.figure(
    "exchange.overdue",
    gettext_lazy("Quá hạn xác nhận"),
    unit=pgettext_lazy("unit of count", "lượt"),
    where=lambda scope: _PENDING & Q(ack_due_at__lt=scope.now),
    note=gettext_lazy("chưa xác nhận và đã quá hạn tính đến nay"),
    order=22,
)
ACKNOWLEDGED_ON_TIME = RECEIPTS.figure(
    "exchange.acknowledged_on_time",
    gettext_lazy("Lượt xác nhận tiếp nhận đúng hạn"),
    unit=pgettext_lazy("unit of count", "lượt"),
    where=_ACK_ON_TIME,
    order=30,
    derived=Derived("Số thông tin nhận được đã xác nhận đúng hạn", "tin"),
)
ACKNOWLEDGED_ON_TIME_SHARE = RECEIPTS.figure(
    "exchange.acknowledged_on_time_share",
    gettext_lazy("Tỷ lệ xác nhận tiếp nhận đúng hạn"),
    kind=registry.FigureKind.PERCENT,
    where=_ACK_ON_TIME,
    share_of=Q(),
    order=40,
    derived=Derived(
        "Tỷ lệ thông tin nhận được xác nhận đúng hạn",
        "%",
        value_kind="decimal",
        aggregation="average",
        description="Số xác nhận đúng hạn trên số thông tin nhận được trong kỳ (0 khi không "
        "nhận thông tin nào).",
    ),
)

# The report's timeliness: receipts of the items sent in the period, as of now.
ACK_RECEIVED = ACKNOWLEDGEMENTS.figure(
    "exchange.ack.received",
    gettext_lazy("Lượt tiếp nhận thông tin"),
    unit=pgettext_lazy("unit of count", "lượt"),
    emit="records",
    order=2,
    report=True,
)
ACK_ON_TIME_SHARE = ACKNOWLEDGEMENTS.figure(
    "exchange.ack.on_time_share",
    gettext_lazy("Tỷ lệ xác nhận tiếp nhận đúng hạn"),
    kind=registry.FigureKind.PERCENT,
    where=lambda scope: _acked(scope) & Q(acknowledged_at__lte=F("ack_due_at")),
    share_of=Q(),
    order=3,
    report=True,
)
ACK_OVERDUE = ACKNOWLEDGEMENTS.figure(
    "exchange.ack.overdue",
    gettext_lazy("Lượt tiếp nhận quá hạn chưa xác nhận"),
    unit=pgettext_lazy("unit of count", "lượt"),
    where=lambda scope: ~_acked(scope) & Q(ack_due_at__lt=scope.now),
    emit="records",
    order=4,
    report=True,
)

# Verification requests made in the period (the indicators; the report's, for its items).
REQUESTED = REQUESTS.figure(
    "exchange.verifications_received",
    gettext_lazy("Yêu cầu kiểm tra, xác minh phải trả lời"),
    unit=gettext_lazy("yêu cầu"),
    order=50,
    derived=Derived("Số yêu cầu kiểm tra, xác minh phải trả lời", "yêu cầu"),
)
ANSWERED_ON_TIME = REQUESTS.figure(
    "exchange.verifications_answered_on_time",
    gettext_lazy("Yêu cầu xác minh đã trả lời đúng hạn"),
    unit=gettext_lazy("yêu cầu"),
    where=Q(status__in=_ANSWERED, answered_at__isnull=False, answered_at__lte=F("due_at")),
    order=60,
    derived=Derived("Số yêu cầu xác minh đã trả lời đúng hạn", "yêu cầu"),
)
VERIFY_REQUESTED = REQUESTS_OF_ITEMS.figure(
    "exchange.verify.requested",
    gettext_lazy("Yêu cầu kiểm tra, xác minh"),
    unit=gettext_lazy("yêu cầu"),
    emit="records",
    order=5,
    report=True,
)
VERIFY_ON_TIME_SHARE = REQUESTS_OF_ITEMS.figure(
    "exchange.verify.on_time_share",
    gettext_lazy("Tỷ lệ xác minh xong đúng hạn"),
    kind=registry.FigureKind.PERCENT,
    where=lambda scope: _answered(scope) & Q(answered_at__lte=F("due_at")),
    share_of=Q(),
    order=6,
    report=True,
)
VERIFY_OVERDUE = REQUESTS_OF_ITEMS.figure(
    "exchange.verify.overdue",
    gettext_lazy("Yêu cầu xác minh quá hạn chưa có kết quả"),
    unit=gettext_lazy("yêu cầu"),
    where=lambda scope: ~_answered(scope) & Q(due_at__lt=scope.now),
    emit="records",
    order=7,
    report=True,
)

# Verification requests falling due in the period (the dashboard).
VERIFICATIONS_DUE = FALLING_DUE.figure(
    "exchange.verifications_due",
    gettext_lazy("Yêu cầu xác minh đến hạn"),
    unit=gettext_lazy("yêu cầu"),
    order=23,
)
VERIFICATIONS_LATE = FALLING_DUE.figure(
    "exchange.verifications_late",
    gettext_lazy("Xác minh quá hạn chưa có kết quả"),
    unit=gettext_lazy("yêu cầu"),
    where=lambda scope: Q(answered_at__isnull=True, due_at__lt=scope.now),
    order=24,
)


@dataclass
class OverdueUnit:
    """A unit that let acknowledgements or verifications run past their due time."""

    unit: str
    level: str
    acknowledgements: int = 0
    verifications: int = 0


def overdue_units(scope: registry.Scope) -> list[OverdueUnit]:
    """The units behind the report's overdue figures, the most overdue first: two queries."""
    found: dict[str, OverdueUnit] = {}
    late_receipts = ACKNOWLEDGEMENTS.records(scope).filter(ACK_OVERDUE.condition(scope))
    for unit, level in late_receipts.values_list("unit__name", "unit__level__name"):
        found.setdefault(unit, OverdueUnit(unit, level)).acknowledgements += 1
    late_requests = REQUESTS_OF_ITEMS.records(scope).filter(VERIFY_OVERDUE.condition(scope))
    for unit, level in late_requests.values_list(
        "assigned_unit__name", "assigned_unit__level__name"
    ):
        found.setdefault(unit, OverdueUnit(unit, level)).verifications += 1
    return sorted(found.values(), key=lambda o: (-(o.acknowledgements + o.verifications), o.unit))
