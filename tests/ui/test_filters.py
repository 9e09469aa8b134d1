"""The `vi` template filters format numbers and dates the Vietnamese way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template


def _render(source: str, **context: object) -> str:
    return Template("{% load vi %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("source", "value", "expected"),
    [
        ("{{ v|vi_number }}", 3429, "3.429"),
        ("{{ v|vi_number }}", Decimal("11.09"), "11,09"),
        ("{{ v|vi_number }}", Decimal("16.476"), "16,476"),
        ("{{ v|vi_count }}", 1, "01"),
        ("{{ v|vi_count }}", 1508, "1.508"),
        ("{{ v|vi_percent }}", 0.991, "99,1%"),
        ("{{ v|vi_date }}", dt.date(2022, 1, 7), "07/01/2022"),
        ("{{ v|vi_long_date }}", dt.date(2020, 3, 5), "ngày 05 tháng 3 năm 2020"),
        ("{{ v|vi_long_date }}", dt.date(2020, 2, 5), "ngày 05 tháng 02 năm 2020"),
        ("{{ v|vi_duration }}", dt.timedelta(minutes=30), "30 phút"),
        ("{{ v|vi_duration }}", dt.timedelta(minutes=90), "1 giờ 30 phút"),
        ("{{ v|vi_number }}", None, ""),
        ("{{ v|vi_date }}", "", ""),
    ],
)
def test_vi_filters(source: str, value: object, expected: str) -> None:
    assert _render(source, v=value) == expected


def test_vi_datetime_uses_the_local_time_zone() -> None:
    moment = dt.datetime(2026, 3, 1, 18, 30, tzinfo=dt.UTC)  # 01:30 on 2 March in Hà Nội
    assert _render("{{ v|vi_datetime }}", v=moment) == "02/03/2026 01:30"
    assert _render("{{ v|vi_date }}", v=moment) == "02/03/2026"


def test_loading_vi_keeps_djangos_date_filter() -> None:
    assert _render('{{ v|date:"Y" }}', v=dt.date(2026, 1, 2)) == "2026"
