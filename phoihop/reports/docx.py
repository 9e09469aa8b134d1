"""The coordination report as a Word document laid out per Nghị định 30/2020/NĐ-CP (Phụ lục I).

- A4 portrait; margins top and bottom 20 mm, left 30 mm, right 15 mm.
- Times New Roman everywhere, with the East Asian and complex-script font names set too (Word
  picks those for some Vietnamese letters); body 14 pt, justified, first line indented 1,27 cm,
  6 pt between paragraphs.
- Header block: a borderless two-column table. Left: the issuing agency (upper case; the last line
  bold, with a short rule under it), `Số: …/BC-…` and, for a Mật/Tối mật report, the
  classification mark in a box under the number (where the decree's Mẫu puts it). Right: the
  Quốc hiệu, the Tiêu ngữ (bold, underlined along its length), then place and date in italics,
  on the row of the number.
- "BÁO CÁO" and the trích yếu centred and bold, a short rule under them.
- Sections: heading in bold, paragraphs, a table of the section's figures (this period, the
  previous period, the same period last year and the change, in Vietnamese figures), the
  section's own tables, and the charts (charts.py) where they belong.
- "Nơi nhận:" (12 pt bold italic; the list 11 pt, "- …;" and the last "- ….") on the left and
  the signature blocks: one per signer — a joint report has one per force — with the agency,
  the capacity and title, room for the signature and seal, then rank and name.
- Page numbers from page 2, centred at the top.

Table widths are written three times (the grid, each cell, a fixed layout): Word reads the cells,
LibreOffice the grid.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from phoihop.core import formats
from phoihop.core.enums import Classification
from phoihop.reports import charts
from phoihop.reports.document import (
    Change,
    Figure,
    FigureKind,
    Number,
    Report,
    Section,
    Signer,
    format_value,
)
from phoihop.reports.header import short_area_name
from phoihop.reports.xlsx import extra_tables, plain_title

FONT = "Times New Roman"
LANGUAGE = "vi-VN"

PAGE_WIDTH = Mm(210)
PAGE_HEIGHT = Mm(297)
MARGIN_TOP = Mm(20)
MARGIN_BOTTOM = Mm(20)
MARGIN_LEFT = Mm(30)
MARGIN_RIGHT = Mm(15)
TEXT_WIDTH = Mm(210 - 30 - 15)

BODY_SIZE = Pt(14)
HEADER_SIZE = Pt(13)  # Tiêu ngữ, number, signature titles
NATIONAL_SIZE = Pt(12)  # Quốc hiệu and the agency lines (12–13 pt)
TABLE_SIZE = Pt(12)
RECIPIENTS_HEADING_SIZE = Pt(12)
RECIPIENTS_SIZE = Pt(11)
FIRST_LINE_INDENT = Cm(1.27)

HEADER_LEFT = Cm(7.0)
HEADER_RIGHT = Cm(9.5)
FIGURE_COLUMNS = (Cm(1.1), Cm(5.0), Cm(2.1), Cm(1.9), Cm(1.9), Cm(2.0), Cm(2.5))

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

# Sections after which the results part ends (the trend chart closes the results).
CLOSING_SECTIONS = ("limitations", "tasks")


def render_docx(report: Report, *, with_charts: bool = True) -> bytes:
    document = Document()
    _set_up_page(document)
    _set_up_styles(document)
    _set_properties(document, report)
    _page_numbers(document)

    _header_block(document, report)
    _title(document, report)

    images = {c.key: c for c in charts.render_pngs(report)} if with_charts else {}
    numbering = _Numbering()
    trend_after = _trend_anchor(report)
    for section in report.sections:
        _section(document, section, numbering)
        if section.key == "crime" and "cases_by_category_force" in images:
            _chart(document, images.pop("cases_by_category_force"), numbering)
        if section.key == trend_after and "trend" in images:
            _chart(document, images.pop("trend"), numbering)
    for image in images.values():
        _chart(document, image, numbering)

    _closing(document, report)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class LibreOfficeUnavailable(RuntimeError):
    """No `soffice`/`libreoffice` on PATH: the PDF step is optional and skipped."""


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_libreoffice(data: bytes, *, suffix: str, target: str, timeout: int = 240) -> bytes:
    """`data` (a `.docx`, `.xlsx`…) converted by headless LibreOffice to `target` (`pdf`, or a
    filter spec such as `csv:Text - txt - csv (StarCalc):…`). A private profile per call, so
    that runs in parallel do not share one."""
    program = libreoffice()
    if program is None:
        raise LibreOfficeUnavailable("LibreOffice (soffice) is not installed")
    extension = target.split(":", 1)[0]
    with tempfile.TemporaryDirectory(prefix="phoihop-office-") as folder:
        work = Path(folder)
        source = work / f"document{suffix}"
        source.write_bytes(data)
        completed = subprocess.run(
            [
                program,
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                target,
                "--outdir",
                str(work),
                str(source),
            ],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        # A CSV of one sheet is named after it: document-<sheet>.csv.
        results = [p for p in work.glob(f"document*.{extension}") if p != source]
        if len(results) != 1:
            raise RuntimeError(
                f"LibreOffice could not convert {suffix} to {extension}: "
                f"{completed.stderr.decode(errors='replace').strip()}"
            )
        return results[0].read_bytes()


def docx_to_pdf(data: bytes) -> bytes:
    return convert_with_libreoffice(data, suffix=".docx", target="pdf")


# --- page, styles, properties


def _set_up_page(document: DocxDocument) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = PAGE_WIDTH
    section.page_height = PAGE_HEIGHT
    section.top_margin = MARGIN_TOP
    section.bottom_margin = MARGIN_BOTTOM
    section.left_margin = MARGIN_LEFT
    section.right_margin = MARGIN_RIGHT
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)


def _set_up_styles(document: DocxDocument) -> None:
    styles_element = document.styles.element
    defaults = styles_element.find(qn("w:docDefaults"))
    if defaults is not None:
        r_pr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if r_pr is not None:
            _set_fonts(r_pr)
            _set_language(r_pr)
        p_pr = defaults.find(qn("w:pPrDefault") + "/" + qn("w:pPr"))
        if p_pr is not None:
            for spacing in p_pr.findall(qn("w:spacing")):
                p_pr.remove(spacing)

    for name in ("Normal", "Header", "Footer", "Table Grid"):
        try:
            style = document.styles[name]
        except KeyError:
            continue
        _set_fonts(style.element.get_or_add_rPr())
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
    _set_language(normal.element.get_or_add_rPr())
    paragraph_format = normal.paragraph_format
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)
    paragraph_format.line_spacing = 1.0


def _set_fonts(r_pr: Any) -> None:
    """Times New Roman for every script: ascii, hAnsi, East Asian and complex script, and no
    theme font that would win over the names."""
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def _set_language(r_pr: Any) -> None:
    language = r_pr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        r_pr.append(language)
    language.set(qn("w:val"), LANGUAGE)
    language.set(qn("w:eastAsia"), LANGUAGE)


def _set_properties(document: DocxDocument, report: Report) -> None:
    properties = document.core_properties
    properties.title = _title_text(report)
    properties.subject = report.period_label
    properties.author = _issuer_lines(report)[-1] if _issuer_lines(report) else "PhốiHợp"
    properties.last_modified_by = "PhốiHợp"
    properties.language = LANGUAGE
    properties.keywords = f"{report.area_code} {report.period_key}"
    properties.comments = ""
    created = report.generated_at
    if timezone.is_naive(created):
        created = timezone.make_aware(created, dt.UTC)
    properties.created = created.astimezone(dt.UTC).replace(tzinfo=None)
    properties.modified = properties.created
    properties.revision = 1


def _page_numbers(document: DocxDocument) -> None:
    """Page numbers centred at the top, from page 2: the first page has its own empty header."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(paragraph, "PAGE", "2", size=HEADER_SIZE)
    section.first_page_header.paragraphs[0].text = ""


