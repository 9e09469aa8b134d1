"""Vietnamese number and date formatting in templates: `{% load vi %}`, filters over core.formats.

Filter names carry a `vi_` prefix so that loading the library never shadows Django's `date`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import ngettext

from phoihop.core import formats

register = template.Library()


def _as_number(value: Any) -> int | Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    return None


@register.filter
def vi_number(value: Any, max_decimals: int = 3) -> str:
    """`3429` → `3.429`; `11.09` → `11,09`."""
    number = _as_number(value)
    return "" if number is None else formats.number(number, max_decimals=int(max_decimals))


@register.filter
def vi_count(value: Any) -> str:
    """Official-text counts: `1` → `01`, `1508` → `1.508`."""
    number = _as_number(value)
    return "" if number is None else formats.count(int(number))


@register.filter
def vi_percent(value: Any, decimals: int = 1) -> str:
    """A ratio as a percentage: `0.991` → `99,1%`."""
    number = _as_number(value)
    return "" if number is None else formats.percent(number, decimals=int(decimals))


@register.filter
def vi_date(value: Any) -> str:
    """Data dates: `07/01/2022` (datetimes are shown in the local time zone)."""
    day = _as_date(value)
    return "" if day is None else formats.date(day)


@register.filter
def vi_datetime(value: Any) -> str:
    """`07/01/2022 14:05` in the local time zone."""
    if not isinstance(value, dt.datetime):
        return vi_date(value)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{formats.date(local.date())} {local:%H:%M}"


@register.filter
def vi_long_date(value: Any) -> str:
    """Document dates: `ngày 05 tháng 3 năm 2020`."""
    day = _as_date(value)
    return "" if day is None else formats.long_date(day)


@register.filter
def vi_duration(value: Any) -> str:
    """A timedelta in words, rounded up to the minute: `30 phút`, `1 giờ 30 phút`."""
    if not isinstance(value, dt.timedelta):
        return ""
    minutes = max(0, -(-int(value.total_seconds()) // 60))
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(count)d giờ", "%(count)d giờ", hours) % {"count": hours})
    if minutes or not hours:
        parts.append(ngettext("%(count)d phút", "%(count)d phút", minutes) % {"count": minutes})
    return " ".join(parts)
