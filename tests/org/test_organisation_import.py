"""Bringing a province on board: `province init` and the all-or-nothing organisation import,
through the command, the API and the administrators' page.

The provinces are loaded from the areas package (not the demo's Hà Tĩnh); expected trees,
accounts and errors are re-derived from the rows each test writes into the template.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import load_workbook

from phoihop.org.areas import load_areas
from phoihop.org.enums import AreaLevel
from phoihop.org.imports import UNITS_SHEET, USERS_SHEET, organisation_template
from phoihop.org.models import AdministrativeArea, Force, Unit, UnitParentage, User
from phoihop.org.services import province_command_code
from tests import factories
from tests.org.counts import org_counts

pytestmark = pytest.mark.django_db

# Two provinces of the 2025 map other than the demo's (Hà Tĩnh, 42).
CODES = ("22", "24")


@pytest.fixture
def provinces(db: Any) -> tuple[AdministrativeArea, AdministrativeArea]:
    load_areas(provinces=CODES, legacy=False)
    home, other = (
        AdministrativeArea.objects.get(level=AreaLevel.PROVINCE, code=c, valid_until__isnull=True)
        for c in CODES
    )
    return home, other


def _communes(province: AdministrativeArea, count: int) -> list[str]:
    return list(
        province.children.filter(level=AreaLevel.COMMUNE)
        .order_by("code")
        .values_list("code", flat=True)[:count]
    )


def _init(code: str, *args: str) -> str:
    out = io.StringIO()
    call_command("province", "init", code, *args, stdout=out)
    return out.getvalue()


def _workbook(sheets: Mapping[str, Iterable[dict[str, Any]]]) -> bytes:
    """The real template, its example rows replaced by `sheets` (header → value per row)."""
    book = load_workbook(io.BytesIO(organisation_template()))
    for ws in book.worksheets[1:]:
        headers = [cell.value for cell in ws[1]]
        ws.delete_rows(2, ws.max_row)
        for row in sheets.get(ws.title, ()):
            ws.append([row.get(h) for h in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- province init --------------------------------------------------------------------------


def test_province_init_creates_each_forces_command_once(provinces: Any) -> None:
    home, _other = provinces
    standard = list(Force.objects.filter(is_partner=False).order_by("order", "code"))

    first = _init(home.code)
    again = _init(home.code)

    commands = Unit.objects.filter(province=home, parent__isnull=True)
    assert sorted(commands.values_list("code", flat=True)) == sorted(
        province_command_code(f, home) for f in standard
    )
    for unit in commands:
        assert unit.name.endswith(home.name[:1].lower() + home.name[1:])
        assert list(unit.areas.all()) == [home]
        assert unit.level.code == "tinh"
    assert first.count("created") == len(standard)
    assert "created" not in again and again.count("exists") == len(standard)
    assert UnitParentage.objects.filter(unit__province=home).count() == len(standard)


def test_province_init_takes_the_forces_named(provinces: Any) -> None:
    home, _other = provinces
    _init(home.code, "--forces", "CA,QS")
    assert sorted(Unit.objects.filter(province=home).values_list("force__code", flat=True)) == [
        "CA",
        "QS",
    ]
    with pytest.raises(CommandError):
        _init(home.code, "--forces", "XX")
    with pytest.raises(CommandError):
        _init("00")


# --- a whole province through the import ------------------------------------------------------


def _province_file(home: AdministrativeArea) -> tuple[dict[str, list[dict[str, Any]]], dict]:
    """A province's partner force, unit tree and accounts, and what each should become."""
    ca, qs, bp = (
        province_command_code(Force.objects.get(code=c), home) for c in ("CA", "QS", "BP")
    )
    a, b, c = _communes(home, 3)
    units = [
        {
            "Ký hiệu": f"CAX-A-{home.code}",
            "Tên đơn vị": "Công an xã A",
            "Lực lượng": "CA",
            "Cấp": "xa",
            "Đơn vị cấp trên": ca,
            "Địa bàn phụ trách": a,
            "Hoạt động từ": "01/07/2025",
            "Căn cứ": "QĐ 1",
        },
        {
            "Ký hiệu": f"CAX-B-{home.code}",
            "Tên đơn vị": "Công an xã B",
            "Lực lượng": "ca",
            "Cấp": "Cấp xã",
            "Đơn vị cấp trên": ca,
            "Địa bàn phụ trách": f"{b}, {c}",
        },
        {
            "Ký hiệu": f"KV1-{home.code}",
            "Tên đơn vị": "Ban CHPTKV 1",
            "Lực lượng": "QS",
            "Cấp": "khu_vuc",
            "Đơn vị cấp trên": qs,
            "Địa bàn phụ trách": f"{a};{b}",
        },
        # Its parent is the row above, defined in this same file.
        {
            "Ký hiệu": f"BCHQSX-A-{home.code}",
            "Tên đơn vị": "Ban CHQS xã A",
            "Lực lượng": "QS",
            "Cấp": "xa",
            "Đơn vị cấp trên": f"KV1-{home.code}",
            "Địa bàn phụ trách": a,
        },
        {
            "Ký hiệu": f"DBP-A-{home.code}",
            "Tên đơn vị": "Đồn Biên phòng A",
            "Lực lượng": "BP",
            "Cấp": "xa",
            "Đơn vị cấp trên": bp,
            "Địa bàn phụ trách": f"{a},{c}",
        },
        {
            "Ký hiệu": f"CSB-{home.code}",
            "Tên đơn vị": "Hải đội Cảnh sát biển",
            "Lực lượng": "CSB",
            "Cấp": "tinh",
            "Địa bàn phụ trách": home.code,
        },
    ]
    users = [
        {
            "Tên đăng nhập": f"admin{home.code}",
            "Họ và tên": "Quản trị viên",
            "Đơn vị": ca,
            "Vai trò": "Quản trị viên",
        },
        {
            "Tên đăng nhập": f"ca.a.{home.code}",
            "Họ và tên": "Nguyễn Văn An",
            "Đơn vị": f"CAX-A-{home.code}",
            "Vai trò": "Cán bộ, Chỉ huy",
            "Mức tiếp cận": "Mật",
        },
        {
            "Tên đăng nhập": f"qs.a.{home.code}",
            "Họ và tên": "Trần Thị Bình",
            "Đơn vị": f"BCHQSX-A-{home.code}",
            "Vai trò": "officer",
        },
        {
            "Tên đăng nhập": f"ts.{home.code}",
            "Họ và tên": "Lê Văn Cường",
            "Đơn vị": qs,
            "Vai trò": "Tham mưu tổng hợp",
            "Mức tiếp cận": "Tối mật",
        },
    ]
    forces = [{"Mã lực lượng": "CSB", "Tên lực lượng": "Cảnh sát biển"}]
    return {"Lực lượng": forces, UNITS_SHEET: units, USERS_SHEET: users}, {}


