"""Period figures of the joint operations, against totals computed by hand."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from phoihop.operations import services
from phoihop.operations.selectors import (
    checkpoint_figures,
    checkpoint_list,
    operations_figures,
    records_in,
    zone_list,
)
from phoihop.operations.services import UnitPart
from phoihop.org.models import User
from tests.cases.conftest import make_case
from tests.factories import OrgWorld, user
from tests.operations.conftest import d, make_checkpoint, make_patrol, make_protection, make_rescue

pytestmark = pytest.mark.django_db

Q3_2024 = (d("15/06/2024"), d("14/09/2024"))


@pytest.fixture
def people(world: OrgWorld, officer: User, border_officer: User) -> dict[str, User]:
    return {
        "ca": officer,
        "bp": border_officer,
        "qs": user(world.u("qs_province"), roles=["officer"]),
        "ca_joint": user(world.u("ca_province"), roles=["officer", "joint_staff"]),
        "qs_commune": user(world.u("qs_commune_a"), roles=["officer"]),
    }


@pytest.fixture
def protections(world: OrgWorld, people: dict[str, User]) -> None:
    ca, qs = people["ca"], people["qs"]
    make_protection(
        ca,
        world,
        communes=[world.commune_a],
        units=[
            UnitPart(world.u("ca_province"), personnel=40, vehicles=6),
            UnitPart(world.u("bp_post_a"), personnel=10, vehicles=2),
        ],
    )
    make_protection(
        ca,
        world,
        delegation_level="foreign",
        start_date=d("01/09/2024"),
        end_date=None,
        incidents=1,
        communes=[world.commune_b],
        units=[UnitPart(world.u("ca_province"), personnel=20)],
    )
    make_protection(
        ca,
        world,
        title="Bảo vệ giải bóng đá",
        target="event",
        delegation_level="",
        event_category="sport",
        event_size=5000,
        incidents=2,
        start_date=d("10/08/2024"),
        end_date=d("12/08/2024"),
        communes=[world.commune_a],
        units=[
            UnitPart(world.u("ca_province"), personnel=100),
            UnitPart(world.u("qs_commune_a"), personnel=30),
        ],
    )
    # Outside the quarter, on either side.
    make_protection(ca, world, delegation_level="central_leaders", start_date=d("14/06/2024"))
    make_protection(
        ca,
        world,
        target="event",
        delegation_level="",
        event_category="political",
        start_date=d("15/09/2024"),
        end_date=None,
    )
    # The Military Command's own event, marked joint: joint staff see it, the Police do not.
    make_protection(
        qs,
        world,
        title="Bảo vệ lễ hội văn hóa",
        target="event",
        delegation_level="",
        event_category="cultural",
        event_size=800,
        start_date=d("14/09/2024"),
        end_date=None,
        is_joint=True,
        units=[UnitPart(world.u("qs_province"), personnel=25)],
    )


def test_protection_figures_of_the_quarter(people: dict[str, User], protections: None) -> None:
    figures = operations_figures(actor=people["ca"], start=Q3_2024[0], end=Q3_2024[1]).protection

    assert (figures.delegations, figures.events, figures.total) == (2, 1, 3)
    assert figures.by_level == {"ministry": 1, "foreign": 1}
    assert figures.by_category == {"sport": 1}
    assert figures.attendees == 5000
    assert figures.incidents == 3
    assert figures.commitment.personnel == 40 + 10 + 20 + 100 + 30
    assert figures.commitment.all_vehicles == 8
    by_force = figures.commitment.by_force
    assert {code: (s.records, s.personnel) for code, s in by_force.items()} == {
        "CA": (3, 160),
        "BP": (1, 10),
        "QS": (1, 30),
    }


def test_joint_staff_also_count_the_joint_records_of_other_forces(
    people: dict[str, User], protections: None
) -> None:
    figures = operations_figures(
        actor=people["ca_joint"], start=Q3_2024[0], end=Q3_2024[1]
    ).protection
    assert (figures.delegations, figures.events) == (2, 2)
    assert figures.attendees == 5800
    assert figures.commitment.force("QS").records == 2


def test_a_participating_unit_counts_what_it_took_part_in(
    people: dict[str, User], protections: None
) -> None:
    figures = operations_figures(actor=people["bp"], start=Q3_2024[0], end=Q3_2024[1]).protection
    assert (figures.delegations, figures.events) == (1, 0)
    nothing = operations_figures(actor=people["qs"], start=Q3_2024[0], end=Q3_2024[1]).protection
    assert (nothing.delegations, nothing.events) == (0, 1)  # only its own joint event


def test_the_area_narrows_the_figures_to_the_records_naming_the_commune(
    world: OrgWorld, people: dict[str, User], protections: None
) -> None:
    commune = operations_figures(
        actor=people["ca"], start=Q3_2024[0], end=Q3_2024[1], area=world.commune_a
    ).protection
    assert (commune.delegations, commune.events) == (1, 1)
    province = operations_figures(
        actor=people["ca"], start=Q3_2024[0], end=Q3_2024[1], area=world.province
    ).protection
    assert province.total == 3
    other = operations_figures(
        actor=people["ca"], start=Q3_2024[0], end=Q3_2024[1], area=world.other_province
    ).protection
    assert other.total == 0


def test_a_pre_2025_commune_merged_into_the_area_counts_for_it(
    world: OrgWorld, people: dict[str, User]
) -> None:
    old = world.province.children.create(
        code="18190", name="Xã Sơn Kim 1 (cũ)", kind="xa", level="commune"
    )
    old.successors.add(world.commune_a)
    make_protection(people["ca"], world, communes=[old])
    figures = operations_figures(
        actor=people["ca"], start=Q3_2024[0], end=Q3_2024[1], area=world.commune_a
    )
    assert figures.protection.delegations == 1


def test_checkpoint_totals_are_the_daily_counts_of_the_period(
    world: OrgWorld, people: dict[str, User]
) -> None:
    ca = people["ca"]
    first = make_checkpoint(ca, world)
    for day, vehicles, people_count in (
        ("01/08/2021", 100, 200),
        ("15/08/2021", 50, 70),
        ("20/09/2021", 30, 40),
    ):
        services.checkpoint_count_add(
            actor=ca, checkpoint=first, day=d(day), vehicles=vehicles, people=people_count
        )
    second = make_checkpoint(
        ca,
        world,
        title="Chốt giao thông",
        purpose="traffic",
        start_date=d("15/09/2021"),
        end_date=None,
        units=[UnitPart(world.u("ca_province"), personnel=2)],
    )
    services.checkpoint_count_add(
        actor=ca, checkpoint=second, day=d("16/09/2021"), vehicles=10, people=10
    )

    august = operations_figures(actor=ca, start=d("01/08/2021"), end=d("31/08/2021")).checkpoints
    assert (august.checkpoints, august.days, august.vehicles, august.people) == (1, 2, 150, 270)
    assert august.by_purpose == {"epidemic": 1}
    assert august.commitment.personnel == 6 + 4 + 3

    year = operations_figures(actor=ca, start=d("01/01/2021"), end=d("31/12/2021")).checkpoints
    assert (year.checkpoints, year.days, year.vehicles, year.people) == (2, 4, 190, 320)
    assert year.by_checkpoint[second.pk].vehicles == 10
    assert year.commitment.force("CA").records == 2
    assert year.commitment.force("BP").records == 1

    # A participating unit sees the checkpoint and its counts; another force's unit does not.
    border = operations_figures(actor=people["bp"], start=d("01/01/2021"), end=d("31/12/2021"))
    assert (border.checkpoints.checkpoints, border.checkpoints.vehicles) == (1, 180)
    military = operations_figures(actor=people["qs"], start=d("01/01/2021"), end=d("31/12/2021"))
    assert (military.checkpoints.checkpoints, military.checkpoints.vehicles) == (0, 0)

    # Without a period: everything counted.
    every = checkpoint_figures(checkpoint_list(actor=ca))
    assert (every.days, every.vehicles, every.people) == (4, 190, 320)


def test_zones_count_while_they_operate(world: OrgWorld, people: dict[str, User]) -> None:
    ca = people["ca"]
    for title, kind, start, end, count in (
        ("Khu cách ly tập trung trường Quân sự", "quarantine", "01/08/2021", "21/08/2021", 120),
        ("Phong tỏa thôn 3", "lockdown", "20/07/2021", None, 3000),
        ("Bảo vệ mục tiêu kho xăng dầu", "key_target", "01/01/2021", "01/02/2021", None),
    ):
        services.zone_create(
            actor=ca,
            title=title,
            zone_kind=kind,
            start_date=d(start),
            end_date=d(end) if end else None,
            people=count,
            units=[UnitPart(world.u("ca_province"), personnel=5)],
        )
    figures = operations_figures(actor=ca, start=d("01/08/2021"), end=d("31/08/2021")).zones
    assert figures.zones == 2
    assert figures.by_kind == {"quarantine": 1, "lockdown": 1}
    assert figures.people == 3120
    assert figures.commitment.personnel == 10
    july = records_in(zone_list(actor=ca), start=d("01/07/2021"), end=d("19/07/2021"))
    assert july.count() == 0


def test_patrol_sorties_violations_and_linked_cases(
    world: OrgWorld, people: dict[str, User]
) -> None:
    ca, bp = people["ca"], people["bp"]
    police_case = make_case(ca, world)
    border_case = make_case(bp, world)
    make_patrol(
        ca,
        world,
        cases=[police_case],
        units=[UnitPart(world.u("ca_province"), personnel=5), UnitPart(world.u("bp_post_a"), 4)],
    )
    make_patrol(
        bp,
        world,
        title="Tuần tra trên biển",
        route="sea",
        start_date=d("20/08/2024"),
        sorties=2,
        violations=2,
        cases=[border_case],
        units=[
            UnitPart(world.u("bp_post_a"), personnel=8, vessels=2),
            UnitPart(world.u("ca_province"), personnel=2),
        ],
    )
    make_patrol(ca, world, route="land", start_date=d("01/06/2024"), sorties=7)

    figures = operations_figures(actor=ca, start=Q3_2024[0], end=Q3_2024[1]).patrols
    assert (figures.patrols, figures.sorties, figures.violations) == (2, 5, 3)
    assert figures.cases == 1  # the Border Guard's case is not the Police's to count
    assert {k: (t.patrols, t.sorties, t.violations) for k, t in figures.by_route.items()} == {
        "border": (1, 3, 1),
        "sea": (1, 2, 2),
    }
    assert figures.commitment.force("CA").sorties == 5
    assert figures.commitment.force("BP").sorties == 5
    assert figures.commitment.force("BP").personnel == 12
    assert figures.commitment.vessels == 2


def test_rescue_personnel_and_vehicles_per_force(world: OrgWorld, people: dict[str, User]) -> None:
    ca = people["ca"]
    make_rescue(ca, world)
    make_rescue(
        ca,
        world,
        title="Sơ tán dân vùng lũ",
        incident_kind="flood",
        start_date=d("01/09/2024"),
        people_rescued=3,
        people_evacuated=250,
        vessels_assisted=0,
        units=[
            UnitPart(world.u("ca_province"), personnel=30, vehicles=5),
            UnitPart(world.u("qs_commune_a"), personnel=50, vehicles=3, vessels=4),
        ],
    )
    make_rescue(ca, world, start_date=d("01/10/2024"))

    figures = operations_figures(actor=ca, start=Q3_2024[0], end=Q3_2024[1]).rescues
    assert figures.incidents == 2
    assert figures.by_kind == {"sea_accident": 1, "flood": 1}
    assert (figures.people_rescued, figures.people_evacuated, figures.vessels_assisted) == (
        8,
        250,
        1,
    )
    per_force = {
        code: (share.personnel, share.all_vehicles)
        for code, share in figures.commitment.by_force.items()
    }
    assert per_force == {"CA": (40, 7), "BP": (12, 3), "QS": (50, 7)}
    assert (figures.commitment.personnel, figures.commitment.all_vehicles) == (102, 17)


def test_exercises_and_their_participants(world: OrgWorld, people: dict[str, User]) -> None:
    ca = people["ca"]
    for kind, day, count in (
        ("defensive_area", "20/08/2024", 500),
        ("civil_defence", "01/09/2024", 320),
        ("sar", "20/08/2023", 150),
    ):
        services.exercise_create(
            actor=ca,
            title="Diễn tập",
            exercise_kind=kind,
            start_date=d(day),
            participants_count=count,
            units=[
                UnitPart(world.u("ca_province"), personnel=20),
                UnitPart(world.u("qs_commune_a"), personnel=60),
            ],
        )
    figures = operations_figures(actor=ca, start=Q3_2024[0], end=Q3_2024[1]).exercises
    assert figures.exercises == 2
    assert figures.by_kind == {"defensive_area": 1, "civil_defence": 1}
    assert figures.participants == 820
    assert figures.commitment.force("QS").personnel == 120


def _queries(actor: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        operations_figures(actor=actor, start=Q3_2024[0], end=Q3_2024[1])
    return len(ctx.captured_queries)


def test_the_figures_take_a_fixed_number_of_queries(
    world: OrgWorld, people: dict[str, User]
) -> None:
    ca = people["ca"]
    make_protection(ca, world)
    make_patrol(ca, world)
    make_rescue(ca, world)
    few = _queries(ca)
    for _ in range(3):
        make_protection(ca, world)
        make_patrol(ca, world, cases=[make_case(ca, world)])
        make_rescue(ca, world)
    assert _queries(ca) == few
    assert few <= 30
