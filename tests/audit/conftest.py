"""A chain of audit entries written by real actions: services, logins and logouts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from phoihop.audit.models import AuditEntry
from phoihop.org.models import Force, UnitLevel
from phoihop.org.services import unit_create, unit_move
from tests.factories import PASSWORD, OrgWorld, user


@pytest.fixture
def chain(world: OrgWorld, client) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    """The world's units and users (services), a failed login, a login, a move and a logout."""
    officer = user(world.u("ca_pc04"), username="canbo.pc04")
    client.post("/login/", {"username": officer.username, "password": "sai-mat-khau"})
    client.post("/login/", {"username": officer.username, "password": PASSWORD})
    unit_move(
        actor=officer,
        unit=world.u("bp_province"),
        new_parent=world.u("qs_province"),
        effective=dt.date(2025, 7, 1),
        reason="Sắp xếp BĐBP tỉnh trực thuộc Bộ CHQS tỉnh",
    )
    unit_create(
        actor=officer,
        force=Force.objects.get(code="QS"),
        code="BCHPTKV-1",
        name="Ban Chỉ huy Phòng thủ khu vực 1 — Hồng Lĩnh",
        level=UnitLevel.objects.get(code="khu_vuc"),
        parent=world.u("qs_province"),
    )
    client.post("/logout/")
    entries = list(AuditEntry.objects.order_by("seq"))
    actions = [e.action for e in entries]
    assert actions[-6:] == ["create", "login_failed", "login", "update", "create", "logout"], str(
        actions
    )
    return entries


def execute(sql: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
