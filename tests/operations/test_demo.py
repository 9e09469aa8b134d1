"""The demo's joint operations: quý III/2024 with 22 delegations and 12 events protected,
earlier quarters to compare, the COVID checkpoint and zones of 2021; idempotent.

The demo province is built once for the module (the existing build, then this step, as the
builder's STEPS will run it; harmless once STEPS holds it) and rolled back afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

import pytest
from django.db import transaction

from phoihop.operations.models import (
    Checkpoint,
    CheckpointCount,
    Exercise,
    Patrol,
    ProtectedZone,
    Protection,
    Rescue,
)
from phoihop.operations.selectors import operations_figures
from phoihop.org.models import User
from phoihop_dev.demo.builder import apply_moves, build, build_units, build_users, close_units
from phoihop_dev.demo.data import DEFAULT
from phoihop_dev.demo.operations import CHECKPOINT_END, CHECKPOINT_START, build_operations, plan
from tests.demo.support import run_load_demo

Q3_2024 = (dt.date(2024, 6, 15), dt.date(2024, 9, 14))
Q2_2024 = (dt.date(2024, 3, 15), dt.date(2024, 6, 14))
Q3_2023 = (dt.date(2023, 6, 15), dt.date(2023, 9, 14))
JOINT_STAFF = ("ca.tmth", "qs.tmth", "bp.tmth")
STEPS = [build_units, apply_moves, close_units, build_users, build_operations]


@pytest.fixture(scope="module")
def first_run(django_db_setup, django_db_blocker) -> Iterator[Counter[str]]:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            run_load_demo()
            yield build(DEFAULT, steps=STEPS)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(first_run: Counter[str], db: None) -> Counter[str]:
    return first_run


def joint(username: str = "ca.tmth") -> User:
    return User.objects.get(username=username)


def test_the_step_records_the_whole_plan(demo: Counter[str]) -> None:
    # Counted in the database: once STEPS holds this step, load_demo has already run it.
    planned = Counter(r.model for r in plan())
    assert Protection.objects.count() == planned[Protection] == 87
    assert Patrol.objects.count() == planned[Patrol]
    assert Rescue.objects.count() == planned[Rescue]
    assert Exercise.objects.count() == planned[Exercise]
    assert ProtectedZone.objects.count() == planned[ProtectedZone] == 4
    assert Checkpoint.objects.count() == 1
    assert CheckpointCount.objects.count() == (CHECKPOINT_END - CHECKPOINT_START).days + 1 == 61


def test_quarter_three_of_2024_holds_22_delegations_and_12_events(demo: Counter[str]) -> None:
    for username in JOINT_STAFF:
        figures = operations_figures(actor=joint(username), start=Q3_2024[0], end=Q3_2024[1])
        assert (figures.protection.delegations, figures.protection.events) == (22, 12), username
        assert figures.rescues.incidents == 4
        assert figures.patrols.patrols == 6
        assert figures.exercises.exercises == 1


def test_earlier_quarters_hold_their_own_records_for_comparison(demo: Counter[str]) -> None:
    rows = []
    for start, end in (Q3_2023, Q2_2024, Q3_2024):
        figures = operations_figures(actor=joint(), start=start, end=end)
        rows.append(
            (
                figures.protection.delegations,
                figures.protection.events,
                figures.rescues.incidents,
                figures.patrols.patrols,
            )
        )
    assert rows == [(18, 10, 3, 4), (17, 8, 2, 5), (22, 12, 4, 6)]


def test_the_figures_match_the_plan_summed_by_hand(demo: Counter[str]) -> None:
    q3 = [r for r in plan() if r.quarter == "2024-Q3"]
    figures = operations_figures(actor=joint(), start=Q3_2024[0], end=Q3_2024[1])
    rescues = [r for r in q3 if r.model is Rescue]
    assert figures.rescues.people_evacuated == sum(
        dict(r.fields)["people_evacuated"] for r in rescues
    )
    personnel_by_force: Counter[str] = Counter()
    for record in rescues:
        for unit, personnel, _vehicles, _vessels in record.units:
            personnel_by_force[unit.split(".")[0].upper()] += personnel
    got = {code: share.personnel for code, share in figures.rescues.commitment.by_force.items()}
    assert got == dict(personnel_by_force)
    patrols = [r for r in q3 if r.model is Patrol]
    assert figures.patrols.sorties == sum(dict(r.fields)["sorties"] for r in patrols)
    assert set(figures.patrols.by_route) == {"border", "sea", "land"}


def test_the_covid_checkpoint_and_zones_of_2021(demo: Counter[str]) -> None:
    checkpoint = Checkpoint.objects.get()
    assert checkpoint.counts.count() == 61
    covid = next(r for r in plan() if r.model is Checkpoint)
    q3_2021 = operations_figures(
        actor=joint(), start=dt.date(2021, 6, 15), end=dt.date(2021, 9, 14)
    )
    inside = [c for c in covid.counts if c[0] <= dt.date(2021, 9, 14)]
    assert q3_2021.checkpoints.days == len(inside) == 45
    assert q3_2021.checkpoints.vehicles == sum(c[1] for c in inside)
    assert q3_2021.checkpoints.people == sum(c[2] for c in inside)
    assert q3_2021.zones.by_kind == {
        "quarantine": 1,
        "lockdown": 1,
        "treatment": 1,
        "key_target": 1,
    }
    assert set(checkpoint.participants.values_list("force__code", flat=True)) == {"CA", "BP", "QS"}


def test_units_take_part_only_when_they_existed(demo: Counter[str]) -> None:
    from phoihop.operations.models import OperationUnit

    for row in OperationUnit.objects.select_related("unit"):
        record = row.record
        assert row.unit.valid_from is None or row.unit.valid_from <= record.start_date


def test_a_second_run_creates_nothing(demo: Counter[str]) -> None:
    before = (Protection.objects.count(), CheckpointCount.objects.count())
    again = build(DEFAULT, steps=STEPS)
    assert not again
    assert (Protection.objects.count(), CheckpointCount.objects.count()) == before
