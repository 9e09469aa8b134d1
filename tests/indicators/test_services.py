"""Submissions: opening, values with hard and soft rules, the workflow and its refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from phoihop.audit.models import AuditEntry
from phoihop.core.errors import DomainError, PermissionDenied, StaleVersion
from phoihop.indicators.enums import SubmissionStatus
from phoihop.indicators.models import Submission, SubmissionTransition, SubmissionValue
from phoihop.indicators.periods import Period
from phoihop.indicators.services import (
    approver_unit,
    form_by_code,
    indicator_by_code,
    submission_approve,
    submission_create,
    submission_open,
    submission_reopen,
    submission_resubmit,
    submission_return,
    submission_submit,
    submission_values_set,
)
from phoihop.indicators.validation import check_submission, parse_value
from tests.factories import user
from tests.indicators.conftest import People, Regime, at

pytestmark = pytest.mark.django_db

GOOD = {"t.patrols": "12", "t.subjects": "3", "t.wanted": "1", "t.budget": "2,5"}


def values_of(submission: Submission) -> dict[str, Decimal | None]:
    return {
        v.indicator.code: v.value
        for v in SubmissionValue.objects.filter(submission=submission).select_related("indicator")
    }


def filled(people: People, regime: Regime, key: str = "2024-Q3", **values: str) -> Submission:
    opened = at(Period.parse(key).end.strftime("%d/%m/%Y"), hour=8)
    submission = submission_create(
        actor=people.officer, form=regime.commune_form, period=key, at=opened
    )
    return submission_values_set(
        actor=people.officer, submission=submission, values={**GOOD, **values}, localized=True
    )


def submitted(people: People, regime: Regime, key: str = "2024-Q3") -> Submission:
    sent = at((Period.parse(key).end + dt.timedelta(days=2)).strftime("%d/%m/%Y"))
    return submission_submit(actor=people.officer, submission=filled(people, regime, key), at=sent)


# --- opening ------------------------------------------------------------------------------------


def test_a_unit_opens_its_draft_with_the_window_and_deadline_of_the_period(world, regime, people):
    submission = submission_create(actor=people.officer, form=regime.commune_form, period="2024-Q3")

    assert submission.owner_unit == world.u("ca_commune_a")
    assert submission.status == SubmissionStatus.DRAFT
    assert (submission.period_start, submission.period_end) == (
        dt.date(2024, 6, 15),
        dt.date(2024, 9, 14),
    )
    assert submission.deadline == dt.date(2024, 9, 19)
    assert submission.is_joint and submission.province == world.province
    # The entered indicators are there, empty; the derived one comes with the snapshot.
    assert values_of(submission) == {
        "t.patrols": None,
        "t.subjects": None,
        "t.wanted": None,
        "t.budget": None,
    }
    log = SubmissionTransition.objects.get(submission=submission)
    assert (log.transition, log.to_status, log.actor) == ("create", "draft", people.officer)
    assert AuditEntry.objects.filter(object_id=str(submission.public_id), action="create").exists()


def test_opening_again_returns_the_same_submission(regime, people):
    first, created = submission_open(
        actor=people.officer, form=regime.commune_form, period="2024-Q3"
    )
    again, created_again = submission_open(
        actor=people.officer, form=regime.commune_form, period="2024-Q3"
    )
    assert (created, created_again, again.pk) == (True, False, first.pk)


def test_an_unknown_period_key_is_refused_naming_the_period(regime, people):
    with pytest.raises(DomainError) as exc:
        submission_create(actor=people.officer, form=regime.commune_form, period="2024-Q5")
    assert exc.value.code == "invalid_period"
    assert "2024-Q5" in exc.value.fields["period"][0]
    assert not Submission.objects.exists()


def test_a_period_of_the_wrong_kind_or_not_started_is_refused(regime, people):
    with pytest.raises(DomainError) as exc:
        submission_create(actor=people.officer, form=regime.commune_form, period="2024-07")
    assert exc.value.code == "wrong_period_kind" and exc.value.fields["period"]
    with pytest.raises(DomainError) as exc:
        submission_create(actor=people.officer, form=regime.commune_form, period="2099-Q1")
    assert exc.value.code == "period_not_started"
    assert not Submission.objects.exists()


def test_a_unit_cannot_open_a_form_it_does_not_owe(regime, people):
    with pytest.raises(DomainError) as exc:
        submission_create(actor=people.commander, form=regime.commune_form, period="2024-Q3")
    assert exc.value.code == "form_not_owed"
    assert "Công an tỉnh Hà Tĩnh" in exc.value.fields["form"][0]
    assert not Submission.objects.exists()


def test_unknown_form_and_indicator_codes_are_named(regime):
    with pytest.raises(DomainError) as exc:
        form_by_code("khong-co")
    assert exc.value.code == "unknown_form" and "khong-co" in exc.value.fields["form"][0]
    with pytest.raises(DomainError) as exc:
        indicator_by_code("x.khong-co")
    assert exc.value.code == "unknown_indicator"
    assert "x.khong-co" in exc.value.fields["indicator"][0]


def test_the_same_period_cannot_be_opened_twice(regime, people):
    submission_create(actor=people.officer, form=regime.commune_form, period="2024-Q3")
    with pytest.raises(DomainError) as exc:
        submission_create(
            actor=people.commune_commander, form=regime.commune_form, period="2024-Q3"
        )
    assert exc.value.code == "submission_exists"
    assert Submission.objects.count() == 1


# --- values -------------------------------------------------------------------------------------


def test_values_are_read_the_vietnamese_way_and_audited(regime, people):
    submission = filled(people, regime, **{"t.patrols": "1.508", "t.budget": "11,09"})

    assert values_of(submission)["t.patrols"] == Decimal(1508)
    assert values_of(submission)["t.budget"] == Decimal("11.09")
    assert submission.version == 2
    entry = AuditEntry.objects.filter(object_id=str(submission.public_id), action="update").last()
    assert entry is not None and entry.changes["t.patrols"] == ["", "1.508"]


@pytest.mark.parametrize(
    ("values", "field", "code", "words"),
    [
        ({"t.patrols": "-3"}, "values.t.patrols", "negative_value", "không được âm"),
        ({"t.subjects": "2,5"}, "values.t.subjects", "not_whole", "số nguyên"),
        ({"t.patrols": "mười"}, "values.t.patrols", "invalid_value", "không phải là một số"),
        ({"x.unknown": "1"}, "values.x.unknown", "unknown_indicator", "x.unknown"),
        ({"tt.tuan-tra": "1"}, "values.tt.tuan-tra", "not_in_form", "không có trong biểu mẫu"),
        ({"cases.count": "4"}, "values.cases.count", "derived_read_only", "không nhập tay"),
    ],
)
def test_a_bad_value_is_refused_naming_the_indicator_and_nothing_is_saved(
    regime, people, values, field, code, words
):
    submission = submission_create(actor=people.officer, form=regime.commune_form, period="2024-Q3")
    with pytest.raises(DomainError) as exc:
        submission_values_set(
            actor=people.officer,
            submission=submission,
            values={"t.budget": "7", **values},
            localized=True,
        )
    assert exc.value.code == code
    assert words in exc.value.fields[field][0]
    assert set(values_of(submission).values()) == {None}
    submission.refresh_from_db()
    assert submission.version == 1


def test_every_faulty_indicator_is_named_at_once(regime, people):
    submission = submission_create(actor=people.officer, form=regime.commune_form, period="2024-Q3")
    with pytest.raises(DomainError) as exc:
        submission_values_set(
            actor=people.officer,
            submission=submission,
            values={"t.patrols": "-1", "t.subjects": "1,5"},
            localized=True,
        )
    assert set(exc.value.fields) == {"values.t.patrols", "values.t.subjects"}
    assert "Số lượt tuần tra" in exc.value.fields["values.t.patrols"][0]


def test_a_stale_version_is_refused(regime, people):
    submission = submission_create(actor=people.officer, form=regime.commune_form, period="2024-Q3")
    submission_values_set(actor=people.officer, submission=submission, values={"t.patrols": "1"})
    with pytest.raises(StaleVersion):
        submission_values_set(
            actor=people.officer,
            submission=submission,
            values={"t.patrols": "2"},
            expected_version=1,
        )
    assert values_of(submission)["t.patrols"] == Decimal(1)


def test_only_the_owning_unit_fills_in_its_submission(regime, people):
    submission = submission_create(actor=people.officer, form=regime.commune_form, period="2024-Q3")
    for outsider in (people.commander, people.other_commune_officer):
        with pytest.raises(PermissionDenied):
            submission_values_set(actor=outsider, submission=submission, values={"t.patrols": "1"})
    assert values_of(submission)["t.patrols"] is None


def test_parse_value_keeps_decimals_exact() -> None:
    from phoihop.indicators.models import Indicator

    money = Indicator(code="m", name="Kinh phí", unit="đồng", value_kind="decimal")
    assert parse_value("2.5", indicator=money, localized=True) == Decimal("2.5")
    assert parse_value("1.234.567,25", indicator=money, localized=True) == Decimal("1234567.25")
    assert parse_value(0.1, indicator=money) == Decimal("0.1")
    assert parse_value("", indicator=money) is None


# --- submitting ---------------------------------------------------------------------------------


def test_submitting_snapshots_the_derived_values_and_logs_it(world, regime, people):
    from tests.cases.conftest import make_case

    make_case(people.officer, world, detected_at=at("01/08/2024"))
    make_case(people.officer, world, detected_at=at("20/09/2024"))  # after the window
    submission = submitted(people, regime)

    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.submitted_by == people.officer
    assert submission.first_submitted_at == at("16/09/2024")
    assert submission.on_time() is True
    snapshot = SubmissionValue.objects.get(submission=submission, indicator__code="cases.count")
    assert (snapshot.value, snapshot.is_derived) == (Decimal(1), True)
    assert list(
        SubmissionTransition.objects.filter(submission=submission).values_list(
            "transition", "to_status"
        )
    ) == [("create", "draft"), ("submit", "submitted")]


def test_hard_rules_block_submission_naming_the_indicator_and_nothing_is_saved(regime, people):
    submission = filled(people, regime, **{"t.subjects": "1", "t.wanted": "3"})
    submission_values_set(actor=people.officer, submission=submission, values={"t.patrols": ""})
    version = Submission.objects.get(pk=submission.pk).version

    with pytest.raises(DomainError) as exc:
        submission_submit(actor=people.officer, submission=submission)

    assert exc.value.code == "validation_failed"
    assert "Số lượt tuần tra" in exc.value.fields["values.t.patrols"][0]
    mismatch = exc.value.fields["values.t.subjects"][0]
    assert "Số đối tượng bắt giữ, xử lý" in mismatch and "lớn hơn hoặc bằng" in mismatch
    submission.refresh_from_db()
    assert (submission.status, submission.version, submission.submitted_at) == (
        "draft",
        version,
        None,
    )
    assert not SubmissionValue.objects.filter(submission=submission, is_derived=True).exists()
    assert not SubmissionTransition.objects.filter(submission=submission, transition="submit")


def test_a_jump_against_the_previous_period_needs_an_explanation(regime, people):
    submission_approve(actor=people.commander, submission=submitted(people, regime, "2024-Q2"))
    current = filled(people, regime, "2024-Q3", **{"t.patrols": "40"})

    with pytest.raises(DomainError) as exc:
        submission_submit(actor=people.officer, submission=current)
    assert exc.value.code == "explanation_required"
    warning = exc.value.fields["explanations.t.patrols"][0]
    assert "Số lượt tuần tra" in warning and "quý II năm 2024" in warning and "12" in warning
    assert Submission.objects.get(pk=current.pk).status == "draft"

    found = check_submission(current)
    assert list(found.warnings) == ["t.patrols"] and found.warnings["t.patrols"].rise

    submission_values_set(
        actor=people.officer,
        submission=current,
        explanations={"t.patrols": "Cao điểm tấn công trấn áp tội phạm tháng 8."},
    )
    sent = submission_submit(actor=people.officer, submission=current)
    assert sent.status == "submitted"
    assert check_submission(sent).warnings["t.patrols"].explained


def test_a_fall_beyond_the_share_also_needs_an_explanation(regime, people):
    submission_approve(actor=people.commander, submission=submitted(people, regime, "2024-Q2"))
    current = filled(people, regime, "2024-Q3", **{"t.patrols": "5"})
    with pytest.raises(DomainError) as exc:
        submission_submit(actor=people.officer, submission=current)
    assert "giảm hơn 50%" in exc.value.fields["explanations.t.patrols"][0]


def test_thresholds_are_configurable_per_form_line(regime, people):
    from phoihop.indicators.models import ReportFormLine

    ReportFormLine.objects.filter(form=regime.commune_form, indicator__code="t.patrols").update(
        rise_factor=Decimal(10)
    )
    submission_approve(actor=people.commander, submission=submitted(people, regime, "2024-Q2"))
    current = filled(people, regime, "2024-Q3", **{"t.patrols": "40"})
    assert submission_submit(actor=people.officer, submission=current).status == "submitted"


def test_submitting_a_locked_submission_is_refused(regime, people):
    submission = submission_approve(actor=people.commander, submission=submitted(people, regime))
    for attempt in (submission_submit, submission_resubmit):
        with pytest.raises(DomainError) as exc:
            attempt(actor=people.officer, submission=submission)
        assert exc.value.code == "locked" and exc.value.fields["status"]
    with pytest.raises(DomainError) as exc:
        submission_values_set(
            actor=people.officer, submission=submission, values={"t.patrols": "1"}
        )
    assert exc.value.code == "locked"
    assert Submission.objects.get(pk=submission.pk).status == "approved"
    assert values_of(submission)["t.patrols"] == Decimal(12)


def test_a_sent_submission_cannot_be_changed_or_sent_twice(regime, people):
    submission = submitted(people, regime)
    with pytest.raises(DomainError) as exc:
        submission_values_set(
            actor=people.officer, submission=submission, values={"t.patrols": "1"}
        )
    assert exc.value.code == "awaiting_approval"
    with pytest.raises(DomainError) as exc:
        submission_submit(actor=people.officer, submission=submission)
    assert exc.value.code == "invalid_transition"


# --- approving ----------------------------------------------------------------------------------


def test_the_next_level_up_approves_and_locks(world, regime, people):
    submission = submitted(people, regime)
    assert approver_unit(world.u("ca_commune_a")) == world.u("ca_province")

    approved = submission_approve(
        actor=people.commander, submission=submission, at=at("18/09/2024")
    )

    assert approved.status == "approved" and approved.is_locked
    assert (approved.decided_by, approved.decided_at) == (people.commander, at("18/09/2024"))


def test_approving_ones_own_submission_is_refused(world, regime, people):
    # A provincial command is at the top: its own commanders sign off, but not their own report.
    submission = submission_create(
        actor=people.commander, form=regime.province_form, period="2024-Q3"
    )
    submission_values_set(actor=people.commander, submission=submission, values={"t.patrols": "5"})
    submission_submit(actor=people.commander, submission=submission)

    with pytest.raises(DomainError) as exc:
        submission_approve(actor=people.commander, submission=submission)
    assert exc.value.code == "own_submission" and exc.value.fields["approver"]
    assert Submission.objects.get(pk=submission.pk).status == "submitted"

    other = user(world.u("ca_province"), roles=["commander"])
    assert submission_approve(actor=other, submission=submission).status == "approved"


def test_a_unit_does_not_approve_its_own_report_when_it_has_a_level_above(regime, people):
    submission = submitted(people, regime)
    with pytest.raises(DomainError) as exc:
        submission_approve(actor=people.commune_commander, submission=submission)
    assert exc.value.code == "own_submission"
    assert "Công an tỉnh Hà Tĩnh" in exc.value.fields["approver"][0]
    assert Submission.objects.get(pk=submission.pk).status == "submitted"


@pytest.mark.parametrize("who", ["pc04_commander", "qs_commander"])
def test_approving_from_a_unit_that_is_not_the_next_level_up_is_refused(regime, people, who):
    submission = submitted(people, regime)
    with pytest.raises(DomainError) as exc:
        submission_approve(actor=getattr(people, who), submission=submission)
    assert exc.value.code == "not_next_level"
    assert "cấp trên trực tiếp" in exc.value.fields["approver"][0]
    submission.refresh_from_db()
    assert (submission.status, submission.decided_by) == ("submitted", None)


def test_only_commanders_of_the_next_level_decide(regime, people):
    submission = submitted(people, regime)
    with pytest.raises(DomainError) as exc:
        submission_approve(actor=people.province_officer, submission=submission)
    assert exc.value.code == "not_a_commander"
    assert Submission.objects.get(pk=submission.pk).status == "submitted"


def test_returned_with_a_reason_then_corrected_and_resubmitted(regime, people):
    submission = submitted(people, regime)
    with pytest.raises(DomainError) as exc:
        submission_return(actor=people.commander, submission=submission, reason="  ")
    assert exc.value.code == "reason_required" and exc.value.fields["reason"]
    assert Submission.objects.get(pk=submission.pk).status == "submitted"

    returned = submission_return(
        actor=people.commander,
        submission=submission,
        reason="Số lượt tuần tra chưa khớp sổ trực.",
        at=at("20/09/2024"),
    )
    assert (returned.status, returned.return_reason) == (
        "returned",
        "Số lượt tuần tra chưa khớp sổ trực.",
    )
    submission_values_set(actor=people.officer, submission=returned, values={"t.patrols": "13"})
    again = submission_resubmit(actor=people.officer, submission=returned, at=at("25/09/2024"))
    assert again.status == "submitted"
    # Timeliness keeps the first sending.
    assert (again.first_submitted_at, again.submitted_at) == (at("16/09/2024"), at("25/09/2024"))
    approved = submission_approve(actor=people.commander, submission=again, at=at("26/09/2024"))
    assert approved.status == "approved"
    assert list(
        SubmissionTransition.objects.filter(submission=submission).values_list(
            "transition", flat=True
        )
    ) == ["create", "submit", "return", "resubmit", "approve"]


def test_reopening_an_approved_submission_needs_a_reason_and_is_audited(regime, people):
    submission = submission_approve(actor=people.commander, submission=submitted(people, regime))
    with pytest.raises(DomainError) as exc:
        submission_reopen(actor=people.commander, submission=submission, reason="")
    assert exc.value.code == "reason_required"
    assert Submission.objects.get(pk=submission.pk).status == "approved"
    with pytest.raises(DomainError) as exc:
        submission_reopen(actor=people.pc04_commander, submission=submission, reason="Sửa")
    assert exc.value.code == "not_next_level"

    reopened = submission_reopen(
        actor=people.commander, submission=submission, reason="Đơn vị đề nghị sửa số liệu kinh phí."
    )
    assert reopened.status == "returned" and reopened.is_editable
    entry = AuditEntry.objects.filter(object_id=str(submission.public_id)).order_by("seq").last()
    assert entry is not None
    assert entry.changes["transition"] == "reopen"
    assert entry.changes["reason"] == "Đơn vị đề nghị sửa số liệu kinh phí."
