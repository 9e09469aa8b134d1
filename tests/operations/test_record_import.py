"""Bulk import of zones, rescues and patrols: the template, all or nothing, every bad cell named,
the units of the importer's province only, the background job, the page, the API, the command.

The rows are generated from the import's own table of columns (so the tests follow the model as
it gains fields), and every expectation is re-derived from the generated rows.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.db.models import Sum
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from phoihop.core.errors import PermissionDenied
from phoihop.core.tabular import ImportFailed
from phoihop.operations.kinds import Kind
from phoihop.operations.models import OperationCommune, OperationUnit
from phoihop.operations.record_imports import (
    IMPORT_KINDS,
    UNITS_SHEET,
    Table,
    import_records,
    import_table,
    import_template,
    record_import_run,
)
from phoihop.org.enums import AreaLevel
from phoihop.org.models import AdministrativeArea, User
from tests.factories import OrgWorld, login, user

pytestmark = pytest.mark.django_db

KINDS = list(IMPORT_KINDS.values())
SLUGS = list(IMPORT_KINDS)
# The test world's communes are those of the 2025 reform: records start after it.
FIRST_DAY = dt.date(2025, 7, 2)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _xlsx(sheets: dict[str, list[list[Any]]]) -> bytes:
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _field(kind: Kind, key: str) -> models.Field[Any, Any] | None:
    try:
        found = kind.model._meta.get_field(key)
    except Exception:  # not a model field: key, lead unit, communes
        return None
    return found if isinstance(found, models.Field) else None


def _value(kind: Kind, table: Table, key: str, i: int, world: OrgWorld) -> Any:
    """Row `i`'s cell of column `key`, as a user would type it."""
    start = FIRST_DAY + dt.timedelta(days=3 * i)
    special: dict[str, Any] = {
        "key": f"R{i}",
        "title": f"Bản ghi nhập số {i}",
        "start_date": start.strftime("%d/%m/%Y"),
        "end_date": (start + dt.timedelta(days=i % 3)).strftime("%d/%m/%Y"),
        "place": f"Địa điểm {i}",
        "outcome": "",
        "classification": "",
        "is_joint": "Có" if i % 2 == 0 else "",
        "lead_unit": "PC04" if i % 4 == 1 else "",
        "communes": world.commune_a.code
        if i % 2
        else f"{world.commune_a.code}; {world.commune_b.code}",
    }
    if key in special:
        return special[key]
    field = _field(kind, key)
    column = table.record_sheet.column(key)
    assert column is not None
    if field is None or not (field.choices or isinstance(field, models.IntegerField)):
        return column.example  # a catalogue's code: the template's example
    if key.endswith("_qualifier"):
        return "trên" if i % 3 == 0 else ""
    if field.choices:
        values = [v for v, _label in field.flatchoices if v != ""]
        return values[i % len(values)]
    return (i * 7 + len(key)) % 50 + 1


def _generated(
    kind: Kind, world: OrgWorld, n: int
) -> tuple[Table, list[dict[str, Any]], list[list[Any]]]:
    table = import_table(kind)
    keys = [c.key for c in table.record_sheet.columns]
    rows = [{k: _value(kind, table, k, i, world) for k in keys} for i in range(n)]
    units = []
    for i in range(0, n, 2):
        units.append([f"R{i}", world.u("bp_post_a").code, i + 1, 1, i % 3])
        units.append([f"R{i}", world.u("qs_commune_a").code, 2, 0, 0])
    return table, rows, units


def _file(table: Table, rows: list[dict[str, Any]], units: list[list[Any]]) -> bytes:
    keys = [c.key for c in table.record_sheet.columns]
    return _xlsx(
        {
            table.record_sheet.name: [
                [c.header for c in table.record_sheet.columns],
                *[[r[k] for k in keys] for r in rows],
            ],
            UNITS_SHEET: [[c.header for c in table.units_sheet.columns], *units],
        }
    )


