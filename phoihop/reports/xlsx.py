"""The report's XLSX annex (phụ lục số liệu): a "Tổng hợp" sheet with every figure, then one sheet
per section with its figures and its tables. Values are stored as numbers (totals can be summed
and checked); only their display is Vietnamese.

Number formats. An XLSX number format code is written in a fixed notation: ',' is the grouping
placeholder and '.' the decimal point, whatever the reader's language; the program that opens the
file substitutes the separators of a locale when it displays the number. Which locale:
- Excel takes the separators from the operating system (or its own "system separators" option),
  so `#,##0` shows `3.429` on a computer set to Vietnamese and `3,429` on one set to English. A
  format code cannot force '.' for thousands in Excel without turning the number into text.
- LibreOffice takes them from the language of the format. A code prefixed with the Vietnamese
  LCID, `[$-42A]#,##0.00`, is read as a Vietnamese format and shows `3.429,09` on any system
  (checked: LibreOffice 7.4 converting to CSV "as shown" under the C locale gives `3.429`,
  `3.429,09`, `6,4%`; without the prefix `3,429.09`; the tag form `[$-vi-VN]` is not understood).
So every code here carries `[$-42A]`: Vietnamese in LibreOffice everywhere, and in Excel on
Vietnamese systems, where the prefix is harmless. openpyxl writes the code as given.

Decimals follow the figure: `11,09` keeps two, `16,476` three, whole values none (no trailing
comma).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from phoihop.core import formats
from phoihop.reports.document import Figure, FigureKind, Number, Report, Section, Table

LOCALE_PREFIX = "[$-42A]"  # Vietnamese (LCID 0x042A)
INTEGER_FORMAT = LOCALE_PREFIX + "#,##0"
SIGNED_INTEGER_FORMAT = LOCALE_PREFIX + "+#,##0;-#,##0;0"
RATIO_FORMAT = LOCALE_PREFIX + "+0.0%;-0.0%;0.0%"
SUMMARY_TITLE = N_("Tổng hợp")
MAX_SHEET_NAME = 31
FORBIDDEN_IN_SHEET_NAMES = str.maketrans({c: " " for c in "[]:*?/\\"})

FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")

FIGURE_HEADERS = (
    N_("TT"),
    N_("Chỉ tiêu"),
    N_("Kỳ này"),
    N_("Đơn vị tính"),
    N_("Kỳ trước"),
    N_("Cùng kỳ năm trước"),
    N_("Tăng/giảm so với kỳ trước"),
    N_("Tỷ lệ so với kỳ trước"),
    N_("Tăng/giảm so với cùng kỳ"),
    N_("Tỷ lệ so với cùng kỳ"),
    N_("Mã chỉ tiêu"),
)
FIGURE_WIDTHS = (6, 42, 14, 20, 14, 14, 14, 12, 14, 12, 30)


def number_format(*values: Number | None, signed: bool = False) -> str:
    """The format code that shows these values the Vietnamese way with as many decimals as the
    most precise of them carries."""
    decimals = max((_decimals(v) for v in values if v is not None), default=0)
    digits = "#,##0" + ("." + "0" * decimals if decimals else "")
    if signed:
        return f"{LOCALE_PREFIX}+{digits};-{digits};0"
    return LOCALE_PREFIX + digits


def sheet_names(report: Report) -> list[str]:
    """The summary sheet, then one sheet per section: "1. Công tác trao đổi thông tin…"
    (Excel allows 31 characters and none of []:*?/\\), unique."""
    names = [_(SUMMARY_TITLE)]
    for index, section in enumerate(report.sections, 1):
        title = plain_title(section.title).translate(FORBIDDEN_IN_SHEET_NAMES)
        base = _shorten(f"{index}. {' '.join(title.split())}", MAX_SHEET_NAME)
        name, n = base, 2
        while name.lower() in {existing.lower() for existing in names}:
            suffix = f" ({n})"
            name = _shorten(base, MAX_SHEET_NAME - len(suffix)) + suffix
            n += 1
        names.append(name)
    return names


def render_xlsx(report: Report) -> bytes:
    workbook = Workbook()
    workbook.properties.title = report.title or report.period_label
    workbook.properties.subject = f"{report.area_name} — {report.period_label}"
    workbook.properties.creator = "PhốiHợp"
    workbook.properties.language = "vi-VN"
    created = report.generated_at
    if timezone.is_aware(created):
        created = created.astimezone(dt.UTC).replace(tzinfo=None)
    workbook.properties.created = created
    workbook.properties.modified = created

    names = sheet_names(report)
    summary = workbook.active
    assert summary is not None
    summary.title = names[0]
    _summary(summary, report)
    for name, section in zip(names[1:], report.sections, strict=True):
        _section_sheet(workbook.create_sheet(name), report, section)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- sheets


def _summary(sheet: Worksheet, report: Report) -> None:
    row = _preamble(sheet, report, _("PHỤ LỤC SỐ LIỆU — TỔNG HỢP"))
    headers = (N_("TT"), N_("Mục"), *FIGURE_HEADERS[1:])
    widths = (6, 34, *FIGURE_WIDTHS[1:])
    _header_row(sheet, row, headers, widths)
    first = row + 1
    index = 0
    for section in report.sections:
        for figure in section.figures:
            index += 1
            row += 1
            sheet.cell(row, 1, index).number_format = INTEGER_FORMAT
            sheet.cell(row, 2, plain_title(section.title))
            _figure_cells(sheet, row, 3, figure)
            _border_row(sheet, row, len(headers))
    _freeze_and_filter(sheet, first - 1, row, len(headers))


def _section_sheet(sheet: Worksheet, report: Report, section: Section) -> None:
    row = _preamble(sheet, report, section.title.upper())
    if section.figures:
        _header_row(sheet, row, FIGURE_HEADERS, FIGURE_WIDTHS)
        first = row
        for index, figure in enumerate(section.figures, 1):
            row += 1
            sheet.cell(row, 1, index).number_format = INTEGER_FORMAT
            _figure_cells(sheet, row, 2, figure)
            _border_row(sheet, row, len(FIGURE_HEADERS))
        sheet.freeze_panes = sheet.cell(first + 1, 3)
        row += 1
    else:
        for column, width in enumerate(FIGURE_WIDTHS, 1):
            sheet.column_dimensions[get_column_letter(column)].width = width
    for table in extra_tables(section):
        row += 1
        title = sheet.cell(row, 1, table.title)
        title.font = Font(name=FONT, bold=True, italic=True)
        row += 1
        for column, text in enumerate(table.columns, 1):
            cell = sheet.cell(row, column, text)
            _header_style(cell)
        for values in table.rows:
            row += 1
            for column, value in enumerate(values, 1):
                cell = sheet.cell(row, column, _cell_value(value))
                cell.font = Font(name=FONT)
                cell.border = BORDER
                if isinstance(value, int | Decimal) and not isinstance(value, bool):
                    column_values = [r[column - 1] for r in table.rows if len(r) >= column]
                    cell.number_format = number_format(
                        *(v for v in column_values if isinstance(v, int | Decimal))
                    )
        row += 1
    if section.paragraphs:
        row += 1
        sheet.cell(row, 1, _("Nội dung trong báo cáo")).font = Font(name=FONT, bold=True)
        for paragraph in section.paragraphs:
            row += 1
            cell = sheet.cell(row, 2, paragraph.text)
            cell.font = Font(name=FONT)
            cell.alignment = Alignment(wrap_text=False, vertical="top")


def _preamble(sheet: Worksheet, report: Report, heading: str) -> int:
    """Title lines of a sheet; returns the row of the table header."""
    sheet.cell(1, 1, heading).font = Font(name=FONT, bold=True, size=13)
    sheet.cell(2, 1, report.title or report.period_label).font = Font(name=FONT, italic=True)
    sheet.cell(
        3,
        1,
        _("Địa bàn: %(area)s — Kỳ: %(period)s (%(start)s – %(end)s)")
        % {
            "area": report.area_name,
            "period": report.period_label,
            "start": formats.date(report.start),
            "end": formats.date(report.end),
        },
    ).font = Font(name=FONT)
    return 5


def _figure_cells(sheet: Worksheet, row: int, column: int, figure: Figure) -> None:
    """Label, value, unit, previous, last year, changes (absolute, ratio), key from `column`."""
    is_percent = figure.kind is FigureKind.PERCENT
    values_format = number_format(figure.value, figure.previous, figure.last_year)
    vs_previous, vs_last_year = figure.vs_previous, figure.vs_last_year
    cells: list[tuple[Any, str | None]] = [
        (figure.label, None),
        (_cell_value(figure.value), values_format),
        (figure.unit, None),
        (_cell_value(figure.previous), values_format),
        (_cell_value(figure.last_year), values_format),
        (
            _cell_value(None if vs_previous is None else vs_previous.delta),
            number_format(figure.value, figure.previous, signed=True),
        ),
        (
            None if vs_previous is None or is_percent else _ratio(vs_previous.ratio),
            RATIO_FORMAT,
        ),
        (
            _cell_value(None if vs_last_year is None else vs_last_year.delta),
            number_format(figure.value, figure.last_year, signed=True),
        ),
        (
            None if vs_last_year is None or is_percent else _ratio(vs_last_year.ratio),
            RATIO_FORMAT,
        ),
        (figure.key, None),
    ]
    for offset, (value, code) in enumerate(cells):
        cell = sheet.cell(row, column + offset, value)
        cell.font = Font(name=FONT)
        if code is not None:
            cell.number_format = code
        if offset == 0:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _header_row(sheet: Worksheet, row: int, headers: Sequence[str], widths: Sequence[int]) -> None:
    for column, (text, width) in enumerate(zip(headers, widths, strict=True), 1):
        _header_style(sheet.cell(row, column, _(text)))
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.row_dimensions[row].height = 32


def _header_style(cell: Any) -> None:
    cell.font = Font(name=FONT, bold=True)
    cell.fill = HEADER_FILL
    cell.border = BORDER
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _border_row(sheet: Worksheet, row: int, columns: int) -> None:
    for column in range(1, columns + 1):
        sheet.cell(row, column).border = BORDER


def _freeze_and_filter(sheet: Worksheet, header_row: int, last_row: int, columns: int) -> None:
    sheet.freeze_panes = sheet.cell(header_row + 1, 3)
    if last_row > header_row:
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(columns)}{last_row}"


# --- values


def _cell_value(value: Any) -> Any:
    """Numbers stay numbers: int as int, Decimal as Decimal (openpyxl writes its digits)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    return value


def _ratio(ratio: Decimal | None) -> Decimal | None:
    return None if ratio is None else round(ratio, 4)


def _decimals(value: Number) -> int:
    if isinstance(value, Decimal):
        normalized = value.normalize()
        exponent = normalized.as_tuple().exponent
        return max(0, -exponent) if isinstance(exponent, int) else 0
    return 0


def extra_tables(section: Section) -> list[Table]:
    """The section's tables other than a plain list of its own figures, which the figures
    table already shows (with the changes): a table is that list when its rows start with the
    section's figure labels, in order."""
    labels = [f.label for f in section.figures]
    return [
        table
        for table in section.tables
        if not labels or [row[0] if row else None for row in table.rows] != labels
    ]


def plain_title(title: str) -> str:
    """A section title without its numbering: `II. Công tác …` → `Công tác …`."""
    head, dot, rest = title.partition(". ")
    if dot and head and all(c in "IVXLC0123456789" for c in head):
        return rest
    return title


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;-")
    return f"{cut}…"