# --- header block, title


def _header_block(document: DocxDocument, report: Report) -> None:
    table = _layout_table(document, rows=2, widths=(HEADER_LEFT, HEADER_RIGHT))
    agency, national = table.cell(0, 0), table.cell(0, 1)
    number_cell, date_cell = table.cell(1, 0), table.cell(1, 1)

    lines = _issuer_lines(report)
    first = True
    for index, line in enumerate(lines):
        paragraph = _cell_paragraph(agency, first)
        first = False
        _run(paragraph, line.upper(), size=NATIONAL_SIZE, bold=index == len(lines) - 1)
    _rule(agency, Cm(2.2), HEADER_LEFT)

    paragraph = _cell_paragraph(national, True)
    _run(paragraph, NATIONAL_NAME, size=NATIONAL_SIZE, bold=True)
    paragraph = _cell_paragraph(national, False)
    motto = _run(paragraph, MOTTO, size=HEADER_SIZE, bold=True)
    motto.underline = True

    paragraph = _cell_paragraph(number_cell, True)
    paragraph.paragraph_format.space_before = Pt(6)
    _run(paragraph, _number_text(report), size=HEADER_SIZE)
    if report.classification >= Classification.MAT:
        paragraph = _cell_paragraph(number_cell, False)
        paragraph.paragraph_format.space_before = Pt(6)
        mark = _run(
            paragraph, classification_mark(report.classification), size=HEADER_SIZE, bold=True
        )
        _box(mark)

    paragraph = _cell_paragraph(date_cell, True)
    paragraph.paragraph_format.space_before = Pt(6)
    _run(paragraph, place_and_date(report), size=BODY_SIZE, italic=True)