def _nothing_saved(kind: Kind) -> None:
    assert kind.model.objects.count() == 0
    assert OperationUnit.objects.count() == 0
    assert OperationCommune.objects.count() == 0


def _where(exc: pytest.ExceptionInfo[ImportFailed]) -> list[tuple[Any, ...]]:
    return [(e.sheet, e.row, e.column) for e in exc.value.errors]


@pytest.fixture
def officer(world: OrgWorld) -> User:
    return user(world.u("ca_province"), roles=["officer"])


# --- the template ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS, ids=SLUGS)
def test_the_template_downloads_and_its_example_row_imports(
    kind: Kind, world: OrgWorld, officer: User
) -> None:
    content = import_template(actor=officer, kind=kind)
    book = load_workbook(io.BytesIO(content))
    table = import_table(kind)
    sheet = book[table.record_sheet.name]
    headers = [c.value for c in sheet[1]]
    assert headers == [c.header for c in table.record_sheet.columns]
    example = dict(zip(headers, [c.value for c in sheet[2]], strict=True))
    home = officer.unit
    assert home is not None
    assert example["Đơn vị chủ trì"] == home.code
    assert book[UNITS_SHEET]["B2"].value == home.code

    result = import_records(actor=officer, kind=kind, content=content, filename="mau.xlsx")

    assert result.created == 1
    record = kind.model.objects.get()
    assert record.title == example["Nội dung"]
    assert record.start_date.strftime("%d/%m/%Y") == example["Từ ngày"]
    assert record.owner_unit == officer.unit
    assert [p.commune.code for p in record.places.all()] == [example["Mã xã, phường"]]


# --- N rows --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS, ids=SLUGS)
def test_n_rows_create_n_records_whose_figures_re_derive(
    kind: Kind, world: OrgWorld, officer: User
) -> None:
    n = 9
    table, rows, units = _generated(kind, world, n)
    progress: list[tuple[int, int]] = []

    result = import_records(
        actor=officer,
        kind=kind,
        content=_file(table, rows, units),
        filename="ban-ghi.xlsx",
        progress=lambda done, total: progress.append((done, total)),
    )

    records = kind.model.objects.all()
    assert result.created == records.count() == n
    assert progress[0] == (0, n) and progress[-1] == (n, n)
    for key in kind.model.kind_fields:
        field = _field(kind, key)
        assert field is not None
        if isinstance(field, models.IntegerField) and not field.choices:
            expected = sum(int(r[key]) for r in rows)
            assert records.aggregate(total=Sum(key))["total"] == expected, key
        elif field.choices:
            wanted = Counter(
                next(v for v, label in field.flatchoices if r[key] in (v, str(label))) for r in rows
            )
            assert Counter(records.values_list(key, flat=True)) == wanted, key
    assert sorted(r.title for r in records) == sorted(r["title"] for r in rows)
    assert records.filter(is_joint=True).count() == sum(1 for r in rows if r["is_joint"])
    assert records.filter(owner_unit=world.u("ca_pc04")).count() == sum(
        1 for r in rows if r["lead_unit"]
    )
    assert OperationCommune.objects.count() == sum(len(r["communes"].split(";")) for r in rows)

    figures = kind.figures(records, officer, None, None)
    by_force: Counter[str] = Counter()
    for _key, code, personnel, _vehicles, _vessels in units:
        by_force[next(u.force.code for u in world.units.values() if u.code == code)] += personnel
    assert figures.commitment.personnel == sum(u[2] for u in units)
    assert figures.commitment.vehicles == sum(u[3] for u in units)
    assert figures.commitment.vessels == sum(u[4] for u in units)
    for code, personnel in by_force.items():
        assert figures.commitment.force(code).personnel == personnel
    # Every record has its lead unit; those with rows in the units sheet have them too.
    assert OperationUnit.objects.count() == n + len(units)


