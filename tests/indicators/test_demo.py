"""The demo's report forms and submissions of 2024-Q2 and Q3: completeness has something true to
say (some late, one returned, a few missing, two waiting for approval)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction

from phoihop.indicators.models import ReportForm, Submission, SubmissionValue
from phoihop.indicators.periods import Period
from phoihop.indicators.selectors import approval_queue, completeness
from phoihop.org.models import User
from phoihop_dev.demo.builder import STEPS, build
from phoihop_dev.demo.data import DEFAULT
from phoihop_dev.demo.indicators import PLAN, build_indicators, expected_status

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_counts(django_db_setup, django_db_blocker) -> Iterator[dict[str, int]]:
    steps = STEPS if build_indicators in STEPS else [*STEPS, build_indicators]
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            from phoihop_dev.demo.builder import ensure_areas

            ensure_areas(DEFAULT)
            yield dict(build(DEFAULT, steps=steps))
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(demo_counts: dict[str, int], db) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return demo_counts


def joint() -> User:
    return User.objects.get(username="ca.tmth")


def test_six_forms_for_commune_and_province_units_of_the_three_forces(demo):
    forms = {
        f.code: (f.force.code, f.level.code)
        for f in ReportForm.objects.select_related("force", "level")
    }
    assert {
        "ca-xa-quy": ("CA", "xa"),
        "qs-xa-quy": ("QS", "xa"),
        "bp-don-quy": ("BP", "xa"),
        "ca-tinh-quy": ("CA", "tinh"),
        "qs-tinh-quy": ("QS", "tinh"),
        "bp-tinh-quy": ("BP", "tinh"),
    }.items() <= forms.items()


def test_every_unit_that_owed_a_report_has_the_story_of_the_plan(demo):
    for key in ("2024-Q2", "2024-Q3"):
        report = completeness(actor=joint(), period=Period.parse(key))
        assert report.total.expected >= 20, key
        for row in report.rows:
            assert row.status == expected_status(key, row.unit.code), (key, row.unit.code)


def test_completeness_has_something_true_to_say(demo):
    q3 = completeness(actor=joint(), period=Period.parse("2024-Q3")).total
    late = [code for code, fate in PLAN["2024-Q3"].items() if fate == "late"]
    missing = [c for c, f in PLAN["2024-Q3"].items() if f in ("missing", "draft", "returned")]
    assert (q3.late, q3.missing) == (len(late), len(missing))
    assert q3.received == q3.expected - len(missing)
    assert 0 < q3.timeliness < q3.completeness < 1  # type: ignore[operator]
    q2 = completeness(actor=joint(), period=Period.parse("2024-Q2")).total
    assert (q2.late, q2.missing) == (2, 2)


def test_one_is_returned_with_its_reason_and_two_wait_for_their_commander(demo):
    returned = Submission.objects.get(status="returned")
    assert (returned.owner_unit.code, returned.period_key) == ("DBP-SHG", "2024-Q3")
    assert "nhật ký tuần tra" in returned.return_reason
    waiting = approval_queue(actor=User.objects.get(username="bp.tinh.chihuy"))
    assert sorted(s.owner_unit.code for s in waiting) == ["DBP-CST", "DBP-HQG"]


def test_sent_submissions_carry_a_snapshot_of_their_derived_figures(demo):
    sent = Submission.objects.filter(
        status="approved", form__code="bp-don-quy", period_key="2024-Q3"
    )
    assert sent.exists()
    snapshot = SubmissionValue.objects.filter(submission__in=sent, is_derived=True)
    assert snapshot.filter(indicator__code="exchange.items_sent", value__gt=0).exists()
    assert not snapshot.filter(value__isnull=True).exists()


def test_building_again_changes_nothing(demo):
    counts = build(
        DEFAULT, steps=[*[s for s in STEPS if s is not build_indicators], build_indicators]
    )
    assert counts.get("submissions", 0) == 0 and counts.get("report_forms", 0) == 0
