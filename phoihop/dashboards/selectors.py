"""What the dashboard and the map show, for one user: key figures, trends, map places, hotspots.

Every number starts from the owning module's selector, which starts from the access rule, so a
commune officer's dashboard counts, places and colours only what that officer may see — the
same records the module's own lists show. The counting rules are the modules' (and the
report's): a case in the period of its detection, by the commune it happened in; an operation
in the period of its start (checkpoints and protected zones while they operate); an information
item's receipt in the period it was delivered.

Queries are bounded whatever the volume: each figure is one aggregate over both periods (the
chosen one and the same period last year), the trends one grouped query per source over the
eight periods, the map one grouped query per source plus at most `PLACE_RECORDS` records listed
per commune (a window function, not a query per commune).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case as DbCase
from django.db.models import (
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.cases import selectors as case_selectors
from phoihop.cases.enums import SubjectKind
from phoihop.cases.models import Case, CaseUnit, case_number
from phoihop.cases.selectors import OFFENDER_ROLES
from phoihop.core import formats
from phoihop.dashboards.hotspots import Hotspot, HotspotRule, find_hotspots
from phoihop.exchange.models import InformationItem, Receipt, VerificationRequest
from phoihop.exchange.selectors import info_item_list, verification_list
from phoihop.indicators import selectors as indicator_selectors
from phoihop.indicators.periods import Period, PeriodKind, active_rule
from phoihop.mobilisation import selectors as mob
from phoihop.mobilisation.models import Forum
from phoihop.operations import selectors as ops
from phoihop.operations.kinds import KINDS, Kind
from phoihop.operations.models import OperationCommune, OperationUnit
from phoihop.org.enums import AreaLevel
from phoihop.org.models import AdministrativeArea, Force
from phoihop.reports.selectors import task_list

PLACE_RECORDS = 10  # records listed in a place's popup, per kind
TREND_PERIODS = 8
PERIOD_KINDS = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF, PeriodKind.YEAR)
_OPERATING = ("checkpoints", "zones")  # counted in every period they operate in

# The figures a map can colour and look for hotspots in.
MAP_FIGURES: dict[str, Any] = {
    "cases": gettext_lazy("Vụ việc"),
    "operations": gettext_lazy("Hoạt động phối hợp"),
    "overdue": gettext_lazy("Thông tin quá hạn xác nhận"),
}
# The same, as the rule's text counts them ("từ 3 vụ việc trở lên").
_FIGURE_UNITS: dict[str, Any] = {
    "cases": gettext_lazy("vụ việc"),
    "operations": gettext_lazy("hoạt động phối hợp"),
    "overdue": gettext_lazy("lượt thông tin quá hạn xác nhận"),
}


# --- the user's choices -------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    period: Period
    force: Force | None = None
    category: str = ""  # a case category: applies to cases only
    domain: str = ""  # a case domain: applies to cases only
    area: AdministrativeArea | None = None  # a province or commune; None: all the user sees
    rule: str = ""

    @property
    def window_rule(self) -> str:
        return self.rule or str(active_rule())

    @property
    def window(self) -> tuple[dt.date, dt.date]:
        return self.period.window(self.window_rule)

    @property
    def last_year(self) -> Period:
        return self.period.same_period_last_year

    @property
    def last_year_window(self) -> tuple[dt.date, dt.date]:
        return self.last_year.window(self.window_rule)


def current_period(kind: PeriodKind = PeriodKind.QUARTER, today: dt.date | None = None) -> Period:
    return Period.containing(today or timezone.localdate(), kind)


def trailing(period: Period, count: int = TREND_PERIODS) -> list[Period]:
    """`count` periods of the period's kind ending with it, oldest first."""
    periods = [period]
    while len(periods) < count:
        periods.append(periods[-1].previous)
    return periods[::-1]


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return case_selectors.day_bounds(start, end)


def _in(field_name: str, window: tuple[dt.date, dt.date], *, instant: bool) -> Q:
    start, end = window
    if instant:
        low, high = _bounds(start, end)
        return Q(**{f"{field_name}__gte": low, f"{field_name}__lt": high})
    return Q(**{f"{field_name}__gte": start, f"{field_name}__lte": end})


def _operating_in(window: tuple[dt.date, dt.date]) -> Q:
    start, end = window
    return (Q(end_date__gte=start) | Q(end_date__isnull=True)) & Q(start_date__lte=end)


def _kind_in(kind: Kind, window: tuple[dt.date, dt.date]) -> Q:
    if kind.slug in _OPERATING:
        return _operating_in(window)
    return _in("start_date", window, instant=False)


def _merged_into(area: AdministrativeArea) -> QuerySet[AdministrativeArea]:
    return AdministrativeArea.objects.filter(successors=area)


# --- the records each figure counts (period aside) ----------------------------------------------


def cases_of(*, actor: Any, filters: Filters) -> QuerySet[Case]:
    qs = case_selectors.cases_in(case_selectors.case_list(actor=actor), area=filters.area)
    if filters.force is not None:
        qs = qs.filter(pk__in=CaseUnit.objects.filter(force=filters.force).values("case_id"))
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.domain:
        qs = qs.filter(domain=filters.domain)
    return qs.order_by()


def _item_area_q(area: AdministrativeArea | None, prefix: str = "") -> Q:
    if area is None:
        return Q()
    if area.level == AreaLevel.PROVINCE:
        return Q(**{f"{prefix}province": area})
    return Q(**{f"{prefix}areas": area}) | Q(**{f"{prefix}areas__in": _merged_into(area)})