def test_a_csv_file_holds_the_records_alone(world: OrgWorld, officer: User) -> None:
    kind = IMPORT_KINDS["patrols"]
    table, rows, _units = _generated(kind, world, 3)
    keys = [c.key for c in table.record_sheet.columns]
    lines = [";".join(c.header for c in table.record_sheet.columns)]
    lines += [";".join(str(r[k]).replace(";", ",") for k in keys) for r in rows]
    content = ("\ufeff" + "\n".join(lines) + "\n").encode()

    result = import_records(actor=officer, kind=kind, content=content, filename="tuan-tra.csv")

    assert result.created == 3
    assert kind.model.objects.aggregate(total=Sum("sorties"))["total"] == sum(
        int(r["sorties"]) for r in rows
    )


def test_a_dry_run_checks_everything_and_saves_nothing(world: OrgWorld, officer: User) -> None:
    kind = IMPORT_KINDS["rescues"]
    table, rows, units = _generated(kind, world, 4)

    result = import_records(
        actor=officer, kind=kind, content=_file(table, rows, units), filename="x.xlsx", commit=False
    )

    assert result.created == 4
    _nothing_saved(kind)


# --- bad cells -----------------------------------------------------------------------------


def _bad(key: str, value: Any, row: int = 4) -> Any:
    def change(rows: list[dict[str, Any]], units: list[list[Any]]) -> None:
        rows[row][key] = value

    return change


def _bad_unit(column: int, value: Any, row: int = 3) -> Any:
    def change(rows: list[dict[str, Any]], units: list[list[Any]]) -> None:
        units[row][column] = value

    return change


@pytest.mark.parametrize("kind", KINDS, ids=SLUGS)
@pytest.mark.parametrize(
    ("change", "sheet", "row", "column"),
    [
        (_bad("start_date", "31/02/2023"), "record", 6, "Từ ngày"),
        (_bad("start_date", "01/01/2999"), "record", 6, "Từ ngày"),  # the service: future
        (_bad("end_date", "01/01/2023"), "record", 6, "Đến ngày"),  # the service: before start
        (_bad("title", "   "), "record", 6, "Nội dung"),
        (_bad("lead_unit", "KHONG-CO"), "record", 6, "Đơn vị chủ trì"),
        (_bad("communes", "99999"), "record", 6, "Mã xã, phường"),
        (_bad("is_joint", "có lẽ"), "record", 6, "Thông tin chung ba lực lượng"),
        (_bad("key", "R2", row=5), "record", 7, "Mã dòng trong tệp"),  # a key used twice
        (_bad_unit(2, "-3"), UNITS_SHEET, 5, "Lượt cán bộ, chiến sĩ"),
        (_bad_unit(1, "KHONG-CO"), UNITS_SHEET, 5, "Đơn vị"),
        (_bad_unit(0, "R99"), UNITS_SHEET, 5, "Mã dòng trong tệp"),
        (_bad_unit(1, "DBP-SK"), UNITS_SHEET, 5, "Đơn vị"),  # the unit twice in a record
    ],
)
def test_one_bad_cell_anywhere_is_named_and_nothing_is_saved(
    kind: Kind,
    change: Any,
    sheet: str,
    row: int,
    column: str,
    world: OrgWorld,
    officer: User,
) -> None:
    table, rows, units = _generated(kind, world, 7)
    change(rows, units)

    with pytest.raises(ImportFailed) as exc:
        import_records(
            actor=officer, kind=kind, content=_file(table, rows, units), filename="x.xlsx"
        )

    expected_sheet = table.record_sheet.name if sheet == "record" else sheet
    assert _where(exc) == [(expected_sheet, row, column)]
    assert exc.value.errors[0].message
    _nothing_saved(kind)


