"""The shared XLSX/CSV import reader: templates read back, bad files named by sheet/row/column."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from phoihop.core.tabular import Column, ImportFailed, Sheet, read_table, template_xlsx

SHEET = Sheet(
    "Vụ việc",
    [
        Column("ref", "Mã dòng", required=True, example="V1"),
        Column("title", "Tên vụ việc", required=True, example="Vận chuyển pháo nổ"),
        Column("quantity", "Số lượng", example="1.508"),
    ],
)


def _xlsx(rows: list[list[object]], title: str = "Vụ việc") -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = title
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_template_reads_back_as_its_example_row() -> None:
    data = template_xlsx(sheets=[SHEET], title="Mẫu nhập vụ việc", notes=["Ghi chú"])
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Hướng dẫn", "Vụ việc"]
    rows = read_table(data, filename="mau.xlsx", sheets=[SHEET])["Vụ việc"]
    assert [(r.number, r.values) for r in rows] == [
        (2, {"ref": "V1", "title": "Vận chuyển pháo nổ", "quantity": "1.508"})
    ]


def test_headers_match_without_diacritics_and_empty_rows_are_skipped() -> None:
    data = _xlsx([["ma dong", "TEN VU VIEC"], ["V1", "A"], [None, None], ["V2", "B"]])
    rows = read_table(data, filename="x.xlsx", sheets=[SHEET])["Vụ việc"]
    assert [(r.number, r.text("ref")) for r in rows] == [(2, "V1"), (4, "V2")]


def test_a_missing_column_and_an_empty_required_cell_are_named() -> None:
    with pytest.raises(ImportFailed) as exc:
        read_table(_xlsx([["Mã dòng"], ["V1"]]), filename="x.xlsx", sheets=[SHEET])
    assert [(e.row, e.column) for e in exc.value.errors] == [(1, "Tên vụ việc")]
    with pytest.raises(ImportFailed) as exc:
        read_table(
            _xlsx([["Mã dòng", "Tên vụ việc"], ["V1", " "]]), filename="x.xlsx", sheets=[SHEET]
        )
    assert [(e.sheet, e.row, e.column) for e in exc.value.errors] == [("Vụ việc", 2, "Tên vụ việc")]
    assert exc.value.as_dict()["errors"][0]["row"] == 2


def test_csv_with_semicolons_and_a_bom_is_read() -> None:
    data = "\ufeffMã dòng;Tên vụ việc;Số lượng\nV1;Buôn lậu;11,09\n".encode()
    rows = read_table(data, filename="x.csv", sheets=[SHEET])["Vụ việc"]
    assert rows[0].values == {"ref": "V1", "title": "Buôn lậu", "quantity": "11,09"}


@pytest.mark.parametrize(
    ("data", "name"),
    [("Mã dòng\nV1\n".encode("utf-16"), "x.csv"), (b"not a workbook", "x.xlsx"), (b"", "x.pdf")],
)
def test_unreadable_files_are_refused_with_a_message(data: bytes, name: str) -> None:
    with pytest.raises(ImportFailed) as exc:
        read_table(data, filename=name, sheets=[SHEET])
    assert exc.value.code == "import_failed"
    assert exc.value.fields["file"]
