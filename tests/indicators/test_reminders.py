"""Reminders of submissions due and overdue: before the deadline to the unit, after it to the
unit's commanders and the level above; once per step, only while the submission is not sent."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from phoihop.indicators.models import Reminder
from phoihop.indicators.reminders import send_reminders
from phoihop.indicators.services import submission_create, submission_submit, submission_values_set
from phoihop.notifications.models import Notification
from tests.indicators.conftest import People, Regime, at

pytestmark = pytest.mark.django_db

VALUES = {"t.patrols": "4", "t.subjects": "1", "t.wanted": "0", "t.budget": "0"}


@pytest.fixture(autouse=True)
def _commune_form_only(regime: Regime) -> None:
    """The provincial form (deadline 24/09) would add its own reminders: left out here."""
    regime.province_form.is_active = False
    regime.province_form.save()


def told(person) -> list[str]:  # type: ignore[no-untyped-def]
    return list(
        Notification.objects.filter(recipient=person).order_by("id").values_list("title", flat=True)
    )


def test_before_the_deadline_the_units_that_have_not_sent_are_reminded_once(
    regime: Regime, people: People, django_capture_on_commit_callbacks
):
    people.officer.email = "canbo.sk1@example.vn"
    people.officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        summary = send_reminders(now=at("16/09/2024"))  # the deadline is 19/09/2024

    assert summary == {"units": 2, "notifications": 3, "emails": 1}
    assert told(people.officer) == [
        "Sắp đến hạn gửi báo cáo quý III năm 2024 – Công an xã Sơn Kim 1"
    ]
    assert told(people.commune_commander) == told(people.officer)
    assert told(people.other_commune_officer) == [
        "Sắp đến hạn gửi báo cáo quý III năm 2024 – Công an xã Thiên Cầm"
    ]
    body = Notification.objects.filter(recipient=people.officer).get().body
    assert "chậm nhất ngày 19/09/2024 (còn 3 ngày)" in body
    assert told(people.commander) == []
    assert [m.to for m in mail.outbox] == [["canbo.sk1@example.vn"]]

    assert send_reminders(now=at("17/09/2024")) == {"units": 0, "notifications": 0, "emails": 0}
    assert Reminder.objects.count() == 2


def test_after_the_deadline_the_commanders_of_the_unit_and_of_the_level_above_are_told(
    regime, people
):
    sent = submission_create(
        actor=people.officer, form=regime.commune_form, period="2024-Q3", at=at("10/09/2024")
    )
    submission_values_set(actor=people.officer, submission=sent, values=VALUES)
    submission_submit(actor=people.officer, submission=sent, at=at("18/09/2024"))
    # The other commune opened a draft but never sent it.
    submission_create(
        actor=people.other_commune_officer,
        form=regime.commune_form,
        period="2024-Q3",
        at=at("12/09/2024"),
    )

    summary = send_reminders(now=at("21/09/2024"))

    assert summary["units"] == 1
    assert told(people.officer) == [] and told(people.commune_commander) == []
    assert told(people.commander) == ["Quá hạn gửi báo cáo quý III năm 2024 – Công an xã Thiên Cầm"]
    message = Notification.objects.get(recipient=people.commander)
    assert "đã quá 2 ngày" in message.body and "đôn đốc" in message.body
    assert message.link.startswith("/indicators/completeness/?period=2024-Q3")
    # The officers of the late unit are not the ones told after the deadline.
    assert told(people.other_commune_officer) == []


def test_when_several_steps_have_passed_only_the_latest_is_sent(regime, people):
    summary = send_reminders(now=at("30/09/2024"))  # 11 days late: the +7 step
    assert summary["units"] == 2
    assert sorted(Reminder.objects.values_list("offset_days", flat=True)) == [7, 7]
    assert send_reminders(now=at("01/10/2024"))["units"] == 0


@override_settings(PHOIHOP_SUBMISSION_REMINDER_DAYS=[-1])
def test_the_steps_are_configurable(regime, people):
    assert send_reminders(now=at("16/09/2024"))["units"] == 0
    assert send_reminders(now=at("18/09/2024"))["units"] == 2


def test_the_command_runs_the_reminders_and_can_enqueue_them(regime, people):
    out = io.StringIO()
    call_command("send_submission_reminders", stdout=out)
    assert out.getvalue().startswith("reminded units=")
    out = io.StringIO()
    call_command("send_submission_reminders", "--enqueue", stdout=out)
    assert out.getvalue().startswith("queued task")
