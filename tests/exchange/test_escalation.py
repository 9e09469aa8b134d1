"""Overdue acknowledgements and verifications reach the commanders once per step (app, mail)."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse
from django_tasks import TaskResultStatus

from phoihop.audit.models import AuditEntry
from phoihop.exchange.enums import Urgency, VerificationResult
from phoihop.exchange.escalation import escalate_overdue
from phoihop.exchange.models import Escalation
from phoihop.exchange.services import (
    info_item_acknowledge,
    info_item_create,
    verification_answer,
    verification_request_create,
)
from phoihop.exchange.tasks import escalate_overdue as escalate_overdue_task
from phoihop.notifications.enums import NotificationKind
from phoihop.notifications.models import Notification
from tests.factories import user

SENT = dt.datetime(2024, 8, 1, 8, tzinfo=dt.UTC)  # 15:00 in Hà Tĩnh
KHAN_DUE = SENT + dt.timedelta(hours=24)  # 02/08/2024 15:00 local
MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)


def commander(unit, email):
    person = user(unit, roles=["commander"])
    person.email = email
    person.save(update_fields=["email"])
    return person


@pytest.fixture
def people(world):
    return {
        "bp_post": user(world.u("bp_post_a"), roles=["officer"]),
        "ca_officer": user(world.u("ca_province"), roles=["officer"]),
        "ca_cmd_1": commander(world.u("ca_province"), "chihuy1@cat.local"),
        "ca_cmd_2": commander(world.u("ca_province"), "chihuy2@cat.local"),
        "qs_officer": user(world.u("qs_province"), roles=["officer"]),
        "qs_cmd": commander(world.u("qs_province"), "chihuy@bchqs.local"),
    }


def send(actor, recipients, **extra):
    fields = {
        "title": "Đối tượng lạ qua biên giới",
        "content": "Nội dung",
        "topic": "border",
        "urgency": Urgency.KHAN,
    }
    fields.update(extra)
    with time_machine.travel(SENT, tick=False):
        return info_item_create(actor=actor, recipients=recipients, **fields)


def run_at(moment, capture):
    """Run the escalation task at a frozen moment; e-mails go out when its transaction commits."""
    with time_machine.travel(moment, tick=False), capture(execute=True):
        result = escalate_overdue_task.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    return result.return_value


def test_a_late_acknowledgement_is_escalated_once_per_step_to_each_commander(
    world, people, django_capture_on_commit_callbacks
):
    item = send(people["bp_post"], [world.u("ca_province")])
    commanders = [people["ca_cmd_1"], people["ca_cmd_2"]]

    first = run_at(KHAN_DUE + MINUTE, django_capture_on_commit_callbacks)

    assert first == {"receipts": 1, "verifications": 0, "notifications": 2, "emails": 2}
    notes = Notification.objects.order_by("recipient_id")
    assert [n.recipient for n in notes] == commanders
    assert {n.kind for n in notes} == {NotificationKind.ACK_OVERDUE}
    assert notes[0].title == "Quá hạn xác nhận thông tin 01/TT-DBP-SK – Công an tỉnh Hà Tĩnh"
    assert "“Đối tượng lạ qua biên giới”" in notes[0].body
    assert "Hạn xác nhận: 02/08/2024 15:00. Đã quá hạn: 1 phút." in notes[0].body
    assert notes[0].related_id == str(item.public_id)
    assert notes[0].link == reverse("exchange:detail", kwargs={"public_id": item.public_id})
    assert sorted(m.to[0] for m in mail.outbox) == ["chihuy1@cat.local", "chihuy2@cat.local"]
    sent = mail.outbox[0]
    assert sent.subject == notes[0].title
    assert "01/TT-DBP-SK" in sent.body and "Đối tượng lạ qua biên giới" in sent.body
    assert "Công an tỉnh Hà Tĩnh" in sent.body and "02/08/2024 15:00" in sent.body

    # The same lateness is never escalated twice, however often the job runs.
    again = run_at(KHAN_DUE + 2 * MINUTE, django_capture_on_commit_callbacks)
    assert again["receipts"] == 0
    assert Notification.objects.count() == 2 and len(mail.outbox) == 2

    second = run_at(KHAN_DUE + 24 * HOUR + MINUTE, django_capture_on_commit_callbacks)
    assert second == {"receipts": 1, "verifications": 0, "notifications": 2, "emails": 2}
    reminders = Notification.objects.filter(title__endswith="(nhắc lần 2)")
    assert sorted(n.recipient_id for n in reminders) == sorted(c.pk for c in commanders)
    assert "Đã quá hạn: 24 giờ 1 phút." in reminders[0].body
    assert len(mail.outbox) == 4

    run_at(KHAN_DUE + 24 * HOUR + MINUTE, django_capture_on_commit_callbacks)
    run_at(KHAN_DUE + 200 * HOUR, django_capture_on_commit_callbacks)
    assert Notification.objects.count() == 4 and len(mail.outbox) == 4
    assert list(Escalation.objects.values_list("threshold", "after_hours")) == [(0, 0), (1, 24)]
    # Nobody else hears of it: not the officers, not the sender.
    assert not Notification.objects.exclude(recipient__in=commanders).exists()


def test_each_escalation_is_audited(world, people, django_capture_on_commit_callbacks):
    item = send(people["bp_post"], [world.u("ca_province")])
    run_at(KHAN_DUE + MINUTE, django_capture_on_commit_callbacks)

    entry = AuditEntry.objects.get(object_id=str(item.public_id), action="update")
    assert entry.actor_username == "system:escalation"
    assert entry.changes["escalation"] == "ack_overdue"
    assert entry.changes["responsible_unit"] == "CAT"
    assert entry.changes["after_hours"] == 0
    assert sorted(entry.changes["notified"]) == sorted(
        [people["ca_cmd_1"].username, people["ca_cmd_2"].username]
    )


def test_nothing_is_escalated_before_the_due_time(
    world, people, django_capture_on_commit_callbacks
):
    send(people["bp_post"], [world.u("ca_province")])
    run_at(KHAN_DUE, django_capture_on_commit_callbacks)
    assert not Notification.objects.exists() and mail.outbox == []
    assert not Escalation.objects.exists()


def test_acknowledging_in_time_means_no_escalation_ever(
    world, people, django_capture_on_commit_callbacks
):
    item = send(people["bp_post"], [world.u("ca_province")])
    with time_machine.travel(KHAN_DUE - HOUR, tick=False):
        info_item_acknowledge(actor=people["ca_officer"], item=item)

    run_at(KHAN_DUE + MINUTE, django_capture_on_commit_callbacks)
    run_at(KHAN_DUE + 30 * HOUR, django_capture_on_commit_callbacks)

    assert not Notification.objects.exists() and mail.outbox == []
    assert not Escalation.objects.exists()


def test_a_run_after_several_missed_steps_sends_one_message_not_a_burst(
    world, people, django_capture_on_commit_callbacks
):
    send(people["bp_post"], [world.u("ca_province")])
    run_at(KHAN_DUE + 30 * HOUR, django_capture_on_commit_callbacks)

    assert Notification.objects.filter(recipient=people["ca_cmd_1"]).count() == 1
    assert list(Escalation.objects.values_list("after_hours", flat=True)) == [24]
    run_at(KHAN_DUE + 31 * HOUR, django_capture_on_commit_callbacks)
    assert Notification.objects.count() == 2 and len(mail.outbox) == 2


def test_an_overdue_verification_goes_to_the_assigned_units_commanders(
    world, people, django_capture_on_commit_callbacks
):
    item = send(people["bp_post"], [world.u("ca_province")], urgency=Urgency.THUONG)
    with time_machine.travel(SENT, tick=False):
        verification = verification_request_create(
            actor=people["bp_post"],
            item=item,
            assigned_unit=world.u("qs_province"),
            question="Xác minh nhân thân đối tượng",
            due_at=SENT + 2 * HOUR,
        )

    # The receipts (Thường: 72 h) are not due yet; the verification is.
    summary = run_at(SENT + 3 * HOUR, django_capture_on_commit_callbacks)

    assert summary == {"receipts": 0, "verifications": 1, "notifications": 1, "emails": 1}
    note = Notification.objects.get()
    assert note.recipient == people["qs_cmd"]
    assert note.kind == NotificationKind.VERIFICATION_OVERDUE
    assert note.related_id == str(verification.public_id)
    assert "Đồn Biên phòng Sơn Kim giao Bộ Chỉ huy Quân sự tỉnh Hà Tĩnh" in note.body
    assert "Hạn trả lời: 01/08/2024 17:00. Đã quá hạn: 1 giờ." in note.body
    assert mail.outbox[0].to == ["chihuy@bchqs.local"]
    assert mail.outbox[0].subject == (
        "Quá hạn trả lời yêu cầu xác minh thông tin 01/TT-DBP-SK – Bộ Chỉ huy Quân sự tỉnh Hà Tĩnh"
    )
    assert Escalation.objects.get().verification == verification


def test_an_answered_verification_is_not_escalated(
    world, people, django_capture_on_commit_callbacks
):
    item = send(people["bp_post"], [world.u("ca_province")], urgency=Urgency.THUONG)
    with time_machine.travel(SENT, tick=False):
        verification = verification_request_create(
            actor=people["bp_post"],
            item=item,
            assigned_unit=world.u("qs_province"),
            question="Xác minh",
            due_at=SENT + 2 * HOUR,
        )
    with time_machine.travel(SENT + HOUR, tick=False):
        verification_answer(
            actor=people["qs_officer"],
            verification=verification,
            result=VerificationResult.CONFIRMED,
            findings="Đúng sự thật.",
        )

    run_at(SENT + 3 * HOUR, django_capture_on_commit_callbacks)
    assert not Notification.objects.exists() and mail.outbox == []


def test_a_unit_without_a_commander_is_escalated_to_its_parents_commanders(
    world, people, django_capture_on_commit_callbacks
):
    commune = world.u("ca_commune_a")  # Công an xã Sơn Kim 1: officers only
    user(commune, roles=["officer"])
    send(people["bp_post"], [commune])

    run_at(KHAN_DUE + MINUTE, django_capture_on_commit_callbacks)

    notes = Notification.objects.all()
    assert {n.recipient for n in notes} == {people["ca_cmd_1"], people["ca_cmd_2"]}
    assert Escalation.objects.get().unit == world.u("ca_province")
    note = notes[0]
    assert note.title == "Quá hạn xác nhận thông tin – Công an xã Sơn Kim 1"
    assert "chưa có chỉ huy trên hệ thống" in note.body
    # The province commanders do not see what was sent to the commune: they learn that it is
    # late, not what it says.
    for text in [note.title, note.body, *(m.subject + m.body for m in mail.outbox)]:
        assert "Đối tượng lạ qua biên giới" not in text and "01/TT-DBP-SK" not in text
    assert note.link == "" and note.related_id == ""
    assert len(mail.outbox) == 2


def test_a_commander_without_an_email_address_is_told_in_the_application_only(
    world, people, django_capture_on_commit_callbacks
):
    people["qs_cmd"].email = ""
    people["qs_cmd"].save(update_fields=["email"])
    send(people["bp_post"], [world.u("qs_province")])

    summary = run_at(KHAN_DUE + MINUTE, django_capture_on_commit_callbacks)

    assert summary["notifications"] == 1 and summary["emails"] == 0
    assert Notification.objects.get().recipient == people["qs_cmd"]
    assert mail.outbox == []


def test_with_no_commander_anywhere_nothing_is_recorded_so_a_later_run_can_escalate(
    world, people, django_capture_on_commit_callbacks
):
    send(people["bp_post"], [world.u("qs_commune_a")])
    people["qs_cmd"].is_active = False
    people["qs_cmd"].save(update_fields=["is_active"])

    run_at(KHAN_DUE + MINUTE, django_capture_on_commit_callbacks)
    assert not Escalation.objects.exists() and not Notification.objects.exists()

    people["qs_cmd"].is_active = True
    people["qs_cmd"].save(update_fields=["is_active"])
    run_at(KHAN_DUE + 2 * MINUTE, django_capture_on_commit_callbacks)
    assert Notification.objects.get().recipient == people["qs_cmd"]


@override_settings(PHOIHOP_MAX_CLASSIFICATION="mat")
def test_the_title_of_a_classified_item_stays_out_of_the_mail(
    world, people, django_capture_on_commit_callbacks
):
    for sender_and_reader in (people["qs_cmd"], people["bp_post"]):
        sender_and_reader.clearance = 1
        sender_and_reader.save(update_fields=["clearance"])
    send(people["bp_post"], [world.u("qs_province")], classification=1)

    run_at(KHAN_DUE + MINUTE, django_capture_on_commit_callbacks)

    note = Notification.objects.get()
    assert "Đối tượng lạ qua biên giới" in note.body
    sent = mail.outbox[0]
    assert "Đối tượng lạ qua biên giới" not in sent.subject + sent.body
    assert "01/TT-DBP-SK có độ mật" in sent.body


def test_items_overdue_beyond_the_lookback_are_history_not_news(
    world, people, django_capture_on_commit_callbacks
):
    send(people["bp_post"], [world.u("ca_province")])
    with override_settings(PHOIHOP_ESCALATION_LOOKBACK_DAYS=30):
        run_at(KHAN_DUE + dt.timedelta(days=31), django_capture_on_commit_callbacks)
    assert not Notification.objects.exists()


@override_settings(PHOIHOP_ESCALATION_STEPS_HOURS=[0, 4, 12])
def test_the_steps_are_configurable(world, people, django_capture_on_commit_callbacks):
    send(people["bp_post"], [world.u("qs_province")])
    for hours in (0, 1, 4, 5, 12, 13):
        run_at(KHAN_DUE + hours * HOUR + MINUTE, django_capture_on_commit_callbacks)
    assert list(Escalation.objects.values_list("after_hours", flat=True)) == [0, 4, 12]
    assert Notification.objects.count() == 3 and len(mail.outbox) == 3


def test_the_database_refuses_a_second_escalation_of_the_same_lateness(
    world, people, django_capture_on_commit_callbacks
):
    send(people["bp_post"], [world.u("qs_province")])
    run_at(KHAN_DUE + MINUTE, django_capture_on_commit_callbacks)
    first = Escalation.objects.get()

    with pytest.raises(IntegrityError), transaction.atomic():
        Escalation.objects.create(
            receipt=first.receipt, threshold=0, after_hours=0, unit=first.unit
        )
    assert Escalation.objects.count() == 1


def test_the_escalation_rolls_back_whole_when_it_loses_the_race(
    world, people, django_capture_on_commit_callbacks, monkeypatch
):
    """A concurrent run took the step first: this run adds no notification, mail or audit."""
    send(people["bp_post"], [world.u("qs_province")])
    audits = AuditEntry.objects.count()

    def taken(*args, **kwargs):
        raise IntegrityError("one_escalation_per_receipt_step")

    monkeypatch.setattr(Escalation.objects, "create", taken)
    with (
        time_machine.travel(KHAN_DUE + MINUTE, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        summary = escalate_overdue()

    assert summary["receipts"] == 0
    assert not Notification.objects.exists() and mail.outbox == []
    assert AuditEntry.objects.count() == audits


def test_the_command_runs_the_escalation_or_queues_it(
    world, people, django_capture_on_commit_callbacks
):
    send(people["bp_post"], [world.u("qs_province")])
    out = StringIO()
    with (
        time_machine.travel(KHAN_DUE + MINUTE, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("escalate_overdue", stdout=out)
    assert "receipts=1" in out.getvalue() and "emails=1" in out.getvalue()

    queued = StringIO()
    with (
        time_machine.travel(KHAN_DUE + 25 * HOUR, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("escalate_overdue", "--enqueue", stdout=queued)
    assert queued.getvalue().startswith("queued task")
    # The test settings run tasks at once (ImmediateBackend).
    assert Notification.objects.count() == 2 and len(mail.outbox) == 2
