"""Completeness and timeliness of a period: expected, received, on time, late, missing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from phoihop.indicators.periods import Period
from phoihop.indicators.selectors import completeness
from phoihop.indicators.services import (
    submission_approve,
    submission_create,
    submission_resubmit,
    submission_return,
    submission_submit,
    submission_values_set,
)
from phoihop.org.models import Force
from tests.indicators.conftest import People, Regime, at

pytestmark = pytest.mark.django_db

Q3 = Period.parse("2024-Q3")  # deadline of the commune form: 19/09/2024
VALUES = {"t.patrols": "4", "t.subjects": "1", "t.wanted": "0", "t.budget": "0"}


def send(actor, regime: Regime, day: str, key: str = "2024-Q3"):  # type: ignore[no-untyped-def]
    submission = submission_create(
        actor=actor, form=regime.commune_form, period=key, at=at("10/09/2024")
    )
    submission_values_set(actor=actor, submission=submission, values=VALUES)
    return submission_submit(actor=actor, submission=submission, at=at(day))


def states(report) -> dict[str, tuple[bool, bool, bool, bool]]:  # type: ignore[no-untyped-def]
    return {
        row.unit.code: (row.received, row.on_time, row.late, row.missing)
        for row in report.rows
        if row.form.code == "t-ca-xa-quy"
    }


def test_on_time_late_and_missing_per_unit(world, regime, people: People):
    send(people.officer, regime, "19/09/2024")  # the deadline day itself is on time
    report = completeness(actor=people.commander, period=Q3, form=regime.commune_form)

    assert states(report) == {
        "CAX-SK1": (True, True, False, False),
        "CAX-TC": (False, False, False, True),
    }
    assert report.rows[1].overdue and report.rows[1].deadline.isoformat() == "2024-09-19"
    total = report.total
    assert (total.expected, total.received, total.on_time, total.late, total.missing) == (
        2,
        1,
        1,
        0,
        1,
    )
    assert (total.completeness, total.timeliness) == (Decimal("0.5"), Decimal("0.5"))
    assert [r.unit.code for r in report.late_or_missing] == ["CAX-TC"]

    send(people.other_commune_officer, regime, "20/09/2024")
    report = completeness(actor=people.commander, period=Q3, form=regime.commune_form)
    assert states(report)["CAX-TC"] == (True, False, True, False)
    assert (report.total.completeness, report.total.timeliness) == (Decimal(1), Decimal("0.5"))


def test_a_returned_submission_is_missing_until_sent_again_and_keeps_its_first_time(regime, people):
    submission = send(people.officer, regime, "18/09/2024")
    submission_return(
        actor=people.commander, submission=submission, reason="Thiếu số liệu", at=at("19/09/2024")
    )
    report = completeness(actor=people.commander, period=Q3, form=regime.commune_form)
    assert states(report)["CAX-SK1"] == (False, False, False, True)
    assert report.rows[0].status == "returned"

    submission_resubmit(actor=people.officer, submission=submission, at=at("25/09/2024"))
    report = completeness(actor=people.commander, period=Q3, form=regime.commune_form)
    assert states(report)["CAX-SK1"] == (True, True, False, False)


def test_the_history_is_replayed_as_of_a_moment(regime, people):
    submission = send(people.officer, regime, "25/09/2024")
    submission_approve(actor=people.commander, submission=submission, at=at("27/09/2024"))

    before = completeness(
        actor=people.commander, period=Q3, form=regime.commune_form, as_of=at("20/09/2024")
    )
    between = completeness(
        actor=people.commander, period=Q3, form=regime.commune_form, as_of=at("26/09/2024")
    )
    after = completeness(actor=people.commander, period=Q3, form=regime.commune_form)

    assert before.rows[0].status == "draft" and before.rows[0].missing
    assert between.rows[0].status == "submitted" and between.rows[0].late
    assert after.rows[0].status == "approved" and after.total.approved == 1


def test_each_actor_counts_only_the_units_they_cover(world, regime, people):
    send(people.officer, regime, "15/09/2024")
    own = completeness(actor=people.officer, period=Q3)
    assert [(r.unit.code, r.form.code) for r in own.rows] == [("CAX-SK1", "t-ca-xa-quy")]
    # A sibling (PC04, a provincial department) sees neither commune's duty nor its
    # submission: only its own duty under the provincial form.
    sibling = completeness(actor=people.pc04_commander, period=Q3)
    assert [(r.unit.code, r.form.code) for r in sibling.rows] == [("PC04", "t-tinh-quy")]
    # Joint staff of another force cover the whole province, for joint forms.
    joint = completeness(actor=people.qs_joint, period=Q3)
    assert {(r.unit.code, r.form.code) for r in joint.rows} == {
        ("CAX-SK1", "t-ca-xa-quy"),
        ("CAX-TC", "t-ca-xa-quy"),
        ("CAT", "t-tinh-quy"),
        ("PC04", "t-tinh-quy"),
        ("BCHQS", "t-tinh-quy"),
        ("BCHBP", "t-tinh-quy"),
    }
    assert {r.unit.code for r in joint.rows if r.received} == {"CAX-SK1"}


def test_tallies_by_force_area_and_form(world, regime, people):
    send(people.officer, regime, "15/09/2024")
    report = completeness(actor=people.qs_joint, period=Q3)

    by_force = {force.code: (t.expected, t.received) for force, t in report.by_force}
    # PC04, a provincial department, owes the provincial form too; it has no area of its own
    # and is counted in its province.
    assert by_force == {"CA": (4, 1), "QS": (1, 0), "BP": (1, 0)}
    by_area = {area.code: (t.expected, t.received) for area, t in report.by_area}
    assert by_area == {"42": (4, 0), "18196": (1, 1), "18676": (1, 0)}
    by_form = {form.code: (t.expected, t.received) for form, t in report.by_form}
    assert by_form == {"t-tinh-quy": (4, 0), "t-ca-xa-quy": (2, 1)}

    police = completeness(actor=people.qs_joint, period=Q3, force=Force.objects.get(code="CA"))
    assert police.total.expected == 4
    commune = completeness(actor=people.qs_joint, period=Q3, area=world.commune_a)
    assert [r.unit.code for r in commune.rows] == ["CAX-SK1"]


def test_a_unit_that_ended_before_the_period_is_not_expected(world, regime, people):
    import datetime as dt

    unit = world.u("ca_commune_b")
    unit.valid_until = dt.date(2024, 6, 30)
    unit.save(update_fields=["valid_until"])
    report = completeness(actor=people.commander, period=Q3, form=regime.commune_form)
    assert [r.unit.code for r in report.rows] == ["CAX-SK1"]


def test_completeness_reads_a_bounded_number_of_queries(
    world, regime, people, django_assert_max_num_queries
):
    from tests.factories import unit, user

    for number in range(6):
        commune = unit(
            "CA",
            f"CAX-T{number}",
            f"Công an xã Thử {number}",
            level="xa",
            parent=world.u("ca_province"),
        )
        send(user(commune, roles=["officer"]), regime, "15/09/2024")
    with django_assert_max_num_queries(10):
        report = completeness(actor=people.commander, period=Q3)
    assert report.total.expected == 8 + 2  # the communes, CAT and PC04
    assert report.total.received == 6
