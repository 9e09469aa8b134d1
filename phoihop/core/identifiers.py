"""Structure checks of Vietnamese identifiers (product.md §5).

The citizen ID (số định danh cá nhân) is checked by its structure only: 12 digits; a 3-digit code
of the birth-registration province — the OLD 63-province codes, which stay in the number after the
2025 merger — or of a country for those registered abroad; a century-and-sex digit; the last two
digits of the birth year; six digits.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

# The 63 provinces before 1/7/2025 (Thông tư 07/2016/TT-BCA, Phụ lục I).
OLD_PROVINCE_CODES = frozenset(
    {
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    }
)
# Century digit pairs (male, female): 1900s 0/1, 2000s 2/3, 2100s 4/5, 2200s 6/7, 1800s 8/9.
_CENTURY = {
    0: 1900,
    1: 1900,
    2: 2000,
    3: 2000,
    4: 2100,
    5: 2100,
    6: 2200,
    7: 2200,
    8: 1800,
    9: 1800,
}
_SHAPE = re.compile(r"^\d{12}$")


def citizen_id(place: str, *, birth_year: int, sex: str, serial: int) -> str:
    """The citizen ID of a person registered at `place` (3 digits), as `citizen_id_problem`
    reads it back: the century-and-sex digit, the birth year's last two digits, then `serial`."""
    century = birth_year // 100 * 100
    female = 1 if sex == "female" else 0
    digit = next(d for d, start in _CENTURY.items() if start == century and d % 2 == female)
    return f"{place}{digit}{birth_year % 100:02d}{serial:06d}"


def citizen_id_problem(
    value: str, *, birth_year: int | None = None, sex: str | None = None
) -> str | None:
    """Why `value` is not a citizen ID (a Vietnamese message), or None when it is well formed."""
    if not _SHAPE.match(value):
        return _("Số định danh cá nhân phải gồm đúng 12 chữ số.")
    place = value[:3]
    if int(place) < 100 and place not in OLD_PROVINCE_CODES:
        return _("Ba chữ số đầu (%(code)s) không phải mã tỉnh nơi đăng ký khai sinh.") % {
            "code": place
        }
    if place == "000":
        return _("Ba chữ số đầu không được là 000.")
    digit = int(value[3])
    year = _CENTURY[digit] + int(value[4:6])
    if birth_year is not None and birth_year != year:
        return _(
            "Số định danh cá nhân ghi năm sinh %(id_year)s, khác với năm sinh đã nhập (%(year)s)."
        ) % {"id_year": year, "year": birth_year}
    if sex in ("male", "female") and ("male" if digit % 2 == 0 else "female") != sex:
        return _("Chữ số thứ tư của số định danh cá nhân không khớp với giới tính đã nhập.")
    if year > dt.date.today().year:
        return _("Năm sinh trong số định danh cá nhân (%(year)s) ở tương lai.") % {"year": year}
    return None
