"""Reporting periods (kỳ báo cáo) under the two window rules.

`decree09` (Nghị định 09/2019/NĐ-CP, the default): the data of a period run from the 15th of the
month before it to the 14th of its last month — quý III/2024 is 15/06/2024–14/09/2024, the year
2024 is 15/12/2023–14/12/2024. `calendar`: natural months, quarters and years.

A period is a value: its key (`2024-07`, `2024-Q3`, `2024-H1`, `2024-9M`, `2024`) is stable and
parses back to it; start and end (inclusive dates) depend on the rule in force, so they are
computed on demand from `settings.PHOIHOP_PERIOD_RULE` unless a rule is given.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from phoihop.core.errors import DomainError


class PeriodKind(enum.StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    NINE_MONTHS = "nine_months"
    YEAR = "year"


class WindowRule(enum.StrEnum):
    DECREE09 = "decree09"
    CALENDAR = "calendar"


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_KEY = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4])|H(?P<half>[12])|(?P<nine>9M)))?$"
)


def active_rule() -> WindowRule:
    return WindowRule(getattr(settings, "PHOIHOP_PERIOD_RULE", WindowRule.DECREE09))


def _month_start(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def _shift(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


@dataclass(frozen=True, order=True)
class Period:
    """`first_month`..`last_month` of `year` (calendar months the period is named after)."""

    year: int
    first_month: int
    last_month: int

    # --- construction

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(year, month, month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        return cls(year, 3 * quarter - 2, 3 * quarter)

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        return cls(year, 1, 6) if half == 1 else cls(year, 7, 12)

    @classmethod
    def nine_months(cls, year: int) -> Period:
        return cls(year, 1, 9)

    @classmethod
    def whole_year(cls, year: int) -> Period:
        return cls(year, 1, 12)

    @classmethod
    def parse(cls, key: str, *, field: str = "period") -> Period:
        match = _KEY.match((key or "").strip().upper())
        year = int(match["year"]) if match else 0
        if match is None or not (1900 <= year <= 2999):
            message = _(
                "Kỳ báo cáo “%(key)s” không hợp lệ. Dùng dạng 2024-07 (tháng), 2024-Q3 (quý), "
                "2024-H1 (6 tháng), 2024-9M (9 tháng) hoặc 2024 (năm)."
            ) % {"key": key}
            raise DomainError(message, code="invalid_period", fields={field: [message]})
        if match["month"]:
            month = int(match["month"])
            if not 1 <= month <= 12:
                message = _("Tháng %(month)s không tồn tại.") % {"month": month}
                raise DomainError(message, code="invalid_period", fields={field: [message]})
            return cls.month(year, month)
        if match["quarter"]:
            return cls.quarter(year, int(match["quarter"]))
        if match["half"]:
            return cls.half(year, int(match["half"]))
        if match["nine"]:
            return cls.nine_months(year)
        return cls.whole_year(year)

    # --- what it is

    @property
    def kind(self) -> PeriodKind:
        span = self.last_month - self.first_month + 1
        if span == 1:
            return PeriodKind.MONTH
        if span == 3:
            return PeriodKind.QUARTER
        if span == 6:
            return PeriodKind.HALF
        if span == 9:
            return PeriodKind.NINE_MONTHS
        return PeriodKind.YEAR

    @property
    def key(self) -> str:
        kind = self.kind
        if kind is PeriodKind.MONTH:
            return f"{self.year}-{self.first_month:02d}"
        if kind is PeriodKind.QUARTER:
            return f"{self.year}-Q{self.last_month // 3}"
        if kind is PeriodKind.HALF:
            return f"{self.year}-H{1 if self.first_month == 1 else 2}"
        if kind is PeriodKind.NINE_MONTHS:
            return f"{self.year}-9M"
        return f"{self.year}"

    def __str__(self) -> str:
        return self.key

    @property
    def label(self) -> str:
        """Vietnamese name as in documents: "quý III năm 2024", "6 tháng đầu năm 2024"."""
        kind = self.kind
        if kind is PeriodKind.MONTH:
            return _("tháng %(month)s năm %(year)s") % {
                "month": f"{self.first_month:02d}" if self.first_month < 3 else self.first_month,
                "year": self.year,
            }
        if kind is PeriodKind.QUARTER:
            return _("quý %(q)s năm %(year)s") % {
                "q": _ROMAN[self.last_month // 3],
                "year": self.year,
            }
        if kind is PeriodKind.HALF:
            if self.first_month == 1:
                return _("6 tháng đầu năm %(year)s") % {"year": self.year}
            return _("6 tháng cuối năm %(year)s") % {"year": self.year}
        if kind is PeriodKind.NINE_MONTHS:
            return _("9 tháng đầu năm %(year)s") % {"year": self.year}
        return _("năm %(year)s") % {"year": self.year}

    @property
    def title(self) -> str:
        """The label with a capital first letter, for headings."""
        text = self.label
        return text[:1].upper() + text[1:]

    # --- windows

    def window(self, rule: WindowRule | str | None = None) -> tuple[dt.date, dt.date]:
        """(first day, last day), both inclusive, under `rule` (the configured one by default)."""
        chosen = WindowRule(rule) if rule else active_rule()
        if chosen is WindowRule.CALENDAR:
            start = _month_start(self.year, self.first_month)
            after = _month_start(*_shift(self.year, self.last_month, 1))
            return start, after - dt.timedelta(days=1)
        before = _shift(self.year, self.first_month, -1)
        return dt.date(before[0], before[1], 15), dt.date(self.year, self.last_month, 14)

    @property
    def start(self) -> dt.date:
        return self.window()[0]

    @property
    def end(self) -> dt.date:
        return self.window()[1]

    def contains(self, day: dt.date, rule: WindowRule | str | None = None) -> bool:
        start, end = self.window(rule)
        return start <= day <= end

    # --- neighbours

    @property
    def previous(self) -> Period:
        """The period just before, of the same kind. For 6 and 9 months from January (which do
        not tile the year with themselves), the same period of the previous year."""
        kind = self.kind
        if kind in (PeriodKind.MONTH, PeriodKind.QUARTER) or (
            kind is PeriodKind.HALF and self.first_month == 7
        ):
            span = self.last_month - self.first_month + 1
            year, first = _shift(self.year, self.first_month, -span)
            return Period(year, first, first + span - 1)
        if kind is PeriodKind.HALF:
            return Period.half(self.year - 1, 2)
        return self.same_period_last_year

    @property
    def same_period_last_year(self) -> Period:
        return Period(self.year - 1, self.first_month, self.last_month)

    @classmethod
    def containing(
        cls, day: dt.date, kind: PeriodKind | str, rule: WindowRule | str | None = None
    ) -> Period:
        """The period of `kind` whose window holds `day` (decree 09: 20/12/2024 is in 2025)."""
        chosen = WindowRule(rule) if rule else active_rule()
        year, month = day.year, day.month
        if chosen is WindowRule.DECREE09 and day.day >= 15:
            year, month = _shift(year, month, 1)
        kind = PeriodKind(kind)
        if kind is PeriodKind.MONTH:
            return cls.month(year, month)
        if kind is PeriodKind.QUARTER:
            return cls.quarter(year, (month - 1) // 3 + 1)
        if kind is PeriodKind.HALF:
            return cls.half(year, 1 if month <= 6 else 2)
        if kind is PeriodKind.NINE_MONTHS:
            if month > 9:
                raise DomainError(
                    _("Ngày %(day)s không thuộc kỳ 9 tháng nào.")
                    % {"day": day.strftime("%d/%m/%Y")},
                    code="invalid_period",
                )
            return cls.nine_months(year)
        return cls.whole_year(year)