@pytest.mark.parametrize("kind", KINDS, ids=SLUGS)
def test_a_bad_value_of_the_kind_is_named(kind: Kind, world: OrgWorld, officer: User) -> None:
    """The first column of the kind's own (a choice or a catalogue code) given nonsense."""
    table, rows, units = _generated(kind, world, 3)
    key = kind.model.kind_fields[0]
    rows[1][key] = "không có giá trị này"

    with pytest.raises(ImportFailed) as exc:
        import_records(
            actor=officer, kind=kind, content=_file(table, rows, units), filename="x.xlsx"
        )

    header = table.record_sheet.column(key)
    assert header is not None
    assert _where(exc) == [(table.record_sheet.name, 3, header.header)]
    _nothing_saved(kind)


def test_a_workbook_without_the_kind_s_sheet_is_refused(world: OrgWorld, officer: User) -> None:
    kind = IMPORT_KINDS["rescues"]
    table, rows, units = _generated(kind, world, 2)
    book = load_workbook(io.BytesIO(_file(table, rows, units)))
    book[table.record_sheet.name].title = "Sheet1"
    out = io.BytesIO()
    book.save(out)

    with pytest.raises(ImportFailed) as exc:
        import_records(actor=officer, kind=kind, content=out.getvalue(), filename="x.xlsx")

    assert _where(exc) == [(table.record_sheet.name, None, "")]
    assert table.record_sheet.name in exc.value.errors[0].message
    _nothing_saved(kind)


def test_every_bad_cell_is_listed_in_file_order(world: OrgWorld, officer: User) -> None:
    kind = IMPORT_KINDS["zones"]
    table, rows, units = _generated(kind, world, 6)
    rows[5]["start_date"] = "hôm qua"
    rows[1]["end_date"] = "01/01/2020"
    units[0][3] = "mấy"

    with pytest.raises(ImportFailed) as exc:
        import_records(
            actor=officer, kind=kind, content=_file(table, rows, units), filename="x.xlsx"
        )

    name = table.record_sheet.name
    assert _where(exc) == [
        (name, 3, "Đến ngày"),
        (name, 7, "Từ ngày"),
        (UNITS_SHEET, 2, "Lượt phương tiện"),
    ]
    _nothing_saved(kind)


# --- the province and the dates of places --------------------------------------------------


@pytest.mark.parametrize("where", ["lead_unit", "units"])
def test_a_unit_of_another_province_is_refused(where: str, world: OrgWorld, officer: User) -> None:
    kind = IMPORT_KINDS["rescues"]
    table, rows, units = _generated(kind, world, 4)
    other = world.u("ca_other_province").code
    if where == "lead_unit":
        rows[2]["lead_unit"] = other
        expected = (table.record_sheet.name, 4, "Đơn vị chủ trì")
    else:
        units[1][1] = other
        expected = (UNITS_SHEET, 3, "Đơn vị")

    with pytest.raises(ImportFailed) as exc:
        import_records(
            actor=officer, kind=kind, content=_file(table, rows, units), filename="x.xlsx"
        )

    assert _where(exc) == [expected]
    assert world.other_province.name in exc.value.errors[0].message
    _nothing_saved(kind)


def test_a_commune_is_taken_as_it_was_on_the_record_date(world: OrgWorld, officer: User) -> None:
    """A commune that had ended by the record's start date, or of another province, is refused
    on the communes cell; the same code names the old commune on an earlier date."""
    kind = IMPORT_KINDS["patrols"]
    old = AdministrativeArea.objects.create(
        level=AreaLevel.COMMUNE,
        code="18199",
        name="Xã Sơn Kim Cũ",
        parent=world.province,
        valid_until=FIRST_DAY - dt.timedelta(days=2),
    )
    elsewhere = AdministrativeArea.objects.create(
        level=AreaLevel.COMMUNE, code="16001", name="Xã Nghệ", parent=world.other_province
    )
    table, rows, units = _generated(kind, world, 4)
    rows[0]["communes"] = old.code  # after the reform
    rows[2]["communes"] = elsewhere.code

    with pytest.raises(ImportFailed) as exc:
        import_records(
            actor=officer, kind=kind, content=_file(table, rows, units), filename="x.xlsx"
        )

    name = table.record_sheet.name
    assert _where(exc) == [(name, 2, "Mã xã, phường"), (name, 4, "Mã xã, phường")]
    assert old.name in exc.value.errors[0].message
    assert elsewhere.name in exc.value.errors[1].message
    _nothing_saved(kind)

    rows[0]["start_date"] = rows[0]["end_date"] = "10/05/2024"
    rows[2]["communes"] = world.commune_b.code
    import_records(actor=officer, kind=kind, content=_file(table, rows, units), filename="x.xlsx")
    assert kind.model.objects.get(title=rows[0]["title"]).places.get().commune == old


