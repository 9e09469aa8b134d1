"""The report's charts: PNGs for the DOCX (right size, not empty, Vietnamese text drawn) and plotly
specs for the web preview, both read off the report."""

from __future__ import annotations

import io
import json
from decimal import Decimal

from PIL import Image

from phoihop.reports import charts
from phoihop.reports.document import Figure, FigureKind, Report
from tests.reports.report_sample import sample_report


def test_the_trend_shows_each_section_s_headline_over_three_periods() -> None:
    trend = charts.trend_data(sample_report())
    assert trend is not None
    assert trend.title == ("Kết quả chủ yếu quý III năm 2024 so với kỳ trước và cùng kỳ năm trước")
    titles = [p.title for p in trend.panels]
    assert titles == [
        "Số tin trao đổi giữa các lực lượng (tin)",
        "Số diễn đàn (diễn đàn)",
        "Số vụ phát hiện, bắt giữ, xử lý (vụ)",
    ]
    exchange = trend.panels[0]
    assert [b.label for b in exchange.bars] == [
        "Quý III năm 2023",
        "Quý II năm 2024",
        "Quý III năm 2024",
    ]
    assert [b.value for b in exchange.bars] == [180, 190, 207]
    assert [b.text for b in exchange.bars] == ["180", "190", "207"]  # the unit is in the title
    # Only the periods a figure has: the forums have no figure for last year.
    assert [b.label for b in trend.panels[1].bars] == ["Quý II năm 2024", "Quý III năm 2024"]


def test_cases_by_category_and_by_force() -> None:
    cases = charts.cases_data(sample_report())
    assert cases is not None
    by_category, by_force = cases.panels
    assert [(b.label, b.value) for b in by_category.bars] == [
        ("Ma túy", 58),
        ("Buôn lậu, gian lận thương mại", 71),
        ("Môi trường, lâm sản", 39),
        ("Vũ khí, vật liệu nổ, pháo", 32),
    ]
    assert [(b.label, b.text) for b in by_force.bars] == [
        ("Công an", "131"),
        ("Bộ đội Biên phòng", "69"),
    ]
    assert by_force.bars[0].color != by_force.bars[1].color


def test_no_chart_without_data() -> None:
    bare = sample_report()
    for section in bare.sections:
        section.figures = [
            Figure(f.key, f.label, f.value, f.kind, f.unit)
            for f in section.figures
            if not f.key.startswith((charts.CATEGORY_PREFIX, charts.FORCE_PREFIX))
        ]
    assert charts.trend_data(bare) is None
    assert charts.cases_data(bare) is None
    assert charts.render_pngs(bare) == []
    assert charts.plotly_figures(bare) == []


def test_pngs_fill_the_text_width_of_an_a4_page_and_are_not_blank() -> None:
    images = charts.render_pngs(sample_report())
    assert [i.key for i in images] == ["trend", "cases_by_category_force"]
    for image in images:
        assert image.png.startswith(b"\x89PNG")
        picture = Image.open(io.BytesIO(image.png))
        expected_width = round(image.width_in * charts.DPI)
        assert abs(picture.width - expected_width) <= 2
        assert abs(picture.height - round(image.height_in * charts.DPI)) <= 2
        assert picture.width >= 900  # 16,5 cm at 150 dpi
        colours = picture.convert("RGB").getcolors(maxcolors=1 << 20)
        assert colours is not None and len(colours) > 20  # bars, text and antialiasing


def test_pngs_are_the_same_for_the_same_report() -> None:
    first = charts.render_pngs(sample_report())
    second = charts.render_pngs(sample_report())
    assert [i.png for i in first] == [i.png for i in second]


def test_vietnamese_letters_are_drawn_with_a_font_that_has_them() -> None:
    """DejaVu Sans carries ạ, ư, ơ, đ…: matplotlib finds a glyph for every letter of the labels
    (it would warn "Glyph … missing from font" and draw boxes otherwise)."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = font_manager.findfont(charts.FONT, fallback_to_default=False)
    font = FT2Font(path)
    text = "".join(
        b.label + p.title
        for chart in charts.chart_data(sample_report())
        for p in chart.panels
        for b in p.bars
    )
    missing = {c for c in text if not c.isspace() and font.get_char_index(ord(c)) == 0}
    assert missing == set()


def test_plotly_specs_are_json_with_vietnamese_separators() -> None:
    specs = charts.plotly_figures(sample_report())
    assert [s["key"] for s in specs] == ["trend", "cases_by_category_force"]
    json.dumps(specs)  # serialisable as it is
    trend = specs[0]["figure"]
    assert trend["layout"]["separators"] == ",."
    assert len(trend["data"]) == 3
    first = trend["data"][0]
    assert first["type"] == "bar"
    assert first["x"] == ["Quý III năm 2023", "Quý II năm 2024", "Quý III năm 2024"]
    assert first["y"] == [180, 190, 207]
    assert (first["xaxis"], first["yaxis"]) == ("x", "y")
    assert trend["data"][1]["xaxis"] == "x2"
    assert "xaxis2" in trend["layout"] and "yaxis3" in trend["layout"]
    cases = specs[1]["figure"]
    assert cases["data"][0]["orientation"] == "h"
    assert cases["data"][0]["x"] == [58, 71, 39, 32]
    assert cases["data"][1]["text"] == ["131", "69"]


def test_the_headline_of_a_section_is_its_first_count_with_a_comparison() -> None:
    report: Report = sample_report()
    crime = next(s for s in report.sections if s.key == "crime")
    crime.figures.insert(
        0,
        Figure(
            "cases.seized.first",
            "Heroin",
            Decimal("11.09"),
            kind=FigureKind.QUANTITY,
            unit="gam heroin",
            previous=Decimal("8.5"),
        ),
    )
    trend = charts.trend_data(report)
    assert trend is not None
    assert trend.panels[2].title == "Số vụ phát hiện, bắt giữ, xử lý (vụ)"
    assert [b.text for b in trend.panels[2].bars] == ["188", "185", "200"]
