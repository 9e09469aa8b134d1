"""The user's choices on the dashboard and the map, and the periods they cover."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from phoihop.core.figures import Scope
from phoihop.indicators.periods import Period, PeriodKind, active_rule
from phoihop.org.models import AdministrativeArea, Force

TREND_PERIODS = 8
PERIOD_KINDS = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF, PeriodKind.YEAR)


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

    def scope(self, actor: Any, period: Period | None = None) -> Scope:
        """The registry's scope of these filters over `period` (default: the chosen one)."""
        chosen = period or self.period
        start, end = chosen.window(self.window_rule)
        return Scope(
            actor=actor,
            start=start,
            end=end,
            area=self.area,
            force=self.force,
            category=self.category,
            domain=self.domain,
            period=chosen,
        )


def current_period(kind: PeriodKind = PeriodKind.QUARTER, today: dt.date | None = None) -> Period:
    return Period.containing(today or timezone.localdate(), kind)


def trailing(period: Period, count: int = TREND_PERIODS) -> list[Period]:
    """`count` periods of the period's kind ending with it, oldest first."""
    periods = [period]
    while len(periods) < count:
        periods.append(periods[-1].previous)
    return periods[::-1]


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


def figure_url(key: str, filters: Filters, **extra: str) -> str:
    """The page listing the records behind a key figure."""
    query = {"key": key, **query_of(filters), **extra}
    return f"{reverse('dashboards:records')}?{urlencode(query)}"
