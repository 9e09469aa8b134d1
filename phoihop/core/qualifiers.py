"""The qualifier of an entered count or quantity (trên, hơn, gần, khoảng), and what a sum of
qualified figures may say.

Provinces report what they know: "trên 120 khu phong tỏa", "hơn 250 khu cách ly", "khoảng
1.500 lượt thông tin". A record may therefore carry, beside an entered count or quantity, its
qualifier; no qualifier (`EXACT`, stored as "") is an exact figure.

The rules
---------
- A qualifier belongs to a figure somebody *entered*. A figure the system computes (a sum of
  daily counts, a total, a share) never takes one from the user: `refuse_on_computed` refuses it
  naming the field, and nothing is saved.
- A qualifier is carried into the report only by the sum of the figures that carry it; a sum of
  exact values is exact, whatever its size — no qualifier is ever invented.
- Summing qualified figures (`combined`) keeps what remains true of the total:
  - exact + exact = exact;
  - a lower bound (trên, hơn) plus exact values or other lower bounds stays a lower bound
    ("trên 120" + 5 = "trên 125"); "trên" and "hơn" say the same, so a mix of the two is "trên";
  - "gần" (just under) plus exact values or other "gần" stays "gần" ("gần 100" + 20 = "gần 120");
  - bounds pointing opposite ways ("trên" with "gần") or anything with "khoảng" → "khoảng".
- Zero adds nothing: a qualified zero is refused at input (`check_qualified`), so "trên 0" is
  never stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.core.errors import invalid

SUFFIX = "_qualifier"


class Qualifier(models.TextChoices):
    EXACT = "", gettext_lazy("Chính xác")
    OVER = "tren", gettext_lazy("trên")
    MORE_THAN = "hon", gettext_lazy("hơn")
    NEARLY = "gan", gettext_lazy("gần")
    ABOUT = "khoang", gettext_lazy("khoảng")


_LOWER = frozenset({Qualifier.OVER, Qualifier.MORE_THAN})


def qualifier_field(verbose_name: Any) -> models.CharField:
    """The model field of a count's qualifier (`people_qualifier` beside `people`)."""
    return models.CharField(
        verbose_name, max_length=10, choices=Qualifier.choices, blank=True, default=""
    )


def name_of(field: str) -> str:
    """`people` → `people_qualifier`: where a count's qualifier is stored and sent."""
    return f"{field}{SUFFIX}"


def combined(qualifiers: Iterable[str]) -> Qualifier:
    """The qualifier of a sum of figures with these qualifiers (module docstring)."""
    seen = {Qualifier(q or "") for q in qualifiers} - {Qualifier.EXACT}
    if not seen:
        return Qualifier.EXACT
    if Qualifier.ABOUT in seen or (seen & _LOWER and Qualifier.NEARLY in seen):
        return Qualifier.ABOUT
    if seen == {Qualifier.MORE_THAN}:
        return Qualifier.MORE_THAN
    if seen <= _LOWER:
        return Qualifier.OVER
    return Qualifier.NEARLY


def sum_qualified(rows: Iterable[tuple[Any, str]]) -> tuple[Any, Qualifier]:
    """The sum of (value, qualifier) rows and the sum's qualifier; None values are left out."""
    total: Any = 0
    qualifiers: list[str] = []
    for value, qualifier in rows:
        if value is None:
            continue
        total += value
        if value:
            qualifiers.append(qualifier)
    return total, combined(qualifiers)


def phrase(qualifier: str, text: str) -> str:
    """ "trên" and "120 khu phong tỏa" → "trên 120 khu phong tỏa"; exact → the text alone."""
    if not qualifier:
        return text
    return f"{Qualifier(qualifier).label} {text}"


def check_qualified(name: str, value: Any, qualifier: Any) -> str:
    """The qualifier of the count or quantity `name` as entered: one of the choices, and only
    beside a value above zero. Refusals name `<name>_qualifier`."""
    field = name_of(name)
    cleaned = "" if qualifier is None else qualifier
    if cleaned not in Qualifier.values:
        raise invalid(
            field,
            _("Chỉ ghi kèm số liệu một trong: trên, hơn, gần, khoảng (hoặc để trống)."),
            code="invalid_qualifier",
        )
    if cleaned and not value:
        raise invalid(
            field,
            _("Chỉ ghi “%(word)s” kèm một số lớn hơn 0.") % {"word": Qualifier(cleaned).label},
            code="qualifier_without_value",
        )
    return str(cleaned)


def refuse_on_computed(data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """A qualifier sent for a figure that is not entered (computed, or no count at all) is
    refused naming the field: the system never qualifies what it counts."""
    accepted = set(allowed)
    for key in sorted(data):
        if key.endswith(SUFFIX) and key not in accepted and data[key] not in (None, ""):
            raise invalid(
                key,
                _(
                    "Số liệu “%(field)s” do hệ thống tính từ các bản ghi, không ghi kèm trên, "
                    "hơn, gần, khoảng."
                )
                % {"field": key.removesuffix(SUFFIX)},
                code="qualifier_on_computed",
            )
