"""The counting rules of selectors.py on constructed records, against hand-computed totals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from phoihop.cases.selectors import case_figures, case_list, cases_in, wanted_arrested
from phoihop.cases.services import (
    SeizedData,
    SubjectData,
    case_handle,
    wanted_arrest,
    wanted_create,
)
from tests.cases.conftest import at, make_case
from tests.factories import OrgWorld, user

pytestmark = pytest.mark.django_db

Q3 = (dt.date(2024, 6, 15), dt.date(2024, 9, 14))


@pytest.fixture
def records(world: OrgWorld) -> dict[str, Any]:
    police = user(world.u("ca_commune_a"))
    border = user(world.u("bp_post_a"))
    a = make_case(
        police,
        world,
        is_joint=True,
        detected_at=at("15/06/2024", 0),
        cooperating_units=[world.u("bp_post_a"), world.u("qs_commune_a")],
        subjects=[
            SubjectData(name="Nguyễn Văn A", citizen_id="042090001234", birth_year=1990),
            # The same person entered twice in one case is one subject.
            SubjectData(name="Nguyễn Văn A", citizen_id="042090001234", role="arrested"),
            SubjectData(name="Trần Thị B", sex="female"),
            SubjectData(name="Lê Văn Chứng", role="witness"),
            SubjectData(name="Công ty TNHH Một Thành Viên X", kind="organisation"),
        ],
        seized=[
            SeizedData(item="heroin", quantity="0,01", unit="kg"),
            SeizedData(item="heroin", quantity="1,09", unit="gam"),
            SeizedData(item="ma-tuy-tong-hop", quantity="1.508", unit="viên"),
        ],
    )
    b = make_case(
        border,
        world,
        is_joint=True,
        category="smuggling",
        domain="sea",
        commune=world.commune_b,
        detected_at=at("14/09/2024", 23),
        # The same person again, in another case: counted again ("lượt").
        subjects=[SubjectData(name="Nguyễn Văn A", citizen_id="042090001234")],
        seized=[SeizedData(item="heroin", quantity="500", unit="mg")],
    )
    case_handle(actor=border, case=b, outcome="administrative", fine_amount=Decimal(15_000_000))
    # Outside the window (the day after it ends) and not joint.
    make_case(police, world, detected_at=at("15/09/2024", 0), subjects=[SubjectData(name="X")])
    wanted = wanted_create(
        actor=police,
        notice_number="12/QĐ-CSĐT",
        notice_date=dt.date(2023, 5, 2),
        issuing_authority="Cơ quan CSĐT Công an tỉnh Hà Tĩnh",
        full_name="Phạm Văn D",
        is_joint=True,
    )
    wanted_arrest(actor=police, wanted=wanted, arrested_at=at("20/07/2024"), case=a)
    joint = user(world.u("ca_province"), roles=["joint_staff"])
    return {"a": a, "b": b, "police": police, "border": border, "joint": joint}


def test_joint_figures_count_each_case_once_and_subjects_by_the_rule(
    world: OrgWorld, records: dict[str, Any]
) -> None:
    f = case_figures(cases_in(case_list(actor=records["joint"]), start=Q3[0], end=Q3[1]))
    assert f.cases == 2
    assert (f.persons, f.organisations) == (3, 1)
    assert f.by_lead_force == {"CA": 1, "BP": 1}
    assert f.by_participating_force == {"CA": 1, "BP": 2, "QS": 1}
    assert f.by_category == {"drugs": 1, "smuggling": 1}
    assert f.by_domain == {"land_border": 1, "sea": 1}
    assert (f.sanctioned, f.prosecuted, f.fines) == (1, 0, Decimal(15_000_000))
    assert f.seized_of("heroin") == Decimal("11.59")
    assert f.seized_of("ma-tuy-tong-hop") == Decimal(1508)
    assert [t.item.code for t in f.seized] == ["heroin", "ma-tuy-tong-hop"]


def test_figures_follow_the_area(world: OrgWorld, records: dict[str, Any]) -> None:
    visible = case_list(actor=records["joint"])
    assert case_figures(cases_in(visible, area=world.commune_b)).cases == 1
    # The third case, outside the window, belongs to the joint staff's own police subtree.
    assert case_figures(cases_in(visible, area=world.province)).cases == 3
    assert case_figures(cases_in(visible, area=world.province, start=Q3[0], end=Q3[1])).cases == 2
    assert case_figures(cases_in(visible, area=world.other_province)).cases == 0


def test_figures_never_count_what_the_actor_cannot_see(
    world: OrgWorld, records: dict[str, Any]
) -> None:
    other_commune = user(world.u("ca_commune_b"))
    assert case_figures(case_list(actor=other_commune)).cases == 0
    assert case_figures(case_list(actor=other_commune)).seized == []
    border = case_figures(cases_in(case_list(actor=records["border"]), start=Q3[0], end=Q3[1]))
    # The border post leads b and cooperates in a.
    assert (border.cases, border.persons) == (2, 3)
    military = case_figures(case_list(actor=user(world.u("qs_commune_a"))))
    assert (military.cases, military.seized_of("heroin")) == (1, Decimal("11.09"))


def test_wanted_persons_arrested_in_the_period(world: OrgWorld, records: dict[str, Any]) -> None:
    found = wanted_arrested(actor=records["joint"], start=Q3[0], end=Q3[1], area=world.province)
    assert [w.full_name for w in found] == ["Phạm Văn D"]
    assert not wanted_arrested(actor=records["joint"], start=Q3[0], end=Q3[1], area=world.commune_b)
    assert not wanted_arrested(actor=user(world.u("ca_commune_b")), start=Q3[0], end=Q3[1])


def test_the_figures_take_a_bounded_number_of_queries(
    world: OrgWorld, records: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    qs = cases_in(case_list(actor=records["joint"]), start=Q3[0], end=Q3[1])
    with django_assert_max_num_queries(14):
        case_figures(qs)
