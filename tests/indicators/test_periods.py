"""Reporting periods: keys, labels, neighbours, and windows that tile the year under both rules."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phoihop.core.errors import DomainError
from phoihop.indicators.periods import Period, PeriodKind, WindowRule

RULES = [WindowRule.DECREE09, WindowRule.CALENDAR]
years = st.integers(min_value=1990, max_value=2100)


def test_quarter_three_of_2024_under_decree_09() -> None:
    period = Period.parse("2024-Q3")
    assert period.window(WindowRule.DECREE09) == (dt.date(2024, 6, 15), dt.date(2024, 9, 14))
    assert period.window(WindowRule.CALENDAR) == (dt.date(2024, 7, 1), dt.date(2024, 9, 30))
    assert Period.parse("2024").window("decree09") == (dt.date(2023, 12, 15), dt.date(2024, 12, 14))
    assert Period.parse("2024-01").window("decree09") == (
        dt.date(2023, 12, 15),
        dt.date(2024, 1, 14),
    )


def test_the_configured_rule_is_used_by_default(settings) -> None:  # type: ignore[no-untyped-def]
    period = Period.parse("2024-Q3")
    assert (period.start, period.end) == (dt.date(2024, 6, 15), dt.date(2024, 9, 14))
    settings.PHOIHOP_PERIOD_RULE = "calendar"
    assert (period.start, period.end) == (dt.date(2024, 7, 1), dt.date(2024, 9, 30))


@pytest.mark.parametrize(
    ("key", "label", "kind"),
    [
        ("2024-07", "tháng 7 năm 2024", PeriodKind.MONTH),
        ("2024-02", "tháng 02 năm 2024", PeriodKind.MONTH),
        ("2024-Q3", "quý III năm 2024", PeriodKind.QUARTER),
        ("2024-H1", "6 tháng đầu năm 2024", PeriodKind.HALF),
        ("2024-H2", "6 tháng cuối năm 2024", PeriodKind.HALF),
        ("2024-9M", "9 tháng đầu năm 2024", PeriodKind.NINE_MONTHS),
        ("2024", "năm 2024", PeriodKind.YEAR),
    ],
)
def test_keys_parse_back_and_have_vietnamese_labels(key: str, label: str, kind: PeriodKind) -> None:
    period = Period.parse(key)
    assert (period.key, period.label, period.kind) == (key, label, kind)
    assert Period.parse(key.lower()) == period
    assert period.title == label[:1].upper() + label[1:]


@pytest.mark.parametrize(
    "key", ["", "2024-Q5", "2024-13", "2024-00", "24-Q3", "2024Q3", "Q3-2024", "2024-H3", "abc"]
)
def test_bad_keys_are_refused_with_a_message(key: str) -> None:
    with pytest.raises(DomainError) as exc:
        Period.parse(key)
    assert exc.value.code == "invalid_period"
    assert exc.value.fields["period"]


def test_neighbours() -> None:
    assert Period.parse("2024-Q1").previous.key == "2023-Q4"
    assert Period.parse("2024-Q3").previous.key == "2024-Q2"
    assert Period.parse("2024-01").previous.key == "2023-12"
    assert Period.parse("2024-H2").previous.key == "2024-H1"
    assert Period.parse("2024-H1").previous.key == "2023-H2"
    assert Period.parse("2024-9M").previous.key == "2023-9M"
    assert Period.parse("2024").previous.key == "2023"
    assert Period.parse("2024-Q3").same_period_last_year.key == "2023-Q3"


def _tiles(periods: list[Period], rule: WindowRule) -> None:
    windows = [p.window(rule) for p in periods]
    for (_, end), (start, _) in itertools.pairwise(windows):
        assert start == end + dt.timedelta(days=1)
    year = Period.whole_year(periods[0].year).window(rule)
    assert (windows[0][0], windows[-1][1]) == year


@settings(max_examples=100, deadline=None)
@given(year=years, rule=st.sampled_from(RULES))
def test_months_quarters_and_halves_tile_the_year(year: int, rule: WindowRule) -> None:
    _tiles([Period.month(year, m) for m in range(1, 13)], rule)
    _tiles([Period.quarter(year, q) for q in range(1, 5)], rule)
    _tiles([Period.half(year, 1), Period.half(year, 2)], rule)
    # Consecutive years tile time too.
    assert Period.whole_year(year + 1).window(rule)[0] == Period.whole_year(year).window(rule)[
        1
    ] + dt.timedelta(days=1)
    # Nine months = the first three quarters.
    assert Period.nine_months(year).window(rule) == (
        Period.quarter(year, 1).window(rule)[0],
        Period.quarter(year, 3).window(rule)[1],
    )


@settings(max_examples=300, deadline=None)
@given(
    day=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 1)),
    rule=st.sampled_from(RULES),
    kind=st.sampled_from([PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF, PeriodKind.YEAR]),
)
def test_every_day_lies_in_exactly_one_period_of_each_kind(
    day: dt.date, rule: WindowRule, kind: PeriodKind
) -> None:
    period = Period.containing(day, kind, rule)
    assert period.contains(day, rule)
    assert not period.previous.contains(day, rule)
    following = Period.parse(period.key)
    assert following == period