# --- permissions ---------------------------------------------------------------------------


def test_only_officers_and_commanders_import(world: OrgWorld) -> None:
    kind = IMPORT_KINDS["zones"]
    table, rows, units = _generated(kind, world, 2)
    viewer = user(world.u("ca_province"), roles=[])
    with pytest.raises(PermissionDenied):
        import_records(
            actor=viewer, kind=kind, content=_file(table, rows, units), filename="x.xlsx"
        )
    with pytest.raises(PermissionDenied):
        import_template(actor=viewer, kind=kind)
    _nothing_saved(kind)


# --- the page, the job, the API, the command -----------------------------------------------


def _upload(content: bytes, name: str = "ban-ghi.xlsx") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_the_page_runs_a_job_and_shows_its_result(
    client: Any, world: OrgWorld, officer: User, settings: Any
) -> None:
    kind = IMPORT_KINDS["patrols"]
    table, rows, units = _generated(kind, world, 5)
    login(client, officer)
    page = client.get(reverse("operations:import", args=[kind.slug]))
    assert page.status_code == 200
    template = client.get(reverse("operations:import_template", args=[kind.slug]))
    assert template.status_code == 200
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")

    response = client.post(
        reverse("operations:import", args=[kind.slug]),
        {"file": _upload(_file(table, rows, units))},
    )

    assert response.status_code == 302
    status = client.get(response["Location"])
    assert status.status_code == 200
    assert 'data-status="done"' in status.content.decode()
    assert kind.model.objects.count() == 5
    # The upload is not kept once the job has run; only the job's record remains.
    stored = [p for p in (Path(settings.MEDIA_ROOT) / "imports").rglob("*") if p.is_file()]
    assert [p.suffix for p in stored] == [".json"]
    listing = client.get(reverse("operations:import", args=[kind.slug]))
    assert listing.content.decode().count('data-testid="import-job"') == 1


def test_a_refused_file_lists_its_errors_and_another_user_cannot_see_the_job(
    client: Any, world: OrgWorld, officer: User
) -> None:
    kind = IMPORT_KINDS["zones"]
    table, rows, units = _generated(kind, world, 3)
    rows[1]["start_date"] = "không rõ"
    login(client, officer)

    response = client.post(
        reverse("operations:import", args=[kind.slug]),
        {"file": _upload(_file(table, rows, units))},
    )

    status = client.get(response["Location"])
    body = status.content.decode()
    assert 'data-status="failed"' in body and "Từ ngày" in body
    job_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    report = client.get(reverse("operations:import_errors", args=[job_id]))
    sheet = load_workbook(io.BytesIO(report.content)).active
    assert sheet is not None
    assert [c.value for c in sheet[2]][:3] == [table.record_sheet.name, 3, "Từ ngày"]
    _nothing_saved(kind)

    login(client, user(world.u("ca_province"), roles=["officer"]))
    assert client.get(response["Location"]).status_code == 404
    assert client.get(reverse("operations:import_errors", args=[job_id])).status_code == 404


