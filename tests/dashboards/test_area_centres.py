"""Commune centres (trụ sở) for the map: the fields, and the command that loads them."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from phoihop.audit.models import AuditEntry
from phoihop.org.enums import AreaKind, AreaLevel
from phoihop.org.models import AdministrativeArea
from tests import factories


@pytest.fixture
def communes(db: Any) -> tuple[AdministrativeArea, AdministrativeArea]:
    ht = factories.province()
    return (
        factories.area("18196", "Xã Sơn Kim 1", parent=ht),
        factories.area("18676", "Xã Thiên Cầm", parent=ht),
    )


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tru-so.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _load(path: Path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("load_area_centres", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _refused(path: Path) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("load_area_centres", str(path), stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def _centres() -> dict[str, tuple[Decimal | None, Decimal | None]]:
    return {
        a.code: (a.latitude, a.longitude)
        for a in AdministrativeArea.objects.filter(level=AreaLevel.COMMUNE)
    }


def test_a_good_csv_file_sets_every_listed_centre(communes: Any, tmp_path: Path) -> None:
    path = _csv(tmp_path, "code,latitude,longitude\n18196,18.412345,105.312345\n18676,18.3,106\n")

    out, _ = _load(path)

    assert "2 communes" in out
    assert _centres() == {
        "18196": (Decimal("18.412345"), Decimal("105.312345")),
        "18676": (Decimal("18.300000"), Decimal("106.000000")),
    }
    entry = AuditEntry.objects.get(object_type="org.administrativearea")
    assert entry.action == "update"
    assert set(entry.changes["centres"]) == {"18196", "18676"}


def test_an_xlsx_file_with_vietnamese_headers_and_number_cells_loads(
    communes: Any, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Mã xã", "Vĩ độ", "Kinh độ"])
    sheet.append([18196, 18.41234567, "105,3"])  # a number code, 8 decimals, a decimal comma
    path = tmp_path / "tru-so.xlsx"
    book.save(path)

    _load(path)

    assert _centres()["18196"] == (Decimal("18.412346"), Decimal("105.300000"))
    assert _centres()["18676"] == (None, None)


def test_a_later_file_overwrites_only_the_communes_it_lists(communes: Any, tmp_path: Path) -> None:
    _load(_csv(tmp_path, "code,latitude,longitude\n18196,18.4,105.3\n18676,18.3,106\n"))

    _load(_csv(tmp_path, "code,latitude,longitude\n18196,18.5,105.4\n"))

    assert _centres() == {
        "18196": (Decimal("18.5"), Decimal("105.4")),
        "18676": (Decimal("18.3"), Decimal("106")),
    }


def test_a_bad_row_is_named_and_nothing_is_saved(communes: Any, tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "code,latitude,longitude\n18196,18.4,105.3\n18676,mười tám,106\n",
    )

    err = _refused(path)

    assert "dòng 3" in err
    assert "cột “Vĩ độ”" in err
    assert "“mười tám” không phải số" in err
    assert "dòng 2" not in err
    assert _centres() == {"18196": (None, None), "18676": (None, None)}
    assert not AuditEntry.objects.filter(object_type="org.administrativearea").exists()


def test_every_bad_cell_is_named(communes: Any, tmp_path: Path) -> None:
    AdministrativeArea.objects.create(
        code="18199",
        name="Xã Sơn Kim 2",
        kind=AreaKind.XA,
        level=AreaLevel.COMMUNE,
        valid_until=dt.date(2025, 6, 30),
    )
    path = _csv(
        tmp_path,
        "code,latitude,longitude\n"
        "18196,95,105.3\n"  # 2: latitude out of range
        "18676,18.3,-200\n"  # 3: longitude out of range
        "99999,18.3,106\n"  # 4: no such commune
        "18199,18.3,106\n"  # 5: a commune that no longer exists
        "18196,18.4,105.3\n",  # 6: listed twice
    )

    err = _refused(path)

    lines = err.splitlines()
    assert any("dòng 2" in line and "Vĩ độ phải trong khoảng -90 đến 90" in line for line in lines)
    assert any(
        "dòng 3" in line and "Kinh độ phải trong khoảng -180 đến 180" in line for line in lines
    )
    assert any("dòng 4" in line and "“99999”" in line for line in lines)
    assert any("dòng 5" in line and "“18199”" in line for line in lines)
    assert any("dòng 6" in line and "đã có ở dòng 2" in line for line in lines)
    assert len(lines) == 5
    assert _centres() == {"18196": (None, None), "18676": (None, None), "18199": (None, None)}


def test_an_empty_cell_is_named(communes: Any, tmp_path: Path) -> None:
    err = _refused(_csv(tmp_path, "code,latitude,longitude\n18196,18.4,105.3\n18676,,106\n"))

    assert "dòng 3, cột “Vĩ độ”: Ô bắt buộc đang để trống." in err
    assert _centres() == {"18196": (None, None), "18676": (None, None)}


def test_a_file_without_the_columns_is_refused(communes: Any, tmp_path: Path) -> None:
    err = _refused(_csv(tmp_path, "code,lat\n18196,18.4\n"))

    assert "Thiếu cột “Vĩ độ”" in err
    assert "Thiếu cột “Kinh độ”" in err
    assert _centres() == {"18196": (None, None), "18676": (None, None)}


def test_a_centre_needs_both_coordinates(communes: Any) -> None:
    commune = communes[0]
    commune.latitude = Decimal("18.4")

    with pytest.raises(ValidationError) as caught:
        commune.full_clean()

    assert caught.value.message_dict == {"latitude": ["Cần nhập cả vĩ độ và kinh độ."]}


def test_a_centre_must_be_a_place_on_earth(communes: Any) -> None:
    commune = communes[0]
    commune.latitude, commune.longitude = Decimal("-91"), Decimal("181")

    with pytest.raises(ValidationError) as caught:
        commune.full_clean()

    assert caught.value.message_dict == {
        "latitude": ["Vĩ độ phải trong khoảng -90 đến 90."],
        "longitude": ["Kinh độ phải trong khoảng -180 đến 180."],
    }
