"""Units of measure of seized and handed-in items, and exact conversions between them.

Written here rather than taken from a units library: the units are Vietnamese counting words
(viên, khẩu, kíp, bánh…) as much as SI units, and every factor is a power of ten, so a small
table of Decimal factors converts exactly — no float ever touches a quantity.
Units of one dimension convert into each other; each counting word is a dimension of its own
(a `viên` is not a `khẩu`) and takes whole numbers only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from phoihop.core.errors import DomainError

# Decimal places kept for a quantity in its canonical unit (and for one as entered).
QUANTITY_PLACES = 6
QUANTUM = Decimal(1).scaleb(-QUANTITY_PLACES)


@dataclass(frozen=True)
class Measure:
    code: str
    label: str
    dimension: str
    # How many base units of the dimension one of this unit is (exact powers of ten).
    factor: Decimal

    @property
    def is_count(self) -> bool:
        return self.dimension == self.code


def _m(code: str, dimension: str, factor: str, label: str | None = None) -> Measure:
    return Measure(code, label or code, dimension, Decimal(factor))


_COUNT_WORDS = [
    "viên",
    "khẩu",
    "kíp",
    "quả",
    "bánh",
    "cây",
    "bao",
    "cái",
    "chiếc",
    "hộp",
    "gói",
    "thùng",
    "tép",
    "con",
    "phương tiện",
    "bộ",
]

MEASURES: dict[str, Measure] = {
    m.code: m
    for m in [
        _m("mg", "mass", "0.001"),
        _m("gam", "mass", "1"),
        _m("kg", "mass", "1000"),
        _m("tạ", "mass", "100000"),
        _m("tấn", "mass", "1000000"),
        _m("cm", "length", "0.01"),
        _m("m", "length", "1"),
        _m("km", "length", "1000"),
        _m("ml", "volume", "0.000001"),
        _m("lít", "volume", "0.001"),
        _m("m3", "volume", "1"),
        *[_m(word, word, "1") for word in _COUNT_WORDS],
    ]
}

MEASURE_CHOICES = [(code, m.label) for code, m in MEASURES.items()]


def measure(code: str, *, field: str = "unit") -> Measure:
    try:
        return MEASURES[code]
    except KeyError:
        message = _("Đơn vị tính “%(unit)s” không có trong danh mục.") % {"unit": code}
        raise DomainError(message, code="unknown_unit", fields={field: [message]}) from None


def can_convert(source: str, target: str) -> bool:
    return MEASURES[source].dimension == MEASURES[target].dimension


_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")


def parse_quantity(value: object, *, field: str = "quantity", localized: bool = True) -> Decimal:
    """A quantity as given: a non-negative, finite Decimal.

    Localized text (pages, imports) is read the Vietnamese way: `11,09` and `1.508` (one thousand
    five hundred and eight); a lone `2.5` is still two and a half. The API sends plain decimals.
    Spreadsheet floats are read through their shortest repr, which is what the user typed.
    """
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, bool):
        number = Decimal("NaN")
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = str(value if value is not None else "").strip()
        text = text.replace(" ", "").replace("\u00a0", "")
        if localized:
            if "," in text:
                text = text.replace(".", "").replace(",", ".")
            elif _GROUPED.match(text):
                text = text.replace(".", "")
        try:
            number = Decimal(text)
        except (InvalidOperation, ValueError):
            number = Decimal("NaN")
    if not number.is_finite():
        message = _("Số lượng phải là một số (ví dụ 11,09 hoặc 1.508).")
        raise DomainError(message, code="invalid_quantity", fields={field: [message]})
    if number < 0:
        message = _("Số lượng không được âm.")
        raise DomainError(message, code="negative_quantity", fields={field: [message]})
    return number


def convert(quantity: Decimal, source: str, target: str, *, field: str = "quantity") -> Decimal:
    """`quantity` in `source` units expressed in `target` units, exactly (or refused)."""
    src, dst = measure(source, field="unit"), measure(target, field="unit")
    if src.dimension != dst.dimension:
        message = _("Không quy đổi được từ %(source)s sang %(target)s.") % {
            "source": src.label,
            "target": dst.label,
        }
        raise DomainError(message, code="unit_not_allowed", fields={"unit": [message]})
    result = quantity * src.factor / dst.factor
    if quantity != quantity.quantize(QUANTUM) or result != result.quantize(QUANTUM):
        message = _(
            "Số lượng có quá nhiều chữ số thập phân (tối đa %(places)s chữ số sau khi quy đổi)."
        ) % {"places": QUANTITY_PLACES}
        raise DomainError(message, code="too_precise", fields={field: [message]})
    # A fixed exponent: `0.0000001 kg` is 0.000100 gam, never 0.0001000 (seven places).
    return result.quantize(QUANTUM)


def check_whole(quantity: Decimal, unit: str, *, field: str = "quantity") -> None:
    """Counting words (viên, khẩu, kíp…) take whole numbers only."""
    if measure(unit).is_count and quantity != quantity.to_integral_value():
        message = _("Số lượng tính bằng “%(unit)s” phải là số nguyên.") % {"unit": unit}
        raise DomainError(message, code="not_whole", fields={field: [message]})
