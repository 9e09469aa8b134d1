"""The report as plain text (the `report` command's default output): title, sections and their
sentences, then each section's table of figures in Vietnamese number style."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from phoihop.core import formats
from phoihop.reports.document import Report, Table


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | Decimal):
        return formats.number(value, max_decimals=6)
    return str(value)


def _table(table: Table) -> list[str]:
    cells = [[_cell(c) for c in row] for row in table.rows]
    widths = [
        max([len(str(column))] + [len(row[i]) for row in cells])
        for i, column in enumerate(table.columns)
    ]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(table.columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append(
            "  ".join(
                (c.rjust(w) if i >= 2 else c.ljust(w))
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
        )
    return lines


def render_text(report: Report, *, tables: bool = True) -> str:
    lines: list[str] = []
    if report.issuer:
        lines.append(report.issuer)
    if report.number:
        lines.append(report.number)
    if report.place:
        lines.append(f"{report.place}, {formats.long_date(report.date)}")
    lines += ["", _("BÁO CÁO"), report.title, ""]
    lines.append(
        _("Địa bàn: %(area)s — số liệu từ %(start)s đến %(end)s")
        % {
            "area": report.area_name,
            "start": formats.date(report.start),
            "end": formats.date(report.end),
        }
    )
    if report.as_user:
        lines.append(
            _("Số liệu trong phạm vi được xem của tài khoản %(user)s") % {"user": report.as_user}
        )
    for section in report.sections:
        lines += ["", section.title.upper(), ""]
        for paragraph in section.paragraphs:
            lines.append(paragraph.text)
        if tables:
            for table in section.tables:
                lines += ["", *_table(table)]
    if report.recipients:
        lines += ["", _("Nơi nhận:"), *(f"- {r};" for r in report.recipients)]
    for signer in report.signers:
        lines += ["", signer.title, signer.rank + (" " if signer.rank else "") + signer.name]
    return "\n".join(lines) + "\n"
