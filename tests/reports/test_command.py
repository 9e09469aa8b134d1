"""`manage.py report` (and `phoihop report`): formats, output file, --as, and clear errors."""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.cases.conftest import at, make_case
from tests.factories import OrgWorld, user


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("report", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def cases(world: OrgWorld) -> dict[str, Any]:
    staff = user(world.u("ca_province"), roles=["officer"])
    officer = user(world.u("ca_commune_a"), roles=["officer"], username="xa.canbo")
    return {
        "staff": make_case(staff, world, detected_at=at("01/08/2024")),
        "officer": make_case(officer, world, detected_at=at("02/08/2024")),
    }


def test_text_goes_to_stdout_and_progress_to_stderr(cases: dict[str, Any]) -> None:
    out, err = run("--area", "42", "--period", "2024-Q3")
    assert "BÁO CÁO" in out and "quý III năm 2024" in out
    assert "02 vụ/0 đối tượng" in out
    assert "Đang tổng hợp số liệu" in err and "BÁO CÁO" not in err


def test_json_gives_every_figure_with_its_changes_and_provenance(cases: dict[str, Any]) -> None:
    out, _err = run("--area", "42", "--period", "2024-Q3", "--format", "json")
    data = json.loads(out)
    assert data["area"] == {"code": "42", "name": "Tỉnh Hà Tĩnh"}
    assert data["as_user"] == ""
    figures = {f["key"]: f for s in data["sections"] for f in s["figures"]}
    count = figures["cases.count"]
    assert count["value"] == 2 and count["text"] == "02 vụ"
    assert count["last_year"] == 0 and count["change_vs_last_year"] == {"delta": 2, "ratio": None}
    ids = set(count["provenance"][0]["ids"])
    assert ids == {str(cases["staff"].public_id), str(cases["officer"].public_id)}


def test_as_a_user_restricts_the_figures_to_what_they_may_see(cases: dict[str, Any]) -> None:
    out, _err = run("--area", "42", "--period", "2024-Q3", "--format", "json", "--as", "xa.canbo")
    data = json.loads(out)
    assert data["as_user"] == "xa.canbo"
    figures = {f["key"]: f for s in data["sections"] for f in s["figures"]}
    assert figures["cases.count"]["value"] == 1
    assert figures["cases.count"]["provenance"][0]["ids"] == [str(cases["officer"].public_id)]


def test_output_goes_to_the_named_file(cases: dict[str, Any], tmp_path: Path) -> None:
    target = tmp_path / "bao-cao.txt"
    out, _err = run("--area", "42", "--period", "2024-Q3", "--output", str(target))
    assert out == ""
    assert "BÁO CÁO" in target.read_text("utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--area", "99", "--period", "2024-Q3"], "mã “99”"),
        (["--area", "42", "--period", "2024-Q9"], "Kỳ báo cáo “2024-Q9” không hợp lệ"),
        (["--area", "42", "--period", "2024-Q3", "--as", "khong.co"], "“khong.co”"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(
    world: OrgWorld, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError) as refused:
        run(*args)
    assert message in str(refused.value)


def test_an_unknown_format_is_refused(world: OrgWorld) -> None:
    with pytest.raises(CommandError):
        run("--area", "42", "--period", "2024-Q3", "--format", "pdf")


@pytest.mark.parametrize(("kind", "module"), [("docx", "docx"), ("xlsx", "xlsx")])
def test_documents_are_written_by_their_renderers_when_installed(
    cases: dict[str, Any], tmp_path: Path, kind: str, module: str
) -> None:
    target = tmp_path / f"bao-cao.{kind}"
    args = ["--area", "42", "--period", "2024-Q3", "--format", kind, "--output", str(target)]
    if importlib.util.find_spec(f"phoihop.reports.{module}") is None:
        with pytest.raises(CommandError):
            run(*args)
        return
    run(*args)
    assert target.read_bytes()[:2] == b"PK"  # a zip: the OOXML container
