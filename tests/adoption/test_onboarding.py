"""Bringing a province on board from an empty database, as its IT officer would: only the
documented commands (`load_areas`, `createsuperuser`, `province init`), the organisation import
through the API, the accounts' one-time set-up links, the administrators' report settings page,
and then every officer's API with the real (earlier) dates of what happened.

Nothing is made with factories or the ORM: what the report must state is re-derived from the
requests this test sends, never from the rules under test.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from phoihop.indicators.periods import Period
from phoihop.org.enums import AreaLevel
from phoihop.org.models import AdministrativeArea

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
PASSWORD = "Mat-khau-cua-tinh-moi-2026"
IT = "it.tinh"


# --- the documented steps ---------------------------------------------------------------------


def _commands(code: str) -> None:
    call_command("load_areas", "--province", code, stdout=io.StringIO())
    os.environ["DJANGO_SUPERUSER_PASSWORD"] = PASSWORD
    try:
        call_command(
            "createsuperuser",
            "--noinput",
            "--username",
            IT,
            "--email",
            "it@example.invalid",
            stdout=io.StringIO(),
        )
    finally:
        del os.environ["DJANGO_SUPERUSER_PASSWORD"]
    call_command("province", "init", code, stdout=io.StringIO())


def _api(username: str) -> Client:
    """A client carrying the API token the account gets with its password."""
    answer = Client().post(
        "/api/v1/auth/token/",
        {"username": username, "password": PASSWORD},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    return Client(HTTP_AUTHORIZATION=f"Token {answer.json()['token']}")


def _post(client: Client, path: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = client.post(path, body, content_type="application/json")
    assert answer.status_code == 201, (path, answer.content.decode())
    data: dict[str, Any] = answer.json()
    return data


def _fill(template: bytes, sheets: dict[str, list[dict[str, Any]]]) -> io.BytesIO:
    """The template served by the API, its example rows replaced by `sheets`."""
    book = load_workbook(io.BytesIO(template))
    for ws in book.worksheets:
        if ws.title not in sheets:
            continue
        headers = [cell.value for cell in ws[1]]
        ws.delete_rows(2, ws.max_row)
        for row in sheets[ws.title]:
            ws.append([row.get(h) for h in headers])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "to-chuc.xlsx"
    return out


def _set_password(link: str) -> None:
    anonymous = Client()
    opened = anonymous.get(link.removeprefix("http://testserver"), follow=True)
    assert opened.status_code == 200
    form_url = opened.redirect_chain[-1][0]
    done = anonymous.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302, done.content.decode()


def _province(code: str) -> AdministrativeArea:
    return AdministrativeArea.objects.get(
        level=AreaLevel.PROVINCE, code=code, valid_until__isnull=True
    )


def _communes(province: AdministrativeArea, on: dt.date, count: int, *, old: str = "") -> list[str]:
    """Communes in force on `on`: the 2025 ones, or the old ones of predecessor `old`."""
    if on >= dt.date(2025, 7, 1):
        found = province.children.filter(level=AreaLevel.COMMUNE)
    else:
        found = AdministrativeArea.objects.filter(
            level=AreaLevel.COMMUNE,
            valid_until__isnull=False,
            parent__parent__in=province.predecessors.filter(code=old),
        )
    codes = list(found.order_by("code").values_list("code", flat=True)[:count])
    assert len(codes) == count
    return codes


def onboard(code: str, *, coast_guard: bool) -> dict[str, Client]:
    """The province's organisation through the import API; each account sets its password."""
    _commands(code)
    it = _api(IT)
    province = _province(code)
    (commune,) = _communes(province, dt.date(2026, 1, 1), 1)
    ca, qs, bp = (f"{prefix}-{code}" for prefix in ("CAT", "BCHQS", "BDBP"))
    units = [
        {"Ký hiệu": f"CAX1-{code}", "Tên đơn vị": "Công an xã thứ nhất", "Lực lượng": "CA",
         "Cấp": "xa", "Đơn vị cấp trên": ca, "Địa bàn phụ trách": commune},
        {"Ký hiệu": f"DBP1-{code}", "Tên đơn vị": "Đồn Biên phòng thứ nhất", "Lực lượng": "BP",
         "Cấp": "xa", "Đơn vị cấp trên": bp, "Địa bàn phụ trách": commune},
    ]  # fmt: skip
    people = {
        "ca": (ca, "Cán bộ, Chỉ huy"),
        "qs": (qs, "Cán bộ, Chỉ huy"),
        "bp": (bp, "Cán bộ, Chỉ huy"),
        "cax": (f"CAX1-{code}", "Cán bộ"),
        "staff": (ca, "Tham mưu tổng hợp"),
    }
    sheets: dict[str, list[dict[str, Any]]] = {}
    if coast_guard:
        sheets["Lực lượng"] = [{"Mã lực lượng": "CSB", "Tên lực lượng": "Cảnh sát biển"}]
        units.append(
            {"Ký hiệu": f"CSB-{code}", "Tên đơn vị": "Hải đội Cảnh sát biển", "Lực lượng": "CSB",
             "Cấp": "tinh", "Địa bàn phụ trách": code}
        )  # fmt: skip
        people["csb"] = (f"CSB-{code}", "Cán bộ, Chỉ huy")
    sheets["Đơn vị"] = units
    sheets["Người dùng"] = [
        {"Tên đăng nhập": f"{key}.{code}", "Họ và tên": f"Người dùng {key}", "Đơn vị": unit,
         "Vai trò": roles}
        for key, (unit, roles) in people.items()
    ]  # fmt: skip
    template = it.get(f"/api/v1/organisation/import/template/?province={code}")
    assert template.status_code == 200
    answer = it.post(
        "/api/v1/organisation/import/",
        {"file": _fill(template.content, sheets), "province": code},
    )
    assert answer.status_code == 201, answer.content.decode()
    for account in answer.json()["users"]:
        _set_password(account["password_setup_url"])
    if coast_guard:
        web = Client()
        signed_in = web.post(reverse("login"), {"username": IT, "password": PASSWORD})
        assert signed_in.status_code == 302, signed_in.content.decode()
        added = web.post(
            f"/reports/settings/forces/?province={code}", {"code": "CSB", "head_title": "TƯ LỆNH"}
        )
        assert added.status_code == 302, added.content.decode()
    return {key: _api(f"{key}.{code}") for key in people}


