"""Report assembly on constructed records: comparison phrasing, sections in order and only with
data, limitations and tasks written from measured facts, the text rendering."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from phoihop.access.rules import OPERATOR
from phoihop.core import formats
from phoihop.reports.assembly import build_report
from phoihop.reports.document import Signer
from phoihop.reports.render_text import render_text
from tests.cases.conftest import at, make_case
from tests.factories import OrgWorld, user


@pytest.fixture
def ca_staff(world: OrgWorld) -> Any:
    return user(world.u("ca_province"), roles=["officer"])


def test_comparisons_are_written_as_official_reports_write_them() -> None:
    against = "cùng kỳ năm 2023"
    assert (
        formats.comparison(188, 200, delta_text="12 vụ", against=against)
        == "tăng 12 vụ (6,4%) so với cùng kỳ năm 2023"
    )
    assert (
        formats.comparison(9, 5, delta_text="04 vụ", against=against)
        == "giảm 04 vụ (44,4%) so với cùng kỳ năm 2023"
    )
    assert formats.comparison(7, 7, delta_text="0 vụ", against=against) == "bằng cùng kỳ năm 2023"
    assert (
        formats.comparison(0, 3, delta_text="03 vụ", against=against)
        == "tăng 03 vụ so với cùng kỳ năm 2023"
    )
    assert (
        formats.comparison(
            Decimal("8.64"), Decimal("11.09"), delta_text="2,45 gam heroin", against="quý II"
        )
        == "tăng 2,45 gam heroin (28,4%) so với quý II"
    )
    assert formats.comparison(None, 3, delta_text="03 vụ", against=against) == ""


def test_sections_without_data_are_left_out_and_the_rest_keep_the_official_order(
    world: OrgWorld, ca_staff: Any
) -> None:
    make_case(ca_staff, world, detected_at=at("01/08/2024"))
    make_case(ca_staff, world, detected_at=at("02/08/2024"), domain="sea", category="iuu")
    report = build_report(area_code="42", period_key="2024-Q3", actor=OPERATOR)
    keys = [s.key for s in report.sections]
    assert keys == ["overview", "crime", "border", "tasks"]
    assert [s.title.split(". ", 1)[0] for s in report.sections] == ["I", "II", "III", "IV"]
    crime = report.sections[1]
    assert crime.paragraphs[0].text.startswith(
        "Các lực lượng đã phối hợp phát hiện, bắt giữ, xử lý 02 vụ/0 đối tượng, tăng 02 vụ so "
        "với cùng kỳ năm 2023 và tăng 02 vụ so với quý II năm 2024."
    )
    assert crime.tables and crime.tables[0].rows[0][:3] == [
        "Vụ việc phát hiện, bắt giữ, xử lý",
        "vụ",
        2,
    ]
    border = report.sections[2]
    assert "Địa bàn biển: 01 vụ" in border.paragraphs[0].text


def test_limitations_name_the_domains_that_fell_with_their_numbers(
    world: OrgWorld, ca_staff: Any
) -> None:
    make_case(ca_staff, world, detected_at=at("01/08/2024"))
    for day in ("01/08/2023", "02/08/2023"):
        make_case(ca_staff, world, detected_at=at(day), domain="sea")
    report = build_report(area_code="42", period_key="2024-Q3", actor=OPERATOR)
    limitations = next(s for s in report.sections if s.key == "limitations")
    text = limitations.paragraphs[0].text
    assert "giảm so với cùng kỳ năm 2023" in text
    assert "địa bàn biển 0 vụ, giảm 02 vụ (100,0%) so với cùng kỳ năm 2023" in text
    assert "cases.domain.sea" in limitations.paragraphs[0].figures
    tasks = next(s for s in report.sections if s.key == "tasks")
    assert any("địa bàn biển" in p.text for p in tasks.paragraphs)
    # The land border held: not a limitation.
    assert "biên giới đất liền" not in text


def test_a_period_without_any_record_gives_no_figures_and_no_limitations(world: OrgWorld) -> None:
    report = build_report(area_code="42", period_key="2024-Q3", actor=OPERATOR)
    assert [s.key for s in report.sections] == ["tasks"]
    assert report.figures() == [] or all(f.key.startswith("tasks.") for f in report.figures())


def test_the_text_rendering_carries_header_sections_tables_and_signers(
    world: OrgWorld, ca_staff: Any
) -> None:
    make_case(ca_staff, world, detected_at=at("01/08/2024"))
    report = build_report(
        area_code="42",
        period_key="2024-Q3",
        actor=OPERATOR,
        issuer="BAN CHỈ ĐẠO PHỐI HỢP TỈNH",
        number="Số: 15/BC-BCĐ",
        signers=[Signer(title="TRƯỞNG BAN", name="Nguyễn Văn B", rank="Đại tá")],
        recipients=["Bộ Công an"],
    )
    text = render_text(report)
    assert report.area_name == "Tỉnh Hà Tĩnh" and report.place == "Hà Tĩnh"
    assert text.startswith("BAN CHỈ ĐẠO PHỐI HỢP TỈNH\nSố: 15/BC-BCĐ\nHà Tĩnh, ngày ")
    assert (
        "BÁO CÁO\nKết quả công tác phối hợp giữa lực lượng Công an, Quân sự và Bộ đội Biên "
        "phòng quý III năm 2024" in text
    )
    assert "Địa bàn: Tỉnh Hà Tĩnh — số liệu từ 15/06/2024 đến 14/09/2024" in text
    assert "II. CÔNG TÁC PHỐI HỢP ĐẤU TRANH PHÒNG, CHỐNG TỘI PHẠM" in text
    assert "Chỉ tiêu" in text and "Cùng kỳ năm trước" in text
    assert "Nơi nhận:\n- Bộ Công an;" in text
    assert text.rstrip().endswith("TRƯỞNG BAN\nĐại tá Nguyễn Văn B")