def items_of(*, actor: Any, filters: Filters) -> QuerySet[InformationItem]:
    qs = info_item_list(actor=actor)
    if filters.area is not None:
        # Through a subquery: the join on the areas would repeat an item named twice.
        qs = qs.filter(pk__in=qs.filter(_item_area_q(filters.area)).values("pk"))
    return qs.order_by()


def receipts_of(*, actor: Any, filters: Filters) -> QuerySet[Receipt]:
    qs = Receipt.objects.filter(item__in=items_of(actor=actor, filters=filters).values("pk"))
    if filters.force is not None:
        qs = qs.filter(unit__force=filters.force)
    return qs.order_by()


def verifications_of(*, actor: Any, filters: Filters) -> QuerySet[VerificationRequest]:
    qs = verification_list(actor=actor).filter(
        item__in=items_of(actor=actor, filters=filters).values("pk")
    )
    if filters.force is not None:
        qs = qs.filter(assigned_unit__force=filters.force)
    return qs.order_by()


def operations_of(*, actor: Any, filters: Filters) -> Iterator[tuple[Kind, QuerySet[Any]]]:
    for kind in KINDS.values():
        qs = ops.in_area(ops.record_list(kind.model, actor=actor), filters.area)
        if filters.force is not None:
            ct = ContentType.objects.get_for_model(kind.model)
            qs = qs.filter(
                pk__in=OperationUnit.objects.filter(content_type=ct, force=filters.force).values(
                    "object_id"
                )
            )
        yield kind, qs.order_by()


def forums_of(*, actor: Any, filters: Filters) -> QuerySet[Forum]:
    qs = mob.records_in(mob.forum_list(actor=actor), area=filters.area)
    if filters.force is not None:
        qs = qs.filter(owner_unit__force=filters.force)
    return qs.order_by()


# --- key figures --------------------------------------------------------------------------------


@dataclass
class KeyFigure:
    key: str
    label: str
    unit: str
    value: int | Decimal
    last_year: int | Decimal | None
    url: str = ""
    note: str = ""  # what the number counts, when the label alone could mislead
    comparison: str = ""  # "tăng 12 vụ (6,4%) so với cùng kỳ năm 2023"

    @property
    def text(self) -> str:
        if isinstance(self.value, Decimal):
            return f"{formats.number(self.value)} {self.unit}".strip()
        return formats.number(self.value)

    def change(self, against: str) -> str:
        if self.last_year is None:
            return ""
        delta = Decimal(self.value) - Decimal(self.last_year)
        if isinstance(self.value, Decimal):
            delta_text = f"{formats.number(abs(delta))} {self.unit}".strip()
        else:
            delta_text = f"{formats.count(int(abs(delta)))} {self.unit}".strip()
        return formats.comparison(
            self.last_year, self.value, delta_text=delta_text, against=against
        )

    @property
    def trend(self) -> str:
        """ "up", "down", "same" or "" for the arrow next to the figure."""
        if self.last_year is None:
            return ""
        if self.value > self.last_year:
            return "up"
        if self.value < self.last_year:
            return "down"
        return "same"


@dataclass
class KeyFigures:
    filters: Filters
    figures: list[KeyFigure] = field(default_factory=list)
    against: str = ""  # "cùng kỳ năm 2023"

    def get(self, key: str) -> KeyFigure:
        return next(f for f in self.figures if f.key == key)


def figure_url(key: str, filters: Filters, **extra: str) -> str:
    """The page listing the records behind a key figure."""
    query = {"key": key, **query_of(filters), **extra}
    return f"{reverse('dashboards:records')}?{urlencode(query)}"


def query_of(filters: Filters) -> dict[str, str]:
    query = {"period": filters.period.key}
    if filters.force is not None:
        query["force"] = filters.force.code
    if filters.category:
        query["category"] = filters.category
    if filters.domain:
        query["domain"] = filters.domain
    if filters.area is not None:
        query["area"] = filters.area.code
    return query


def _two(qs: QuerySet[Any], q_now: Q, q_last: Q, **extra: Q) -> dict[str, int]:
    """Counts of rows in the period and last year (and `extra` sub-counts), one query."""
    aggregates: dict[str, Any] = {
        "now": Count("pk", filter=q_now, distinct=True),
        "last": Count("pk", filter=q_last, distinct=True),
    }
    for name, q in extra.items():
        aggregates[name] = Count("pk", filter=q, distinct=True)
    return {k: int(v or 0) for k, v in qs.aggregate(**aggregates).items()}