# --- back-entry of a year of every kind ---------------------------------------------------------


def _moment(day: dt.date, hour: int = 8) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=HCM)


def back_enter(
    clients: dict[str, Client],
    code: str,
    days: list[dt.date],
    sent: Counter[str],
    *,
    old: str = "",
) -> None:
    """Records of every kind on `days` (real dates, earlier than today), counted in `sent`;
    before 1/7/2025 they are placed in the old communes of predecessor province `old`."""
    province = _province(code)
    for n, day in enumerate(days):
        commune_a, commune_b = _communes(province, day, 2, old=old)
        lead = ("ca", "bp", "qs")[n % 3]
        lead_unit = {"ca": "CAT", "bp": "BDBP", "qs": "BCHQS"}[lead] + f"-{code}"
        _post(
            clients[lead] if lead != "qs" else clients["ca"],
            "/api/v1/cases/cases/",
            {
                "title": f"Vụ thứ {n + 1}",
                "category": "drugs",
                "domain": "inland",
                "commune": commune_a,
                "detected_at": _moment(day).isoformat(),
                "lead_unit": lead_unit if lead != "qs" else f"CAT-{code}",
            },
        )
        sent["cases"] += 1
        item = {
            "title": f"Thông tin thứ {n + 1}",
            "content": "Nhập bổ sung từ sổ theo dõi.",
            "topic": "smuggling",
            "is_joint": True,
            "recipients": [f"CAT-{code}", f"BCHQS-{code}"],
            "sent_at": _moment(day).isoformat(),
            "delivered_at": _moment(day, 9).isoformat(),
            "acknowledged_at": _moment(day, 11).isoformat(),
            "verification": {
                "assigned_unit": f"CAT-{code}",
                "question": "Đề nghị xác minh nhân thân",
                "requested_at": _moment(day, 10).isoformat(),
                "answered_at": _moment(day, 16).isoformat(),
                "result": "confirmed",
                "findings": "Đúng như thông tin.",
            },
        }
        if old:
            # An item has no commune: sent by a unit of a province formed from several old
            # ones before it existed, no report could count it, so it is refused.
            refused = clients["bp"].post(
                "/api/v1/exchange/items/", item, content_type="application/json"
            )
            assert refused.status_code == 400, refused.content.decode()
            assert refused.json()["code"] == "place_not_countable"
            assert list(refused.json()["fields"]) == ["sent_at"]
        else:
            assert _post(clients["bp"], "/api/v1/exchange/items/", item)["public_id"]
            sent["items"] += 1
        start = day.isoformat()
        kinds: list[tuple[str, dict[str, Any]]] = [
            ("protections", {"target": "event", "event_category": "political"}),
            ("checkpoints", {"purpose": "border"}),
            ("zones", {"zone_kind": "key_target"}),
            ("patrols", {"route": "land", "sorties": 3 + n}),
            ("rescues", {"incident_kind": "flood", "people_rescued": n + 1}),
            ("exercises", {"exercise_kind": "sar"}),
        ]
        for slug, fields in kinds:
            _post(
                clients["bp"],
                f"/api/v1/operations/{slug}/",
                {
                    "title": f"{slug} {n + 1}",
                    "place": "Km 1",
                    "start_date": start,
                    "end_date": start,
                    "lead_unit": f"BDBP-{code}",
                    "communes": [commune_a],
                    **fields,
                },
            )
            sent[slug] += 1
            if slug == "patrols":
                sent["patrol_sorties"] += fields["sorties"]
            if slug == "rescues":
                sent["rescued"] += fields["people_rescued"]
        _post(
            clients["qs"],
            "/api/v1/mobilisation/forums/",
            {
                "start_date": start,
                "organising_unit": f"BCHQS-{code}",
                "commune": commune_b,
                "attendees": 20 + n,
                "opinions": 0,
            },
        )
        sent["forums"] += 1
        sent["forum_attendees"] += 20 + n
        _post(
            clients["qs"],
            "/api/v1/mobilisation/propaganda/",
            {
                "title": f"Tuyên truyền pháp luật {n + 1}",
                "start_date": start,
                "organising_unit": f"BCHQS-{code}",
                "commune": commune_b,
                "laws": ["can-cuoc"],
                "attendees": 30 + n,
            },
        )
        sent["propaganda"] += 1
        sent["propaganda_attendees"] += 30 + n
        _post(
            clients["qs"],
            "/api/v1/mobilisation/programmes/",
            {
                "start_date": start,
                "organising_unit": f"BCHQS-{code}",
                "commune": commune_b,
                "kind": "other",
                "name": f"Hỗ trợ gia đình khó khăn {n + 1}",
                "beneficiaries": 2 + n,
                "value": "1000000",
            },
        )
        sent["programmes"] += 1
        sent["beneficiaries"] += 2 + n
        _post(
            clients["bp"],
            "/api/v1/operations/destructions/",
            {
                "title": f"Tiêu hủy vật liệu nổ {n + 1}",
                "start_date": start,
                "lead_unit": f"BDBP-{code}",
                "communes": [commune_a],
                "item": "thuoc-no",
                "entered_quantity": str(n + 1),
                "entered_unit": "kg",
            },
        )
        sent["destructions"] += 1
        sent["destroyed_kg"] += n + 1
        _post(
            clients["qs"],
            "/api/v1/mobilisation/campaigns/",
            {"start_date": start, "organising_unit": f"BCHQS-{code}", "name": f"Vận động {n}"},
        )
        sent["campaigns"] += 1


