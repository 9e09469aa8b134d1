"""XLSX of a submission: download the form with its values, fill it in, upload it back.

The workbook has a sheet "Chỉ tiêu" (one row per indicator of the form: code, name, unit, kind,
the previous period's value, the value and the explanation) and a sheet "Thông tin" (form,
unit, period, window, deadline, status). Derived rows carry the value computed from the records
and are locked (sheet protection without a password: a guard against slips, not a secret);
the import ignores them.

The import is all or nothing (`phoihop.core.tabular`): every bad row is reported with its row
number and column, and nothing is saved while any remain.
"""

from __future__ import annotations

import io
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter

from phoihop.audit.models import AuditAction
from phoihop.audit.services import audit_record
from phoihop.core.enums import Classification
from phoihop.core.errors import DomainError
from phoihop.core.tabular import CellError, Column, ImportFailed, Row, Sheet, read_table
from phoihop.indicators.models import Submission
from phoihop.indicators.selectors import submission_sheet
from phoihop.indicators.services import submission_values_set

VALUES_SHEET = "Chỉ tiêu"
INFO_SHEET = "Thông tin"
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_DERIVED_FILL = PatternFill("solid", fgColor="EEEEEE")


def _columns() -> list[Column]:
    return [
        Column("code", _("Mã chỉ tiêu"), required=True, width=26),
        Column("name", _("Tên chỉ tiêu"), width=60),
        Column("unit", _("Đơn vị tính"), width=14),
        Column("kind", _("Loại"), width=18),
        Column("previous", _("Kỳ trước"), width=14),
        Column("value", _("Giá trị"), width=16),
        Column("explanation", _("Giải trình"), width=60),
    ]


def import_sheet() -> Sheet:
    return Sheet(VALUES_SHEET, _columns())


def export_filename(submission: Submission) -> str:
    return (
        f"bao-cao-{submission.form.code}-{submission.period_key}-{submission.owner_unit.code}.xlsx"
    )


def submission_xlsx(*, actor: Any, submission: Submission) -> bytes:
    """The workbook of a visible submission (the caller checked it may be seen); audited."""
    sheet = submission_sheet(actor=actor, submission=submission)
    period = submission.period
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = VALUES_SHEET
    columns = _columns()
    ws.append([c.header for c in columns])
    for position, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=position)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(position)].width = column.width
    editable = submission.is_editable
    for row in sheet.rows:
        indicator = row.indicator
        ws.append(
            [
                indicator.code,
                indicator.name,
                indicator.unit,
                indicator.get_kind_display(),
                row.previous,
                row.value,
                row.explanation,
            ]
        )
        number = ws.max_row
        if indicator.is_derived:
            for cell in ws[number]:
                cell.fill = _DERIVED_FILL
        elif editable:
            for letter in ("F", "G"):
                ws[f"{letter}{number}"].protection = Protection(locked=False)
        ws[f"F{number}"].number_format = "#,##0" if indicator.is_count else "#,##0.######"
        ws[f"E{number}"].number_format = ws[f"F{number}"].number_format
    ws.freeze_panes = "A2"
    ws.protection.sheet = True
    info = book.create_sheet(INFO_SHEET)
    start, end = submission.period_start, submission.period_end
    facts = [
        (_("Biểu mẫu"), f"{submission.form.code} – {submission.form.name}"),
        (_("Đơn vị báo cáo"), submission.owner_unit.name),
        (_("Kỳ báo cáo"), f"{period.title} ({period.key})"),
        (_("Số liệu từ ngày"), start.strftime("%d/%m/%Y")),
        (_("Số liệu đến ngày"), end.strftime("%d/%m/%Y")),
        (_("Hạn gửi"), submission.deadline.strftime("%d/%m/%Y")),
        (_("Trạng thái"), submission.get_status_display()),
        (_("Mã định danh"), str(submission.public_id)),
    ]
    if submission.classification > Classification.THUONG:
        facts.insert(0, (_("Độ mật"), str(Classification(submission.classification).label)))
    for label, value in facts:
        info.append([label, value])
        info.cell(row=info.max_row, column=1).font = Font(bold=True)
    info.column_dimensions["A"].width = 22
    info.column_dimensions["B"].width = 70
    out = io.BytesIO()
    book.save(out)
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=submission,
        changes={"format": "xlsx", "period": submission.period_key},
    )
    return out.getvalue()


def _errors_for(exc: DomainError, rows_by_code: dict[str, Row], sheet: Sheet) -> list[CellError]:
    found: list[CellError] = []
    value_header = sheet.column("value").header  # type: ignore[union-attr]
    explanation_header = sheet.column("explanation").header  # type: ignore[union-attr]
    for field, messages in exc.fields.items():
        kind, _sep, code = field.partition(".")
        row = rows_by_code.get(code)
        column = value_header if kind == "values" else explanation_header
        for message in messages:
            found.append(
                CellError(sheet.name, row.number if row else None, column if row else "", message)
            )
    return found or [CellError(sheet.name, None, "", exc.message)]


@transaction.atomic
def submission_import(*, actor: Any, submission: Submission, content: bytes, filename: str) -> int:
    """Set the entered values of `submission` from a filled-in workbook; returns the rows read.

    Raises ImportFailed (naming every bad row) and saves nothing if any row is wrong.
    """
    sheet = import_sheet()
    rows = read_table(content, filename=filename, sheets=[sheet])[sheet.name]
    lines = {
        row.indicator.code: row for row in submission_sheet(actor=actor, submission=submission).rows
    }
    errors: list[CellError] = []
    seen: dict[str, Row] = {}
    values: dict[str, Any] = {}
    explanations: dict[str, str] = {}
    code_header = sheet.column("code").header  # type: ignore[union-attr]
    for row in rows:
        code = row.text("code")
        if code in seen:
            errors.append(
                CellError(
                    sheet.name,
                    row.number,
                    code_header,
                    _("Chỉ tiêu “%(code)s” đã có ở dòng %(row)s.")
                    % {"code": code, "row": seen[code].number},
                )
            )
            continue
        seen[code] = row
        line = lines.get(code)
        if line is not None and line.indicator.is_derived:
            # Computed from the records: the file shows it, the import leaves it alone.
            continue
        values[code] = row.values.get("value")
        explanations[code] = row.text("explanation")
    with transaction.atomic():
        try:
            submission_values_set(
                actor=actor,
                submission=submission,
                values=values,
                explanations={c: e for c, e in explanations.items() if c in lines},
                localized=True,
            )
        except DomainError as exc:
            if exc.code in ("locked", "awaiting_approval", "permission_denied", "stale_version"):
                raise
            errors.extend(_errors_for(exc, seen, sheet))
        if errors:
            # Raised inside the savepoint: whatever the service saved is undone.
            raise ImportFailed(sorted(errors, key=lambda e: (e.row or 0, e.column)))
    return len(rows)
