"""Operations tests: a checkpoint, a protection task… built through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from phoihop.operations import services
from phoihop.operations.services import UnitPart
from phoihop.org.models import User
from tests.factories import OrgWorld, user


def d(text: str) -> dt.date:
    """`dd/mm/yyyy` → date."""
    return dt.datetime.strptime(text, "%d/%m/%Y").date()


@pytest.fixture
def officer(world: OrgWorld) -> User:
    """A Police officer of the province police, who leads the records."""
    return user(world.u("ca_province"), roles=["officer"])


@pytest.fixture
def border_officer(world: OrgWorld) -> User:
    return user(world.u("bp_post_a"), roles=["officer"])


def make_checkpoint(actor: Any, world: OrgWorld, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "title": "Chốt kiểm soát dịch bệnh Cầu Treo",
        "purpose": "epidemic",
        "place": "Quốc lộ 8A, km 98",
        "start_date": d("01/08/2021"),
        "end_date": d("30/09/2021"),
        "communes": [world.commune_a],
        "units": [
            UnitPart(world.u("ca_province"), personnel=6, vehicles=1),
            UnitPart(world.u("bp_post_a"), personnel=4),
            UnitPart(world.u("qs_commune_a"), personnel=3),
        ],
    }
    values.update(overrides)
    return services.checkpoint_create(actor=actor, **values)


def make_protection(actor: Any, world: OrgWorld, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "title": "Bảo vệ đoàn công tác của Bộ Công an",
        "target": "delegation",
        "delegation_level": "ministry",
        "start_date": d("20/07/2024"),
        "end_date": d("21/07/2024"),
        "units": [UnitPart(world.u("ca_province"), personnel=40, vehicles=6)],
    }
    values.update(overrides)
    return services.protection_create(actor=actor, **values)


def make_rescue(actor: Any, world: OrgWorld, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "title": "Cứu nạn tàu cá bị chìm",
        "incident_kind": "sea_accident",
        "start_date": d("10/08/2024"),
        "people_rescued": 5,
        "vessels_assisted": 1,
        "communes": [world.commune_b],
        "units": [
            UnitPart(world.u("ca_province"), personnel=10, vehicles=2),
            UnitPart(world.u("bp_post_a"), personnel=12, vehicles=1, vessels=2),
        ],
    }
    values.update(overrides)
    return services.rescue_create(actor=actor, **values)


def make_patrol(actor: Any, world: OrgWorld, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "title": "Tuần tra liên ngành khu vực biên giới",
        "route": "border",
        "start_date": d("05/08/2024"),
        "sorties": 3,
        "violations": 1,
        "units": [UnitPart(world.u("ca_province"), personnel=5)],
    }
    values.update(overrides)
    return services.patrol_create(actor=actor, **values)