_ROLE_WORDS = {
    "quản trị viên": "administrator",
    "cán bộ": "officer",
    "chỉ huy": "commander",
    "tham mưu tổng hợp": "joint_staff",
    "officer": "officer",
}
_CLEARANCE = {None: 0, "Mật": 1, "Tối mật": 2}


def _assert_saved_as_written(home: AdministrativeArea, sheets: dict[str, list[dict]]) -> None:
    for row in sheets[UNITS_SHEET]:
        unit = Unit.objects.get(code=row["Ký hiệu"])
        assert unit.province_id == home.pk
        assert unit.force.code == row["Lực lượng"].upper()
        parent = row.get("Đơn vị cấp trên")
        assert (unit.parent.code if unit.parent else None) == parent
        assert unit.is_within(unit.parent) if unit.parent else unit.depth == 1
        wanted = set(re.split(r"[,;]\s*", row["Địa bàn phụ trách"]))
        assert set(unit.areas.values_list("code", flat=True)) == wanted
    for row in sheets[USERS_SHEET]:
        user = User.objects.get(username=row["Tên đăng nhập"])
        assert user.unit is not None and user.unit.code == row["Đơn vị"]
        roles = {_ROLE_WORDS[w.strip().lower()] for w in row["Vai trò"].split(",")}
        assert user.role_codes == roles
        assert user.clearance == _CLEARANCE[row.get("Mức tiếp cận")]
        assert not user.has_usable_password()


