"""Vietnamese formatting of numbers and dates: the one module the pages, API and documents use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.numbers import format_decimal, format_percent

LOCALE = "vi"


def number(value: int | Decimal | float, *, max_decimals: int = 3) -> str:
    """`3429` → `3.429`, `Decimal('11.09')` → `11,09` (CLDR vi: '.' thousands, ',' decimals)."""
    pattern = "#,##0" + ("." + "#" * max_decimals if max_decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def count(value: int) -> str:
    """Counts in official texts: below ten with a leading zero (`01 tổ chức`), else `number`."""
    if 0 <= value < 10:
        return f"{value:02d}"
    return number(value, max_decimals=0)


def percent(ratio: float | Decimal, *, decimals: int = 1) -> str:
    """`0.991` → `99,1%`."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    return format_percent(ratio, format=pattern, locale=LOCALE).replace("\xa0", "")


def date(value: dt.date) -> str:
    """Data dates: `07/01/2022`."""
    return value.strftime("%d/%m/%Y")


def long_date(value: dt.date) -> str:
    """Document dates: `ngày 05 tháng 3 năm 2020` (months 1 and 2 take a leading zero)."""
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"