def key_figures(*, actor: Any, filters: Filters) -> KeyFigures:
    now_w, last_w = filters.window, filters.last_year_window
    result = KeyFigures(
        filters=filters,
        against=_("cùng kỳ năm %(year)s") % {"year": filters.last_year.year},
    )
    add = result.figures.append
    at = timezone.now()

    def fig(key: str, label: str, unit: str, now: Any, last: Any, note: str = "") -> None:
        add(KeyFigure(key, label, unit, now, last, figure_url(key, filters), note))

    # Information exchange: receipts delivered in the period.
    receipts = receipts_of(actor=actor, filters=filters)
    d_now, d_last = (
        _in("delivered_at", now_w, instant=True),
        _in("delivered_at", last_w, instant=True),
    )
    pending = Q(acknowledged_at__isnull=True)
    late = pending & Q(ack_due_at__lt=at)
    r = _two(
        receipts,
        d_now,
        d_last,
        pending_now=d_now & pending,
        pending_last=d_last & pending,
        late_now=d_now & late,
        late_last=d_last & late,
    )
    fig("exchange.received", _("Lượt tiếp nhận thông tin"), _("lượt"), r["now"], r["last"])
    fig(
        "exchange.unacknowledged",
        _("Chưa xác nhận tiếp nhận"),
        _("lượt"),
        r["pending_now"],
        r["pending_last"],
    )
    fig(
        "exchange.overdue",
        _("Quá hạn xác nhận"),
        _("lượt"),
        r["late_now"],
        r["late_last"],
        _("chưa xác nhận và đã quá hạn tính đến nay"),
    )
    # Verifications falling due in the period; those still unanswered after the due time.
    requests = verifications_of(actor=actor, filters=filters)
    v_now, v_last = _in("due_at", now_w, instant=True), _in("due_at", last_w, instant=True)
    open_late = Q(answered_at__isnull=True) & Q(due_at__lt=at)
    v = _two(requests, v_now, v_last, late_now=v_now & open_late, late_last=v_last & open_late)
    fig(
        "exchange.verifications_due",
        _("Yêu cầu xác minh đến hạn"),
        _("yêu cầu"),
        v["now"],
        v["last"],
    )
    fig(
        "exchange.verifications_late",
        _("Xác minh quá hạn chưa có kết quả"),
        _("yêu cầu"),
        v["late_now"],
        v["late_last"],
    )
    # Cases and the persons dealt with (the report's counting rule).
    cases = cases_of(actor=actor, filters=filters)
    c_now, c_last = (
        _in("detected_at", now_w, instant=True),
        _in("detected_at", last_w, instant=True),
    )
    c = _two(cases, c_now, c_last)
    fig("cases.count", _("Vụ việc phát hiện, xử lý"), _("vụ"), c["now"], c["last"])
    cases_now, cases_last = cases.filter(c_now), cases.filter(c_last)
    persons_now, _orgs = case_selectors.subject_counts(cases_now)
    persons_last, _orgs = case_selectors.subject_counts(cases_last)
    fig(
        "cases.persons", _("Đối tượng bị bắt giữ, xử lý"), _("đối tượng"), persons_now, persons_last
    )
    # Seized goods: the items seized in the most cases of the period, with their quantities.
    seized_now = {t.item.code: t for t in case_selectors.seized_totals(cases_now)}
    seized_last = {t.item.code: t.quantity for t in case_selectors.seized_totals(cases_last)}
    holders = dict(
        case_selectors.seized_item_list(actor=actor)
        .filter(case__in=cases_now.values("pk"))
        .order_by()
        .values_list("item__code")
        .annotate(n=Count("case_id", distinct=True))
    )
    top = sorted(seized_now.values(), key=lambda t: (-holders.get(t.item.code, 0), t.item.order))
    for total in top[:3]:
        code = total.item.code
        add(
            KeyFigure(
                f"cases.seized.{code}",
                _("Thu giữ: %(item)s") % {"item": total.item.name},
                total.item.report_phrase,
                total.quantity,
                seized_last.get(code, Decimal(0)),
                figure_url("cases.seized", filters, item=code),
            )
        )
    # Joint operations started (or operating) in the period.
    op_now = op_last = 0
    for kind, qs in operations_of(actor=actor, filters=filters):
        o = _two(qs, _kind_in(kind, now_w), _kind_in(kind, last_w))
        op_now, op_last = op_now + o["now"], op_last + o["last"]
    fig("operations.count", _("Hoạt động phối hợp"), _("hoạt động"), op_now, op_last)
    # Forums and the opinions heard there.
    forums = forums_of(actor=actor, filters=filters)
    f_now, f_last = (
        _in("start_date", now_w, instant=False),
        _in("start_date", last_w, instant=False),
    )
    totals = forums.aggregate(
        now=Count("pk", filter=f_now),
        last=Count("pk", filter=f_last),
        opinions_now=Sum("opinions", filter=f_now),
        opinions_last=Sum("opinions", filter=f_last),
    )
    fig(
        "mobilisation.forums",
        _("Diễn đàn lắng nghe ý kiến Nhân dân"),
        _("diễn đàn"),
        totals["now"] or 0,
        totals["last"] or 0,
    )
    fig(
        "mobilisation.opinions",
        _("Ý kiến của Nhân dân"),
        _("ý kiến"),
        totals["opinions_now"] or 0,
        totals["opinions_last"] or 0,
    )
    # Periodic submissions of the period: expected from the units the user covers, and late.
    report_now = indicator_selectors.completeness(
        actor=actor, period=filters.period, force=filters.force, area=filters.area
    )
    report_last = indicator_selectors.completeness(
        actor=actor, period=filters.last_year, force=filters.force, area=filters.area
    )

    def late_count(report: Any) -> int:
        return sum(1 for row in report.late_or_missing if row.late or row.overdue)

    fig(
        "submissions.due",
        _("Báo cáo định kỳ phải nộp"),
        _("báo cáo"),
        report_now.total.expected,
        report_last.total.expected,
    )
    fig(
        "submissions.late",
        _("Báo cáo nộp muộn hoặc chưa nộp"),
        _("báo cáo"),
        late_count(report_now),
        late_count(report_last),
    )
    # Conference tasks still open today: no period to compare with.
    tasks = open_tasks(actor=actor, filters=filters).aggregate(
        n=Count("pk"), late=Count("pk", filter=Q(deadline__lt=timezone.localdate()))
    )
    add(
        KeyFigure(
            "tasks.open",
            _("Nhiệm vụ sau hội nghị chưa hoàn thành"),
            _("nhiệm vụ"),
            tasks["n"],
            None,
            figure_url("tasks.open", filters),
            _("trong đó %(late)s quá hạn") % {"late": formats.count(tasks["late"])},
        )
    )
    for figure in result.figures:
        figure.comparison = figure.change(result.against)
    return result