def report(code: str, period: str, fmt: str = "json") -> Any:
    out = io.StringIO()
    call_command(
        "report", "--area", code, "--period", period, "--format", fmt, stdout=out,
        stderr=io.StringIO(),
    )  # fmt: skip
    return json.loads(out.getvalue()) if fmt == "json" else out.getvalue()


def figures(data: dict[str, Any]) -> dict[str, Any]:
    return {f["key"]: f["value"] for s in data["sections"] for f in s["figures"]}


def _check_report(code: str, period: str, sent: Counter[str]) -> dict[str, Any]:
    values = figures(report(code, period))
    assert values["cases.count"] == sent["cases"]
    assert values.get("exchange.items", 0) == sent["items"]
    # Each item went to two units, and each asked for one verification.
    assert values.get("exchange.ack.received", 0) == 2 * sent["items"]
    assert values.get("exchange.verify.requested", 0) == sent["items"]
    assert values["patrols.count"] == sent["patrols"]
    assert values["patrols.sorties"] == sent["patrol_sorties"]
    assert values["checkpoints.count"] == sent["checkpoints"]
    assert values["rescue.rescued"] == sent["rescued"]
    assert values["protection.events"] == sent["protections"]
    assert values["protection.key_targets"] == sent["zones"]
    assert values["rescue.incidents"] == sent["rescues"]
    assert values["mobilisation.forums"] == sent["forums"]
    assert values["mobilisation.attendees"] == sent["forum_attendees"]
    assert values["mobilisation.propaganda.sessions"] == sent["propaganda"]
    assert values["mobilisation.propaganda.attendees"] == sent["propaganda_attendees"]
    assert values["mobilisation.programmes"] == sent["programmes"]
    assert values["mobilisation.programmes.beneficiaries"] == sent["beneficiaries"]
    assert values["destruction.count"] == sent["destructions"]
    assert float(values["destruction.items.thuoc-no"]) == sent["destroyed_kg"]
    return values


