"""Import of a checkpoint's daily counts from XLSX or CSV: row by row, all or nothing.

Each row goes through `checkpoint_count_add`, so an imported day obeys the same rules as one
typed on the page (inside the checkpoint's period, not in the future, counts zero or more, one
row per day — a day already recorded or repeated in the file is refused). Every problem is
collected with its sheet, row and column; while any remains nothing is saved.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.core.errors import DomainError
from phoihop.core.tabular import (
    CellError,
    Column,
    ImportFailed,
    Sheet,
    cell_error,
    errors_for_row,
    parse_date,
    parse_int,
    read_rows,
    template_xlsx,
)
from phoihop.operations.models import Checkpoint, CheckpointCount
from phoihop.operations.services import checkpoint_count_add, require_counting
from phoihop.org.models import User


def counts_sheet() -> Sheet:
    """Built when used, so that the headers follow the active language."""
    return Sheet(
        str(gettext_lazy("Số liệu chốt")),
        [
            Column(
                "day",
                str(gettext_lazy("Ngày")),
                required=True,
                help=str(gettext_lazy("Ngày dd/mm/yyyy, trong thời gian hoạt động của chốt.")),
                example="01/08/2021",
                width=14,
            ),
            Column(
                "vehicles",
                str(gettext_lazy("Lượt phương tiện")),
                required=True,
                help=str(gettext_lazy("Số lượt phương tiện được kiểm soát trong ngày.")),
                example=320,
            ),
            Column(
                "people",
                str(gettext_lazy("Lượt người")),
                required=True,
                help=str(gettext_lazy("Số lượt người được kiểm soát trong ngày.")),
                example=512,
            ),
            Column(
                "note",
                str(gettext_lazy("Ghi chú")),
                help=str(gettext_lazy("Không bắt buộc.")),
                example="",
                width=40,
            ),
        ],
    )


def counts_template() -> bytes:
    return template_xlsx(
        sheets=[counts_sheet()],
        title=_("Mẫu nhập số liệu chốt kiểm soát theo ngày"),
        notes=[
            _("Mỗi dòng là một ngày của một chốt; một ngày chỉ có một dòng."),
            _("Tệp có lỗi thì không dòng nào được lưu: sửa hết lỗi rồi nhập lại."),
        ],
    )


def checkpoint_counts_import(
    *, actor: User, checkpoint: Checkpoint, content: bytes, filename: str
) -> list[CheckpointCount]:
    """Save every row of the file as a day of `checkpoint`, or none (ImportFailed)."""
    require_counting(actor, checkpoint)
    sheet = counts_sheet()
    rows = read_rows(
        content, filename=filename, sheet=sheet, empty=_("Tệp không có dòng số liệu nào.")
    )
    errors: list[CellError] = []
    created: list[CheckpointCount] = []
    with transaction.atomic():
        for row in rows:
            problems: list[CellError] = []
            try:
                day = parse_date(row.values["day"])
            except ValueError:
                problems.append(
                    cell_error(sheet, row, "day", _("Ngày không hợp lệ; ghi dạng dd/mm/yyyy."))
                )
            numbers: dict[str, int] = {}
            for key in ("vehicles", "people"):
                try:
                    numbers[key] = parse_int(row.values[key])
                except ValueError:
                    problems.append(cell_error(sheet, row, key, _("Phải là số nguyên, không âm.")))
            if problems:
                errors.extend(problems)
                continue
            try:
                created.append(
                    checkpoint_count_add(
                        actor=actor,
                        checkpoint=checkpoint,
                        day=day,
                        note=row.text("note"),
                        **numbers,
                    )
                )
            except DomainError as exc:
                errors.extend(errors_for_row(exc, row, sheet))
        if errors:
            raise ImportFailed(errors)
    return created