def open_tasks(*, actor: Any, filters: Filters) -> QuerySet[Any]:
    from phoihop.reports.enums import TaskStatus

    qs = task_list(actor=actor).filter(status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS])
    if filters.force is not None:
        qs = qs.filter(Q(lead_force=filters.force) | Q(supporting_forces=filters.force))
    if filters.area is not None:
        if filters.area.level == AreaLevel.PROVINCE:
            qs = qs.filter(Q(area=filters.area) | Q(area__parent=filters.area))
        else:
            qs = qs.filter(area=filters.area)
    return qs.order_by().distinct()


# --- the records behind a key figure ------------------------------------------------------------


@dataclass
class RecordRow:
    title: str
    url: str
    when: str = ""
    detail: str = ""


def figure_records(
    *, actor: Any, filters: Filters, key: str, item: str = ""
) -> tuple[str, Any, Any]:
    """(label, queryset or list, row maker) of the records behind key figure `key` for the
    period; the list page paginates them and turns each record into a `RecordRow`."""
    now_w = filters.window
    at = timezone.now()
    if key.startswith("exchange.") and "verifications" not in key:
        qs = receipts_of(actor=actor, filters=filters).filter(
            _in("delivered_at", now_w, instant=True)
        )
        if key == "exchange.unacknowledged":
            qs = qs.filter(acknowledged_at__isnull=True)
        elif key == "exchange.overdue":
            qs = qs.filter(acknowledged_at__isnull=True, ack_due_at__lt=at)
        elif key != "exchange.received":
            raise KeyError(key)
        qs = qs.select_related("item", "unit").order_by("-delivered_at", "pk")

        def receipt_row(r: Receipt) -> RecordRow:
            return RecordRow(
                f"{r.item.number:02d}/{r.item.year} · {r.item.title}",
                reverse("exchange:detail", args=[r.item.public_id]),
                formats.date(timezone.localtime(r.delivered_at).date()),
                r.unit.name,
            )

        return _("Lượt tiếp nhận thông tin"), qs, receipt_row
    if key in ("exchange.verifications_due", "exchange.verifications_late"):
        vqs = verifications_of(actor=actor, filters=filters).filter(
            _in("due_at", now_w, instant=True)
        )
        if key == "exchange.verifications_late":
            vqs = vqs.filter(answered_at__isnull=True, due_at__lt=at)
        vqs = vqs.select_related("item", "assigned_unit").order_by("due_at", "pk")

        def verification_row(v: VerificationRequest) -> RecordRow:
            return RecordRow(
                v.item.title,
                reverse("exchange:detail", args=[v.item.public_id]),
                formats.date(timezone.localtime(v.due_at).date()),
                v.assigned_unit.name,
            )

        return _("Yêu cầu xác minh"), vqs, verification_row
    if key in ("cases.count", "cases.persons", "cases.seized"):
        cqs = cases_of(actor=actor, filters=filters).filter(_in("detected_at", now_w, instant=True))
        if key == "cases.persons":
            # Only the cases whose persons the figure counts (suspects and arrested persons).
            cqs = cqs.filter(
                pk__in=case_selectors.subject_list(actor=actor)
                .filter(role__in=OFFENDER_ROLES, kind=SubjectKind.PERSON)
                .values("case_id")
            )
        if key == "cases.seized":
            cqs = cqs.filter(
                pk__in=case_selectors.seized_item_list(actor=actor)
                .filter(item__code=item)
                .values("case_id")
            )
        cqs = cqs.select_related("owner_unit", "commune").order_by("-detected_at", "pk")

        def case_row(c: Case) -> RecordRow:
            return RecordRow(
                f"{c.display_number} · {c.title}",
                reverse("cases:detail", args=[c.public_id]),
                formats.date(timezone.localtime(c.detected_at).date()),
                c.commune.name if c.commune_id else "",
            )

        return _("Vụ việc"), cqs, case_row
    if key == "operations.count":
        return _("Hoạt động phối hợp"), _operations_union(actor, filters), _operation_row
    if key in ("mobilisation.forums", "mobilisation.opinions"):
        fqs = (
            forums_of(actor=actor, filters=filters)
            .filter(_in("start_date", now_w, instant=False))
            .select_related("commune")
            .order_by("-start_date", "pk")
        )

        def forum_row(f: Forum) -> RecordRow:
            return RecordRow(
                f.title,
                reverse("mobilisation:forum_detail", args=[f.public_id]),
                formats.date(f.start_date),
                _("%(commune)s · %(opinions)s ý kiến")
                % {
                    "commune": f.commune.name if f.commune_id else "",
                    "opinions": formats.number(f.opinions),
                },
            )

        return _("Diễn đàn"), fqs, forum_row
    if key in ("submissions.due", "submissions.late"):
        report = indicator_selectors.completeness(
            actor=actor, period=filters.period, force=filters.force, area=filters.area
        )
        rows = (
            report.rows
            if key == "submissions.due"
            else [r for r in report.late_or_missing if r.late or r.overdue]
        )
        completeness_url = (
            f"{reverse('indicators:completeness')}?{urlencode({'period': filters.period.key})}"
        )

        def submission_row(r: Any) -> RecordRow:
            if r.missing:
                state = _("chưa nộp")
            elif r.late:
                state = _("nộp muộn")
            else:
                state = _("đã nộp đúng hạn") if r.on_time else _("chưa đến hạn")
            url = (
                reverse("indicators:submission", args=[r.submission.public_id])
                if r.submission is not None
                else completeness_url
            )
            return RecordRow(
                f"{r.unit.name} · {r.form.name}", url, formats.date(r.deadline), str(state)
            )

        return _("Báo cáo định kỳ"), rows, submission_row
    if key == "tasks.open":
        tqs = open_tasks(actor=actor, filters=filters).order_by("deadline", "pk")

        def task_row(t: Any) -> RecordRow:
            return RecordRow(
                t.content[:160],
                reverse("reports:task_detail", args=[t.public_id]),
                formats.date(t.deadline),
                t.get_status_display(),
            )

        return _("Nhiệm vụ sau hội nghị"), tqs, task_row
    raise KeyError(key)


