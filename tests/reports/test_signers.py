"""Default signature blocks of a joint report: one per force, from the provincial commanders."""

from __future__ import annotations

import pytest
from django.test import override_settings

from phoihop.access.rules import OPERATOR
from phoihop.org.models import User
from phoihop.reports.assembly import build_report, default_signers
from tests.factories import OrgWorld, user

pytestmark = pytest.mark.django_db


def _commander(world: OrgWorld, key: str, name: str, rank_title: str) -> User:
    person = user(world.u(key), roles=["commander"])
    User.objects.filter(pk=person.pk).update(full_name=name, rank_title=rank_title)
    return person


def test_one_block_per_force_in_the_forces_order(world: OrgWorld) -> None:
    _commander(world, "bp_province", "Đinh Xuân Trường", "Đại tá, Phó Chỉ huy trưởng")
    _commander(world, "ca_province", "Nguyễn Văn Thắng", "Đại tá, Phó Giám đốc Công an tỉnh")
    _commander(world, "qs_province", "Trần Quang Minh", "Thượng tá, Chỉ huy trưởng")
    user(world.u("ca_commune_a"), roles=["commander"])  # not a provincial command
    signers = default_signers(world.province)
    assert [(s.agency, s.title, s.rank, s.name) for s in signers] == [
        ("CÔNG AN TỈNH HÀ TĨNH", "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC", "Đại tá", "Nguyễn Văn Thắng"),
        ("BỘ CHỈ HUY QUÂN SỰ TỈNH HÀ TĨNH", "CHỈ HUY TRƯỞNG", "Thượng tá", "Trần Quang Minh"),
        (
            "BỘ CHỈ HUY BỘ ĐỘI BIÊN PHÒNG TỈNH HÀ TĨNH",
            "KT. CHỈ HUY TRƯỞNG / PHÓ CHỈ HUY TRƯỞNG",
            "Đại tá",
            "Đinh Xuân Trường",
        ),
    ]


@override_settings(
    PHOIHOP_REPORT_ISSUER="UBND TỈNH\nBAN CHỈ ĐẠO", PHOIHOP_REPORT_RECIPIENTS=["A", "B"]
)
def test_the_report_takes_the_configured_issuer_and_recipients(world: OrgWorld) -> None:
    _commander(world, "ca_province", "Nguyễn Văn Thắng", "Đại tá, Giám đốc")
    report = build_report(area_code="42", period_key="2024-Q3", actor=OPERATOR)
    assert report.issuer == "UBND TỈNH\nBAN CHỈ ĐẠO"
    assert report.recipients == ["A", "B"]
    assert [(s.title, s.name) for s in report.signers] == [("GIÁM ĐỐC", "Nguyễn Văn Thắng")]


def test_the_border_guard_signs_although_its_command_sits_under_the_military(
    world: OrgWorld,
) -> None:
    import datetime as dt

    from phoihop.org.services import unit_move

    unit_move(
        actor=None,
        unit=world.u("bp_province"),
        new_parent=world.u("qs_province"),
        effective=dt.date(2025, 7, 1),
        reason="Nghị quyết sắp xếp năm 2025",
    )
    _commander(world, "qs_province", "Trần Quang Minh", "Đại tá, Chỉ huy trưởng")
    _commander(world, "bp_province", "Đinh Xuân Trường", "Đại tá, Chỉ huy trưởng")
    assert [s.name for s in default_signers(world.province)] == [
        "Trần Quang Minh",
        "Đinh Xuân Trường",
    ]
