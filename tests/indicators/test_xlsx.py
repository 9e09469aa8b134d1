"""XLSX export of a submission and import of filled-in values: opened back, all or nothing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from phoihop.audit.models import AuditEntry
from phoihop.core.tabular import ImportFailed
from phoihop.indicators.exports import submission_import, submission_xlsx
from phoihop.indicators.models import Submission, SubmissionValue
from phoihop.indicators.services import (
    submission_approve,
    submission_create,
    submission_submit,
    submission_values_set,
)
from tests.factories import login
from tests.indicators.conftest import People, Regime, at

pytestmark = pytest.mark.django_db


def opened(people: People, regime: Regime) -> Submission:
    return submission_create(
        actor=people.officer, form=regime.commune_form, period="2024-Q3", at=at("01/09/2024")
    )


def values_of(submission: Submission) -> dict[str, Decimal | None]:
    return {
        v.indicator.code: v.value
        for v in SubmissionValue.objects.filter(submission=submission).select_related("indicator")
    }


def workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "Chỉ tiêu"
    ws.append(["Mã chỉ tiêu", "Tên chỉ tiêu", "Giá trị", "Giải trình"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_export_holds_every_indicator_with_its_value_and_is_audited(regime, people):
    submission = opened(people, regime)
    submission_values_set(
        actor=people.officer,
        submission=submission,
        values={"t.patrols": "1.508", "t.budget": "11,09"},
        localized=True,
    )
    book = load_workbook(io.BytesIO(submission_xlsx(actor=people.officer, submission=submission)))

    assert book.sheetnames == ["Chỉ tiêu", "Thông tin"]
    ws = book["Chỉ tiêu"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == (
        "Mã chỉ tiêu",
        "Tên chỉ tiêu",
        "Đơn vị tính",
        "Loại",
        "Kỳ trước",
        "Giá trị",
        "Giải trình",
    )
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["t.patrols"][5] == 1508
    assert Decimal(str(by_code["t.budget"][5])) == Decimal("11.09")
    assert by_code["cases.count"][3] == "Tính từ dữ liệu" and by_code["cases.count"][5] == 0
    assert ws.protection.sheet
    assert ws["F2"].protection.locked is False  # an entered value may be typed in
    assert ws["F6"].protection.locked is True  # the derived one may not
    info = dict(book["Thông tin"].iter_rows(values_only=True))
    assert info["Đơn vị báo cáo"] == "Công an xã Sơn Kim 1"
    assert info["Kỳ báo cáo"] == "Quý III năm 2024 (2024-Q3)"
    assert info["Hạn gửi"] == "19/09/2024"
    assert AuditEntry.objects.filter(object_id=str(submission.public_id), action="export").exists()


def test_a_filled_in_export_is_imported_back(regime, people):
    submission = opened(people, regime)
    book = load_workbook(io.BytesIO(submission_xlsx(actor=people.officer, submission=submission)))
    ws = book["Chỉ tiêu"]
    for row in ws.iter_rows(min_row=2):
        code = row[0].value
        row[5].value = {"t.patrols": 12, "t.subjects": 3, "t.wanted": 1, "t.budget": 2.5}.get(
            code, row[5].value
        )
    out = io.BytesIO()
    book.save(out)

    count = submission_import(
        actor=people.officer, submission=submission, content=out.getvalue(), filename="q3.xlsx"
    )

    assert count == 5
    assert values_of(submission) == {
        "t.patrols": Decimal(12),
        "t.subjects": Decimal(3),
        "t.wanted": Decimal(1),
        "t.budget": Decimal("2.5"),
    }


def test_every_bad_row_is_named_and_nothing_is_saved(regime, people):
    submission = opened(people, regime)
    content = workbook(
        [
            ["t.patrols", "", "-2", ""],
            ["t.subjects", "", "1,5", ""],
            ["x.khong-co", "", "4", ""],
            ["tt.tuan-tra", "", "4", ""],
            ["t.wanted", "", "1", ""],
            ["t.wanted", "", "2", ""],
        ]
    )
    with pytest.raises(ImportFailed) as exc:
        submission_import(
            actor=people.officer, submission=submission, content=content, filename="q3.xlsx"
        )
    found = {(e.row, e.column): e.message for e in exc.value.errors}
    assert set(found) == {
        (2, "Giá trị"),
        (3, "Giá trị"),
        (4, "Giá trị"),
        (5, "Giá trị"),
        (7, "Mã chỉ tiêu"),
    }
    assert "không được âm" in found[(2, "Giá trị")]
    assert "số nguyên" in found[(3, "Giá trị")]
    assert "x.khong-co" in found[(4, "Giá trị")]
    assert "không có trong biểu mẫu" in found[(5, "Giá trị")]
    assert "đã có ở dòng 6" in found[(7, "Mã chỉ tiêu")]
    assert set(values_of(submission).values()) == {None}


def test_the_import_page_shows_the_row_errors(regime, people):
    submission = opened(people, regime)
    client = Client()
    login(client, people.officer)
    upload = SimpleUploadedFile("q3.xlsx", workbook([["t.patrols", "", "-2", ""]]))
    response = client.post(
        reverse("indicators:import", args=[submission.public_id]), {"file": upload}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sheet “Chỉ tiêu”, dòng 2, cột “Giá trị”" in page
    assert set(values_of(submission).values()) == {None}

    good = SimpleUploadedFile(
        "q3.xlsx",
        workbook([["t.patrols", "", 7, ""], ["t.subjects", "", 2, ""], ["t.wanted", "", 0, ""]]),
    )
    response = client.post(
        reverse("indicators:import", args=[submission.public_id]), {"file": good}, follow=True
    )
    assert "Đã nhập số liệu từ tệp (3 dòng)." in response.content.decode()
    assert values_of(submission)["t.patrols"] == Decimal(7)
    download = client.get(reverse("indicators:export", args=[submission.public_id]))
    assert download["Content-Disposition"].endswith('bao-cao-t-ca-xa-quy-2024-Q3-CAX-SK1.xlsx"')


def test_a_locked_submission_refuses_an_import(regime, people):
    submission = opened(people, regime)
    submission_values_set(
        actor=people.officer,
        submission=submission,
        values={"t.patrols": "1", "t.subjects": "1", "t.wanted": "0", "t.budget": "0"},
    )
    submission_submit(actor=people.officer, submission=submission, at=at("10/09/2024"))
    submission_approve(actor=people.commander, submission=submission, at=at("11/09/2024"))
    from phoihop.core.errors import DomainError

    with pytest.raises(DomainError) as exc:
        submission_import(
            actor=people.officer,
            submission=submission,
            content=workbook([["t.patrols", "", 9, ""]]),
            filename="q3.xlsx",
        )
    assert exc.value.code == "locked"
    assert values_of(submission)["t.patrols"] == Decimal(1)