def test_the_command_builds_a_province_and_prints_each_new_account_its_link(
    provinces: Any,
) -> None:
    home, _other = provinces
    _init(home.code)
    sheets, _ = _province_file(home)
    path = _write(sheets)
    out = io.StringIO()

    call_command(
        "import_organisation",
        str(path),
        "--province",
        home.code,
        "--base-url",
        "https://phoihop.example/",
        stdout=out,
    )

    _assert_saved_as_written(home, sheets)
    assert Force.objects.get(code="CSB").is_partner
    printed = out.getvalue()
    for row in sheets[USERS_SHEET]:
        line = next(ln for ln in printed.splitlines() if row["Tên đăng nhập"] in ln)
        assert re.search(r"https://phoihop\.example/password/setup/\S+/\S+/$", line), line
    # A second run of the same file adds nothing: every code and username is taken.
    before = org_counts()
    with pytest.raises(CommandError):
        call_command(
            "import_organisation", str(path), "--province", home.code, stderr=io.StringIO()
        )
    assert org_counts() == before


def _write(sheets: dict[str, Any]) -> Any:
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp())
    path = folder / "to-chuc.xlsx"
    path.write_bytes(_workbook(sheets))
    return path


def test_a_dry_run_checks_everything_and_saves_nothing(provinces: Any) -> None:
    home, _other = provinces
    _init(home.code)
    sheets, _ = _province_file(home)
    before = org_counts()
    out = io.StringIO()
    call_command(
        "import_organisation", str(_write(sheets)), "--province", home.code, "--dry-run", stdout=out
    )
    assert "dry run" in out.getvalue()
    assert org_counts() == before


def test_the_api_imports_a_province_and_answers_the_links_once(
    client: Client, provinces: Any
) -> None:
    home, _other = provinces
    _init(home.code)
    admin = factories.user(
        Unit.objects.get(code=province_command_code(Force.objects.get(code="CA"), home)),
        roles=("administrator",),
    )
    client.force_login(admin)
    sheets, _ = _province_file(home)
    upload = io.BytesIO(_workbook(sheets))
    upload.name = "to-chuc.xlsx"

    answer = client.post("/api/v1/organisation/import/", {"file": upload})

    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["province"] == home.code
    assert body["units"] == [row["Ký hiệu"] for row in sheets[UNITS_SHEET]]
    assert [u["username"] for u in body["users"]] == [
        row["Tên đăng nhập"] for row in sheets[USERS_SHEET]
    ]
    assert all("/password/setup/" in u["password_setup_url"] for u in body["users"])
    _assert_saved_as_written(home, sheets)

    template = client.get("/api/v1/organisation/import/template/")
    assert template.status_code == 200
    book = load_workbook(io.BytesIO(template.content))
    assert {UNITS_SHEET, USERS_SHEET} <= set(book.sheetnames)


# --- refusals -------------------------------------------------------------------------------