@dataclass
class _OperationRef:
    kind: Kind
    record: Any


def _operations_union(actor: Any, filters: Filters) -> list[_OperationRef]:
    refs: list[_OperationRef] = []
    for kind, qs in operations_of(actor=actor, filters=filters):
        refs += [_OperationRef(kind, r) for r in qs.filter(_kind_in(kind, filters.window))]
    return sorted(refs, key=lambda r: (r.record.start_date, r.record.pk), reverse=True)


def _operation_row(ref: _OperationRef) -> RecordRow:
    return RecordRow(
        ref.record.title,
        reverse(
            "operations:detail", kwargs={"kind": ref.kind.slug, "public_id": ref.record.public_id}
        ),
        formats.date(ref.record.start_date),
        str(ref.kind.label),
    )


# --- trends -------------------------------------------------------------------------------------


@dataclass
class Trend:
    key: str
    title: str
    periods: list[Period]
    series: dict[str, list[int]]  # force name -> one value per period


def _bucket(field_name: str, windows: list[tuple[dt.date, dt.date]], *, instant: bool) -> Any:
    """The index of the (non-overlapping) window a row's date falls in, computed by the
    database, so that trends and baselines group rows there instead of fetching them."""
    return DbCase(
        *(
            When(_in(field_name, window, instant=instant), then=Value(index))
            for index, window in enumerate(windows)
        ),
        default=None,
        output_field=IntegerField(),
    )


def trends(*, actor: Any, filters: Filters) -> list[Trend]:
    """Cases, operations and information items over the last eight periods, by force."""
    periods = trailing(filters.period)
    rule = filters.window_rule
    span = (periods[0].window(rule)[0], periods[-1].window(rule)[1])
    forces = {
        f.code: f.name for f in Force.objects.filter(is_partner=False).order_by("order", "code")
    }
    result: list[Trend] = []

    def empty() -> dict[str, list[int]]:
        return {name: [0] * len(periods) for name in forces.values()}

    # Cases by participating force: a case counts once for each force that took part.
    series = empty()
    cases = cases_of(actor=actor, filters=filters).filter(_in("detected_at", span, instant=True))
    windows = [p.window(rule) for p in periods]
    grouped = (
        CaseUnit.objects.filter(case__in=cases.values("pk"))
        .annotate(bucket=_bucket("case__detected_at", windows, instant=True))
        .order_by()
        .values_list("bucket", "force__code")
        .annotate(n=Count("case_id", distinct=True))
    )
    for index, code, n in grouped:
        if index is not None and code in forces:
            series[forces[code]][index] += n
    result.append(Trend("cases", _("Vụ việc có lực lượng tham gia"), periods, series))
    # Operations by participating force.
    series = empty()
    for kind, qs in operations_of(actor=actor, filters=filters):
        ct = ContentType.objects.get_for_model(kind.model)
        in_span = qs.filter(_kind_in(kind, span))
        if kind.slug not in _OPERATING:
            # One dated event each: grouped by the database, period by force.
            for index, code, n in (
                in_span.annotate(bucket=_bucket("start_date", windows, instant=False))
                .values_list("bucket", "participants__force__code")
                .annotate(n=Count("pk", distinct=True))
            ):
                if index is not None and code in forces:
                    series[forces[code]][index] += n
            continue
        # Checkpoints and zones count in every period they operate in: few, done here.
        forces_of: dict[int, set[str]] = defaultdict(set)
        dates: dict[int, tuple[dt.date, dt.date | None]] = {}
        for pk, start, end, code in _operation_rows(kind, in_span, ct):
            forces_of[pk].add(code)
            dates[pk] = (start, end)
        for pk, (start, end) in dates.items():
            for index, (w_start, w_end) in enumerate(windows):
                if start <= w_end and (end is None or end >= w_start):
                    for code in forces_of[pk]:
                        if code in forces:
                            series[forces[code]][index] += 1
    result.append(
        Trend("operations", _("Hoạt động phối hợp có lực lượng tham gia"), periods, series)
    )
    # Information items sent, by the sending force.
    series = empty()
    items = items_of(actor=actor, filters=filters).filter(_in("sent_at", span, instant=True))
    if filters.force is not None:
        items = items.filter(owner_unit__force=filters.force)
    sent = (
        items.annotate(bucket=_bucket("sent_at", windows, instant=True))
        .values_list("bucket", "owner_unit__force__code")
        .annotate(n=Count("pk"))
    )
    for index, code, n in sent:
        if index is not None and code in forces:
            series[forces[code]][index] += n
    result.append(Trend("exchange", _("Thông tin do lực lượng gửi"), periods, series))
    return result


