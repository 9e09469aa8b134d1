"""Who sees an operation record: its owner's tree, the units taking part, joint staff of the
province when it is joint, and nobody above their clearance."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from phoihop.core.enums import Classification
from phoihop.core.errors import NotFound
from phoihop.operations import services
from phoihop.operations.selectors import checkpoint_count_list, record_get, record_list
from phoihop.operations.services import UnitPart
from phoihop.org.models import User
from tests.factories import OrgWorld, user
from tests.operations.conftest import d

pytestmark = pytest.mark.django_db


def _common(world: OrgWorld, **extra: Any) -> dict[str, Any]:
    return {
        "units": [UnitPart(world.u("ca_province"), personnel=3), UnitPart(world.u("bp_post_a"), 2)],
        "communes": [world.commune_a],
        **extra,
    }


MAKERS: dict[str, Callable[..., Any]] = {
    "protection": lambda actor, world, **kw: services.protection_create(
        actor=actor,
        title="Bảo vệ đoàn",
        target="delegation",
        delegation_level="foreign",
        start_date=d("01/08/2024"),
        **_common(world, **kw),
    ),
    "checkpoint": lambda actor, world, **kw: services.checkpoint_create(
        actor=actor,
        title="Chốt",
        purpose="border",
        place="Cửa khẩu Cầu Treo",
        start_date=d("01/08/2024"),
        **_common(world, **kw),
    ),
    "zone": lambda actor, world, **kw: services.zone_create(
        actor=actor,
        title="Khu cách ly",
        zone_kind="quarantine",
        start_date=d("01/08/2021"),
        **_common(world, **kw),
    ),
    "patrol": lambda actor, world, **kw: services.patrol_create(
        actor=actor,
        title="Tuần tra",
        route="border",
        start_date=d("01/08/2024"),
        **_common(world, **kw),
    ),
    "rescue": lambda actor, world, **kw: services.rescue_create(
        actor=actor,
        title="Cứu hộ",
        incident_kind="storm",
        start_date=d("01/08/2024"),
        **_common(world, **kw),
    ),
    "exercise": lambda actor, world, **kw: services.exercise_create(
        actor=actor,
        title="Diễn tập",
        exercise_kind="civil_defence",
        start_date=d("01/08/2024"),
        **_common(world, **kw),
    ),
}


def _sees(actor: User, record: Any) -> bool:
    model = type(record)
    in_list = record_list(model, actor=actor).filter(pk=record.pk).exists()
    try:
        record_get(model, actor=actor, public_id=record.public_id)
    except NotFound:
        assert not in_list
        return False
    assert in_list
    return True


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_participating_units_see_the_record_and_other_forces_do_not(
    world: OrgWorld, officer: User, kind: str
) -> None:
    record = MAKERS[kind](officer, world)

    assert _sees(officer, record)
    assert _sees(user(world.u("bp_post_a")), record)  # a unit of another force taking part
    assert not _sees(user(world.u("qs_commune_a")), record)  # another force, not taking part
    assert not _sees(user(world.u("bp_province")), record)  # above the participant: not sent
    assert not _sees(user(world.u("ca_commune_b")), record)  # below the owner, not taking part
    assert not _sees(user(world.u("ca_other_province"), roles=["joint_staff"]), record)
    assert not _sees(user(world.u("qs_province"), roles=["joint_staff"]), record)  # not joint
    assert _sees(user(world.u("ca_province"), roles=["commander"]), record)


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_a_joint_record_is_seen_by_joint_staff_of_the_province(
    world: OrgWorld, officer: User, kind: str
) -> None:
    record = MAKERS[kind](officer, world, is_joint=True)
    assert _sees(user(world.u("qs_province"), roles=["joint_staff"]), record)
    assert not _sees(user(world.u("qs_province"), roles=["officer"]), record)
    assert not _sees(user(world.u("ca_other_province"), roles=["joint_staff"]), record)


def test_a_secret_record_is_hidden_from_participants_without_clearance(
    world: OrgWorld, settings: Any
) -> None:
    settings.PHOIHOP_MAX_CLASSIFICATION = "mat"
    author = user(world.u("ca_province"), clearance=Classification.MAT)
    record = MAKERS["patrol"](author, world, classification=Classification.MAT)
    assert not _sees(user(world.u("bp_post_a")), record)
    assert _sees(user(world.u("bp_post_a"), clearance=Classification.MAT), record)


def test_daily_counts_are_seen_with_their_checkpoint(world: OrgWorld, officer: User) -> None:
    checkpoint = MAKERS["checkpoint"](officer, world)
    services.checkpoint_count_add(
        actor=officer, checkpoint=checkpoint, day=d("02/08/2024"), vehicles=3, people=4
    )
    assert checkpoint_count_list(actor=user(world.u("bp_post_a"))).count() == 1
    assert checkpoint_count_list(actor=user(world.u("qs_commune_a"))).count() == 0
