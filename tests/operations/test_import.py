"""Import of a checkpoint's daily counts (XLSX/CSV): all or nothing, every bad cell named."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook

from phoihop.core.errors import PermissionDenied
from phoihop.core.tabular import ImportFailed
from phoihop.operations.imports import checkpoint_counts_import, counts_template
from phoihop.operations.models import CheckpointCount
from phoihop.operations.services import checkpoint_count_add
from phoihop.org.models import User
from tests.factories import OrgWorld, user
from tests.operations.conftest import d, make_checkpoint

pytestmark = pytest.mark.django_db

HEADER = "Ngày;Lượt phương tiện;Lượt người;Ghi chú"


def _csv(*lines: str) -> bytes:
    return ("\ufeff" + "\n".join([HEADER, *lines]) + "\n").encode()


def _errors(exc: pytest.ExceptionInfo[ImportFailed]) -> list[tuple[Any, ...]]:
    return [(e.sheet, e.row, e.column) for e in exc.value.errors]


def test_a_csv_file_is_saved_with_vietnamese_numbers(world: OrgWorld, officer: User) -> None:
    checkpoint = make_checkpoint(officer, world)
    created = checkpoint_counts_import(
        actor=officer,
        checkpoint=checkpoint,
        content=_csv("01/08/2021;1.200;2.229;", "2021-08-02;310;1.200;Mưa lớn"),
        filename="so-lieu.csv",
    )
    assert [(c.day, c.vehicles, c.people, c.note) for c in created] == [
        (d("01/08/2021"), 1200, 2229, ""),
        (d("02/08/2021"), 310, 1200, "Mưa lớn"),
    ]


@pytest.mark.parametrize(
    ("lines", "errors"),
    [
        (["01/08/2021;10;20;", "01/08/2021;1;1;"], [("Số liệu chốt", 3, "Ngày")]),
        (["01/08/2021;10;20;", "15/10/2021;1;1;"], [("Số liệu chốt", 3, "Ngày")]),
        (["01/08/2021;-10;20;"], [("Số liệu chốt", 2, "Lượt phương tiện")]),
        (["01/08/2021;10;hai mươi;"], [("Số liệu chốt", 2, "Lượt người")]),
        (["32/08/2021;10;20;"], [("Số liệu chốt", 2, "Ngày")]),
        (["05/08/2021;10;20;"], [("Số liệu chốt", 2, "Ngày")]),  # already recorded
        (
            ["01/08/2021;x;20;", "02/08/2021;1;-1;"],
            [("Số liệu chốt", 2, "Lượt phương tiện"), ("Số liệu chốt", 3, "Lượt người")],
        ),
    ],
)
def test_one_bad_row_saves_nothing_and_every_bad_cell_is_named(
    world: OrgWorld, officer: User, lines: list[str], errors: list[tuple[Any, ...]]
) -> None:
    checkpoint = make_checkpoint(officer, world)
    checkpoint_count_add(
        actor=officer, checkpoint=checkpoint, day=d("05/08/2021"), vehicles=1, people=1
    )
    with pytest.raises(ImportFailed) as exc:
        checkpoint_counts_import(
            actor=officer, checkpoint=checkpoint, content=_csv(*lines), filename="x.csv"
        )
    assert _errors(exc) == errors
    assert CheckpointCount.all_objects.count() == 1


def test_a_file_without_rows_or_without_a_column_is_refused(world: OrgWorld, officer: User) -> None:
    checkpoint = make_checkpoint(officer, world)
    with pytest.raises(ImportFailed) as exc:
        checkpoint_counts_import(
            actor=officer, checkpoint=checkpoint, content=_csv(), filename="x.csv"
        )
    assert exc.value.errors[0].message == "Tệp không có dòng số liệu nào."
    with pytest.raises(ImportFailed) as exc:
        checkpoint_counts_import(
            actor=officer,
            checkpoint=checkpoint,
            content="Ngày;Lượt người\n01/08/2021;5\n".encode(),
            filename="x.csv",
        )
    assert _errors(exc) == [("Số liệu chốt", 1, "Lượt phương tiện")]
    assert CheckpointCount.all_objects.count() == 0


def test_only_the_units_of_the_checkpoint_may_import(world: OrgWorld, officer: User) -> None:
    checkpoint = make_checkpoint(officer, world)
    with pytest.raises(PermissionDenied):
        checkpoint_counts_import(
            actor=user(world.u("qs_province")),
            checkpoint=checkpoint,
            content=_csv("01/08/2021;1;1;"),
            filename="x.csv",
        )
    assert CheckpointCount.all_objects.count() == 0


def test_the_filled_template_imports(world: OrgWorld, officer: User) -> None:
    checkpoint = make_checkpoint(officer, world)
    template = counts_template()
    created = checkpoint_counts_import(
        actor=officer, checkpoint=checkpoint, content=template, filename="mau.xlsx"
    )
    assert [(c.day, c.vehicles, c.people) for c in created] == [(d("01/08/2021"), 320, 512)]


def test_an_xlsx_with_dates_as_cells_is_read(world: OrgWorld, officer: User) -> None:
    checkpoint = make_checkpoint(officer, world)
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "Số liệu chốt"
    ws.append(["Ngày", "Lượt phương tiện", "Lượt người"])
    ws.append([d("03/08/2021"), 12, 34])
    out = io.BytesIO()
    book.save(out)
    created = checkpoint_counts_import(
        actor=officer, checkpoint=checkpoint, content=out.getvalue(), filename="x.xlsx"
    )
    assert [(c.day, c.vehicles, c.people) for c in created] == [(d("03/08/2021"), 12, 34)]