def _operation_rows(
    kind: Kind, records: QuerySet[Any], ct: ContentType
) -> Iterator[tuple[int, dt.date, dt.date | None, str]]:
    """(record pk, start, end, participating force code) of the given records: two queries."""
    dates = dict(
        (pk, (start, end)) for pk, start, end in records.values_list("pk", "start_date", "end_date")
    )
    for pk, code in (
        OperationUnit.objects.filter(content_type=ct, object_id__in=records.values("pk"))
        .order_by()
        .values_list("object_id", "force__code")
        .distinct()
    ):
        start, end = dates[pk]
        yield pk, start, end, code


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _tick(period: Period) -> str:
    kind = period.kind
    if kind is PeriodKind.QUARTER:
        return f"{_ROMAN[period.last_month // 3]}<br>{period.year}"
    if kind is PeriodKind.MONTH:
        return f"{period.first_month:02d}<br>{period.year}"
    if kind is PeriodKind.HALF:
        half = _("6 tháng đầu") if period.first_month == 1 else _("6 tháng cuối")
        return f"{half}<br>{period.year}"
    return str(period.year)


def _kind_title(trend: Trend) -> str:
    kind = trend.periods[-1].kind
    return str(
        {
            PeriodKind.QUARTER: _("Quý"),
            PeriodKind.MONTH: _("Tháng"),
            PeriodKind.HALF: _("6 tháng"),
        }.get(kind, _("Năm"))
    )


def trend_figure(trend: Trend) -> dict[str, Any]:
    """A plotly line chart (plain dict) of one trend, labelled the Vietnamese way."""
    # Short two-line ticks ("III" over "2024") so eight periods fit under a third of the page;
    # the full label ("quý III năm 2024") is in the hover text.
    ticks = [_tick(p) for p in trend.periods]
    labels = [p.label for p in trend.periods]
    top = max((v for values in trend.series.values() for v in values), default=0)
    step = max(1, -(-top // 5))  # whole-number ticks: counts have no halves
    palette = ["#c0392b", "#27632a", "#1f5fa8", "#7d3c98", "#b9770e"]
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": name,
            "x": ticks,
            "y": values,
            "text": [formats.number(v) for v in values],
            "customdata": labels,
            "hovertemplate": "%{customdata}: %{text}<extra>" + name + "</extra>",
            "line": {"color": palette[i % len(palette)]},
        }
        for i, (name, values) in enumerate(trend.series.items())
    ]
    return {
        "data": data,
        "layout": {
            "title": {"text": trend.title, "font": {"size": 14}},
            "separators": ",.",
            "height": 340,
            "margin": {"l": 40, "r": 20, "t": 50, "b": 40},
            "legend": {"orientation": "h", "y": -0.3},
            "xaxis": {"automargin": True, "tickangle": 0, "title": {"text": _kind_title(trend)}},
            "yaxis": {"rangemode": "tozero", "tickformat": ",d", "dtick": step},
        },
    }


# --- the map ------------------------------------------------------------------------------------


@dataclass
class _Place:
    commune: AdministrativeArea
    counts: dict[str, int] = field(default_factory=lambda: {k: 0 for k in MAP_FIGURES})
    records: list[dict[str, str]] = field(default_factory=list)
    own: list[dict[str, Any]] = field(default_factory=list)  # records with their own coordinates


