"""Reading and writing the tables users import and download (XLSX and CSV), shared by every module.

An import is validated row by row and saved all or nothing: a module reads the file with
`read_table`, turns each row into service calls inside one transaction, and collects every
problem as a `CellError` (sheet, row, column, message). `ImportFailed` carries them all, so the
user fixes the whole file at once; nothing is saved while any remain.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from phoihop.core.errors import DomainError
from phoihop.core.text import fold

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A hard ceiling on what one file may hold, so one upload cannot exhaust the server.
MAX_ROWS = 200_000

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    help: str = ""
    example: Any = ""
    width: int = 18


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: Sequence[Column]
    help: str = ""

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


@dataclass
class Row:
    sheet: str
    number: int  # as the spreadsheet shows it (the header is row 1)
    values: dict[str, Any]

    def text(self, key: str) -> str:
        value = self.values.get(key)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }

    def __str__(self) -> str:
        where = _("Sheet “%(sheet)s”") % {"sheet": self.sheet}
        if self.row is not None:
            where += _(", dòng %(row)s") % {"row": self.row}
        if self.column:
            where += _(", cột “%(column)s”") % {"column": self.column}
        return f"{where}: {self.message}"


class ImportFailed(DomainError):
    """The file was refused; nothing was saved. `errors` names every bad cell."""

    def __init__(self, errors: Sequence[CellError]) -> None:
        self.errors = list(errors)
        lines = [str(e) for e in self.errors[:50]]
        super().__init__(
            _("Tệp có %(count)s lỗi, chưa lưu dữ liệu nào. %(first)s")
            % {"count": len(self.errors), "first": lines[0] if lines else ""},
            code="import_failed",
            fields={"file": lines},
        )

    def as_dict(self) -> dict[str, Any]:
        data = super().as_dict()
        data["errors"] = [e.as_dict() for e in self.errors]
        return data


def cell_error(sheet: Sheet, row: Row, key: str, message: str) -> CellError:
    """A problem with one cell of `row`, named by its column header."""
    column = sheet.column(key)
    return CellError(sheet.name, row.number, column.header if column else "", message)


def errors_for_row(
    exc: DomainError, row: Row, sheet: Sheet, *, fields: Mapping[str, str] | None = None
) -> list[CellError]:
    """A service's refusal of one row, as cell errors: each field named by its column header.

    `fields` maps a service field name (`commune`, `seized_items.0.quantity`…) to a column key
    when they differ; unmapped fields fall back to a column of the same key, else to the row.
    """
    mapping = dict(fields or {})
    found: list[CellError] = []
    for name, messages in (exc.fields or {}).items():
        key = mapping.get(name, name)
        column = sheet.column(key) or sheet.column(name.rsplit(".", 1)[-1])
        for message in messages:
            found.append(
                CellError(sheet.name, row.number, column.header if column else "", message)
            )
    return found or [CellError(sheet.name, row.number, "", exc.message)]


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _header_index(headers: Sequence[Any], sheet: Sheet) -> tuple[dict[int, str], list[CellError]]:
    wanted = {fold(c.header): c.key for c in sheet.columns} | {
        fold(c.key): c.key for c in sheet.columns
    }
    index: dict[int, str] = {}
    for position, header in enumerate(headers):
        key = wanted.get(fold(str(header or "")))
        if key is not None:
            index[position] = key
    missing = [c for c in sheet.columns if c.required and c.key not in index.values()]
    errors = [
        CellError(sheet.name, 1, c.header, _("Thiếu cột “%(column)s”.") % {"column": c.header})
        for c in missing
    ]
    return index, errors


def _rows(sheet: Sheet, raw: Iterable[Sequence[Any]], errors: list[CellError]) -> list[Row]:
    iterator = iter(raw)
    try:
        headers = next(iterator)
    except StopIteration:
        errors.append(CellError(sheet.name, None, "", _("Sheet không có dòng tiêu đề.")))
        return []
    index, header_errors = _header_index(list(headers), sheet)
    if header_errors:
        errors.extend(header_errors)
        return []
    rows: list[Row] = []
    for number, cells in enumerate(iterator, start=2):
        values = {
            key: _clean(cells[pos]) if pos < len(cells) else None for pos, key in index.items()
        }
        if all(v is None for v in values.values()):
            continue
        if len(rows) >= MAX_ROWS:
            errors.append(
                CellError(
                    sheet.name,
                    number,
                    "",
                    _("Tệp quá lớn (tối đa %(max)s dòng).") % {"max": MAX_ROWS},
                )
            )
            break
        for column in sheet.columns:
            if column.required and values.get(column.key) is None:
                errors.append(
                    CellError(sheet.name, number, column.header, _("Ô bắt buộc đang để trống."))
                )
        rows.append(Row(sheet.name, number, values))
    return rows


def read_table(
    content: bytes | IO[bytes], *, filename: str, sheets: Sequence[Sheet]
) -> dict[str, list[Row]]:
    """The rows of every sheet by sheet name. A CSV file holds the first sheet only.

    Raises ImportFailed for a file that cannot be read, a missing sheet or column, or an empty
    required cell; the modules then validate the values themselves.
    """
    data = content if isinstance(content, bytes) else content.read()
    errors: list[CellError] = []
    result: dict[str, list[Row]] = {}
    name = filename.lower()
    if name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportFailed(
                [CellError(sheets[0].name, None, "", _("Tệp CSV phải mã hóa UTF-8."))]
            ) from None
        try:
            dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        result[sheets[0].name] = _rows(sheets[0], csv.reader(io.StringIO(text), dialect), errors)
    elif name.endswith(".xlsx"):
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a file that is not a workbook
            raise ImportFailed(
                [CellError(sheets[0].name, None, "", _("Không đọc được tệp XLSX."))]
            ) from None
        by_folded = {fold(ws.title): ws for ws in book.worksheets}
        for sheet in sheets:
            ws = by_folded.get(fold(sheet.name))
            if ws is None:
                if sheet is sheets[0] and len(book.worksheets) >= 1 and len(sheets) == 1:
                    ws = book.worksheets[0]
                else:
                    result[sheet.name] = []
                    continue
            result[sheet.name] = _rows(sheet, ws.iter_rows(values_only=True), errors)
        book.close()
    else:
        raise ImportFailed(
            [CellError(sheets[0].name, None, "", _("Chỉ nhận tệp .xlsx hoặc .csv."))]
        )
    if errors:
        raise ImportFailed(errors)
    return result


def read_rows(content: bytes | IO[bytes], *, filename: str, sheet: Sheet, empty: str) -> list[Row]:
    """The rows of a one-sheet file; ImportFailed with the message `empty` when it has none."""
    rows = read_table(content, filename=filename, sheets=[sheet])[sheet.name]
    if not rows:
        raise ImportFailed([CellError(sheet.name, None, "", empty)])
    return rows


def command_file(path: Path) -> bytes:
    """The content of the file a management command imports; CommandError if it is unreadable."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}") from exc