def _title(document: DocxDocument, report: Report) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before = Pt(18)
    _run(paragraph, _("BÁO CÁO"), bold=True)
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, abstract(report), bold=True)
    rule = document.add_paragraph()
    _bottom_border(rule)
    side = (TEXT_WIDTH - Cm(4)) // 2
    rule.paragraph_format.left_indent = Length(side)
    rule.paragraph_format.right_indent = Length(side)
    rule.paragraph_format.space_after = Pt(12)
    _tiny(rule)


def classification_mark(level: int) -> str:
    return str(Classification(min(level, Classification.TOI_MAT)).label).upper()


def place_and_date(report: Report) -> str:
    place = report.place or short_area_name(report.area_name)
    return f"{place}, {formats.long_date(report.date)}"


def abstract(report: Report) -> str:
    """The trích yếu: the title without its leading "BÁO CÁO"."""
    title = _title_text(report)
    heading = _("BÁO CÁO")
    if title.upper().startswith(heading):
        title = title[len(heading) :].strip(" :-\n")
    return title


def _title_text(report: Report) -> str:
    if report.title.strip():
        return report.title.strip()
    return _("BÁO CÁO Kết quả công tác phối hợp %(period)s") % {"period": report.period_label}


def _issuer_lines(report: Report) -> list[str]:
    if report.issuer.strip():
        return [line.strip() for line in report.issuer.splitlines() if line.strip()]
    agencies = list(dict.fromkeys(s.agency for s in report.signers if s.agency))
    return agencies or [_("BAN CHỈ ĐẠO PHỐI HỢP")]


def _number_text(report: Report) -> str:
    number = report.number.strip()
    if not number:
        return _("Số:       /%(symbol)s") % {"symbol": report.document_symbol.strip() or "BC"}
    return number if number.lower().startswith("số") else _("Số: %(number)s") % {"number": number}


# --- body


class _Numbering:
    def __init__(self) -> None:
        self.tables = 0
        self.charts = 0


