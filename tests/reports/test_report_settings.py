"""Per-province report settings edited by administrators on a page of the application: the report
then uses them, the installation's settings are the fallback, a centrally-run city is named as a
city, and the report is dated by the local day."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from docx import Document

from phoihop.access.rules import OPERATOR
from phoihop.audit.models import AuditEntry
from phoihop.core import formats
from phoihop.org.enums import AreaKind, AreaLevel
from phoihop.org.forces import province_forces
from phoihop.org.models import Force, ProvinceForce, User
from phoihop.reports.assembly import build_report
from phoihop.reports.document import Report
from phoihop.reports.docx import place_and_date, render_docx
from phoihop.reports.models import ReportSettings
from phoihop.reports.render_text import render_text
from tests.factories import OrgWorld, area, login, unit, user

pytestmark = pytest.mark.django_db

PERIOD = "2024-Q3"
URL = reverse("reports:settings")
VALUES = {
    "issuer": "UBND TỈNH HÀ TĨNH\n  BAN CHỈ ĐẠO   PHỐI HỢP  \n",
    "recipients": "Bộ Công an (để b/c)\n\nThường trực Tỉnh ủy (để b/c)\nLưu: VT",
    "place": " Hồng Lĩnh ",
    "document_symbol": "bc-bcđph",
}


def _administrator(world: OrgWorld) -> User:
    return user(world.u("ca_province"), roles=["administrator"])


def _report(code: str) -> Report:
    return build_report(area_code=code, period_key=PERIOD, actor=OPERATOR)


def test_only_administrators_of_the_province_open_the_settings_page(
    world: OrgWorld, client: Client
) -> None:
    officer = user(world.u("ca_province"), roles=["officer", "commander", "joint_staff"])
    login(client, officer)
    assert client.get(URL).status_code == 403
    assert client.post(URL, VALUES | {"version": ""}).status_code == 403
    assert client.post(reverse("reports:settings_force_add"), {"code": "CA"}).status_code == 403
    other = user(world.u("ca_other_province"), roles=["administrator"])
    client.logout()
    login(client, other)
    asked = f"{URL}?province={world.province.code}"
    assert client.get(asked).status_code == 403
    assert client.post(asked, VALUES | {"version": ""}).status_code == 403
    assert not ReportSettings.objects.exists()


def test_the_settings_saved_on_the_page_head_and_close_the_report(
    world: OrgWorld, client: Client
) -> None:
    admin = _administrator(world)
    login(client, admin)
    page = client.get(URL)
    assert page.status_code == 200
    before = _report(world.province.code)
    html = page.content.decode()
    # A blank field shows what the report uses instead.
    assert before.issuer.splitlines()[-1] in html
    assert all(name in html for name in (f.title_name for f in page.context["forces"]))

    response = client.post(URL, VALUES | {"version": "0"})
    assert response.status_code == 302

    stored = ReportSettings.objects.get(province=world.province)
    issuer_lines = [" ".join(line.split()) for line in VALUES["issuer"].splitlines()]
    recipients = [line for line in VALUES["recipients"].splitlines() if line]
    assert stored.issuer.splitlines() == [line for line in issuer_lines if line]
    entry = AuditEntry.objects.get(
        object_type="reports.reportsettings", object_id=str(stored.public_id)
    )
    assert entry.action == "create" and entry.actor_username == admin.username

    report = _report(world.province.code)
    assert report.issuer.splitlines() == [line for line in issuer_lines if line]
    assert report.recipients == recipients
    assert report.place == VALUES["place"].strip()
    symbol = VALUES["document_symbol"].upper()
    assert report.document_symbol == symbol

    document = Document(io.BytesIO(render_docx(report, with_charts=False)))
    header = document.tables[0]
    assert header.cell(0, 0).text.split("\n")[: len(report.issuer.splitlines())] == (
        report.issuer.splitlines()
    )
    assert header.cell(1, 0).text.split("\n")[0].endswith(f"/{symbol}")
    assert header.cell(1, 1).text.strip().startswith(f"{report.place}, ngày ")
    paragraphs = [
        p.text for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs
    ]
    assert f"- {recipients[-1]}." in paragraphs


def test_a_stale_edit_is_refused_and_changes_nothing(world: OrgWorld, client: Client) -> None:
    login(client, _administrator(world))
    client.post(URL, VALUES | {"version": "0"})
    stored = ReportSettings.objects.get(province=world.province)
    client.post(URL, VALUES | {"place": "Kỳ Anh", "version": str(stored.version)})
    fresh = ReportSettings.objects.get(pk=stored.pk)
    assert fresh.place == "Kỳ Anh" and fresh.version == stored.version + 1
    entries = AuditEntry.objects.count()
    response = client.post(URL, VALUES | {"place": "Cẩm Xuyên", "version": str(stored.version)})
    assert response.status_code == 400
    assert ReportSettings.objects.get(pk=stored.pk).place == "Kỳ Anh"
    assert AuditEntry.objects.count() == entries


def test_a_fourth_force_is_added_on_the_page_and_twice_is_refused_naming_the_field(
    world: OrgWorld, client: Client
) -> None:
    Force.objects.create(
        code="CSB", name="Cảnh sát biển", short_name="Cảnh sát biển", is_partner=True, order=9
    )
    login(client, _administrator(world))
    add = reverse("reports:settings_force_add")
    response = client.post(add, {"code": "CSB", "head_title": "Tư lệnh"})
    assert response.status_code == 302
    forces = province_forces(world.province)
    assert [f.code for f in forces][-1] == "CSB" and forces[-1].head_title == "TƯ LỆNH"
    rows = ProvinceForce.objects.count()
    again = client.post(add, {"code": "CSB", "head_title": "Tư lệnh"})
    assert again.status_code == 400
    assert again.context["force_form"].errors["code"]
    assert ProvinceForce.objects.count() == rows
    assert "giữa lực lượng" in _report(world.province.code).title
    assert forces[-1].title_name in _report(world.province.code).title


def test_the_installation_settings_are_the_fallback(world: OrgWorld) -> None:
    with override_settings(PHOIHOP_REPORT_ISSUER="UBND TỈNH", PHOIHOP_REPORT_RECIPIENTS=["A"]):
        report = _report(world.province.code)
        assert (report.issuer, report.recipients) == ("UBND TỈNH", ["A"])
        ReportSettings.objects.create(province=world.province, recipients="B\nC")
        report = _report(world.province.code)
        assert (report.issuer, report.recipients) == ("UBND TỈNH", ["B", "C"])


def test_a_centrally_run_city_is_named_as_a_city(client: Client) -> None:
    city = area("48", "Thành phố Đà Nẵng", level=AreaLevel.PROVINCE, kind=AreaKind.THANH_PHO_TW)
    report = _report(city.code)
    joined = " ".join([report.issuer, *report.recipients])
    assert "Thành ủy" in joined and "UBND thành phố" in joined
    assert "tỉnh" not in joined.casefold()
    # Named as a city once, in the title and the place line.
    assert report.area_name == "Thành phố Đà Nẵng"
    assert report.place == "Đà Nẵng"
    command = unit("CA", "CATP-DN", "Công an thành phố Đà Nẵng", prov=city)
    login(client, user(command, roles=["administrator"]))
    page = client.get(URL)
    assert page.status_code == 200
    assert page.context["form"].fields["place"].widget.attrs["placeholder"] == "Đà Nẵng"


def test_the_report_is_dated_by_the_local_day() -> None:
    # 18:30 UTC is already the next morning in Hà Nội.
    generated = dt.datetime(2024, 9, 20, 18, 30, tzinfo=dt.UTC)
    local_day = generated.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    assert local_day != generated.date()
    report = Report(
        area_code="42",
        area_name="Tỉnh Hà Tĩnh",
        period_key=PERIOD,
        period_label="quý III năm 2024",
        start=dt.date(2024, 6, 15),
        end=dt.date(2024, 9, 14),
        rule="decree09",
        generated_at=generated,
        place="Hà Tĩnh",
    )
    expected = f"Hà Tĩnh, {formats.long_date(local_day)}"
    assert report.date == local_day
    assert place_and_date(report) == expected
    assert expected in render_text(report)


def test_a_force_head_title_and_names_are_changed_on_the_page(
    world: OrgWorld, client: Client
) -> None:
    admin = _administrator(world)
    login(client, admin)
    police = province_forces(world.province)[0]
    change = reverse("reports:settings_force_change", args=[police.code])
    response = client.post(
        change, {"head_title": "giám đốc công an tỉnh", "title_name": "", "issuer_name": "CA"}
    )
    assert response.status_code == 302
    changed = province_forces(world.province)[0]
    assert (changed.head_title, changed.title_name, changed.issuer_name) == (
        "GIÁM ĐỐC CÔNG AN TỈNH",
        police.force.name,
        "CA",
    )
    entry = AuditEntry.objects.filter(object_id=str(changed.public_id)).latest("seq")
    assert entry.action == "update" and entry.actor_username == admin.username
    assert _report(world.province.code).issuer.splitlines()[-1].startswith("CA - ")
    # A blank head title is refused: nothing changes.
    entries = AuditEntry.objects.count()
    client.post(change, {"head_title": " ", "title_name": "X", "issuer_name": "Y"})
    assert province_forces(world.province)[0].title_name == police.force.name
    assert AuditEntry.objects.count() == entries