def command_refusal(exc: ImportFailed, filename: str, *, stderr: Any = None) -> CommandError:
    """What a management command ends with when a file is refused; with `stderr` (the command's),
    every bad cell is listed there first, as `sheet / row / column: message`."""
    if stderr is not None:
        for error in exc.errors:
            where = " / ".join(p for p in (error.sheet, str(error.row or ""), error.column) if p)
            stderr.write(f"{where}: {error.message}")
    return CommandError(f"{len(exc.errors)} error(s) in {filename}; nothing was saved.")


def actor_argument(parser: CommandParser, *, help: str) -> None:
    """`--as USERNAME`: the user an import command records as (their unit, their audit trail)."""
    parser.add_argument("--as", dest="username", required=True, metavar="USERNAME", help=help)


def command_actor(username: str) -> Any:
    """The active user `--as` names; CommandError if there is none."""
    actor = get_user_model()._default_manager.filter(username=username, is_active=True).first()
    if actor is None:
        raise CommandError(f"no active user {username!r}")
    return actor


def parse_date(value: Any) -> dt.date:
    """A date cell: a spreadsheet date, or text `dd/mm/yyyy` (also `yyyy-mm-dd`)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_datetime(value: Any) -> dt.datetime:
    """A naive local date-time from a cell: a spreadsheet date(time) or `dd/mm/yyyy [HH:MM]`."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(0, 0))
    text = str(value or "").strip()
    for pattern in (
        "%d/%m/%Y %H:%M",
        "%d/%m/%Y",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d",
    ):
        try:
            return dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
    raise ValueError(text)


def parse_int(value: Any) -> int:
    """A whole non-negative count from a cell (`1.508` read the Vietnamese way)."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        number = int(value)
    elif isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise ValueError(value)
        number = int(value)
    else:
        text = str(value or "").strip().replace(".", "").replace(" ", "")
        if not text.lstrip("-").isdigit():
            raise ValueError(value)
        number = int(text)
    if number < 0:
        raise ValueError(value)
    return number


_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def template_xlsx(*, sheets: Sequence[Sheet], title: str, notes: Sequence[str] = ()) -> bytes:
    """A downloadable template: one sheet per table with its headers and an example row, and a
    guide sheet describing every column."""
    book = Workbook()
    guide = book.active
    assert guide is not None
    guide.title = _("Hướng dẫn")
    guide.append([title])
    guide["A1"].font = Font(bold=True, size=13)
    for note in notes:
        guide.append([note])
    guide.append([])
    guide.append([_("Sheet"), _("Cột"), _("Bắt buộc"), _("Ghi chú"), _("Ví dụ")])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for sheet in sheets:
        for column in sheet.columns:
            guide.append(
                [
                    sheet.name,
                    column.header,
                    _("Có") if column.required else "",
                    column.help,
                    column.example,
                ]
            )
    for letter, width in zip("ABCDE", (22, 28, 10, 70, 24), strict=True):
        guide.column_dimensions[letter].width = width
    for sheet in sheets:
        ws = book.create_sheet(sheet.name)
        ws.append([c.header for c in sheet.columns])
        ws.append([c.example for c in sheet.columns])
        for position, column in enumerate(sheet.columns, start=1):
            cell = ws.cell(row=1, column=position)
            cell.font = Font(bold=True)
            cell.fill = _HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.column_dimensions[get_column_letter(position)].width = column.width
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def errors_xlsx(errors: Sequence[CellError]) -> bytes:
    """The error report of a refused import, to download next to the on-screen list."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = _("Lỗi")
    ws.append([_("Sheet"), _("Dòng"), _("Cột"), _("Lỗi")])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for error in errors:
        ws.append([error.sheet, error.row, error.column, error.message])
    for letter, width in zip("ABCD", (20, 8, 26, 90), strict=True):
        ws.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