def _section(document: DocxDocument, section: Section, numbering: _Numbering) -> None:
    heading = _body_paragraph(document)
    heading.paragraph_format.space_before = Pt(6)
    heading.paragraph_format.keep_with_next = True
    _run(heading, section.title, bold=True)
    for item in section.paragraphs:
        # A paragraph may carry a list ("Theo lực lượng:\n- …"): one Word paragraph per line,
        # as a line break inside a justified paragraph would stretch the line before it.
        for line in item.text.splitlines():
            if line.strip():
                _run(_body_paragraph(document), line.strip())
    if section.figures:
        numbering.tables += 1
        caption = _("Bảng %(n)s. Số liệu: %(title)s") % {
            "n": numbering.tables,
            "title": plain_title(section.title),
        }
        _caption(document, caption)
        _figures_table(document, section.figures)
    for table in extra_tables(section):
        numbering.tables += 1
        _caption(
            document, _("Bảng %(n)s. %(title)s") % {"n": numbering.tables, "title": table.title}
        )
        _data_table(document, table.columns, table.rows)


def _figures_table(document: DocxDocument, figures: Sequence[Figure]) -> None:
    headers = [
        _("TT"),
        _("Nội dung"),
        _("Đơn vị tính"),
        _("Kỳ này"),
        _("Kỳ trước"),
        _("Cùng kỳ năm trước"),
        _("So với cùng kỳ"),
    ]
    rows = [
        [
            formats.count(index),
            figure.label,
            figure.unit,
            format_value(figure.value, figure.kind),
            _optional_value(figure.previous, figure.kind),
            _optional_value(figure.last_year, figure.kind),
            change_text(figure.vs_last_year, figure.kind),
        ]
        for index, figure in enumerate(figures, 1)
    ]
    aligns = ("center", "left", "left", "right", "right", "right", "right")
    _grid_table(document, headers, rows, FIGURE_COLUMNS, aligns)


