"""The coordination report as data: what the figure builders produce and every output renders.

One `Report` is rendered as text, JSON, DOCX, XLSX and the web preview; none of the renderers
computes a figure. Builders (figures.py) fill it from the modules' selectors within one actor's
visibility; the assembler (assembly.py) writes the sections' sentences around the figures.

A `Figure` carries its value for the period, the previous period and the same period of the
previous year, the changes, and its provenance: the records behind it, so that every number can be
traced back and recounted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from phoihop.core import formats, qualifiers
from phoihop.core.figures import FigureKind

Number = int | Decimal


@dataclass(frozen=True)
class Provenance:
    """The records behind a figure: their model (`cases.case`) and public ids, and where to see
    them (a filtered list page), or the submissions it was read from."""

    model: str
    ids: tuple[str, ...] = ()
    url: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"model": self.model, "ids": list(self.ids), "url": self.url}


@dataclass(frozen=True)
class Change:
    """From `before` to `now`: the absolute and relative change (None when before is 0)."""

    before: Number
    now: Number

    @property
    def delta(self) -> Number:
        return self.now - self.before

    @property
    def ratio(self) -> Decimal | None:
        if not self.before:
            return None
        return (Decimal(self.now) - Decimal(self.before)) / Decimal(self.before)


@dataclass
class Figure:
    key: str  # stable: "cases.count", "cases.seized.heroin", "exchange.items"
    label: str  # Vietnamese: "Số vụ phát hiện, bắt giữ, xử lý"
    value: Number
    kind: FigureKind = FigureKind.COUNT
    unit: str = ""  # the phrase after the number: "vụ", "gam heroin", "%"
    previous: Number | None = None  # the previous period
    last_year: Number | None = None  # the same period of the previous year
    provenance: list[Provenance] = field(default_factory=list)
    qualifier: str = ""  # of the period's value, entered with its records: "tren", "khoang"…

    def text(self) -> str:
        """The figure as official writing puts it: "01 tổ chức", "11,09 gam heroin", "100%",
        "trên 120 khu phong tỏa" (a qualifier only where the records entered one)."""
        return qualifiers.phrase(self.qualifier, format_value(self.value, self.kind, self.unit))

    @property
    def vs_previous(self) -> Change | None:
        return None if self.previous is None else Change(self.previous, self.value)

    @property
    def vs_last_year(self) -> Change | None:
        return None if self.last_year is None else Change(self.last_year, self.value)

    def as_dict(self) -> dict[str, Any]:
        def plain(value: Number | None) -> Any:
            return str(value) if isinstance(value, Decimal) else value

        def change(c: Change | None) -> Any:
            if c is None:
                return None
            return {
                "delta": plain(c.delta),
                "ratio": None if c.ratio is None else str(round(c.ratio, 4)),
            }

        return {
            "key": self.key,
            "label": self.label,
            "value": plain(self.value),
            "kind": str(self.kind),
            "unit": self.unit,
            "text": self.text(),
            "qualifier": self.qualifier,
            "previous": plain(self.previous),
            "last_year": plain(self.last_year),
            "change_vs_previous": change(self.vs_previous),
            "change_vs_last_year": change(self.vs_last_year),
            "provenance": [p.as_dict() for p in self.provenance],
        }


def format_value(value: Number, kind: FigureKind | str, unit: str = "") -> str:
    kind = FigureKind(kind)
    if kind is FigureKind.COUNT:
        text = formats.count(int(value))
    elif kind is FigureKind.PERCENT:
        return f"{formats.number(value, max_decimals=1)}%"
    elif kind is FigureKind.AMOUNT:
        text = formats.number(value, max_decimals=0)
    else:
        text = formats.number(value, max_decimals=6)
    return f"{text} {unit}".strip()


@dataclass
class Paragraph:
    """A sentence or a few, with the figures it cites (by key) so renderers can link them."""

    text: str
    figures: list[str] = field(default_factory=list)


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[Any]]  # cells: str, int, Decimal; renderers format numbers the Vietnamese way


@dataclass
class Section:
    key: (
        str  # "exchange", "mobilisation", "crime", "wanted", "protection", … "limitations", "tasks"
    )
    title: str  # "II. Công tác trao đổi thông tin, phối hợp xác minh"
    paragraphs: list[Paragraph] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)


@dataclass
class Signer:
    title: str  # "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"
    name: str
    rank: str = ""  # "Đại tá"
    agency: str = ""  # "CÔNG AN TỈNH"


@dataclass
class Report:
    area_code: str
    area_name: str  # "Tỉnh Hà Tĩnh"
    period_key: str  # "2024-Q3"
    period_label: str  # "quý III năm 2024"
    start: dt.date
    end: dt.date
    rule: str  # "decree09" | "calendar"
    generated_at: dt.datetime
    as_user: str = ""  # username whose visibility the figures follow; "" = the operator
    title: str = ""  # "BÁO CÁO Kết quả công tác phối hợp … quý III năm 2024"
    issuer: str = ""  # "BAN CHỈ ĐẠO PHỐI HỢP …" (configurable)
    number: str = ""  # "Số: …/BC-…"
    document_symbol: str = ""  # "BC-BCĐ": what follows the number when none is given yet
    place: str = ""  # "Hà Tĩnh"
    classification: int = 0
    sections: list[Section] = field(default_factory=list)
    signers: list[Signer] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)  # Nơi nhận

    @property
    def date(self) -> dt.date:
        """The day the report is dated: local (Asia/Ho_Chi_Minh), never the server's UTC day."""
        generated = self.generated_at
        if timezone.is_aware(generated):
            return timezone.localtime(generated).date()
        return generated.date()

    def figures(self) -> list[Figure]:
        return [f for s in self.sections for f in s.figures]

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures() if f.key == key), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "area": {"code": self.area_code, "name": self.area_name},
            "period": {
                "key": self.period_key,
                "label": self.period_label,
                "start": self.start.isoformat(),
                "end": self.end.isoformat(),
                "rule": self.rule,
            },
            "generated_at": self.generated_at.isoformat(),
            "as_user": self.as_user,
            "title": self.title,
            "sections": [
                {
                    "key": s.key,
                    "title": s.title,
                    "paragraphs": [p.text for p in s.paragraphs],
                    "figures": [f.as_dict() for f in s.figures],
                }
                for s in self.sections
            ],
        }
