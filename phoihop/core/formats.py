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
    """Counts in official texts: one to nine with a leading zero (`01 tổ chức`), else `number`
    (nothing is `0`, not `00`)."""
    if 0 < value < 10:
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


def comparison(
    before: int | Decimal | None,
    now: int | Decimal,
    *,
    delta_text: str,
    against: str,
) -> str:
    """How a figure moved against a reference period, as official reports write it:
    "tăng 12 vụ (6,4%) so với cùng kỳ năm 2023", "giảm 03 vụ (…)", "bằng cùng kỳ năm 2023".

    `delta_text` is the absolute change already written with its unit ("12 vụ"); `against`
    names the reference ("cùng kỳ năm 2023", "quý II năm 2024"). With nothing to compare
    against (before None) the result is empty; from zero, no percentage is given.
    """
    from django.utils.translation import gettext as _

    if before is None:
        return ""
    delta = Decimal(now) - Decimal(before)
    if not delta:
        return _("bằng %(against)s") % {"against": against}
    change = delta_text
    if before:
        change = f"{change} ({percent(abs(delta) / abs(Decimal(before)))})"
    if delta > 0:
        return _("tăng %(change)s so với %(against)s") % {"change": change, "against": against}
    return _("giảm %(change)s so với %(against)s") % {"change": change, "against": against}
