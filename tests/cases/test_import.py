"""The case import: template round trip, one bad row saves nothing, CSV, job pages, the command."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from phoihop.audit.models import AuditEntry
from phoihop.cases import imports
from phoihop.cases.models import Case, CaseImport, CaseUnit, SeizedItem, Subject
from phoihop.core.errors import PermissionDenied
from phoihop.core.tabular import XLSX_CONTENT_TYPE, ImportFailed
from tests.factories import OrgWorld, login, user

pytestmark = pytest.mark.django_db

CASES, SUBJECTS, SEIZED = imports.CASES_SHEET, imports.SUBJECTS_SHEET, imports.SEIZED_SHEET
Rows = Sequence[dict[str, Any]]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _filled(template: bytes, sheets: dict[str, Rows]) -> bytes:
    """The template with each named sheet's example row replaced by `rows` (header → value)."""
    book = load_workbook(io.BytesIO(template))
    for name, rows in sheets.items():
        ws = book[name]
        headers = [cell.value for cell in ws[1]]
        ws.delete_rows(2, ws.max_row)
        for row in rows:
            unknown = set(row) - set(headers)
            assert not unknown, unknown
            ws.append([row.get(h) for h in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _case(key: str, **values: Any) -> dict[str, Any]:
    row = {
        "Mã vụ trong tệp": key,
        "Tên vụ việc": f"Vụ việc {key}",
        "Loại vụ việc": "Ma túy",
        "Địa bàn xảy ra": "Biên giới đất liền",
        "Mã xã/phường": "18196",
        "Thời điểm phát hiện": "15/08/2024 21:30",
    }
    row.update(values)
    return row


def _subject(key: str, **values: Any) -> dict[str, Any]:
    return {"Mã vụ trong tệp": key, "Họ tên / tên tổ chức": f"Đối tượng {key}", **values}


def _seized(key: str, item: str = "heroin", quantity: Any = "1,5", unit: str = "gam") -> dict:
    return {"Mã vụ trong tệp": key, "Mặt hàng": item, "Số lượng": quantity, "Đơn vị tính": unit}


def _counts() -> tuple[int, ...]:
    return (
        Case.all_objects.count(),
        Subject.all_objects.count(),
        SeizedItem.all_objects.count(),
        CaseUnit.objects.count(),
        AuditEntry.objects.filter(object_type="cases.case").count(),
    )


NOTHING = (0, 0, 0, 0, 0)


@pytest.fixture
def template(officer: Any) -> bytes:
    return imports.case_import_template(actor=officer)


def _good_file(template: bytes) -> bytes:
    """Four cases, two subjects and two seized items: the base the bad-row tests spoil."""
    return _filled(
        template,
        {
            CASES: [_case("V1"), _case("V2"), _case("V3"), _case("V4")],
            SUBJECTS: [_subject("V1"), _subject("V3")],
            SEIZED: [_seized("V1"), _seized("V2")],
        },
    )


# --- the template and a full round trip -----------------------------------------------------


def test_the_template_documents_every_column_and_the_allowed_values(
    officer: Any, client: Client
) -> None:
    login(client, officer)
    response = client.get(reverse("cases:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Hướng dẫn", CASES, SUBJECTS, SEIZED]
    guide = "\n".join(
        " | ".join(str(c) for c in row if c is not None)
        for row in book["Hướng dẫn"].iter_rows(values_only=True)
    )
    assert "Loại vụ việc: Ma túy; Buôn lậu, gian lận thương mại;" in guide
    assert "Biên giới đất liền; Biển; Nội địa" in guide
    assert "heroin — Heroin: gam; mg, kg" in guide
    assert "go — Gỗ các loại: m3" in guide
    assert "CSV" in guide
    assert f"{SEIZED} | Số lượng | Có" in guide
    assert [c.value for c in book[CASES][1]][:6] == [
        "Mã vụ trong tệp",
        "Tên vụ việc",
        "Loại vụ việc",
        "Địa bàn xảy ra",
        "Mã xã/phường",
        "Thời điểm phát hiện",
    ]
    # The example commune is one of the importer's own; code columns are text.
    assert book[CASES]["E2"].value == "18196"
    assert book[SUBJECTS]["G2"].number_format == "@"


def test_the_untouched_template_imports_its_example_rows(officer: Any, template: bytes) -> None:
    result = imports.import_cases(actor=officer, content=template, filename="mau.xlsx")
    assert (result.cases, result.subjects, result.seized_items) == (1, 1, 1)
    case = Case.objects.get()
    assert case.subjects.get().citizen_id == "042090001234"
    assert case.seized_items.get().quantity == Decimal("11.09")


def test_a_filled_template_imports_records_equal_to_its_rows(
    world: OrgWorld, officer: Any, client: Client
) -> None:
    login(client, officer)
    template = client.get(reverse("cases:import_template")).content
    data = _filled(
        template,
        {
            CASES: [
                _case(
                    "V1",
                    **{
                        "Tên vụ việc": "Vận chuyển trái phép chất ma túy",
                        "Thời điểm xảy ra": "15/08/2024 20:00",
                        "Tóm tắt": "Bắt quả tang tại đường mòn.",
                        "Đơn vị phối hợp": "DBP-SK, BCHQSX-SK1",
                        "Phối hợp chung": "Có",
                        "Độ mật": "Thường",
                        "Vĩ độ": "18,412345",
                        "Kinh độ": "105,312345",
                    },
                ),
                _case(
                    "V2",
                    **{
                        "Tên vụ việc": "Tàng trữ pháo nổ",
                        "Loại vụ việc": "vu khi, vat lieu no, phao",  # no diacritics, any case
                        "Địa bàn xảy ra": "Nội địa",
                        # A spreadsheet date and a number cell for the commune code.
                        "Thời điểm phát hiện": dt.datetime(2024, 9, 2, 7, 5),
                        "Mã xã/phường": 18676,
                    },
                ),
            ],
            SUBJECTS: [
                _subject(
                    "V1",
                    **{
                        "Họ tên / tên tổ chức": "Nguyễn Văn An",
                        "Ngày sinh / năm sinh": "1990",
                        "Giới tính": "Nam",
                        # Typed as a number: the leading zero comes back.
                        "Số định danh cá nhân": 42090001234,
                        "Vai trò": "Bị bắt giữ",
                        "Kết quả xử lý": "Khởi tố",
                    },
                ),
                _subject(
                    "V1",
                    **{
                        "Họ tên / tên tổ chức": "Trần Thị Bình",
                        "Ngày sinh / năm sinh": "05/03/2001",
                        "Giới tính": "Nữ",
                        "Quốc tịch": "Lào",
                    },
                ),
                _subject(
                    "V2",
                    **{
                        "Loại đối tượng": "Tổ chức",
                        "Họ tên / tên tổ chức": "Công ty TNHH Pháo Hoa",
                        "Số đăng ký kinh doanh": "3001234567",
                    },
                ),
            ],
            SEIZED: [
                _seized("V1", "heroin", "0,01", "kg"),
                _seized("V1", "Heroin", 1.09, "gam"),
                _seized("V1", "ma-tuy-tong-hop", "1.508", "viên"),
                _seized("V2", "Pháo nổ", "500", "gam"),
                _seized("V2", "thuoc-no", "0,0015", "tấn"),
                _seized("V2", "day-chay-cham", "250", "cm"),
            ],
        },
    )

    response = client.post(
        reverse("cases:import"), {"file": SimpleUploadedFile("vu-viec.xlsx", data)}
    )

    job = CaseImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:import_status", args=[job.public_id])
    assert (job.status, job.errors) == ("done", [])
    assert (job.created_count, job.total_rows, job.processed_rows) == (2, 11, 11)
    first = Case.objects.get(title="Vận chuyển trái phép chất ma túy")
    second = Case.objects.get(title="Tàng trữ pháo nổ")
    assert (first.category, first.domain, first.commune) == (
        "drugs",
        "land_border",
        world.commune_a,
    )
    assert first.detected_at == timezone.make_aware(dt.datetime(2024, 8, 15, 21, 30))
    assert first.occurred_at == timezone.make_aware(dt.datetime(2024, 8, 15, 20, 0))
    assert (first.summary, first.is_joint, first.classification) == (
        "Bắt quả tang tại đường mòn.",
        True,
        0,
    )
    assert (first.latitude, first.longitude) == (Decimal("18.412345"), Decimal("105.312345"))
    assert first.owner_unit == world.u("ca_commune_a")
    assert sorted(first.participants.values_list("unit__code", "role")) == [
        ("BCHQSX-SK1", "cooperating"),
        ("CAX-SK1", "lead"),
        ("DBP-SK", "cooperating"),
    ]
    assert [
        (s.name, s.birth_year, s.birth_date, s.sex, s.citizen_id, s.nationality, s.role, s.result)
        for s in first.subjects.order_by("id")
    ] == [
        ("Nguyễn Văn An", 1990, None, "male", "042090001234", "Việt Nam", "arrested", "prosecuted"),
        ("Trần Thị Bình", 2001, dt.date(2001, 3, 5), "female", "", "Lào", "suspect", ""),
    ]
    organisation = second.subjects.get()
    assert (organisation.kind, organisation.registration_number) == ("organisation", "3001234567")
    assert (second.category, second.domain, second.commune) == (
        "weapons",
        "inland",
        world.commune_b,
    )
    assert second.detected_at == timezone.make_aware(dt.datetime(2024, 9, 2, 7, 5))
    # Quantities land in the catalogue's canonical units, the entered ones kept.
    seized = [
        (s.item.code, s.quantity, s.entered_quantity, s.entered_unit)
        for s in SeizedItem.objects.order_by("id")
    ]
    assert seized == [
        ("heroin", Decimal("10"), Decimal("0.01"), "kg"),
        ("heroin", Decimal("1.09"), Decimal("1.09"), "gam"),
        ("ma-tuy-tong-hop", Decimal("1508"), Decimal("1508"), "viên"),
        ("phao-no", Decimal("0.5"), Decimal("500"), "gam"),
        ("thuoc-no", Decimal("1.5"), Decimal("0.0015"), "tấn"),
        ("day-chay-cham", Decimal("2.5"), Decimal("250"), "cm"),
    ]


def test_a_template_downloaded_in_english_imports_the_same(officer: Any) -> None:
    with translation.override("en"):
        template = imports.case_import_template(actor=officer)
    # The guide follows the page language; the data sheets are the file format.
    assert load_workbook(io.BytesIO(template)).sheetnames[1:] == [CASES, SUBJECTS, SEIZED]
    result = imports.import_cases(actor=officer, content=template, filename="template.xlsx")
    assert result.cases == 1


# --- one bad row anywhere saves nothing -----------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "index", "header", "value", "column"),
    [
        (CASES, 2, "Loại vụ việc", "Buôn bán vàng", "Loại vụ việc"),
        (CASES, 2, "Địa bàn xảy ra", "Trên trời", "Địa bàn xảy ra"),
        (CASES, 2, "Thời điểm phát hiện", "31/02/2024 08:00", "Thời điểm phát hiện"),
        (CASES, 2, "Thời điểm phát hiện", "01/01/2999 08:00", "Thời điểm phát hiện"),
        (CASES, 2, "Thời điểm xảy ra", "16/08/2024 08:00", "Thời điểm xảy ra"),
        (CASES, 2, "Mã xã/phường", "99999", "Mã xã/phường"),
        (CASES, 2, "Độ mật", "Tuyệt mật", "Độ mật"),
        (CASES, 2, "Độ mật", "Bí mật lắm", "Độ mật"),
        (CASES, 2, "Phối hợp chung", "có lẽ", "Phối hợp chung"),
        (CASES, 2, "Đơn vị phối hợp", "DBP-SK, KHONG-CO", "Đơn vị phối hợp"),
        (CASES, 2, "Đơn vị chủ trì", "CAT", "Đơn vị chủ trì"),
        (CASES, 3, "Mã vụ trong tệp", "V1", "Mã vụ trong tệp"),
        (CASES, 2, "Tên vụ việc", None, "Tên vụ việc"),
        (SUBJECTS, 1, "Mã vụ trong tệp", "V9", "Mã vụ trong tệp"),
        (SUBJECTS, 1, "Số định danh cá nhân", "12345", "Số định danh cá nhân"),
        (SUBJECTS, 1, "Ngày sinh / năm sinh", "01/01/2999", "Ngày sinh / năm sinh"),
        (SUBJECTS, 1, "Ngày sinh / năm sinh", "mùa xuân", "Ngày sinh / năm sinh"),
        (SUBJECTS, 1, "Giới tính", "Khác", "Giới tính"),
        (SUBJECTS, 1, "Vai trò", "Chủ mưu", "Vai trò"),
        (SEIZED, 1, "Số lượng", "-5", "Số lượng"),
        (SEIZED, 1, "Số lượng", "mười", "Số lượng"),
        (SEIZED, 1, "Đơn vị tính", "viên", "Đơn vị tính"),
        (SEIZED, 1, "Mặt hàng", "Vàng miếng", "Mặt hàng"),
        (SEIZED, 1, "Mã vụ trong tệp", "V7", "Mã vụ trong tệp"),
    ],
)
def test_one_bad_cell_is_named_by_sheet_row_and_column_and_nothing_is_saved(
    officer: Any,
    template: bytes,
    sheet: str,
    index: int,
    header: str,
    value: Any,
    column: str,
) -> None:
    book = load_workbook(io.BytesIO(_good_file(template)))
    ws = book[sheet]
    headers = [c.value for c in ws[1]]
    ws.cell(row=index + 2, column=headers.index(header) + 1).value = value
    out = io.BytesIO()
    book.save(out)

    with pytest.raises(ImportFailed) as failed:
        imports.import_cases(actor=officer, content=out.getvalue(), filename="x.xlsx")

    assert [(e.sheet, e.row, e.column) for e in failed.value.errors] == [(sheet, index + 2, column)]
    assert failed.value.errors[0].message
    assert _counts() == NOTHING


def test_every_bad_row_is_reported_at_once(officer: Any, template: bytes) -> None:
    data = _filled(
        template,
        {
            CASES: [_case("V1"), _case("V2", **{"Địa bàn xảy ra": "??"}), _case("V3")],
            SUBJECTS: [
                _subject("V1", **{"Số định danh cá nhân": "1"}),
                _subject("V1"),
                _subject("V1", **{"Ngày sinh / năm sinh": "2999"}),
                _subject("V2", **{"Giới tính": "?"}),
            ],
            SEIZED: [_seized("V3", quantity="0"), _seized("V3", unit="khẩu"), _seized("V1")],
        },
    )
    with pytest.raises(ImportFailed) as failed:
        imports.import_cases(actor=officer, content=data, filename="x.xlsx")
    assert [(e.sheet, e.row, e.column) for e in failed.value.errors] == [
        (CASES, 3, "Địa bàn xảy ra"),
        (SUBJECTS, 2, "Số định danh cá nhân"),
        (SUBJECTS, 4, "Ngày sinh / năm sinh"),
        (SUBJECTS, 5, "Giới tính"),
        (SEIZED, 2, "Số lượng"),
        (SEIZED, 3, "Đơn vị tính"),
    ]
    assert _counts() == NOTHING


def test_a_file_that_is_not_the_template_is_refused_whole(officer: Any) -> None:
    with pytest.raises(ImportFailed) as failed:
        imports.import_cases(actor=officer, content=b"not a workbook", filename="x.xlsx")
    assert failed.value.errors[0].message == "Không đọc được tệp XLSX."
    csv = "Tên vụ việc;Loại vụ việc\nA;Ma túy\n".encode()
    with pytest.raises(ImportFailed) as failed:
        imports.import_cases(actor=officer, content=csv, filename="x.csv")
    assert {e.column for e in failed.value.errors} >= {"Mã vụ trong tệp", "Mã xã/phường"}
    assert _counts() == NOTHING


def test_only_officers_and_commanders_may_import(world: OrgWorld, template: bytes) -> None:
    staff = user(world.u("ca_province"), roles=["joint_staff"])
    with pytest.raises(PermissionDenied) as refused:
        imports.import_cases(actor=staff, content=template, filename="x.xlsx")
    assert refused.value.message == "Chỉ cán bộ hoặc chỉ huy của đơn vị được nhập vụ việc."
    assert _counts() == NOTHING


def test_a_trial_run_checks_everything_and_saves_nothing(officer: Any, template: bytes) -> None:
    result = imports.import_cases(
        actor=officer, content=_good_file(template), filename="x.xlsx", commit=False
    )
    assert (result.cases, result.subjects, result.seized_items, result.rows) == (4, 2, 2, 8)
    assert _counts() == NOTHING


# --- CSV ------------------------------------------------------------------------------------

CSV_HEADER = (
    "Mã vụ trong tệp;Tên vụ việc;Loại vụ việc;Địa bàn xảy ra;Mã xã/phường;Thời điểm phát hiện;"
    "Đơn vị phối hợp"
)


def test_a_csv_file_imports_the_cases_sheet(world: OrgWorld, officer: Any) -> None:
    text = "\n".join(
        [
            CSV_HEADER,
            "1;Xuất cảnh trái phép;Xuất nhập cảnh, di cư trái phép;Biên giới đất liền;18196;"
            "03/07/2024 06:15;DBP-SK",
            "2;Khai thác hải sản trái phép;Khai thác IUU, vi phạm trên biển;Biển;18676;"
            "04/07/2024 22:40;",
        ]
    )
    result = imports.import_cases(
        actor=officer, content=("\ufeff" + text).encode(), filename="vu-viec.csv"
    )
    assert (result.cases, result.subjects, result.seized_items) == (2, 0, 0)
    assert sorted(Case.objects.values_list("title", "category", "domain", "commune__code")) == [
        ("Khai thác hải sản trái phép", "iuu", "sea", "18676"),
        ("Xuất cảnh trái phép", "migration", "land_border", "18196"),
    ]
    assert Case.objects.get(title="Xuất cảnh trái phép").participants.count() == 2


def test_a_bad_csv_row_is_named_and_nothing_saved(officer: Any) -> None:
    text = "\n".join(
        [
            CSV_HEADER,
            "1;Vụ một;Ma túy;Nội địa;18196;03/07/2024 06:15;",
            "2;Vụ hai;Ma túy;Nội địa;18196;hôm qua;",
        ]
    )
    with pytest.raises(ImportFailed) as failed:
        imports.import_cases(actor=officer, content=text.encode(), filename="vu-viec.csv")
    assert [(e.sheet, e.row, e.column) for e in failed.value.errors] == [
        (CASES, 3, "Thời điểm phát hiện")
    ]
    assert _counts() == NOTHING


# --- the job and its pages ------------------------------------------------------------------


def _upload(client: Client, data: bytes, name: str = "vu-viec.xlsx") -> Any:
    return client.post(reverse("cases:import"), {"file": SimpleUploadedFile(name, data)})


def test_a_failed_job_lists_its_errors_and_offers_the_report(
    officer: Any, client: Client, template: bytes
) -> None:
    login(client, officer)
    data = _filled(template, {CASES: [_case("V1"), _case("V2", **{"Loại vụ việc": "?"})]})

    response = _upload(client, data)

    job = CaseImport.objects.get()
    assert job.status == "failed"
    assert _counts() == NOTHING
    page = client.get(response["Location"]).content.decode()
    assert 'data-status="failed"' in page
    assert "Tệp có 1 lỗi, chưa lưu dữ liệu nào." in page
    assert "hx-trigger" not in page
    assert "<td>Loại vụ việc</td>" in page
    report = client.get(reverse("cases:import_errors", args=[job.public_id]))
    assert report.status_code == 200
    rows = list(load_workbook(io.BytesIO(report.content)).active.iter_rows(values_only=True))
    assert rows[1][:3] == (CASES, 3, "Loại vụ việc")


def test_a_done_job_shows_the_result(officer: Any, client: Client, template: bytes) -> None:
    login(client, officer)
    response = _upload(client, _good_file(template))
    status = client.get(response["Location"], HTTP_HX_REQUEST="true")
    html = status.content.decode()
    assert status.status_code == 200
    assert "<html" not in html  # the fragment alone, for htmx
    assert 'data-status="done"' in html
    assert "Đã nhập 4 vụ việc từ 8 dòng của tệp." in html
    assert "hx-trigger" not in html
    listing = client.get(reverse("cases:import")).content.decode()
    assert "vu-viec.xlsx" in listing and 'data-testid="import-job"' in listing


def test_a_queued_job_polls_every_second_with_a_progress_bar(
    officer: Any, client: Client, template: bytes
) -> None:
    login(client, officer)
    job = imports.case_import_create(actor=officer, upload=SimpleUploadedFile("lon.xlsx", template))
    html = client.get(reverse("cases:import_status", args=[job.public_id])).content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert f'hx-get="{reverse("cases:import_status", args=[job.public_id])}"' in html
    assert 'role="progressbar"' in html and 'aria-valuenow="0"' in html
    assert 'data-testid="worker-missing"' not in html
    CaseImport.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    html = client.get(reverse("cases:import_status", args=[job.public_id])).content.decode()
    assert 'data-testid="worker-missing"' in html


def test_a_running_job_shows_the_progress_its_task_publishes(
    officer: Any, client: Client, template: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 0)
    login(client, officer)
    job = imports.case_import_create(actor=officer, upload=SimpleUploadedFile("lon.xlsx", template))
    CaseImport.objects.filter(pk=job.pk).update(status="running")
    job.refresh_from_db()
    publish = imports._ProgressFile(job)
    publish(0, 10_000)
    publish(2_500, 10_000)
    # Written by the task, outside its transaction: the row itself has not moved.
    assert CaseImport.objects.get(pk=job.pk).processed_rows == 0
    html = client.get(
        reverse("cases:import_status", args=[job.public_id]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'aria-valuenow="25"' in html and "width: 25%" in html
    assert "Đã kiểm tra và ghi 2.500/10.000 dòng." in html
    assert 'hx-trigger="every 1s"' in html
    publish.remove()


def test_the_job_runs_once_and_does_not_keep_the_upload(
    officer: Any, template: bytes, settings: Any
) -> None:
    job = imports.case_import_create(actor=officer, upload=SimpleUploadedFile("mau.xlsx", template))
    stored = Path(settings.MEDIA_ROOT) / job.file.name
    assert stored.read_bytes() == template
    assert imports.case_import_run(public_id=str(job.public_id))["status"] == "done"
    assert imports.case_import_run(public_id=str(job.public_id)) == {"status": "done"}
    assert Case.objects.count() == 1
    job.refresh_from_db()
    assert (job.file.name, job.original_name) == ("", "mau.xlsx")
    assert not stored.exists()
    assert not [p for p in (Path(settings.MEDIA_ROOT) / "imports").rglob("*") if p.is_file()]


def test_only_the_owner_sees_a_job(
    world: OrgWorld, officer: Any, client: Client, template: bytes
) -> None:
    job = imports.case_import_create(actor=officer, upload=SimpleUploadedFile("mau.xlsx", template))
    CaseImport.objects.filter(pk=job.pk).update(status="failed", errors=[])
    status = reverse("cases:import_status", args=[job.public_id])
    errors = reverse("cases:import_errors", args=[job.public_id])
    assert client.get(status).status_code == 302  # to the login page
    # Anyone else, even the commander of the same unit: as if it did not exist.
    for other in (
        user(world.u("ca_commune_a"), roles=["commander"]),
        user(world.u("ca_province"), roles=["commander", "joint_staff"]),
    ):
        login(client, other)
        assert client.get(status).status_code == 404
        assert client.get(errors).status_code == 404
        assert "mau.xlsx" not in client.get(reverse("cases:import")).content.decode()
    login(client, officer)
    assert client.get(status).status_code == 200
    assert client.get(errors).status_code == 200


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("vu-viec.txt", b"abc", "Chỉ nhận tệp .xlsx hoặc .csv."),
        ("vu-viec.xlsx", b"MZ\x90\x00 not a zip", "không phải bảng tính .xlsx"),
        ("vu-viec.csv", b"", "rỗng"),
    ],
)
def test_the_upload_refuses_what_is_not_a_table(
    officer: Any, client: Client, name: str, data: bytes, message: str
) -> None:
    login(client, officer)
    response = _upload(client, data, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert CaseImport.objects.count() == 0


def test_the_upload_page_offers_the_template(officer: Any, client: Client) -> None:
    login(client, officer)
    html = client.get(reverse("cases:import")).content.decode()
    assert reverse("cases:import_template") in html
    assert 'enctype="multipart/form-data"' in html
    assert "CSV" in html


# --- the management command -----------------------------------------------------------------


@pytest.fixture
def as_officer(officer: Any) -> Iterator[str]:
    yield officer.username


def test_the_command_imports_a_file_and_reports_progress(
    tmp_path: Path, template: bytes, as_officer: str
) -> None:
    path = tmp_path / "vu-viec.xlsx"
    path.write_bytes(_good_file(template))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_cases", str(path), "--as", as_officer, stdout=out, stderr=err)
    assert "imported 4 cases, 2 subjects, 2 seized items from 8 rows" in out.getvalue()
    assert "8/8 rows (100%)" in err.getvalue()
    assert Case.objects.count() == 4


def test_the_command_lists_the_errors_and_exits_1(
    tmp_path: Path, template: bytes, as_officer: str
) -> None:
    path = tmp_path / "vu-viec.xlsx"
    path.write_bytes(_filled(template, {CASES: [_case("V1")], SEIZED: [_seized("V1", unit="m")]}))
    err = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_cases", str(path), "--as", as_officer, stderr=err)
    assert failed.value.returncode == 1
    assert f"{SEIZED} / 2 / Đơn vị tính: " in err.getvalue()
    assert "1 error(s) in vu-viec.xlsx; nothing was saved." in str(failed.value)
    assert _counts() == NOTHING


def test_the_command_names_an_unknown_user(tmp_path: Path, template: bytes) -> None:
    path = tmp_path / "vu-viec.xlsx"
    path.write_bytes(template)
    with pytest.raises(CommandError, match=r"no active user 'khong\.co'"):
        call_command("import_cases", str(path), "--as", "khong.co")
