"""XLSX/CSV imports of forums (with opinion counts) and handed-in items: all or nothing, with
every bad cell named by sheet, row and column."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from phoihop.core.tabular import ImportFailed
from phoihop.mobilisation import imports
from phoihop.mobilisation.models import Forum, HandedInItem
from tests import factories
from tests.mobilisation.conftest import make_campaign, snapshot


def workbook(sheet: str, headers: list[str], rows: list[list[Any]]) -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FORUM_HEADERS = [
    "Ngày tổ chức",
    "Mã xã, phường",
    "Số người tham dự",
    "Tổng số ý kiến",
    "Ý kiến: An ninh, trật tự",
    "Ý kiến: Trật tự an toàn giao thông",
    "Phối hợp chung",
]


def forum_rows(world) -> list[list[Any]]:
    a, b = world.commune_a.code, world.commune_b.code
    return [
        ["10/07/2024", a, 120, 15, 6, 4, "Có"],
        ["2024-07-11", b, 80, 9, None, 9, ""],
        ["12/07/2024", a, "1.508", 20, 20, None, "không"],
    ]


def test_the_forum_template_has_a_guide_and_the_columns(db):
    book = load_workbook(io.BytesIO(imports.forum_template()))
    assert book.sheetnames == ["Hướng dẫn", "Diễn đàn"]
    headers = [c.value for c in book["Diễn đàn"][1]]
    assert headers[:5] == [
        "Ngày tổ chức",
        "Mã xã, phường",
        "Ký hiệu đơn vị chủ trì",
        "Số người tham dự",
        "Tổng số ý kiến",
    ]
    assert "Ý kiến: Phòng cháy, chữa cháy" in headers


def test_forums_are_imported_with_their_opinions_by_topic(world, people):
    created = imports.import_forums(
        actor=people["ca_prov"],
        content=workbook("Diễn đàn", FORUM_HEADERS, forum_rows(world)),
        filename="dien-dan.xlsx",
    )
    assert len(created) == 3
    first, second, third = created
    assert dict(first.topic_counts.values_list("topic", "count")) == {"security": 6, "traffic": 4}
    assert first.is_joint and not second.is_joint
    assert second.commune == world.commune_b
    assert third.attendees == 1508


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        (["31/02/2024", "18196", 1, 1, None, None, ""], "Ngày tổ chức", "Ngày không hợp lệ"),
        (["10/07/2024", "18196", -4, 1, None, None, ""], "Số người tham dự", "số nguyên"),
        (["10/07/2024", "18196", 10, 5, 3, 3, ""], "Tổng số ý kiến", "vượt quá"),
        (["10/07/2024", "99999", 10, 5, None, None, ""], "Mã xã, phường", "Không có xã"),
        (["10/07/2024", "18196", 10, 5, "hai", None, ""], "Ý kiến: An ninh, trật tự", "số nguyên"),
        (["10/07/2099", "18196", 10, 5, None, None, ""], "Ngày tổ chức", "tương lai"),
    ],
)
def test_one_bad_forum_row_saves_nothing_and_names_its_cell(world, people, row, column, fragment):
    rows = [*forum_rows(world), row]
    before = snapshot()
    with pytest.raises(ImportFailed) as caught:
        imports.import_forums(
            actor=people["ca_prov"],
            content=workbook("Diễn đàn", FORUM_HEADERS, rows),
            filename="dien-dan.xlsx",
        )
    (error,) = caught.value.errors
    assert (error.sheet, error.row, error.column) == ("Diễn đàn", 5, column)
    assert fragment in error.message
    assert snapshot() == before


def test_every_bad_row_is_reported_at_once(world, people):
    rows = [
        ["10/07/2024", "18196", -1, 1, None, None, ""],
        ["10/07/2024", "18196", 10, 1, 5, None, ""],
    ]
    with pytest.raises(ImportFailed) as caught:
        imports.import_forums(
            actor=people["ca_prov"],
            content=workbook("Diễn đàn", FORUM_HEADERS, rows),
            filename="x.xlsx",
        )
    assert [(e.row, e.column) for e in caught.value.errors] == [
        (2, "Số người tham dự"),
        (3, "Tổng số ý kiến"),
    ]
    assert not Forum.objects.exists()


def test_a_csv_file_is_read_too(world, people):
    text = (
        "Ngày tổ chức;Mã xã, phường;Số người tham dự;Tổng số ý kiến;Ý kiến: Ma túy, tệ nạn xã hội\n"
        f"10/07/2024;{world.commune_a.code};40;3;2\n"
    )
    (forum,) = imports.import_forums(
        actor=people["ca_commune"], content=text.encode("utf-8"), filename="dien-dan.csv"
    )
    assert forum.owner_unit == world.u("ca_commune_a")
    assert dict(forum.topic_counts.values_list("topic", "count")) == {"drugs": 2}


def test_a_missing_column_is_refused(world, people):
    with pytest.raises(ImportFailed) as caught:
        imports.import_forums(
            actor=people["ca_prov"],
            content=workbook("Diễn đàn", ["Ngày tổ chức", "Mã xã, phường"], [["10/07/2024", "1"]]),
            filename="x.xlsx",
        )
    assert {e.column for e in caught.value.errors} == {"Số người tham dự", "Tổng số ý kiến"}


HANDED_HEADERS = ["Mã xã, phường", "Ngày giao nộp", "Mã loại", "Số lượng", "Đơn vị tính"]


def test_handed_in_items_are_imported_exactly(world, people):
    campaign = make_campaign(people["ca_prov"])
    rows = [
        [world.commune_a.code, "02/07/2024", "thuoc-no", "1,2", "kg"],
        [world.commune_b.code, "03/07/2024", "thuoc-no", 1200, "gam"],
        [world.commune_b.code, "03/07/2024", "Súng các loại", 92, ""],
    ]
    created = imports.import_handed_in(
        actor=people["ca_prov"],
        campaign=campaign,
        content=workbook("Giao nộp", HANDED_HEADERS, rows),
        filename="giao-nop.xlsx",
    )
    assert [r.quantity for r in created] == [Decimal("1.2"), Decimal("1.2"), Decimal(92)]


@pytest.mark.parametrize(
    ("row", "column", "code_fragment"),
    [
        (["18196", "02/07/2024", "thuoc-no", 2, "khẩu"], "Đơn vị tính", "không nhập theo đơn vị"),
        (["18196", "02/07/2024", "sung", -1, ""], "Số lượng", "không được âm"),
        (["18196", "01/10/2024", "sung", 1, ""], "Ngày giao nộp", "trong thời gian"),
        (["17500", "02/07/2024", "sung", 1, ""], "Mã xã, phường", "không thuộc địa bàn"),
        (["18196", "02/07/2024", "phao-hoa-gia", 1, ""], "Mã loại", "không có trong danh mục"),
    ],
)
def test_one_bad_handed_in_row_saves_nothing(world, people, row, column, code_fragment):
    factories.area("17500", "Xã Nghi Lộc", parent=world.other_province)
    campaign = make_campaign(people["ca_prov"])
    good = [world.commune_a.code, "02/07/2024", "dao-kiem", 5, ""]
    with pytest.raises(ImportFailed) as caught:
        imports.import_handed_in(
            actor=people["ca_prov"],
            campaign=campaign,
            content=workbook("Giao nộp", HANDED_HEADERS, [good, row]),
            filename="giao-nop.xlsx",
        )
    (error,) = caught.value.errors
    assert (error.sheet, error.row, error.column) == ("Giao nộp", 3, column)
    assert code_fragment in error.message
    assert not HandedInItem.objects.exists()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_the_import_pages_save_or_show_every_error(world, people):
    client = Client()
    factories.login(client, people["ca_prov"])
    template = client.get(reverse("mobilisation:forum_import_template"))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    good = workbook("Diễn đàn", FORUM_HEADERS, forum_rows(world))
    response = client.post(
        reverse("mobilisation:forum_import"), {"file": upload("dien-dan.xlsx", good)}
    )
    assert response.status_code == 302
    assert Forum.objects.count() == 3
    bad = workbook("Diễn đàn", FORUM_HEADERS, [["10/07/2024", "18196", 10, 1, 5, None, ""]])
    response = client.post(
        reverse("mobilisation:forum_import"), {"file": upload("dien-dan.xlsx", bad)}
    )
    html = response.content.decode()
    assert "Tệp có 1 lỗi, chưa lưu dữ liệu nào." in html
    assert "Sheet “Diễn đàn”, dòng 2, cột “Tổng số ý kiến”" in html
    assert Forum.objects.count() == 3
    errors = client.get(reverse("mobilisation:import_errors"))
    sheet = load_workbook(io.BytesIO(errors.content)).active
    assert sheet is not None
    assert [c.value for c in sheet[2]][:3] == ["Diễn đàn", 2, "Tổng số ý kiến"]


def test_the_handed_in_import_page(world, people):
    campaign = make_campaign(people["ca_prov"])
    client = Client()
    factories.login(client, people["ca_prov"])
    assert client.get(reverse("mobilisation:handed_in_import_template")).status_code == 200
    content = workbook(
        "Giao nộp", HANDED_HEADERS, [[world.commune_a.code, "02/07/2024", "sung", 3, ""]]
    )
    response = client.post(
        reverse("mobilisation:handed_in_import", args=[campaign.public_id]),
        {"file": upload("giao-nop.xlsx", content)},
    )
    assert response.status_code == 302
    assert HandedInItem.objects.get().quantity == 3
    outsider = Client()
    factories.login(outsider, people["qs_prov"])
    assert (
        outsider.get(
            reverse("mobilisation:handed_in_import", args=[campaign.public_id])
        ).status_code
        == 404
    )