def test_every_bad_cell_is_named_and_nothing_is_saved(provinces: Any) -> None:
    home, other = provinces
    _init(home.code)
    _init(other.code)
    ca_home = province_command_code(Force.objects.get(code="CA"), home)
    ca_other = province_command_code(Force.objects.get(code="CA"), other)
    (a,) = _communes(home, 1)
    (foreign,) = _communes(other, 1)
    units = [
        # 2: a parent of another province
        {
            "Ký hiệu": "U2",
            "Tên đơn vị": "U2",
            "Lực lượng": "CA",
            "Cấp": "xa",
            "Đơn vị cấp trên": ca_other,
        },
        # 3: a parent defined on a later row
        {
            "Ký hiệu": "U3",
            "Tên đơn vị": "U3",
            "Lực lượng": "CA",
            "Cấp": "xa",
            "Đơn vị cấp trên": "U4",
        },
        # 4: fine by itself
        {
            "Ký hiệu": "U4",
            "Tên đơn vị": "U4",
            "Lực lượng": "CA",
            "Cấp": "xa",
            "Đơn vị cấp trên": ca_home,
            "Địa bàn phụ trách": a,
        },
        # 5: an area of another province
        {
            "Ký hiệu": "U5",
            "Tên đơn vị": "U5",
            "Lực lượng": "CA",
            "Cấp": "xa",
            "Đơn vị cấp trên": ca_home,
            "Địa bàn phụ trách": foreign,
        },
        # 6: an unknown area, force and level
        {
            "Ký hiệu": "U6",
            "Tên đơn vị": "U6",
            "Lực lượng": "XX",
            "Cấp": "cap-moi",
            "Đơn vị cấp trên": ca_home,
            "Địa bàn phụ trách": "99999",
        },
        # 7: a code already used in the system
        {
            "Ký hiệu": ca_other,
            "Tên đơn vị": "U7",
            "Lực lượng": "CA",
            "Cấp": "xa",
            "Đơn vị cấp trên": ca_home,
        },
    ]
    users = [
        # 2: a unit of another province
        {"Tên đăng nhập": "u2", "Họ và tên": "U 2", "Đơn vị": ca_other, "Vai trò": "Cán bộ"},
        # 3: an unknown role and clearance
        {
            "Tên đăng nhập": "u3",
            "Họ và tên": "U 3",
            "Đơn vị": "U4",
            "Vai trò": "Thủ trưởng",
            "Mức tiếp cận": "Tuyệt mật",
        },
        # 4: a unit whose row was refused
        {"Tên đăng nhập": "u4", "Họ và tên": "U 4", "Đơn vị": "U2", "Vai trò": "Cán bộ"},
    ]
    forces = [{"Mã lực lượng": "CA", "Tên lực lượng": "Công an (lần hai)"}]
    sheets = {"Lực lượng": forces, UNITS_SHEET: units, USERS_SHEET: users}
    before = org_counts()
    err = io.StringIO()

    with pytest.raises(CommandError, match="nothing was saved"):
        call_command(
            "import_organisation", str(_write(sheets)), "--province", home.code, stderr=err
        )

    assert org_counts() == before
    named = {tuple(line.split(":", 1)[0].split(" / ")) for line in err.getvalue().splitlines()}
    assert named >= {
        ("Lực lượng", "2", "Mã lực lượng"),
        (UNITS_SHEET, "2", "Đơn vị cấp trên"),
        (UNITS_SHEET, "3", "Đơn vị cấp trên"),
        (UNITS_SHEET, "5", "Địa bàn phụ trách"),
        (UNITS_SHEET, "6", "Lực lượng"),
        (UNITS_SHEET, "6", "Cấp"),
        (UNITS_SHEET, "6", "Địa bàn phụ trách"),
        (UNITS_SHEET, "7", "Ký hiệu"),
        (USERS_SHEET, "2", "Đơn vị"),
        (USERS_SHEET, "3", "Vai trò"),
        (USERS_SHEET, "3", "Mức tiếp cận"),
        (USERS_SHEET, "4", "Đơn vị"),
    }, err.getvalue()
    # Row 4 of the units and its user were fine: no line names them.
    assert not any(key[:2] == (UNITS_SHEET, "4") for key in named)


# --- the page -------------------------------------------------------------------------------


def test_the_page_imports_for_the_administrators_province_and_shows_the_links(
    client: Client, provinces: Any
) -> None:
    home, _other = provinces
    _init(home.code)
    command = Unit.objects.get(code=province_command_code(Force.objects.get(code="CA"), home))
    officer = factories.user(command, roles=("officer", "commander"))
    client.force_login(officer)
    assert client.get("/organisation/import/").status_code == 403

    admin = factories.user(command, roles=("administrator",))
    client.force_login(admin)
    assert client.get("/organisation/import/").status_code == 200
    template = client.get("/organisation/import/template/")
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")

    sheets, _ = _province_file(home)
    upload = io.BytesIO(_workbook(sheets))
    upload.name = "to-chuc.xlsx"
    page = client.post("/organisation/import/", {"file": upload})

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="setup-links"' in html
    for row in sheets[USERS_SHEET]:
        assert row["Tên đăng nhập"] in html
    assert html.count("/password/setup/") == len(sheets[USERS_SHEET])
    _assert_saved_as_written(home, sheets)


def test_the_phoihop_command_dispatches_province_init(
    provinces: Any, capsys: Any, monkeypatch: Any
) -> None:
    from django.db import connections

    from phoihop.cli import main

    home, _other = provinces
    # A command run from the command line closes the database connections when it ends; here
    # that is the test's own connection, inside its transaction (PostgreSQL would lose it).
    monkeypatch.setattr(connections, "close_all", lambda: None)
    assert main(["province", "init", home.code, "--forces", "CA"]) == 0
    assert province_command_code(Force.objects.get(code="CA"), home) in capsys.readouterr().out
    assert Unit.objects.filter(province=home).count() == 1


@pytest.mark.parametrize("model", ["unit", "user"])
def test_the_admin_lists_of_units_and_users_link_to_the_import_page(
    client: Client, provinces: Any, model: str
) -> None:
    home, _other = provinces
    _init(home.code, "--forces", "CA")
    client.force_login(factories.user(Unit.objects.get(province=home), roles=("administrator",)))

    page = client.get(f"/admin/org/{model}/")

    assert page.status_code == 200
    assert 'href="/organisation/import/"' in page.content.decode()