def _data_table(
    document: DocxDocument, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    count = max(len(columns), 1)
    if count == 1:
        widths: tuple[Length, ...] = (TEXT_WIDTH,)
    else:
        first = int(TEXT_WIDTH * 0.4)
        other = (TEXT_WIDTH - first) // (count - 1)
        widths = (Length(first), *(Length(other) for _ in range(count - 1)))
    texts = [[cell_text(cell) for cell in row] for row in rows]
    aligns = tuple(
        "right" if rows and all(_is_number(row[i]) for row in rows if i < len(row)) else "left"
        for i in range(count)
    )
    _grid_table(document, list(columns), texts, widths, aligns)


def cell_text(value: Any) -> str:
    """A table cell the Vietnamese way: 1.250.000.000, 11,09; text as it is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, int):
        return formats.number(value, max_decimals=0)
    if isinstance(value, Decimal | float):
        return formats.number(value, max_decimals=3)
    return str(value)


def change_text(change: Change | None, kind: FigureKind | str) -> str:
    """`tăng 12 (6,4%)`, `giảm 04 (1,7%)`, `tăng 27 (15%)`, `bằng`; percentages change by
    points."""
    if change is None:
        return ""
    kind = FigureKind(kind)
    delta = change.delta
    if not delta:
        return pgettext("no change", "bằng")
    word = _("tăng") if delta > 0 else _("giảm")
    size_of_change: Number = -delta if delta < 0 else delta
    if kind is FigureKind.PERCENT:
        return _("%(word)s %(delta)s điểm %%") % {
            "word": word,
            "delta": formats.number(size_of_change, max_decimals=1),
        }
    size = format_value(size_of_change, kind)
    ratio = change.ratio
    if ratio is None:
        return f"{word} {size}"
    share = formats.number(abs(ratio) * 100, max_decimals=1)
    return f"{word} {size} ({share}%)"


def _optional_value(value: Any, kind: FigureKind) -> str:
    return "" if value is None else format_value(value, kind)


def _chart(document: DocxDocument, image: charts.ChartImage, numbering: _Numbering) -> None:
    numbering.charts += 1
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.keep_with_next = True
    run = paragraph.add_run()
    width = min(TEXT_WIDTH, Length(int(image.width_in * 914400)))
    run.add_picture(io.BytesIO(image.png), width=width)
    caption = document.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.space_after = Pt(6)
    _run(
        caption,
        _("Biểu đồ %(n)s. %(title)s") % {"n": numbering.charts, "title": image.title},
        size=TABLE_SIZE,
        italic=True,
    )


def _trend_anchor(report: Report) -> str:
    """The last section of results (before the limitations and tasks)."""
    keys = [s.key for s in report.sections if s.key not in CLOSING_SECTIONS]
    return keys[-1] if keys else ""


# --- closing: recipients and signatures


def _closing(document: DocxDocument, report: Report) -> None:
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_after = Pt(6)
    signers = report.signers
    if len(signers) <= 1:
        table = _layout_table(document, rows=2, widths=(Cm(7.5), Cm(9.0)))
        _recipients(table.cell(0, 0).merge(table.cell(1, 0)), report.recipients)
        if signers:
            _signature(table.cell(0, 1), table.cell(1, 1), signers[0])
        _keep_rows_together(table)
        return
    # Several signers (a joint report): side by side, up to three a row; each signer takes two
    # table rows (titles, then room and name) so that the names line up across the row.
    per_row = min(3, len(signers))
    rows = -(-len(signers) // per_row)
    width = Length(TEXT_WIDTH // per_row)
    table = _layout_table(document, rows=2 * rows, widths=tuple(width for _ in range(per_row)))
    for index, signer in enumerate(signers):
        row, column = 2 * (index // per_row), index % per_row
        _signature(table.cell(row, column), table.cell(row + 1, column), signer)
    _keep_rows_together(table)
    document.add_paragraph().paragraph_format.space_after = Pt(6)
    recipients = _layout_table(document, rows=1, widths=(Cm(8.0), Cm(8.5)))
    _recipients(recipients.cell(0, 0), report.recipients)


def _recipients(cell: _Cell, recipients: Sequence[str]) -> None:
    # The decree's Nơi nhận always ends with the copy kept by the clerical office.
    recipients = list(recipients) or [_("Lưu: VT")]
    paragraph = _cell_paragraph(cell, True, align=WD_ALIGN_PARAGRAPH.LEFT)
    _run(paragraph, _("Nơi nhận:"), size=RECIPIENTS_HEADING_SIZE, bold=True, italic=True)
    for index, line in enumerate(recipients):
        last = index == len(recipients) - 1
        text = line.strip().rstrip(";.")
        paragraph = _cell_paragraph(cell, False, align=WD_ALIGN_PARAGRAPH.LEFT)
        _run(paragraph, f"- {text}{'.' if last else ';'}", size=RECIPIENTS_SIZE)


def _signature(titles: _Cell, name_cell: _Cell, signer: Signer) -> None:
    lines = ([signer.agency] if signer.agency else []) + [
        part.strip() for part in signer.title.split(" / ") if part.strip()
    ]
    for index, line in enumerate(lines):
        _run(_cell_paragraph(titles, index == 0), line.upper(), size=HEADER_SIZE, bold=True)
    # Room for the signature and the seal.
    for index in range(4):
        _cell_paragraph(name_cell, index == 0)
    name = " ".join(part for part in (signer.rank, signer.name) if part)
    _run(_cell_paragraph(name_cell, False), name, size=BODY_SIZE, bold=True)


# --- building blocks


def _body_paragraph(document: DocxDocument) -> DocxParagraph:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph_format = paragraph.paragraph_format
    paragraph_format.first_line_indent = FIRST_LINE_INDENT
    paragraph_format.space_after = Pt(6)
    paragraph_format.line_spacing = 1.15
    return paragraph


def _caption(document: DocxDocument, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.space_after = Pt(3)
    paragraph.paragraph_format.keep_with_next = True
    _run(paragraph, text, size=TABLE_SIZE, bold=True, italic=True)


def _run(
    paragraph: DocxParagraph,
    text: str,
    *,
    size: Length | None = None,
    bold: bool = False,
    italic: bool = False,
) -> Run:
    run = paragraph.add_run(text)
    run.font.name = FONT
    _set_fonts(run._r.get_or_add_rPr())
    run.font.size = size or BODY_SIZE
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    return run


def _layout_table(document: DocxDocument, *, rows: int, widths: Sequence[Length]) -> DocxTable:
    """A borderless table of fixed column widths, for the header block and the signatures."""
    table = document.add_table(rows=rows, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fix_widths(table, widths)
    _borders(table, "nil")
    return table


def _grid_table(
    document: DocxDocument,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[Length],
    aligns: Sequence[str],
) -> DocxTable:
    table = document.add_table(rows=1 + len(rows), cols=len(widths))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fix_widths(table, widths)
    _borders(table, "single")
    for column, text in enumerate(headers):
        cell = table.cell(0, column)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _run(_cell_paragraph(cell, True), text, size=TABLE_SIZE, bold=True)
    _keep_rows_together(table)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
    }
    for r, row in enumerate(rows, 1):
        for column in range(len(widths)):
            text = row[column] if column < len(row) else ""
            cell = table.cell(r, column)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = _cell_paragraph(cell, True, align=alignment[aligns[column]])
            _run(paragraph, text, size=TABLE_SIZE)
    after = document.add_paragraph()
    after.paragraph_format.space_after = Pt(6)
    _tiny(after)
    return table


def _cell_paragraph(
    cell: _Cell, first: bool, *, align: Any = WD_ALIGN_PARAGRAPH.CENTER
) -> DocxParagraph:
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.first_line_indent = Pt(0)
    return paragraph


def _fix_widths(table: DocxTable, widths: Sequence[Length]) -> None:
    table.autofit = False  # w:tblLayout fixed
    tbl_pr = table._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is not None:
        width.set(qn("w:type"), "dxa")
        width.set(qn("w:w"), str(sum(int(w) for w in widths) // 635))
    for index, column_width in enumerate(widths):
        table.columns[index].width = column_width
        for cell in table.columns[index].cells:
            cell.width = column_width


def _borders(table: DocxTable, value: str) -> None:
    tbl_pr = table._tbl.tblPr
    existing = tbl_pr.find(qn("w:tblBorders"))
    if existing is not None:
        tbl_pr.remove(existing)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), value)
        if value != "nil":
            element.set(qn("w:sz"), "4")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "000000")
        borders.append(element)
    tbl_pr.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption"
    )


def _keep_rows_together(table: DocxTable) -> None:
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _rule(cell: _Cell, length: Length, cell_width: Length) -> None:
    """A short centred line under the agency name (a paragraph border between indents)."""
    paragraph = cell.add_paragraph()
    side = Length((cell_width - length - Cm(0.38)) // 2)
    paragraph.paragraph_format.left_indent = side
    paragraph.paragraph_format.right_indent = side
    _bottom_border(paragraph)
    _tiny(paragraph)


def _bottom_border(paragraph: DocxParagraph) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    p_pr.insert_element_before(borders, *_AFTER_PBDR)


# What follows w:pBdr in a w:pPr (ECMA-376 order), so that Word accepts the document.
_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _tiny(paragraph: DocxParagraph) -> None:
    """An empty paragraph that takes almost no height (carries a rule or a gap)."""
    run = paragraph.add_run("")
    run.font.size = Pt(2)
    mark = paragraph._p.get_or_add_pPr()
    r_pr = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "4")
    r_pr.append(size)
    mark.insert_element_before(r_pr, "w:sectPr", "w:pPrChange")


def _box(run: Run) -> None:
    """A border around the run's text: the classification stamp."""
    border = OxmlElement("w:bdr")
    border.set(qn("w:val"), "single")
    border.set(qn("w:sz"), "12")
    border.set(qn("w:space"), "2")
    border.set(qn("w:color"), "000000")
    run._r.get_or_add_rPr().append(border)


def _field(paragraph: DocxParagraph, instruction: str, placeholder: str, *, size: Length) -> None:
    """A Word field (PAGE) as begin / instruction / separate / shown value / end."""

    def char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    begin = _run(paragraph, "", size=size)
    begin._r.append(char("begin"))
    code = _run(paragraph, "", size=size)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    code._r.append(text)
    separate = _run(paragraph, "", size=size)
    separate._r.append(char("separate"))
    _run(paragraph, placeholder, size=size)
    end = _run(paragraph, "", size=size)
    end._r.append(char("end"))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | Decimal | float) and not isinstance(value, bool)