# --- the three provinces of the issue ----------------------------------------------------------


def test_a_new_province_with_four_forces_back_enters_a_year_and_reports_it(tmp_path: Any) -> None:
    code = "22"  # Quảng Ninh: coastal, not the demo's province
    clients = onboard(code, coast_guard=True)
    window_start, window_end = Period.parse("2026").window()
    days = [window_start + dt.timedelta(days=40 * i + 20) for i in range(8)]
    assert all(day < min(window_end, dt.date.today()) for day in days)
    sent: Counter[str] = Counter()
    back_enter(clients, code, days, sent)

    _check_report(code, "2026", sent)
    # One quarter holds only its own records.
    q2 = Period.parse("2026-Q2")
    start, end = q2.window()
    in_q2 = sum(1 for day in days if start <= day <= end)
    assert figures(report(code, "2026-Q2"))["cases.count"] == in_q2 > 0

    target = tmp_path / "bao-cao.docx"
    call_command(
        "report", "--area", code, "--period", "2026", "--format", "docx", "--output",
        str(target), stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    tables = "\n".join(
        cell.text for t in Document(str(target)).tables for row in t.rows for cell in row.cells
    )
    assert "Quảng Ninh" in text + tables
    assert "Cảnh sát biển" in text + tables
    assert "TƯ LỆNH" in text + tables
    assert "ba lực lượng" not in text


def test_an_old_province_2023_quarter_back_entered_by_its_successor() -> None:
    code = "48"  # Đà Nẵng since 1/7/2025, successor of the old Quảng Nam (49)
    clients = onboard(code, coast_guard=False)
    start, _end = Period.parse("2023-Q3").window()
    days = [start + dt.timedelta(days=10), start + dt.timedelta(days=50)]
    sent: Counter[str] = Counter()
    # The successor's staff enter the old Quảng Nam's records in its old communes.
    back_enter(clients, code, days, sent, old="49")
    _check_report("49", "2023-Q3", sent)
    text = report("49", "2023-Q3", "text")
    assert "Tỉnh Quảng Nam" in text and "Đà Nẵng" not in text
    # Code 48 for that quarter is the old Đà Nẵng: none of Quảng Nam's records.
    assert figures(report("48", "2023-Q3")).get("cases.count", 0) == 0