def _communes(ids: Iterable[int]) -> dict[int, AdministrativeArea]:
    """Current communes by id, old (merged) communes mapped to the commune they became."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    areas = AdministrativeArea.objects.filter(pk__in=wanted).select_related("parent")
    result: dict[int, AdministrativeArea] = {}
    old: list[int] = []
    for area in areas:
        if area.valid_until is None:
            result[area.pk] = area
        else:
            old.append(area.pk)
    if old:
        for area in (
            AdministrativeArea.objects.filter(predecessors__in=old, valid_until__isnull=True)
            .select_related("parent")
            .annotate(old_id=F("predecessors"))
        ):
            result.setdefault(area.old_id, area)
    return result


@dataclass
class MapData:
    filters: Filters
    figure: str
    choropleth: dict[str, int] = field(default_factory=dict)  # province code -> value
    places: list[_Place] = field(default_factory=list)
    hotspots: list[tuple[AdministrativeArea, Hotspot]] = field(default_factory=list)
    # Records of the period that name no commune at all (province-wide ones).
    nowhere: dict[str, int] = field(default_factory=lambda: {k: 0 for k in MAP_FIGURES})
    rule: HotspotRule = field(default_factory=HotspotRule.from_settings)

    @property
    def rule_text(self) -> str:
        return self.rule.text(str(_FIGURE_UNITS[self.figure]))

    def as_json(self) -> dict[str, Any]:
        def place_json(place: _Place) -> Iterator[dict[str, Any]]:
            commune = place.commune
            if commune.latitude is not None and commune.longitude is not None:
                listed = place.records
                yield {
                    "lat": float(commune.latitude),
                    "lng": float(commune.longitude),
                    "source": "centre",
                    "commune": commune.name,
                    "commune_code": commune.code,
                    "counts": place.counts,
                    "records": listed,
                    "more": max(0, sum(place.counts.values()) - len(listed)),
                }
                return
            for own in place.own:
                yield {
                    "lat": own["lat"],
                    "lng": own["lng"],
                    "source": "record",
                    "commune": commune.name,
                    "commune_code": commune.code,
                    "counts": {k: int(k == own["figure"]) for k in MAP_FIGURES},
                    "records": [own["record"]],
                    "more": 0,
                }

        places: list[dict[str, Any]] = []
        unplaced: list[dict[str, Any]] = []
        for place in self.places:
            drawn = list(place_json(place))
            places += drawn
            shown = {k: sum(p["counts"][k] for p in drawn) for k in MAP_FIGURES}
            left = {k: place.counts[k] - shown[k] for k in MAP_FIGURES}
            if any(left.values()):
                unplaced.append(
                    {
                        "commune": place.commune.name,
                        "commune_code": place.commune.code,
                        "counts": left,
                        "url": _records_url(left, _with_area(self.filters, place.commune)),
                    }
                )
        if any(self.nowhere.values()):
            unplaced.append(
                {
                    "commune": _("Không ghi xã, phường (cả tỉnh)"),
                    "commune_code": "",
                    "counts": dict(self.nowhere),
                    "url": _records_url(self.nowhere, self.filters),
                }
            )
        centres = {p.commune.pk: p.commune for p in self.places}
        return {
            "period": {"key": self.filters.period.key, "label": self.filters.period.label},
            "figure": {"key": self.figure, "label": str(MAP_FIGURES[self.figure])},
            "choropleth": {
                code: {"value": value, "display": formats.number(value)}
                for code, value in self.choropleth.items()
            },
            "places": places,
            "unplaced": unplaced,
            "hotspots": [
                {
                    "commune": area.name,
                    "commune_code": area.code,
                    "value": spot.value,
                    "baseline": formats.number(spot.baseline),
                    "lat": _float(centres.get(area.pk, area).latitude),
                    "lng": _float(centres.get(area.pk, area).longitude),
                }
                for area, spot in self.hotspots
            ],
            "hotspot_rule": self.rule_text,
        }


_FIGURE_RECORDS = {
    "cases": "cases.count",
    "operations": "operations.count",
    "overdue": "exchange.overdue",
}


def _records_url(counts: dict[str, int], filters: Filters) -> str:
    """The records page of the first figure the counts hold."""
    figure = next((k for k, n in counts.items() if n), "cases")
    return figure_url(_FIGURE_RECORDS[figure], filters)


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _with_area(filters: Filters, area: AdministrativeArea) -> Filters:
    return dataclasses.replace(filters, area=area)


def _overdue_receipts(
    actor: Any, filters: Filters, window: tuple[dt.date, dt.date]
) -> QuerySet[Receipt]:
    return receipts_of(actor=actor, filters=filters).filter(
        _in("delivered_at", window, instant=True),
        acknowledged_at__isnull=True,
        ack_due_at__lt=timezone.now(),
    )


def commune_counts(
    *, actor: Any, filters: Filters, figure: str, periods: list[Period]
) -> dict[int, list[int]]:
    """commune id (as recorded, possibly pre-2025) -> the figure in each period: one grouped
    query per source and period kind, whatever the number of communes."""
    rule = filters.window_rule
    windows = [p.window(rule) for p in periods]
    span = (min(w[0] for w in windows), max(w[1] for w in windows))
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * len(periods))

    def bump(
        pk: int | None, day: dt.date, end: dt.date | None = None, operating: bool = False
    ) -> None:
        if pk is None:
            return
        for index, (w_start, w_end) in enumerate(windows):
            hit = (
                (day <= w_end and (end is None or end >= w_start))
                if operating
                else (w_start <= day <= w_end)
            )
            if hit:
                counts[pk][index] += 1

    if figure == "cases":
        grouped = (
            cases_of(actor=actor, filters=filters)
            .filter(_in("detected_at", span, instant=True), commune__isnull=False)
            .annotate(bucket=_bucket("detected_at", windows, instant=True))
            .values_list("commune_id", "bucket")
            .annotate(n=Count("pk"))
        )
        for pk, index, n in grouped:
            if index is not None:
                counts[pk][index] += n
    elif figure == "operations":
        for kind, qs in operations_of(actor=actor, filters=filters):
            ct = ContentType.objects.get_for_model(kind.model)
            in_span = qs.filter(_kind_in(kind, span))
            if kind.slug not in _OPERATING:
                for pk, index, n in (
                    in_span.annotate(bucket=_bucket("start_date", windows, instant=False))
                    .values_list("places__commune_id", "bucket")
                    .annotate(n=Count("pk", distinct=True))
                ):
                    if pk is not None and index is not None:
                        counts[pk][index] += n
                continue
            for pk, start, end in _op_commune_rows(kind, in_span, ct):
                bump(pk, start, end, operating=True)
    else:
        rows3 = (
            receipts_of(actor=actor, filters=filters)
            .filter(
                _in("delivered_at", span, instant=True),
                acknowledged_at__isnull=True,
                ack_due_at__lt=timezone.now(),
            )
            .values_list("item__areas", "delivered_at")
        )
        for pk, when in rows3:
            bump(pk, timezone.localtime(when).date())
    return dict(counts)


def _op_commune_rows(
    kind: Kind, records: QuerySet[Any], ct: ContentType
) -> Iterator[tuple[int, dt.date, dt.date | None]]:
    dates = dict(
        (pk, (start, end)) for pk, start, end in records.values_list("pk", "start_date", "end_date")
    )
    for object_id, commune_id in OperationCommune.objects.filter(
        content_type=ct, object_id__in=records.values("pk")
    ).values_list("object_id", "commune_id"):
        start, end = dates[object_id]
        yield commune_id, start, end


def _record(kind: str, label: str, title: str, url: str) -> dict[str, str]:
    return {"kind": kind, "kind_label": label, "title": title, "url": url}


def map_data(*, actor: Any, filters: Filters, figure: str = "cases") -> MapData:
    """The choropleth of `figure` by province, the places of every figure by commune, and the
    hotspots of `figure` — all from the records `actor` may see."""
    if figure not in MAP_FIGURES:
        figure = "cases"
    window = filters.window
    result = MapData(filters=filters, figure=figure)
    at = timezone.now()
    # Choropleth: the figure by province.
    values: dict[str, int] = defaultdict(int)
    cases = cases_of(actor=actor, filters=filters).filter(_in("detected_at", window, instant=True))
    overdue = receipts_of(actor=actor, filters=filters).filter(
        _in("delivered_at", window, instant=True), acknowledged_at__isnull=True, ack_due_at__lt=at
    )
    operations = [
        (kind, qs.filter(_kind_in(kind, window)))
        for kind, qs in operations_of(actor=actor, filters=filters)
    ]
    if figure == "cases":
        grouped: list[QuerySet[Any]] = [cases.values_list("province__code").annotate(n=Count("pk"))]
    elif figure == "operations":
        grouped = [
            qs.values_list("province__code").annotate(n=Count("pk")) for _k, qs in operations
        ]
    else:
        grouped = [overdue.values_list("item__province__code").annotate(n=Count("pk"))]
    for qs in grouped:
        for code, n in qs.order_by():
            if code:
                values[code] += n
    result.choropleth = dict(values)

    # Places: every figure by commune.
    per: dict[int, dict[str, int]] = defaultdict(lambda: {k: 0 for k in MAP_FIGURES})
    listed: dict[int, list[dict[str, str]]] = defaultdict(list)
    own: list[tuple[int, dict[str, Any]]] = []
    case_label = str(MAP_FIGURES["cases"])
    for commune_id, n in cases.values_list("commune_id").annotate(n=Count("pk")).order_by():
        if commune_id is None:
            result.nowhere["cases"] += n
        else:
            per[commune_id]["cases"] += n
    fields = ("public_id", "number", "owner_unit__code", "title", "commune_id")

    def case_record(public_id: Any, number: int, unit_code: str, title: str) -> dict[str, str]:
        return _record(
            "case",
            case_label,
            f"{case_number(number, unit_code)} · {title}",
            reverse("cases:detail", args=[public_id]),
        )

    newest = (
        cases.filter(commune__isnull=False)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("commune_id")],
                order_by=[F("detected_at").desc(), F("pk")],
            )
        )
        .filter(rank__lte=PLACE_RECORDS)
        .values_list(*fields)
    )
    for public_id, number, unit_code, title, commune_id in newest:
        listed[commune_id].append(case_record(public_id, number, unit_code, title))
    for public_id, number, unit_code, title, commune_id, lat, lng in (
        cases.filter(commune__isnull=False, latitude__isnull=False)
        .order_by("-detected_at", "pk")
        .values_list(*fields, "latitude", "longitude")[:MAX_OWN_MARKERS]
    ):
        own.append(
            (
                commune_id,
                {
                    "figure": "cases",
                    "lat": float(lat),
                    "lng": float(lng),
                    "record": case_record(public_id, number, unit_code, title),
                },
            )
        )
    for kind, qs in operations:
        ct = ContentType.objects.get_for_model(kind.model)
        titles = {
            pk: (public_id, title)
            for pk, public_id, title in qs.values_list("pk", "public_id", "title")
        }
        placed: set[int] = set()
        for object_id, commune_id in (
            OperationCommune.objects.filter(content_type=ct, object_id__in=qs.values("pk"))
            .order_by("-object_id")
            .values_list("object_id", "commune_id")
        ):
            placed.add(object_id)
            per[commune_id]["operations"] += 1
            if sum(1 for r in listed[commune_id] if r["kind"] == "operation") < PLACE_RECORDS:
                public_id, title = titles[object_id]
                listed[commune_id].append(
                    _record(
                        "operation",
                        str(kind.label),
                        title,
                        reverse(
                            "operations:detail", kwargs={"kind": kind.slug, "public_id": public_id}
                        ),
                    )
                )
        result.nowhere["operations"] += len(set(titles) - placed)
    overdue_label = str(MAP_FIGURES["overdue"])
    for commune_id, public_id, number, year, title in overdue.order_by(
        "ack_due_at", "pk"
    ).values_list("item__areas", "item__public_id", "item__number", "item__year", "item__title"):
        if commune_id is None:
            result.nowhere["overdue"] += 1
            continue
        per[commune_id]["overdue"] += 1
        if sum(1 for r in listed[commune_id] if r["kind"] == "overdue") < PLACE_RECORDS:
            listed[commune_id].append(
                _record(
                    "overdue",
                    overdue_label,
                    f"{number:02d}/{year} · {title}",
                    reverse("exchange:detail", args=[public_id]),
                )
            )

    # Hotspots of the chosen figure against each commune's own baseline.
    periods = [filters.period]
    while len(periods) <= result.rule.baseline_periods:
        periods.append(periods[-1].previous)
    series = commune_counts(actor=actor, filters=filters, figure=figure, periods=periods)

    communes = _communes(set(per) | set(series) | {c for c, _o in own})
    places: dict[int, _Place] = {}
    for recorded_id, counts in per.items():
        commune = communes.get(recorded_id)
        if commune is None:
            continue
        place = places.setdefault(commune.pk, _Place(commune))
        for key, n in counts.items():
            place.counts[key] += n
        place.records += listed.get(recorded_id, [])
    for recorded_id, marker in own:
        commune = communes.get(recorded_id)
        if commune is not None and commune.pk in places:
            places[commune.pk].own.append(marker)
    result.places = sorted(places.values(), key=lambda p: (-sum(p.counts.values()), p.commune.name))

    by_commune: dict[int, list[int]] = {}
    for recorded_id, values_ in series.items():
        commune = communes.get(recorded_id)
        if commune is None:
            continue
        total = by_commune.setdefault(commune.pk, [0] * len(periods))
        for index, n in enumerate(values_):
            total[index] += n
    area_by_pk = {c.pk: c for c in communes.values()}
    result.hotspots = [
        (area_by_pk[spot.key], spot) for spot in find_hotspots(by_commune, result.rule)
    ]
    return result


MAX_OWN_MARKERS = 2000  # records drawn at their own coordinates, newest first
