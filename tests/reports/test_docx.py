"""The report's DOCX, opened back with python-docx: the layout of Nghị định 30/2020/NĐ-CP, the
header block, the figures in Vietnamese style, the signatures and Nơi nhận; converted to PDF and
page 1 to PNG where LibreOffice (and pdftoppm) are installed."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from phoihop.reports.document import Change, FigureKind
from phoihop.reports.docx import (
    cell_text,
    change_text,
    docx_to_pdf,
    libreoffice,
    render_docx,
)
from tests.reports.report_sample import sample_report

FONT = "Times New Roman"


def open_docx(data: bytes) -> Any:
    return Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def joint() -> Any:
    """The three-force report (Mật), rendered once for the module."""
    from django.utils import translation

    with translation.override("vi"):
        return open_docx(render_docx(sample_report(classification=1)))


def all_paragraphs(document: Any) -> Iterator[Any]:
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def all_text(document: Any) -> str:
    return "\n".join(p.text for p in all_paragraphs(document))


def paragraph(document: Any, text: str) -> Any:
    return next(p for p in all_paragraphs(document) if p.text == text)


def test_the_page_is_a4_portrait_with_the_decree_margins(joint: Any) -> None:
    section = joint.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    # Word stores twentieths of a point: millimetres come back to within 0,1 mm.
    assert section.page_width.mm == pytest.approx(210, abs=0.1)
    assert section.page_height.mm == pytest.approx(297, abs=0.1)
    assert 20 - 0.1 <= section.top_margin.mm <= 25 + 0.1
    assert 20 - 0.1 <= section.bottom_margin.mm <= 25 + 0.1
    assert 30 - 0.1 <= section.left_margin.mm <= 35 + 0.1
    assert 15 - 0.1 <= section.right_margin.mm <= 20 + 0.1


def test_every_script_is_set_in_times_new_roman(joint: Any) -> None:
    for style in ("Normal",):
        fonts = joint.styles[style].element.rPr.find(qn("w:rFonts"))
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            assert fonts.get(qn(attribute)) == FONT
        assert fonts.get(qn("w:asciiTheme")) is None
    defaults = joint.styles.element.find(qn("w:docDefaults")).find(
        qn("w:rPrDefault") + "/" + qn("w:rPr") + "/" + qn("w:rFonts")
    )
    assert defaults.get(qn("w:eastAsia")) == FONT
    assert defaults.get(qn("w:cs")) == FONT
    assert joint.styles["Normal"].font.size == Pt(14)
    runs = [r for p in all_paragraphs(joint) for r in p.runs if r.text]
    assert runs
    assert {r.font.name for r in runs} == {FONT}
    assert all(r._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == FONT for r in runs)


def test_the_body_is_14_pt_justified_with_a_first_line_indent(joint: Any) -> None:
    body = paragraph(
        joint,
        "Các lực lượng tổ chức 252 diễn đàn lắng nghe ý kiến Nhân dân, tiếp nhận 3.429 ý kiến "
        "đóng góp về an ninh, trật tự.",
    )
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert Cm(1) <= body.paragraph_format.first_line_indent <= Cm(1.27)
    assert body.paragraph_format.space_after >= Pt(6)
    assert {r.font.size for r in body.runs} == {Pt(14)}
    heading = paragraph(joint, "II. Công tác vận động quần chúng")
    assert all(r.bold for r in heading.runs)


def test_a_paragraph_s_lines_become_paragraphs_of_their_own() -> None:
    from phoihop.reports.document import Paragraph

    report = sample_report()
    report.sections[0].paragraphs.append(
        Paragraph("Theo lực lượng:\n- Công an gửi 65 tin;\n- Quân sự gửi 34 tin.")
    )
    document = open_docx(render_docx(report, with_charts=False))
    texts = [p.text for p in document.paragraphs]
    start = texts.index("Theo lực lượng:")
    assert texts[start : start + 3] == [
        "Theo lực lượng:",
        "- Công an gửi 65 tin;",
        "- Quân sự gửi 34 tin.",
    ]
    assert not any("\n" in t for t in texts)


def test_the_header_block_has_the_agency_number_national_name_and_motto(joint: Any) -> None:
    header = joint.tables[0]
    agency, national = header.cell(0, 0), header.cell(0, 1)
    number, date = header.cell(1, 0), header.cell(1, 1)
    agency_lines = [p for p in agency.paragraphs if p.text]
    assert [p.text for p in agency_lines] == [
        "BAN CHỈ ĐẠO PHỐI HỢP",
        "CÔNG AN - QUÂN SỰ - BIÊN PHÒNG TỈNH",
    ]
    assert all(r.bold for r in agency_lines[-1].runs)
    assert not any(r.bold for r in agency_lines[0].runs)
    # The short line under the agency: a bottom border on a paragraph narrower than the cell.
    rule = agency.paragraphs[-1]
    assert rule._p.pPr.find(qn("w:pBdr") + "/" + qn("w:bottom")) is not None
    assert rule.paragraph_format.left_indent > 0
    assert number.paragraphs[0].text == "Số: 15/BC-BCĐ"

    national_name, motto = national.paragraphs[0], national.paragraphs[1]
    assert national_name.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert all(r.bold for r in national_name.runs)
    assert motto.text == "Độc lập - Tự do - Hạnh phúc"
    assert all(r.bold and r.underline for r in motto.runs)

    assert date.paragraphs[0].text == "Hà Tĩnh, ngày 15 tháng 10 năm 2024"
    assert all(r.italic for r in date.paragraphs[0].runs)

    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}
    grid = [int(c.get(qn("w:w"))) for c in header._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert all(width > 0 for width in grid)
    assert header._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_the_title_and_abstract_are_centred_and_bold(joint: Any) -> None:
    title = paragraph(joint, "BÁO CÁO")
    abstract = paragraph(
        joint,
        "Kết quả công tác phối hợp giữa lực lượng Công an, Quân sự, Biên phòng quý III năm 2024",
    )
    for item in (title, abstract):
        assert item.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert all(r.bold for r in item.runs)


def test_the_figures_are_written_the_vietnamese_way(joint: Any) -> None:
    text = all_text(joint)
    for expected in (
        "3.429",
        "3.100",
        "2.985",
        "tăng 444 (14,9%)",
        "11,09",
        "giảm 14,41 (56,5%)",
        "1.508",
        "16,476",
        "m3 gỗ các loại",
        "96,5%",
        "tăng 01",  # 01 tổ chức against none the year before: no ratio
        "1.250.000.000",
        "385.500.000",
        "Bảng 3. Số liệu: Công tác phối hợp đấu tranh phòng, chống tội phạm",
        "Bảng 4. Kết quả đấu tranh theo lĩnh vực",
    ):
        assert expected in text, expected
    figures = joint.tables[3]  # header, exchange, mobilisation, crime
    row = [c.text for c in figures.rows[1].cells]
    assert row == [
        "01",
        "Số vụ phát hiện, bắt giữ, xử lý",
        "vụ",
        "200",
        "185",
        "188",
        "tăng 12 (6,4%)",
    ]
    grid = [int(c.get(qn("w:w"))) for c in figures._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(grid) == 7
    assert sum(grid) == pytest.approx(Mm(165).twips, abs=10)


def test_a_table_of_the_section_s_own_figures_is_not_drawn_twice(joint: Any) -> None:
    cells = [c.text for t in joint.tables for row in t.rows for c in row.cells]
    assert cells.count("Số tin trao đổi giữa các lực lượng") == 1


def test_one_signature_block_per_force_with_title_rank_and_name(joint: Any) -> None:
    signatures = joint.tables[-2]
    titles = [c.text for c in signatures.rows[0].cells]
    names = [c.text.strip() for c in signatures.rows[1].cells]
    assert names == ["Đại tá Trần Văn Sơn", "Đại tá Lê Văn Hùng", "Đại tá Dương Minh Hải"]
    assert titles[1].split("\n") == ["CÔNG AN TỈNH", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert titles[0].startswith("BỘ CHỈ HUY QUÂN SỰ TỈNH\nKT. CHỈ HUY TRƯỞNG")
    name = signatures.cell(1, 1).paragraphs[-1]
    assert all(r.bold for r in name.runs)
    # Room for the signature and seal between the title and the name.
    assert len(signatures.cell(1, 1).paragraphs) >= 4


def test_noi_nhan_lists_the_recipients(joint: Any) -> None:
    cell = joint.tables[-1].cell(0, 0)
    heading, *items = cell.paragraphs
    assert heading.text == "Nơi nhận:"
    assert all(r.bold and r.italic and r.font.size == Pt(12) for r in heading.runs)
    assert [p.text for p in items] == [
        "- Bộ Công an, Bộ Quốc phòng (để báo cáo);",
        "- Thường trực Tỉnh ủy, UBND tỉnh (để báo cáo);",
        "- Công an tỉnh, Bộ CHQS tỉnh, Bộ CHBĐBP tỉnh;",
        "- Lưu: VT, BCĐ.",
    ]
    assert all(r.font.size == Pt(11) for p in items for r in p.runs)
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.LEFT for p in items)


def test_a_single_signer_signs_beside_noi_nhan() -> None:
    document = open_docx(render_docx(sample_report(signers=1), with_charts=False))
    closing = document.tables[-1]
    assert closing.cell(0, 0).paragraphs[0].text == "Nơi nhận:"
    signature = closing.cell(0, 1).text + "\n" + closing.cell(1, 1).text
    assert "KT. CHỈ HUY TRƯỞNG" in signature
    assert "Đại tá Trần Văn Sơn" in signature
    assert "Lê Văn Hùng" not in all_text(document)


def test_without_recipients_noi_nhan_keeps_the_office_copy() -> None:
    report = sample_report(signers=0)
    report.recipients = []
    document = open_docx(render_docx(report, with_charts=False))
    cell = document.tables[-1].cell(0, 0)
    assert [p.text for p in cell.paragraphs] == ["Nơi nhận:", "- Lưu: VT."]


def test_the_classification_mark_is_boxed_under_the_number(joint: Any) -> None:
    number_cell = joint.tables[0].cell(1, 0)
    mark = number_cell.paragraphs[1]
    assert mark.text == "MẬT"
    run = mark.runs[0]
    assert run.bold
    assert run._r.rPr.find(qn("w:bdr")).get(qn("w:val")) == "single"


def test_no_mark_for_an_ordinary_report_and_toi_mat_for_level_two() -> None:
    ordinary = open_docx(render_docx(sample_report(classification=0), with_charts=False))
    assert "MẬT" not in [p.text for p in all_paragraphs(ordinary)]
    secret = open_docx(render_docx(sample_report(classification=2), with_charts=False))
    assert secret.tables[0].cell(1, 0).paragraphs[1].text == "TỐI MẬT"


def test_pages_are_numbered_from_the_second_at_the_top_centre(joint: Any) -> None:
    section = joint.sections[0]
    assert section.different_first_page_header_footer
    assert section.first_page_header.paragraphs[0].text == ""
    header = section.header.paragraphs[0]
    assert header.alignment == WD_ALIGN_PARAGRAPH.CENTER
    instructions = [t.text.strip() for t in header._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]


def test_the_charts_are_embedded_with_captions(joint: Any) -> None:
    assert len(joint.inline_shapes) == 2
    assert all(shape.width <= Mm(165) for shape in joint.inline_shapes)
    text = all_text(joint)
    assert "Biểu đồ 1. Số vụ phát hiện, bắt giữ, xử lý quý III năm 2024" in text
    assert "Biểu đồ 2. Kết quả chủ yếu quý III năm 2024" in text
    plain = open_docx(render_docx(sample_report(), with_charts=False))
    assert len(plain.inline_shapes) == 0


def test_the_same_report_gives_the_same_document() -> None:
    """Part for part (the zip stamps its entries with the time of writing)."""
    report = sample_report()

    def parts(data: bytes) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {name: archive.read(name) for name in archive.namelist()}

    assert parts(render_docx(report)) == parts(render_docx(report))


def test_changes_and_cells_read_as_official_writing() -> None:
    assert change_text(Change(188, 200), FigureKind.COUNT) == "tăng 12 (6,4%)"
    assert change_text(Change(230, 226), FigureKind.COUNT) == "giảm 04 (1,7%)"
    assert change_text(Change(5, 5), FigureKind.COUNT) == "bằng"
    assert change_text(Change(0, 3), FigureKind.COUNT) == "tăng 03"
    assert change_text(None, FigureKind.COUNT) == ""
    from decimal import Decimal

    assert change_text(Change(Decimal("94.0"), Decimal("96.5")), FigureKind.PERCENT) == (
        "tăng 2,5 điểm %"
    )
    assert cell_text(1250000000) == "1.250.000.000"
    assert cell_text(Decimal("11.09")) == "11,09"
    assert cell_text("Ma túy") == "Ma túy"


@pytest.mark.skipif(libreoffice() is None, reason="LibreOffice is not installed")
def test_libreoffice_lays_it_out_and_page_one_is_saved_as_png(pytestconfig: Any) -> None:
    out = pytestconfig.rootpath / "test-results" / "reports"
    out.mkdir(parents=True, exist_ok=True)
    pdf = docx_to_pdf(render_docx(sample_report(classification=1)))
    assert pdf.startswith(b"%PDF")
    (out / "report-sample.pdf").write_bytes(pdf)
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", "1", "-l", "1", str(out / "report-sample.pdf"), "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        assert "Hà Tĩnh, ngày 15 tháng 10 năm 2024" in text
        assert "MẬT" in text
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed: the PDF is saved, the PNG is not")
    prefix = out / "report-sample-page"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "90",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            "report-sample.pdf",
            str(prefix),
        ],
        cwd=out,
        check=True,
    )
    png = Path(f"{prefix}.png")
    assert png.stat().st_size > 10_000


def test_the_demo_report_renders_every_figure_in_docx_and_xlsx(
    demo: str, pytestconfig: Any
) -> None:
    """The real report of the demo province (quý III năm 2024), drafted by the assembler."""
    from openpyxl import load_workbook

    from phoihop.access.rules import OPERATOR
    from phoihop.reports.assembly import build_report
    from phoihop.reports.document import Signer, format_value
    from phoihop.reports.xlsx import render_xlsx

    report = build_report(
        area_code="42",
        period_key="2024-Q3",
        actor=OPERATOR,
        issuer="BAN CHỈ ĐẠO PHỐI HỢP\nCÔNG AN - QUÂN SỰ - BIÊN PHÒNG TỈNH",
        number="Số:       /BC-BCĐ",
        signers=[
            Signer("KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC", "Nguyễn Văn A", "Đại tá", "CÔNG AN TỈNH"),
            Signer(
                "KT. CHỈ HUY TRƯỞNG / PHÓ CHỈ HUY TRƯỞNG",
                "Trần Văn B",
                "Đại tá",
                "BỘ CHỈ HUY QUÂN SỰ TỈNH",
            ),
        ],
        recipients=["UBND tỉnh (để báo cáo)", "Lưu: VT"],
    )
    document = open_docx(render_docx(report))
    text = all_text(document)
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert report.figures()
    for figure in report.figures():
        assert format_value(figure.value, figure.kind) in cells, figure.key
    for phrase in ("3.429", "11,09", "1,55", "1.508", "94,2", "16,476", "2,4", "643"):
        assert phrase in cells, phrase
    assert "Đại tá Nguyễn Văn A" in text
    assert len(document.inline_shapes) >= 1

    workbook = load_workbook(io.BytesIO(render_xlsx(report)))
    summary = workbook["Tổng hợp"]
    values = {row[11]: row[3] for row in summary.iter_rows(min_row=6, values_only=True) if row[11]}
    assert values == {
        f.key: (int(f.value) if f.value == int(f.value) else float(f.value))
        for f in report.figures()
    }

    if libreoffice() is None:
        return
    out = pytestconfig.rootpath / "test-results" / "reports"
    out.mkdir(parents=True, exist_ok=True)
    (out / "report-demo.pdf").write_bytes(docx_to_pdf(render_docx(report)))
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "90",
                "-f",
                "1",
                "-l",
                "2",
                "report-demo.pdf",
                "report-demo-page",
            ],
            cwd=out,
            check=True,
        )
