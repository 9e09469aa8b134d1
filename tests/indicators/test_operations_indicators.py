"""The derived indicators the joint-operations module registers: values for a unit and a period
computed by hand from records built through the services, within the actor's visibility, and
their rows in the catalogue."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from phoihop.access.lint import scoped_model_names, violations_in_source
from phoihop.indicators import registry
from phoihop.indicators.models import Indicator
from phoihop.operations import services
from phoihop.operations.services import UnitPart
from phoihop.org.models import Unit, User
from tests.factories import OrgWorld, login, user
from tests.operations.conftest import d, make_checkpoint, make_patrol, make_protection, make_rescue

pytestmark = pytest.mark.django_db

START, END = d("15/06/2024"), d("14/09/2024")  # quý III/2024 (Nghị định 09)

CODES = (
    "operations.delegations",
    "operations.events",
    "operations.checkpoint_vehicles",
    "operations.checkpoint_people",
    "operations.patrol_sorties",
    "operations.patrol_violations",
    "operations.rescues",
    "operations.rescue_personnel",
    "operations.rescue_vehicles",
    "operations.people_rescued",
    "operations.people_evacuated",
    "operations.exercises",
)


def values(actor: User, unit: Unit | None, **scope: Any) -> dict[str, Decimal]:
    """Every operations indicator for the scope, by code."""
    window = registry.Scope(
        actor=actor,
        unit=unit,
        start=scope.pop("start", START),
        end=scope.pop("end", END),
        **scope,
    )
    return {code: registry.get(code).value(window) for code in CODES}  # type: ignore[union-attr]


def make_exercise(actor: User, **overrides: Any) -> Any:
    fields: dict[str, Any] = {
        "title": "Diễn tập khu vực phòng thủ",
        "exercise_kind": "defensive_area",
        "start_date": d("20/08/2024"),
        "participants_count": 300,
    }
    fields.update(overrides)
    return services.exercise_create(actor=actor, **fields)


@pytest.fixture
def people(world: OrgWorld) -> dict[str, User]:
    return {
        "ca": user(world.u("ca_province"), roles=["officer"]),
        "ca_a": user(world.u("ca_commune_a"), roles=["officer"]),
        "ca_b": user(world.u("ca_commune_b"), roles=["officer"]),
        "bp": user(world.u("bp_post_a"), roles=["officer"]),
        "qs": user(world.u("qs_province"), roles=["officer"]),
        "ca_joint": user(world.u("ca_province"), roles=["officer", "joint_staff"]),
    }


@pytest.fixture
def records(world: OrgWorld, people: dict[str, User]) -> None:
    """Quý III/2024 of the Police (the province and commune A), with records just outside it,
    and records of the Border Guard and the Military Command the Police may or may not see."""
    ca, ca_a, bp, qs = people["ca"], people["ca_a"], people["bp"], people["qs"]
    a = world.u("ca_commune_a")

    # Protection: 2 delegations (one led by commune A), 1 event; 2 outside the quarter.
    make_protection(ca, world, start_date=d("15/06/2024"), end_date=None)
    make_protection(ca_a, world, delegation_level="foreign", units=[UnitPart(a, personnel=4)])
    make_protection(
        ca,
        world,
        title="Bảo vệ giải bóng đá",
        target="event",
        delegation_level="",
        event_category="sport",
        event_size=5000,
        start_date=d("14/09/2024"),
        end_date=None,
    )
    make_protection(ca, world, start_date=d("14/06/2024"), end_date=None)
    make_protection(
        ca,
        world,
        target="event",
        delegation_level="",
        event_category="political",
        start_date=d("15/09/2024"),
        end_date=None,
    )
    # The Military Command's event, joint: its joint staff see it, the Police do not.
    make_protection(
        qs,
        world,
        target="event",
        delegation_level="",
        event_category="cultural",
        start_date=d("01/08/2024"),
        end_date=None,
        is_joint=True,
        units=[UnitPart(world.u("qs_province"), personnel=25)],
    )

    # Checkpoints: daily counts inside the quarter add up; the days outside it do not.
    road = make_checkpoint(
        ca,
        world,
        start_date=d("01/06/2024"),
        end_date=None,
        units=[UnitPart(world.u("ca_province"), personnel=6)],
    )
    for day, vehicles, people_count in (
        ("14/06/2024", 1000, 1000),
        ("15/06/2024", 120, 310),
        ("01/08/2024", 95, 240),
        ("14/09/2024", 80, 150),
        ("15/09/2024", 1000, 1000),
    ):
        services.checkpoint_count_add(
            actor=ca, checkpoint=road, day=d(day), vehicles=vehicles, people=people_count
        )
    commune_post = make_checkpoint(
        ca_a,
        world,
        title="Chốt kiểm soát giao thông xã Sơn Kim 1",
        purpose="traffic",
        start_date=d("01/07/2024"),
        end_date=d("31/07/2024"),
        units=[UnitPart(a, personnel=3)],
    )
    services.checkpoint_count_add(
        actor=ca_a, checkpoint=commune_post, day=d("02/07/2024"), vehicles=40, people=70
    )
    border_post = make_checkpoint(
        bp,
        world,
        title="Chốt kiểm soát biên giới",
        purpose="border",
        start_date=d("01/07/2024"),
        end_date=None,
        units=[UnitPart(world.u("bp_post_a"), personnel=5)],
    )
    services.checkpoint_count_add(
        actor=bp, checkpoint=border_post, day=d("03/07/2024"), vehicles=500, people=900
    )

    # Patrols.
    make_patrol(ca, world, sorties=3, violations=1)
    make_patrol(ca_a, world, route="land", sorties=2, violations=4, units=[UnitPart(a)])
    make_patrol(ca, world, start_date=d("14/06/2024"), sorties=10, violations=10)
    make_patrol(
        bp, world, route="sea", sorties=7, violations=2, units=[UnitPart(world.u("bp_post_a"))]
    )

    # Rescues: one led by the Police with the Border Guard taking part (commune B); one led by
    # the Border Guard with the provincial Police taking part (so the Police see it).
    make_rescue(ca, world, people_rescued=5, people_evacuated=30)
    make_rescue(
        bp,
        world,
        title="Sơ tán dân vùng lũ",
        incident_kind="flood",
        start_date=d("20/08/2024"),
        people_rescued=2,
        people_evacuated=120,
        communes=[world.commune_a],
        units=[
            UnitPart(world.u("bp_post_a"), personnel=20, vehicles=2),
            UnitPart(world.u("ca_province"), personnel=8, vessels=1),
        ],
    )
    make_rescue(ca, world, start_date=d("14/06/2024"), people_rescued=99)

    # Exercises.
    make_exercise(ca)
    make_exercise(ca_a, exercise_kind="civil_defence", start_date=d("15/06/2024"))
    make_exercise(ca, start_date=d("15/09/2024"))
    make_exercise(qs, exercise_kind="sar")


def test_the_province_police_count_the_records_their_units_led_in_the_quarter(
    world, people, records
):
    assert values(people["ca"], world.u("ca_province")) == {
        "operations.delegations": 2,
        "operations.events": 1,
        "operations.checkpoint_vehicles": 120 + 95 + 80 + 40,
        "operations.checkpoint_people": 310 + 240 + 150 + 70,
        "operations.patrol_sorties": 3 + 2,
        "operations.patrol_violations": 1 + 4,
        "operations.rescues": 1,
        # Every unit taking part in the rescue the Police led: 10 + 12 people, 2 + 1 vehicles
        # and 2 boats of the Border Guard.
        "operations.rescue_personnel": 22,
        "operations.rescue_vehicles": 5,
        "operations.people_rescued": 5,
        "operations.people_evacuated": 30,
        "operations.exercises": 2,
    }


def test_a_commune_scope_counts_only_what_that_commune_led(world, people, records):
    assert values(people["ca"], world.u("ca_commune_a")) == {
        "operations.delegations": 1,
        "operations.events": 0,
        "operations.checkpoint_vehicles": 40,
        "operations.checkpoint_people": 70,
        "operations.patrol_sorties": 2,
        "operations.patrol_violations": 4,
        "operations.rescues": 0,
        "operations.rescue_personnel": 0,
        "operations.rescue_vehicles": 0,
        "operations.people_rescued": 0,
        "operations.people_evacuated": 0,
        "operations.exercises": 1,
    }


def test_a_unit_that_cannot_see_a_record_does_not_count_it(world, people, records):
    # Commune B sees none of the province's or commune A's records, whatever the scope asks.
    assert set(values(people["ca_b"], world.u("ca_province")).values()) == {0}
    # With no unit, the Police count everything they see: the Border Guard's rescue they took
    # part in, never the Border Guard's checkpoint and patrol or the Military Command's event.
    everything = values(people["ca"], None)
    assert everything["operations.rescues"] == 2
    assert everything["operations.rescue_personnel"] == 22 + 28
    assert everything["operations.rescue_vehicles"] == 5 + 3
    assert everything["operations.people_evacuated"] == 30 + 120
    assert everything["operations.events"] == 1
    assert everything["operations.checkpoint_vehicles"] == 335
    assert everything["operations.patrol_sorties"] == 5
    assert everything["operations.exercises"] == 2
    # The Border Guard count their own records; the rescue the Police led counts only there,
    # though the Border Guard took part in it and see it.
    border = values(people["bp"], world.u("bp_post_a"))
    assert (border["operations.rescues"], border["operations.people_evacuated"]) == (1, 120)
    assert (border["operations.checkpoint_people"], border["operations.patrol_sorties"]) == (900, 7)
    # The Police's joint staff also see the Military Command's joint event.
    assert values(people["ca_joint"], None)["operations.events"] == 2
    assert values(people["ca_joint"], world.u("ca_province"))["operations.events"] == 1
    assert values(people["qs"], world.u("qs_province"))["operations.exercises"] == 1


def test_an_area_narrows_the_figures_to_the_records_of_that_commune(world, people, records):
    commune_b = values(people["ca"], None, area=world.commune_b)
    assert commune_b["operations.rescues"] == 1
    assert commune_b["operations.people_rescued"] == 5
    commune_a = values(people["ca"], None, area=world.commune_a)
    assert commune_a["operations.rescues"] == 1
    assert commune_a["operations.people_evacuated"] == 120
    assert commune_a["operations.checkpoint_vehicles"] == 335  # both checkpoints are there
    province = values(people["ca"], None, area=world.province)
    assert province == values(people["ca"], None)


def test_another_period_gives_its_own_figures(world, people, records):
    june = values(people["ca"], world.u("ca_province"), start=d("01/06/2024"), end=d("14/06/2024"))
    assert june["operations.delegations"] == 1
    assert june["operations.checkpoint_vehicles"] == 1000
    assert june["operations.patrol_sorties"] == 10
    assert june["operations.people_rescued"] == 99
    assert june["operations.exercises"] == 0


def test_nothing_recorded_gives_zeros(world, people):
    assert set(values(people["ca"], world.u("ca_province")).values()) == {0}


def test_each_figure_takes_a_bounded_number_of_queries(
    world, people, records, django_assert_max_num_queries
):
    window = registry.Scope(actor=people["ca"], unit=world.u("ca_province"), start=START, end=END)
    for code in CODES:
        item = registry.get(code)
        assert item is not None
        with django_assert_max_num_queries(8):
            item.value(window)


def test_the_links_open_the_list_of_the_records_behind_a_figure(world, people, records):
    window = registry.Scope(
        actor=people["ca"], unit=world.u("ca_province"), start=START, end=END, area=world.province
    )
    link = registry.get("operations.delegations").link_for(window)  # type: ignore[union-attr]
    assert (
        link == "/operations/protections/?start=2024-06-15&end=2024-09-14&area=42&target=delegation"
    )
    client = Client()
    login(client, people["ca"])
    for code in CODES:
        item = registry.get(code)
        assert item is not None
        response = client.get(item.link_for(window))
        assert response.status_code == 200, code
    # The filtered list holds the delegations of the quarter, not the event.
    page = client.get(link).content.decode()
    assert "Bảo vệ đoàn công tác của Bộ Công an" in page
    assert "Bảo vệ giải bóng đá" not in page


def test_the_catalogue_holds_the_operations_indicators(db):
    rows = {row.code: row for row in Indicator.objects.filter(code__startswith="operations.")}
    assert set(rows) == set(CODES)
    assert {row.kind for row in rows.values()} == {"derived"}
    assert {row.value_kind for row in rows.values()} == {"count"}
    assert {row.aggregation for row in rows.values()} == {"sum"}
    assert (rows["operations.delegations"].name, rows["operations.delegations"].unit) == (
        "Số đoàn được bảo vệ",
        "đoàn",
    )
    assert rows["operations.checkpoint_vehicles"].unit == "lượt phương tiện"
    assert rows["operations.rescue_personnel"].unit == "lượt người"


def test_syncing_restores_an_operations_indicator_changed_by_hand(db):
    Indicator.objects.filter(code="operations.people_rescued").update(unit="cái", order=7)
    Indicator.objects.filter(code="operations.exercises").delete()
    out = io.StringIO()
    call_command("sync_indicators", stdout=out)
    assert "2 written" in out.getvalue()
    rescued = Indicator.objects.get(code="operations.people_rescued")
    assert (rescued.unit, rescued.order) == ("người", 7)
    assert Indicator.objects.get(code="operations.exercises").name == "Số cuộc diễn tập"


def test_the_module_reads_no_scoped_model_directly():
    source = Path(__file__).resolve().parents[2] / "phoihop" / "operations" / "figures.py"
    found = list(
        violations_in_source(source.read_text(encoding="utf-8"), scoped_models=scoped_model_names())
    )
    assert found == []
