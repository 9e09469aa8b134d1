import datetime as dt
from decimal import Decimal

import pytest

from phoihop.core import formats


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (3429, "3.429"),
        (Decimal("11.09"), "11,09"),
        (Decimal("16.476"), "16,476"),
        (1508, "1.508"),
        (Decimal("94.2"), "94,2"),
        (0, "0"),
        (1234567, "1.234.567"),
        (Decimal("10.000"), "10"),
    ],
)
def test_numbers_use_vietnamese_separators(value, text):
    assert formats.number(value) == text


@pytest.mark.parametrize(
    ("value", "text"), [(1, "01"), (9, "09"), (10, "10"), (226, "226"), (3429, "3.429"), (0, "0")]
)
def test_counts_below_ten_take_a_leading_zero(value, text):
    assert formats.count(value) == text


def test_percent():
    assert formats.percent(Decimal("0.991")) == "99,1%"
    assert formats.percent(0.064) == "6,4%"


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2020, 3, 5), "ngày 05 tháng 3 năm 2020"),
        (dt.date(2024, 1, 15), "ngày 15 tháng 01 năm 2024"),
        (dt.date(2024, 2, 9), "ngày 09 tháng 02 năm 2024"),
        (dt.date(2024, 10, 15), "ngày 15 tháng 10 năm 2024"),
    ],
)
def test_document_dates(day, text):
    assert formats.long_date(day) == text


def test_data_dates():
    assert formats.date(dt.date(2022, 1, 7)) == "07/01/2022"
