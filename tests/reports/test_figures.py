"""Figure builders on constructed records: the area and period decide what counts, every figure
comes with the previous period, the same period last year and its provenance, a user sees only
their own records, and the number of queries does not grow with the records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from phoihop.access.rules import OPERATOR
from phoihop.cases.services import SeizedData, SubjectData
from phoihop.core.errors import DomainError
from phoihop.reports.document import FigureKind
from phoihop.reports.figures import build_figures, resolve_area
from tests.cases.conftest import at, make_case
from tests.factories import OrgWorld, user


@pytest.fixture
def ca_staff(world: OrgWorld) -> Any:
    return user(world.u("ca_province"), roles=["officer"])


@pytest.fixture
def commune_officer(world: OrgWorld) -> Any:
    return user(world.u("ca_commune_a"), roles=["officer"])


def heroin(grams: str) -> list[SeizedData]:
    return [SeizedData(item="heroin", quantity=Decimal(grams), unit="gam", localized=False)]


def test_cases_of_the_period_are_counted_with_their_comparisons_and_provenance(
    world: OrgWorld, ca_staff: Any
) -> None:
    now = make_case(
        ca_staff,
        world,
        detected_at=at("01/08/2024"),
        subjects=[SubjectData(name="Nguyễn Văn A", birth_year=1990, sex="male")],
        seized=heroin("11.09"),
    )
    make_case(ca_staff, world, detected_at=at("20/08/2023"), domain="sea")
    make_case(ca_staff, world, detected_at=at("20/08/2023"), domain="sea")
    make_case(ca_staff, world, detected_at=at("01/05/2024"))
    make_case(ca_staff, world, detected_at=at("20/09/2024"))  # after 14/09: the next quarter
    figures = build_figures(area_code="42", period_key="2024-Q3", actor=OPERATOR)
    count = figures.get("cases.count")
    assert count is not None
    assert (count.value, count.previous, count.last_year) == (1, 1, 2)
    assert count.provenance[0].model == "cases.case"
    assert count.provenance[0].ids == (str(now.public_id),)
    assert "detected_from=2024-06-15" in count.provenance[0].url
    assert "area=42" in count.provenance[0].url
    seized = figures.get("cases.seized.heroin")
    assert seized is not None and seized.kind is FigureKind.QUANTITY
    assert seized.text() == "11,09 gam heroin"
    assert seized.last_year == Decimal(0)
    # A domain that had cases last year and none now is kept at zero, for the limitations.
    sea = figures.get("cases.domain.sea")
    assert sea is not None and (sea.value, sea.last_year) == (0, 2)
    assert figures.value("cases.persons") == 1


def test_records_of_another_province_or_commune_stay_out(world: OrgWorld, ca_staff: Any) -> None:
    make_case(ca_staff, world, commune=world.commune_a)
    make_case(ca_staff, world, commune=world.commune_b)
    other = user(world.u("ca_other_province"), roles=["officer"])
    from phoihop.org.models import AdministrativeArea

    na_commune = AdministrativeArea.objects.create(
        code="16999", name="Xã Thử", kind="xa", level="commune", parent=world.other_province
    )
    make_case(other, world, commune=na_commune)
    assert (
        build_figures(area_code="42", period_key="2024-Q3", actor=OPERATOR).value("cases.count")
        == 2
    )
    assert (
        build_figures(area_code="40", period_key="2024-Q3", actor=OPERATOR).value("cases.count")
        == 1
    )
    assert (
        build_figures(area_code=world.commune_a.code, period_key="2024-Q3", actor=OPERATOR).value(
            "cases.count"
        )
        == 1
    )


def test_a_commune_officer_counts_only_the_records_they_may_see(
    world: OrgWorld, ca_staff: Any, commune_officer: Any
) -> None:
    mine = make_case(commune_officer, world)
    make_case(ca_staff, world)
    make_case(ca_staff, world, seized=heroin("5"))
    officer = build_figures(area_code="42", period_key="2024-Q3", actor=commune_officer)
    everyone = build_figures(area_code="42", period_key="2024-Q3", actor=OPERATOR)
    assert officer.value("cases.count") == 1 and everyone.value("cases.count") == 3
    count = officer.get("cases.count")
    assert count is not None and count.provenance[0].ids == (str(mine.public_id),)
    assert officer.get("cases.seized.heroin") is None
    assert everyone.value("cases.seized.heroin") == Decimal(5)


def test_a_wanted_person_caught_is_a_figure_with_its_record(world: OrgWorld, ca_staff: Any) -> None:
    figures = build_figures(area_code="42", period_key="2024-Q3", actor=OPERATOR)
    wanted = figures.get("wanted.arrested")
    assert wanted is not None and wanted.value == 0 and wanted.text() == "0 đối tượng truy nã"


def test_an_unknown_area_or_period_is_refused_in_vietnamese(world: OrgWorld) -> None:
    with pytest.raises(DomainError) as area:
        resolve_area("99")
    assert "mã “99”" in area.value.message and area.value.fields["area"]
    with pytest.raises(DomainError) as period:
        build_figures(area_code="42", period_key="2024-Q5", actor=OPERATOR)
    assert "2024-Q5" in period.value.message


def _queries(**kwargs: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        build_figures(**kwargs)
    return len(captured.captured_queries)


QUERY_BUDGET = 210  # three periods of about 65 queries each


def test_the_figures_take_a_bounded_number_of_queries_whatever_the_records(
    world: OrgWorld, ca_staff: Any
) -> None:
    make_case(ca_staff, world, seized=heroin("1"))
    few = _queries(area_code="42", period_key="2024-Q3", actor=OPERATOR)
    for day in range(1, 9):
        make_case(
            ca_staff,
            world,
            detected_at=at(f"0{day}/08/2024"),
            category="smuggling" if day % 2 else "drugs",
            domain="sea" if day % 3 else "inland",
            seized=heroin(str(day)),
            subjects=[SubjectData(name=f"Đối tượng {day}", birth_year=1990, sex="male")],
        )
    many = _queries(area_code="42", period_key="2024-Q3", actor=OPERATOR)
    assert few <= QUERY_BUDGET and many <= QUERY_BUDGET
    assert many == few


def test_the_window_follows_the_rule(world: OrgWorld, ca_staff: Any) -> None:
    make_case(ca_staff, world, detected_at=at("20/06/2024"))
    decree = build_figures(area_code="42", period_key="2024-Q3", actor=OPERATOR)
    calendar = build_figures(area_code="42", period_key="2024-Q3", actor=OPERATOR, rule="calendar")
    assert (decree.start, decree.end) == (dt.date(2024, 6, 15), dt.date(2024, 9, 14))
    assert (calendar.start, calendar.end) == (dt.date(2024, 7, 1), dt.date(2024, 9, 30))
    assert decree.value("cases.count") == 1 and calendar.value("cases.count") == 0
