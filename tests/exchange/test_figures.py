"""Timeliness figures: counts by force, acknowledgement and verification timeliness per unit."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from phoihop.core.errors import DomainError
from phoihop.exchange.enums import Urgency, VerificationResult
from phoihop.exchange.figures import (
    Figure,
    acknowledgement_by_force,
    acknowledgement_by_unit,
    acknowledgement_figures,
    exchange_figures,
    item_figures,
    period_bounds,
    verification_by_unit,
    verification_figures,
)
from phoihop.exchange.services import (
    info_item_acknowledge,
    info_item_create,
    verification_answer,
    verification_close,
    verification_request_create,
)
from tests.factories import user

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
# Quý III năm 2024 under Nghị định 09/2019/NĐ-CP.
START, END = dt.date(2024, 6, 15), dt.date(2024, 9, 14)
AFTER = dt.datetime(2024, 10, 1, 8, tzinfo=HCM)  # when the report is computed


def at(month: int, day: int, hour: int = 8, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(2024, month, day, hour, minute, second, tzinfo=HCM)


@pytest.fixture
def people(world):
    return {
        "bp_post": user(world.u("bp_post_a"), roles=["officer"]),
        "ca_prov": user(world.u("ca_province"), roles=["officer"]),
        "ca_joint": user(world.u("ca_province"), roles=["officer", "joint_staff"]),
        "ca_commune": user(world.u("ca_commune_a"), roles=["officer"]),
        "qs_prov": user(world.u("qs_province"), roles=["officer"]),
        "qs_joint": user(world.u("qs_province"), roles=["officer", "joint_staff"]),
    }


def send(actor, recipients, sent_at, *, urgency=Urgency.KHAN, is_joint=True):
    return info_item_create(
        actor=actor,
        title="Phát hiện đối tượng nghi vận chuyển hàng cấm qua biên giới",
        content="Nội dung",
        topic="smuggling",
        urgency=urgency,
        recipients=recipients,
        is_joint=is_joint,
        sent_at=sent_at,
    )


def ids(*items):
    return tuple(sorted((i.public_id for i in items), key=str))


def test_the_period_runs_from_midnight_of_the_first_day_to_the_end_of_the_last_local_day():
    lower, upper = period_bounds(START, END)
    assert lower == dt.datetime(2024, 6, 14, 17, tzinfo=dt.UTC)
    assert upper == dt.datetime(2024, 9, 14, 17, tzinfo=dt.UTC)


def test_a_period_ending_before_it_starts_is_refused_naming_the_end(people):
    with pytest.raises(DomainError) as err:
        item_figures(actor=people["ca_joint"], start=END, end=START)
    assert err.value.code == "invalid_period" and "end" in err.value.fields


def test_an_item_exchanged_between_forces_counts_once_in_the_joint_total(world, people):
    to_two_forces = send(
        people["bp_post"], [world.u("ca_province"), world.u("qs_province")], at(6, 15, 0)
    )
    to_police = send(people["qs_prov"], [world.u("ca_province")], at(9, 14, 23, 59, 59))
    within_police = send(people["ca_prov"], [world.u("ca_commune_a")], at(7, 1), is_joint=False)
    send(people["bp_post"], [world.u("ca_province")], at(6, 14, 23, 59, 59))  # quý II
    send(people["bp_post"], [world.u("ca_province")], at(9, 15, 0))  # quý IV

    figures = item_figures(actor=people["ca_joint"], start=START, end=END)

    assert figures.sent == Figure(3, ids(to_two_forces, to_police, within_police))
    assert figures.exchanged == Figure(2, ids(to_two_forces, to_police))
    counts = {f.force.code: (f.sent.value, f.received.value) for f in figures.by_force}
    assert counts == {"CA": (0, 2), "QS": (1, 1), "BP": (1, 0)}
    assert figures.force("CA").received.provenance == ids(to_two_forces, to_police)
    assert figures.force("BP").sent.provenance == ids(to_two_forces)


def test_items_the_actor_cannot_see_are_not_counted(world, people):
    send(people["bp_post"], [world.u("qs_province")], at(7, 1), is_joint=False)
    seen = send(people["bp_post"], [world.u("ca_province")], at(7, 2), is_joint=False)

    figures = item_figures(actor=people["ca_prov"], start=START, end=END)

    assert figures.sent == Figure(1, ids(seen))
    assert figures.force("QS").received.value == 0


@pytest.fixture
def receipts(world, people):
    """Five receipts of Khẩn items (24 h to acknowledge) delivered in quý III, and one before."""
    ca, qs = world.u("ca_province"), world.u("qs_province")
    fast = send(people["bp_post"], [ca], at(7, 1, 8))
    info_item_acknowledge(actor=people["ca_prov"], item=fast, at=at(7, 1, 10))  # 2 h
    slower = send(people["bp_post"], [ca, qs], at(7, 2, 8))
    info_item_acknowledge(actor=people["ca_prov"], item=slower, at=at(7, 2, 14))  # 6 h
    info_item_acknowledge(actor=people["qs_prov"], item=slower, at=at(7, 3, 14))  # 30 h, late
    never = send(people["bp_post"], [ca], at(8, 1, 8))
    # Thường (72 h) sent the evening before the report is computed: not yet due.
    recent = send(people["bp_post"], [ca], at(9, 14, 20), urgency=Urgency.THUONG)
    # Delivered in quý II: not counted.
    send_before = send(people["bp_post"], [qs], at(6, 10, 8))
    info_item_acknowledge(actor=people["qs_prov"], item=send_before, at=at(6, 10, 9))
    return {"fast": fast, "slower": slower, "never": never, "recent": recent}


def test_acknowledgement_timeliness_counts_median_and_on_time_share(people, receipts):
    as_of = at(9, 15, 8)
    figures = acknowledgement_figures(actor=people["ca_joint"], start=START, end=END, as_of=as_of)

    r = receipts
    assert figures.received.value == 5
    assert figures.acknowledged == Figure(3, ids(r["fast"], r["slower"]))
    assert figures.on_time == Figure(2, ids(r["fast"], r["slower"]))
    assert figures.late == Figure(1, ids(r["slower"]))
    assert figures.unacknowledged == Figure(2, ids(r["never"], r["recent"]))
    assert figures.overdue == Figure(1, ids(r["never"]))
    assert figures.median_hours == Decimal("6.00")
    assert figures.on_time_share == Decimal("0.4000")


def test_figures_per_unit_and_per_force_split_the_receipts(world, people, receipts):
    as_of = at(9, 15, 8)
    rows = acknowledgement_by_unit(actor=people["ca_joint"], start=START, end=END, as_of=as_of)
    by_code = {row.unit.code: row for row in rows}
    assert set(by_code) == {"CAT", "BCHQS"}
    police, military = by_code["CAT"], by_code["BCHQS"]
    assert (police.received.value, police.on_time.value, police.overdue.value) == (4, 2, 1)
    assert police.median_hours == Decimal("4.00")  # median of 2 h and 6 h
    assert police.on_time_share == Decimal("0.5000")
    assert (military.received.value, military.late.value, military.on_time_share) == (
        1,
        1,
        Decimal("0.0000"),
    )
    assert military.median_hours == Decimal("30.00")

    forces = acknowledgement_by_force(actor=people["ca_joint"], start=START, end=END, as_of=as_of)
    assert [(f.force.code, f.received.value) for f in forces] == [("CA", 4), ("QS", 1)]
    only_police = acknowledgement_figures(
        actor=people["ca_joint"], start=START, end=END, force="CA", as_of=as_of
    )
    assert only_police.received == police.received
    within = acknowledgement_figures(
        actor=people["ca_joint"], start=START, end=END, within=world.u("qs_province"), as_of=as_of
    )
    assert within.received == military.received


def test_an_acknowledgement_after_the_report_moment_counts_as_not_yet_given(people, receipts):
    figures = acknowledgement_figures(
        actor=people["ca_joint"], start=START, end=END, as_of=at(7, 2, 12)
    )
    # At noon on 2/7 only the first receipt was acknowledged; the items of August and September
    # had not been sent, but they are in the period, so they count as received.
    assert figures.acknowledged == Figure(1, ids(receipts["fast"]))
    assert figures.median_hours == Decimal("2.00")


def test_a_receipt_of_an_item_invisible_to_the_actor_is_not_counted(world, people):
    # Not joint, sent to the Military Command only: the police cannot see it.
    hidden = send(people["bp_post"], [world.u("qs_province")], at(7, 1), is_joint=False)
    info_item_acknowledge(actor=people["qs_prov"], item=hidden, at=at(7, 1, 9))
    seen = send(people["bp_post"], [world.u("ca_province")], at(7, 1))
    as_of = at(9, 15)

    police = acknowledgement_figures(actor=people["ca_prov"], start=START, end=END, as_of=as_of)
    military = acknowledgement_figures(actor=people["qs_prov"], start=START, end=END, as_of=as_of)

    assert police.received == Figure(1, ids(seen))
    assert police.acknowledged.value == 0 and police.median_hours is None
    assert military.received == Figure(1, ids(hidden))
    rows = acknowledgement_by_unit(actor=people["ca_prov"], start=START, end=END, as_of=as_of)
    assert [row.unit.code for row in rows] == ["CAT"]


def test_verification_figures_count_answers_on_time_late_overdue_and_results(world, people):
    ca, qs = world.u("ca_province"), world.u("qs_province")
    # Khẩn: 72 h to answer.
    items = [send(people["bp_post"], [ca, qs], at(7, day)) for day in (1, 2, 3, 4)]
    on_time, late, _overdue, _not_yet_due = [
        verification_request_create(
            actor=people["bp_post"],
            item=item,
            assigned_unit=ca,
            question="Đề nghị xác minh nhân thân đối tượng.",
            at=at(7, day, 9),
        )
        for item, day in zip(items, (1, 2, 3, 4), strict=True)
    ]
    confirmed = verification_answer(
        actor=people["ca_prov"],
        verification=on_time,
        result=VerificationResult.CONFIRMED,
        findings="Đúng đối tượng đã nêu.",
        at=at(7, 2, 9),
    )
    verification_close(actor=people["bp_post"], verification=confirmed, at=at(7, 2, 10))
    verification_answer(
        actor=people["ca_prov"],
        verification=late,
        result=VerificationResult.PARTLY,
        findings="Đúng một phần.",
        at=at(7, 8, 9),
    )
    # Requested from the Military Command: counted under its row.
    for_qs = verification_request_create(
        actor=people["bp_post"],
        item=items[3],
        assigned_unit=qs,
        question="Đề nghị kiểm tra.",
        at=at(7, 4, 10),
    )
    as_of = at(7, 6, 12)  # the request due on 7/7 is not overdue yet; the one due on 6/7 is

    figures = verification_figures(actor=people["ca_joint"], start=START, end=END, as_of=as_of)

    assert figures.requested == Figure(5, ids(*items))
    assert figures.answered == Figure(1, ids(items[0]))  # the late answer came after as_of
    assert figures.overdue == Figure(2, ids(items[1], items[2]))
    assert figures.unanswered.value == 4

    later = verification_figures(
        actor=people["ca_joint"], start=START, end=END, within=ca, as_of=at(9, 1)
    )
    assert later.requested.value == 4
    assert later.answered_on_time == Figure(1, ids(items[0]))
    assert later.answered_late == Figure(1, ids(items[1]))
    assert later.overdue == Figure(2, ids(items[2], items[3]))
    assert later.median_hours == Decimal("84.00")  # median of 24 h and 144 h
    assert later.on_time_share == Decimal("0.2500")
    assert {k: v.value for k, v in later.results.items()} == {
        "confirmed": 1,
        "partly": 1,
        "not_confirmed": 0,
        "cannot_verify": 0,
    }
    rows = verification_by_unit(actor=people["ca_joint"], start=START, end=END, as_of=at(9, 1))
    by_code = {r.unit.code: r for r in rows}
    assert {code: r.requested.value for code, r in by_code.items()} == {"BCHQS": 1, "CAT": 4}
    assert by_code["BCHQS"].requested.provenance == ids(for_qs.item)


def test_all_figures_are_computed_for_now_by_default(world, people):
    item = send(people["bp_post"], [world.u("ca_province")], at(9, 14, 12))
    verification_request_create(
        actor=people["bp_post"],
        item=item,
        assigned_unit=world.u("ca_province"),
        question="Đề nghị xác minh.",
        at=at(9, 14, 13),
    )
    # Two days later: the Khẩn receipt (24 h) is overdue, the verification (72 h) is not.
    with time_machine.travel(at(9, 16, 13), tick=False):
        figures = exchange_figures(actor=people["qs_joint"], start=START, end=END)
    assert figures.as_of == at(9, 16, 13)
    assert figures.items.exchanged == Figure(1, ids(item))
    assert figures.acknowledgements.overdue == Figure(1, ids(item))
    assert figures.verifications.overdue.value == 0
    assert figures.verifications.unanswered.value == 1
    assert [row.unit.code for row in figures.acknowledgements_by_unit] == ["CAT"]
    assert [row.force.code for row in figures.acknowledgements_by_force] == ["CA"]
    assert [row.unit.code for row in figures.verifications_by_unit] == ["CAT"]
