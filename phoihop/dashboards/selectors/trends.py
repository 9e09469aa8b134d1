"""The dashboard's trends: the records behind a registry figure over the last eight periods, by
the forces taking part — grouped by the database, so the rows read do not grow with the records.

What a record of each source is dated by, and which forces took part in it, is the owning
module's declaration (`Source.dated`, `until`, `forces`); a record with an end date (a
checkpoint, a protected zone) counts in every period it operates in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.core import figures as registry
from phoihop.core import formats
from phoihop.dashboards.selectors.filters import Filters, trailing
from phoihop.indicators.periods import Period, PeriodKind
from phoihop.org.models import Force

Window = tuple[dt.date, dt.date]

# (key, title, the registry figure whose records the trend counts by force)
TRENDS = (
    ("cases", gettext_lazy("Vụ việc có lực lượng tham gia"), "cases.count"),
    ("operations", gettext_lazy("Hoạt động phối hợp có lực lượng tham gia"), "operations.count"),
    ("exchange", gettext_lazy("Thông tin do lực lượng gửi"), "exchange.items_sent"),
)


@dataclass
class Trend:
    key: str
    title: str
    periods: list[Period]
    series: dict[str, list[int]]  # force name -> one value per period


def bucket(source: registry.Source, windows: list[Window]) -> Any:
    """The index of the (non-overlapping) window a record's date falls in, computed by the
    database, so that trends and baselines group records there instead of fetching them."""
    return Case(
        *(
            When(source.in_window(*window), then=Value(index))
            for index, window in enumerate(windows)
        ),
        default=None,
        output_field=IntegerField(),
    )


def operating(start: dt.date, end: dt.date | None, windows: list[Window]) -> Iterator[int]:
    """The windows a record operating from `start` to `end` (open: still) falls in."""
    for index, (w_start, w_end) in enumerate(windows):
        if start <= w_end and (end is None or end >= w_start):
            yield index


def grouped(
    source: registry.Source, records: QuerySet[Any], windows: list[Window], by: str
) -> Iterator[tuple[int, Any, int]]:
    """(window index, `by` value, records) of the source's records: one query."""
    if source.until:
        # Records that operate over a span (checkpoints, zones): few, counted here.
        rows = records.values_list("pk", source.dated, source.until, by).distinct()
        for _pk, start, end, value in rows:
            for index in operating(start, end, windows):
                yield index, value, 1
        return
    for index, value, n in (
        records.annotate(bucket=bucket(source, windows))
        .values_list("bucket", by)
        .annotate(n=Count("pk", distinct=True))
    ):
        if index is not None:
            yield index, value, n


def trends(*, actor: Any, filters: Filters) -> list[Trend]:
    """Cases, operations and information items over the last eight periods, by force."""
    periods = trailing(filters.period)
    rule = filters.window_rule
    windows = [p.window(rule) for p in periods]
    span = filters.scope(actor).over(windows[0][0], windows[-1][1])
    forces = {
        f.code: f.name for f in Force.objects.filter(is_partner=False).order_by("order", "code")
    }
    result: list[Trend] = []
    for key, title, figure in TRENDS:
        series = {name: [0] * len(periods) for name in forces.values()}
        for source, records in registry.parts(figure, span):
            for index, code, n in grouped(source, records, windows, source.forces):
                if code in forces:
                    series[forces[code]][index] += n
        result.append(Trend(key, str(title), periods, series))
    return result


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
