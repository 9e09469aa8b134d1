"""The XLSX annex, opened back with openpyxl: its sheets, values equal to the report's figures,
and number formats that show them the Vietnamese way (checked through LibreOffice Calc where it
is installed)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from phoihop.reports.document import Figure, Report
from phoihop.reports.docx import LibreOfficeUnavailable, convert_with_libreoffice, libreoffice
from phoihop.reports.xlsx import (
    FIGURE_HEADERS,
    number_format,
    render_xlsx,
    sheet_names,
)
from tests.reports.report_sample import sample_report

HEADER_ROW = 5


def as_decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def figure_rows(sheet: Any, first_column: int) -> dict[str, tuple[Any, ...]]:
    """Rows under the header, by figure key (the last column)."""
    rows = {}
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=False):
        key = row[first_column + 8].value if len(row) > first_column + 8 else None
        if isinstance(key, str) and "." in key:
            rows[key] = tuple(row[first_column - 1 : first_column + 9])
    return rows


def assert_row_is_the_figure(cells: tuple[Any, ...], figure: Figure) -> None:
    label, value, unit, previous, last_year, d_prev, r_prev, d_year, r_year, key = (
        c.value for c in cells
    )
    assert (label, unit, key) == (figure.label, figure.unit, figure.key)
    assert as_decimal(value) == Decimal(figure.value)
    assert as_decimal(previous) == (None if figure.previous is None else Decimal(figure.previous))
    assert as_decimal(last_year) == (
        None if figure.last_year is None else Decimal(figure.last_year)
    )
    if figure.vs_previous is None:
        assert d_prev is None and r_prev is None
    else:
        assert as_decimal(d_prev) == Decimal(figure.vs_previous.delta)
    if figure.vs_last_year is None:
        assert d_year is None and r_year is None
    else:
        assert as_decimal(d_year) == Decimal(figure.vs_last_year.delta)
        ratio = figure.vs_last_year.ratio
        assert as_decimal(r_year) == (None if ratio is None else round(ratio, 4))


@pytest.fixture(scope="module")
def report() -> Report:
    return sample_report()


@pytest.fixture(scope="module")
def workbook(report: Report) -> Any:
    from django.utils import translation

    with translation.override("vi"):
        return load_workbook(io.BytesIO(render_xlsx(report)))


def test_a_summary_sheet_then_one_sheet_per_section(workbook: Any, report: Report) -> None:
    assert workbook.sheetnames == [
        "Tổng hợp",
        "1. Công tác trao đổi thông…",
        "2. Công tác vận động quần chúng",
        "3. Công tác phối hợp đấu…",
        "4. Vận động giao nộp vũ khí…",
        "5. Hạn chế",
    ]
    assert all(len(name) <= 31 for name in workbook.sheetnames)
    assert workbook.sheetnames == sheet_names(report)


def test_each_section_sheet_holds_its_figures(workbook: Any, report: Report) -> None:
    for name, section in zip(workbook.sheetnames[1:], report.sections, strict=True):
        sheet = workbook[name]
        assert sheet["A1"].value == section.title.upper()
        rows = figure_rows(sheet, first_column=2)
        assert list(rows) == [f.key for f in section.figures]
        for figure in section.figures:
            assert_row_is_the_figure(rows[figure.key], figure)
    crime = workbook[workbook.sheetnames[3]]
    assert [c.value for c in crime[HEADER_ROW]] == list(FIGURE_HEADERS)


def test_the_summary_totals_equal_the_report(workbook: Any, report: Report) -> None:
    summary = workbook["Tổng hợp"]
    rows = figure_rows(summary, first_column=3)
    assert list(rows) == [f.key for f in report.figures()]
    for figure in report.figures():
        assert_row_is_the_figure(rows[figure.key], figure)
    section_of = {f.key: s.title for s in report.sections for f in s.figures}
    for row in summary.iter_rows(min_row=HEADER_ROW + 1, values_only=True):
        assert section_of[row[11]].endswith(row[1])
    # Sums over the sheet are the sums of the figures.
    counted = sum(Decimal(str(r[3])) for r in summary.iter_rows(min_row=6, values_only=True))
    assert counted == sum(Decimal(f.value) for f in report.figures())


def test_section_tables_keep_their_numbers(workbook: Any) -> None:
    crime = workbook[workbook.sheetnames[3]]
    cells = {c.value: c for row in crime.iter_rows() for c in row if c.value is not None}
    assert "Kết quả đấu tranh theo lĩnh vực" in cells
    fine = next(c for row in crime.iter_rows() for c in row if c.value == 1250000000)
    assert fine.number_format == "[$-42A]#,##0"
    row = [c.value for c in crime[fine.row]]
    assert row[:4] == ["Buôn lậu, gian lận thương mại", 71, 80, 1250000000]


def test_numbers_carry_vietnamese_formats_with_the_figure_s_decimals(
    workbook: Any, report: Report
) -> None:
    crime = figure_rows(workbook[workbook.sheetnames[3]], first_column=2)
    assert crime["cases.count"][1].number_format == "[$-42A]#,##0"
    assert crime["cases.seized.heroin"][1].number_format == "[$-42A]#,##0.00"
    assert crime["cases.seized.timber"][1].number_format == "[$-42A]#,##0.000"
    assert crime["cases.count"][5].number_format == "[$-42A]+#,##0;-#,##0;0"
    assert crime["cases.count"][8].number_format == "[$-42A]+0.0%;-0.0%;0.0%"
    assert number_format(Decimal("11.09"), 10, None) == "[$-42A]#,##0.00"
    assert number_format(Decimal("94.0"), Decimal("96.5")) == "[$-42A]#,##0.0"
    assert number_format(3429) == "[$-42A]#,##0"


def test_a_percent_figure_has_no_ratio_of_a_ratio(workbook: Any) -> None:
    exchange = figure_rows(workbook[workbook.sheetnames[1]], first_column=2)
    cells = exchange["exchange.acknowledged_on_time"]
    assert as_decimal(cells[1].value) == Decimal("96.5")
    assert as_decimal(cells[5].value) == Decimal("2.5")
    assert cells[6].value is None


def test_a_table_of_the_section_s_own_figures_is_not_repeated(workbook: Any) -> None:
    exchange = workbook[workbook.sheetnames[1]]
    labels = [c.value for row in exchange.iter_rows() for c in row]
    assert labels.count("Số tin trao đổi giữa các lực lượng") == 1


def test_a_section_without_figures_still_has_its_sheet(workbook: Any) -> None:
    limitations = workbook["5. Hạn chế"]
    texts = [c.value for row in limitations.iter_rows() for c in row if c.value]
    assert any("03 đơn vị cấp xã" in str(t) for t in texts)


@pytest.mark.skipif(libreoffice() is None, reason="LibreOffice is not installed")
def test_libreoffice_shows_the_numbers_the_vietnamese_way(report: Report) -> None:
    """Calc, with no Vietnamese locale on the machine, displays `3.429`, `11,09`, `+14,9%`."""
    try:
        data = convert_with_libreoffice(
            render_xlsx(report),
            suffix=".xlsx",
            # The 4th sheet (crime); UTF-8; cells "as shown".
            target="csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,4",
        )
    except (LibreOfficeUnavailable, RuntimeError) as error:
        pytest.skip(f"LibreOffice Calc is not installed: {error}")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    by_label = {row[1]: row for row in rows if len(row) > 9}
    heroin = by_label["Heroin thu giữ"]
    assert heroin[2] == "11,09"
    assert by_label["Ma túy tổng hợp thu giữ"][2] == "1.508"
    assert by_label["Gỗ thu giữ"][2] == "16,476"
    assert heroin[5] == "25,50"
    assert heroin[8] == "-14,41"
    assert heroin[9] == "-56,5%"
    cases = by_label["Số vụ phát hiện, bắt giữ, xử lý"]
    assert cases[2:10] == ["200", "vụ", "185", "188", "+15", "+8,1%", "+12", "+6,4%"]
    fine = next(row for row in rows if row and row[0] == "Buôn lậu, gian lận thương mại")
    assert fine[3] == "1.250.000.000"