def test_a_queued_job_waits_for_the_worker_and_runs_once(
    client: Any, world: OrgWorld, officer: User, monkeypatch: Any
) -> None:
    from phoihop.operations import tasks

    queued: list[str] = []
    monkeypatch.setattr(tasks, "run_record_import", type("Queue", (), {"enqueue": queued.append}))
    kind = IMPORT_KINDS["zones"]
    table, rows, units = _generated(kind, world, 3)
    login(client, officer)

    response = client.post(
        reverse("operations:import", args=[kind.slug]), {"file": _upload(_file(table, rows, units))}
    )

    assert len(queued) == 1
    waiting = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'data-status="queued"' in waiting and "hx-get" in waiting
    _nothing_saved(kind)

    assert record_import_run(public_id=queued[0]) == {"status": "done", "errors": 0}
    assert record_import_run(public_id=queued[0]) == {"status": "done"}
    assert kind.model.objects.count() == 3
    done = client.get(response["Location"]).content.decode()
    assert 'data-status="done"' in done and "hx-get" not in done


def test_the_list_pages_of_the_imported_kinds_link_to_the_import(
    client: Any, world: OrgWorld, officer: User
) -> None:
    login(client, officer)
    for slug in ("zones", "rescues", "patrols", "checkpoints"):
        html = client.get(reverse("operations:list", args=[slug])).content.decode()
        linked = reverse("operations:import", args=[slug]) in html
        assert linked == (slug in IMPORT_KINDS), slug


def test_the_pages_refuse_who_may_not_create(client: Any, world: OrgWorld) -> None:
    login(client, user(world.u("ca_province"), roles=[]))
    assert client.get(reverse("operations:import", args=["zones"])).status_code == 403
    assert client.get(reverse("operations:import_template", args=["zones"])).status_code == 403
    login(client, user(world.u("ca_province"), roles=["officer"]))
    assert client.get(reverse("operations:import", args=["exercises"])).status_code == 404


def test_the_api_imports_through_a_job(client: Any, world: OrgWorld, officer: User) -> None:
    kind = IMPORT_KINDS["rescues"]
    table, rows, units = _generated(kind, world, 4)
    login(client, officer)
    url = reverse("operations-api:record-import", args=[kind.slug])

    response = client.post(url, {"file": _upload(_file(table, rows, units))})

    assert response.status_code == 202
    job = response.json()
    assert (job["status"], job["created"], job["total_rows"]) == ("done", 4, 4)
    assert kind.model.objects.count() == 4
    again = client.get(reverse("operations-api:record-import-job", args=[job["id"]]))
    assert again.status_code == 200 and again.json()["created"] == 4
    template = client.get(reverse("operations-api:record-import-template", args=[kind.slug]))
    assert template.status_code == 200

    rows[0]["title"] = ""
    refused = client.post(url, {"file": _upload(_file(table, rows, units))}).json()
    assert refused["status"] == "failed"
    assert [(e["sheet"], e["row"], e["column"]) for e in refused["errors"]] == [
        (table.record_sheet.name, 2, "Nội dung")
    ]
    assert kind.model.objects.count() == 4

    login(client, user(world.u("bp_post_a"), roles=["officer"]))
    assert (
        client.get(reverse("operations-api:record-import-job", args=[job["id"]])).status_code == 404
    )
    login(client, user(world.u("bp_post_a"), roles=[]))
    assert client.post(url, {"file": _upload(b"x")}).status_code == 403


def test_the_command_imports_or_lists_the_errors(
    world: OrgWorld, officer: User, tmp_path: Path
) -> None:
    kind = IMPORT_KINDS["zones"]
    table, rows, units = _generated(kind, world, 3)
    path = tmp_path / "khu-vuc.xlsx"
    path.write_bytes(_file(table, rows, units))
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "import_operations", "zones", str(path), "--as", officer.username, "--dry-run", stdout=out
    )
    _nothing_saved(kind)
    call_command("import_operations", "zones", str(path), "--as", officer.username, stdout=out)
    assert kind.model.objects.count() == 3

    rows[0]["start_date"] = "x"
    path.write_bytes(_file(table, rows, units))
    with pytest.raises(CommandError):
        call_command("import_operations", "zones", str(path), "--as", officer.username, stderr=err)
    assert f"{table.record_sheet.name} / 2 / Từ ngày" in err.getvalue()
    assert kind.model.objects.count() == 3
