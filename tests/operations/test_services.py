"""Operation services: records with the units of several forces, daily counts, bad input."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from phoihop.access.models import Distribution
from phoihop.audit.models import AuditEntry
from phoihop.core.enums import Classification
from phoihop.core.errors import DomainError, PermissionDenied, StaleVersion
from phoihop.operations import services
from phoihop.operations.models import (
    Checkpoint,
    CheckpointCount,
    Exercise,
    OperationCommune,
    OperationUnit,
    Patrol,
    ProtectedZone,
    Protection,
    Rescue,
)
from phoihop.operations.services import UnitPart
from phoihop.org.models import User
from tests.cases.conftest import make_case
from tests.factories import OrgWorld, unit, user
from tests.operations.conftest import d, make_checkpoint, make_patrol, make_protection

pytestmark = pytest.mark.django_db

RECORD_MODELS = (Protection, Checkpoint, ProtectedZone, Patrol, Rescue, Exercise)


def _nothing_saved() -> None:
    for model in RECORD_MODELS:
        assert model.all_objects.count() == 0, model
    assert OperationUnit.objects.count() == 0
    assert OperationCommune.objects.count() == 0
    assert Distribution.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type__startswith="operations.").exists()


def test_a_checkpoint_is_shared_with_the_units_of_other_forces_taking_part(
    world: OrgWorld, officer: User
) -> None:
    checkpoint = make_checkpoint(officer, world)

    rows = list(checkpoint.participants.order_by("id"))
    assert [(r.unit.code, r.force.code, r.role, r.personnel) for r in rows] == [
        ("CAT", "CA", "lead", 6),
        ("DBP-SK", "BP", "cooperating", 4),
        ("BCHQSX-SK1", "QS", "cooperating", 3),
    ]
    shared = Distribution.objects.filter(
        content_type=ContentType.objects.get_for_model(Checkpoint), object_id=checkpoint.pk
    )
    assert sorted(shared.values_list("unit__code", flat=True)) == ["BCHQSX-SK1", "DBP-SK"]
    assert list(checkpoint.places.values_list("commune__code", flat=True)) == ["18196"]
    assert checkpoint.province == world.province
    assert AuditEntry.objects.filter(object_type="operations.checkpoint").count() == 1
    assert checkpoint.history.count() == 1


def test_the_lead_unit_is_listed_even_when_not_named(world: OrgWorld, officer: User) -> None:
    patrol = make_patrol(officer, world, units=[UnitPart(world.u("bp_post_a"), personnel=3)])
    assert [(r.unit.code, r.role) for r in patrol.participants.order_by("id")] == [
        ("CAT", "lead"),
        ("DBP-SK", "cooperating"),
    ]


def test_a_unit_below_the_owner_takes_part_without_a_distribution(
    world: OrgWorld, officer: User
) -> None:
    make_patrol(officer, world, units=[UnitPart(world.u("ca_commune_a"), personnel=3)])
    assert OperationUnit.objects.count() == 2
    assert Distribution.objects.count() == 0


@pytest.mark.parametrize(
    ("maker", "overrides", "field"),
    [
        ("checkpoint", {"end_date": d("31/07/2021")}, "end_date"),
        ("checkpoint", {"start_date": None}, "start_date"),
        ("checkpoint", {"place": "  "}, "place"),
        ("checkpoint", {"purpose": "khong-co"}, "purpose"),
        ("checkpoint", {"title": " "}, "title"),
        ("checkpoint", {"classification": Classification.TUYET_MAT}, "classification"),
        ("protection", {"incidents": -1}, "incidents"),
        ("protection", {"delegation_level": ""}, "delegation_level"),
        ("protection", {"target": "event", "delegation_level": ""}, "event_category"),
        (
            "protection",
            {
                "target": "event",
                "event_category": "sport",
                "event_size": -5,
                "delegation_level": "",
            },
            "event_size",
        ),
        ("protection", {"start_date": dt.date(2999, 1, 1), "end_date": None}, "start_date"),
        ("protection", {"units": [UnitPart(None, personnel=1)]}, "units.0.unit"),  # type: ignore[arg-type]
        ("rescue", {"people_rescued": -1}, "people_rescued"),
        ("rescue", {"people_evacuated": -3}, "people_evacuated"),
        ("rescue", {"vessels_assisted": -1}, "vessels_assisted"),
        ("patrol", {"sorties": 0}, "sorties"),
        ("patrol", {"violations": -2}, "violations"),
        ("zone", {"people": -1}, "people"),
        ("exercise", {"participants_count": -10}, "participants_count"),
    ],
)
def test_bad_input_names_its_field_and_saves_nothing(
    world: OrgWorld, officer: User, maker: str, overrides: dict[str, Any], field: str
) -> None:
    base: dict[str, Any] = {
        "checkpoint": {},
        "protection": {},
        "rescue": {"title": "Cứu hộ", "incident_kind": "flood", "start_date": d("01/09/2024")},
        "patrol": {},
        "zone": {"title": "Khu cách ly", "zone_kind": "quarantine", "start_date": d("01/08/2021")},
        "exercise": {
            "title": "Diễn tập",
            "exercise_kind": "sar",
            "start_date": d("01/09/2024"),
        },
    }[maker]
    values = {**base, **overrides}
    with pytest.raises(DomainError) as exc:
        if maker == "checkpoint":
            make_checkpoint(officer, world, **values)
        elif maker == "protection":
            make_protection(officer, world, **values)
        elif maker == "patrol":
            make_patrol(officer, world, **values)
        else:
            create = {
                "rescue": services.rescue_create,
                "zone": services.zone_create,
                "exercise": services.exercise_create,
            }[maker]
            create(actor=officer, **values)
    assert field in exc.value.fields, exc.value.fields
    _nothing_saved()


@pytest.mark.parametrize("name", ["personnel", "vehicles", "vessels"])
def test_a_negative_count_of_a_unit_is_refused(world: OrgWorld, officer: User, name: str) -> None:
    parts = [UnitPart(world.u("ca_province")), UnitPart(world.u("bp_post_a"), **{name: -1})]
    with pytest.raises(DomainError) as exc:
        make_checkpoint(officer, world, units=parts)
    assert exc.value.fields == {f"units.1.{name}": ["Không được là số âm."]}
    _nothing_saved()


def test_a_unit_named_twice_is_refused(world: OrgWorld, officer: User) -> None:
    parts = [UnitPart(world.u("bp_post_a")), UnitPart(world.u("bp_post_a"), personnel=2)]
    with pytest.raises(DomainError) as exc:
        make_checkpoint(officer, world, units=parts)
    assert "units.1.unit" in exc.value.fields
    _nothing_saved()


def test_a_unit_that_did_not_exist_yet_is_refused(world: OrgWorld, officer: User) -> None:
    new_post = unit(
        "BP", "DBP-NEW", "Đồn Biên phòng mới", level="xa", parent=world.u("bp_province")
    )
    new_post.valid_from = dt.date(2025, 7, 1)
    new_post.save()
    with pytest.raises(DomainError) as exc:
        make_checkpoint(officer, world, units=[UnitPart(new_post, personnel=2)])
    assert exc.value.code == "inactive_unit"
    assert "units.0.unit" in exc.value.fields
    _nothing_saved()


def test_a_commune_of_another_province_is_refused(world: OrgWorld, officer: User) -> None:
    foreign = world.other_province.children.create(
        code="16999", name="Xã Ngoài Tỉnh", kind="xa", level="commune"
    )
    with pytest.raises(DomainError) as exc:
        make_checkpoint(officer, world, communes=[world.commune_a, foreign])
    assert "communes" in exc.value.fields
    _nothing_saved()


def test_a_lead_unit_outside_the_actors_tree_is_refused(world: OrgWorld, officer: User) -> None:
    with pytest.raises(DomainError) as exc:
        make_checkpoint(officer, world, lead_unit=world.u("qs_province"))
    assert "lead_unit" in exc.value.fields
    _nothing_saved()


def test_users_without_officer_or_commander_role_cannot_record(world: OrgWorld) -> None:
    staff = user(world.u("ca_province"), roles=["joint_staff"])
    with pytest.raises(PermissionDenied):
        make_checkpoint(staff, world)
    _nothing_saved()


def test_a_patrol_links_only_cases_the_actor_sees(world: OrgWorld, officer: User) -> None:
    mine = make_case(officer, world)
    hidden = make_case(user(world.u("qs_province"), roles=["officer"]), world)
    with pytest.raises(DomainError) as exc:
        make_patrol(officer, world, cases=[mine, hidden])
    assert "cases" in exc.value.fields
    _nothing_saved()
    patrol = make_patrol(officer, world, cases=[mine])
    assert list(patrol.cases.all()) == [mine]


# --- updates ------------------------------------------------------------------------------


def test_an_update_replaces_the_units_and_withdraws_the_distribution(
    world: OrgWorld, officer: User
) -> None:
    checkpoint = make_checkpoint(officer, world)
    version = checkpoint.version
    changed = services.operation_update(
        actor=officer,
        record=checkpoint,
        expected_version=version,
        changes={},
        units=[UnitPart(world.u("ca_province"), personnel=8), UnitPart(world.u("bp_post_a"))],
        communes=[world.commune_a, world.commune_b],
    )
    assert changed == ["communes", "units"]
    assert checkpoint.version == version + 1
    assert sorted(Distribution.objects.values_list("unit__code", flat=True)) == ["DBP-SK"]
    assert checkpoint.participants.get(unit__code="CAT").personnel == 8
    assert checkpoint.places.count() == 2
    with pytest.raises(StaleVersion):
        services.operation_update(
            actor=officer, record=checkpoint, expected_version=version, changes={"title": "X"}
        )


def test_an_update_with_an_end_before_the_start_saves_nothing(
    world: OrgWorld, officer: User
) -> None:
    protection = make_protection(officer, world)
    with pytest.raises(DomainError) as exc:
        services.operation_update(
            actor=officer,
            record=protection,
            expected_version=protection.version,
            changes={"title": "Đổi tên", "end_date": d("01/07/2024")},
        )
    assert "end_date" in exc.value.fields
    protection.refresh_from_db()
    assert protection.title == "Bảo vệ đoàn công tác của Bộ Công an"
    assert protection.version == 1


def test_a_participating_unit_of_another_force_may_not_edit_the_record(
    world: OrgWorld, officer: User, border_officer: User
) -> None:
    checkpoint = make_checkpoint(officer, world)
    with pytest.raises(PermissionDenied):
        services.operation_update(
            actor=border_officer,
            record=checkpoint,
            expected_version=None,
            changes={"title": "Sửa"},
        )


def test_a_deleted_record_is_kept_in_history(world: OrgWorld, officer: User) -> None:
    protection = make_protection(officer, world)
    services.operation_delete(actor=officer, record=protection)
    assert Protection.objects.count() == 0
    assert Protection.all_objects.get().deleted_at is not None
    assert protection.history.count() == 2


# --- daily counts -------------------------------------------------------------------------


def test_daily_counts_are_recorded_by_the_lead_and_by_a_participating_unit(
    world: OrgWorld, officer: User, border_officer: User
) -> None:
    checkpoint = make_checkpoint(officer, world)
    services.checkpoint_count_add(
        actor=officer, checkpoint=checkpoint, day=d("01/08/2021"), vehicles=320, people=512
    )
    services.checkpoint_count_add(
        actor=border_officer,
        checkpoint=checkpoint,
        day=d("02/08/2021"),
        vehicles=298,
        people=477,
        note="  Mưa lớn  ",
    )
    rows = list(checkpoint.counts.values_list("day", "vehicles", "people", "note"))
    assert rows == [
        (d("01/08/2021"), 320, 512, ""),
        (d("02/08/2021"), 298, 477, "Mưa lớn"),
    ]
    assert AuditEntry.objects.filter(object_type="operations.checkpointcount").count() == 2


def test_a_unit_not_staffing_the_checkpoint_may_not_count(world: OrgWorld, officer: User) -> None:
    checkpoint = make_checkpoint(officer, world)
    military = user(world.u("qs_province"), roles=["officer", "commander"])
    with pytest.raises(PermissionDenied):
        services.checkpoint_count_add(
            actor=military, checkpoint=checkpoint, day=d("01/08/2021"), vehicles=1, people=1
        )
    assert CheckpointCount.all_objects.count() == 0


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"day": d("31/07/2021")}, "day", "day_outside_period"),
        ({"day": d("01/10/2021")}, "day", "day_outside_period"),
        ({"day": d("03/08/2021")}, "day", "duplicate_day"),
        ({"vehicles": -1}, "vehicles", "negative_count"),
        ({"people": -7}, "people", "negative_count"),
        ({"day": None}, "day", "required"),
    ],
)
def test_a_bad_daily_count_names_its_field_and_saves_nothing(
    world: OrgWorld, officer: User, values: dict[str, Any], field: str, code: str
) -> None:
    checkpoint = make_checkpoint(officer, world)
    services.checkpoint_count_add(
        actor=officer, checkpoint=checkpoint, day=d("03/08/2021"), vehicles=10, people=20
    )
    entries = AuditEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        services.checkpoint_count_add(
            actor=officer,
            checkpoint=checkpoint,
            **{"day": d("04/08/2021"), "vehicles": 5, "people": 9, **values},
        )
    assert list(exc.value.fields) == [field]
    assert exc.value.code == code
    assert CheckpointCount.all_objects.count() == 1
    assert AuditEntry.objects.count() == entries


def test_the_message_of_a_day_outside_the_period_names_the_period(
    world: OrgWorld, officer: User
) -> None:
    checkpoint = make_checkpoint(officer, world)
    with pytest.raises(DomainError) as exc:
        services.checkpoint_count_add(
            actor=officer, checkpoint=checkpoint, day=d("01/10/2021"), vehicles=1, people=1
        )
    assert exc.value.fields["day"] == [
        "Ngày 01/10/2021 nằm ngoài thời gian hoạt động của chốt (từ 01/08/2021 đến 30/09/2021)."
    ]


def test_an_open_checkpoint_takes_no_count_for_a_future_day(world: OrgWorld, officer: User) -> None:
    checkpoint = make_checkpoint(officer, world, end_date=None)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(DomainError) as exc:
        services.checkpoint_count_add(
            actor=officer, checkpoint=checkpoint, day=tomorrow, vehicles=1, people=1
        )
    assert exc.value.code == "future_date"


def test_a_deleted_day_may_be_counted_again_and_updates_keep_the_rules(
    world: OrgWorld, officer: User
) -> None:
    checkpoint = make_checkpoint(officer, world)
    first = services.checkpoint_count_add(
        actor=officer, checkpoint=checkpoint, day=d("05/08/2021"), vehicles=1, people=1
    )
    second = services.checkpoint_count_add(
        actor=officer, checkpoint=checkpoint, day=d("06/08/2021"), vehicles=2, people=2
    )
    with pytest.raises(DomainError) as exc:
        services.checkpoint_count_update(
            actor=officer, count=second, expected_version=1, changes={"day": d("05/08/2021")}
        )
    assert exc.value.code == "duplicate_day"
    assert services.checkpoint_count_update(
        actor=officer, count=second, expected_version=1, changes={"vehicles": 20}
    ) == ["vehicles"]
    services.checkpoint_count_delete(actor=officer, count=first)
    again = services.checkpoint_count_add(
        actor=officer, checkpoint=checkpoint, day=d("05/08/2021"), vehicles=3, people=3
    )
    assert again.pk != first.pk
    assert checkpoint.counts.count() == 2


def test_a_checkpoint_period_cannot_shrink_past_its_counts(world: OrgWorld, officer: User) -> None:
    checkpoint = make_checkpoint(officer, world)
    services.checkpoint_count_add(
        actor=officer, checkpoint=checkpoint, day=d("20/09/2021"), vehicles=1, people=1
    )
    with pytest.raises(DomainError) as exc:
        services.operation_update(
            actor=officer,
            record=checkpoint,
            expected_version=None,
            changes={"end_date": d("15/09/2021")},
        )
    assert exc.value.code == "counts_outside_period"
    assert "end_date" in exc.value.fields
    checkpoint.refresh_from_db()
    assert checkpoint.end_date == d("30/09/2021")
