import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from phoihop.access.rules import visible
from phoihop.audit.models import AuditEntry
from phoihop.core.errors import DomainError
from phoihop.exchange.enums import Handling, Urgency, VerificationStatus
from phoihop.exchange.models import InformationItem, Receipt, Reply, VerificationRequest
from phoihop.exchange.services import (
    info_item_acknowledge,
    info_item_create,
    info_item_forward,
    info_item_mark_read,
    info_item_reply,
    verification_answer,
    verification_close,
    verification_request_create,
    verification_start,
)
from tests.factories import user


@pytest.fixture
def people(world):
    return {
        "bp_post": user(world.u("bp_post_a"), roles=["officer"]),
        "bp_cmd": user(world.u("bp_province"), roles=["commander"]),
        "ca_prov": user(world.u("ca_province"), roles=["officer"]),
        "ca_commune": user(world.u("ca_commune_a"), roles=["officer"]),
        "qs_prov": user(world.u("qs_province"), roles=["officer"]),
        "qs_commune": user(world.u("qs_commune_a"), roles=["officer"]),
    }


def send(actor, recipients, **extra):
    fields = {"title": "Đối tượng lạ qua biên giới", "content": "Nội dung", "topic": "border"}
    fields.update(extra)
    return info_item_create(actor=actor, recipients=recipients, **fields)


def test_items_are_numbered_per_unit_and_year(world, people):
    with time_machine.travel(dt.datetime(2024, 12, 31, 10, tzinfo=dt.UTC), tick=False):
        a = send(people["bp_post"], [world.u("ca_province")])
        b = send(people["bp_post"], [world.u("ca_province")])
        other = send(people["ca_prov"], [world.u("bp_province")])
    with time_machine.travel(dt.datetime(2025, 1, 2, 10, tzinfo=dt.UTC), tick=False):
        c = send(people["bp_post"], [world.u("ca_province")])
    assert [a.number, b.number, other.number, c.number] == [1, 2, 1, 1]
    assert a.display_number == "01/TT-DBP-SK"
    assert (c.year, c.display_number) == (2025, "01/TT-DBP-SK")


def test_each_recipient_gets_a_receipt_due_by_urgency(world, people):
    now = dt.datetime(2024, 8, 1, 8, tzinfo=dt.UTC)
    with time_machine.travel(now, tick=False):
        item = send(
            people["bp_post"],
            [world.u("ca_province"), world.u("qs_province")],
            urgency=Urgency.KHAN,
        )
    receipts = Receipt.objects.filter(item=item)
    assert {r.unit.code for r in receipts} == {"CAT", "BCHQS"}
    assert {r.ack_due_at for r in receipts} == {now + dt.timedelta(hours=24)}
    assert visible(InformationItem, people["ca_prov"]).filter(pk=item.pk).exists()
    assert not visible(InformationItem, people["qs_commune"]).filter(pk=item.pk).exists()


def test_whole_forces_at_a_level_expand_to_their_units(world, people):
    item = info_item_create(
        actor=people["ca_prov"],
        title="Cảnh báo",
        content="…",
        topic="drugs",
        force_levels=[("BP", "xa"), ("QS", "tinh")],
    )
    assert set(item.receipts.values_list("unit__code", flat=True)) == {"DBP-SK", "BCHQS"}


def test_empty_distribution_is_refused_and_nothing_saved(people):
    with pytest.raises(DomainError) as err:
        send(people["bp_post"], [])
    assert err.value.code == "empty_distribution" and "recipients" in err.value.fields
    assert not InformationItem.all_objects.exists()
    assert not Receipt.objects.exists()


def test_only_officers_and_commanders_send_items_and_ask_for_verification(world, people):
    staff = user(world.u("qs_province"), roles=["joint_staff"])
    item = send(people["bp_post"], [world.u("qs_province")])

    with pytest.raises(DomainError) as sending:
        send(staff, [world.u("ca_province")])
    with pytest.raises(DomainError) as asking:
        verification_request_create(
            actor=staff, item=item, assigned_unit=world.u("ca_province"), question="?"
        )

    assert sending.value.code == asking.value.code == "permission_denied"
    assert sending.value.message == "Chỉ cán bộ, chỉ huy của đơn vị được gửi thông tin."
    assert "yêu cầu kiểm tra, xác minh" in asking.value.message
    assert InformationItem.all_objects.count() == 1
    assert not VerificationRequest.all_objects.exists()


def test_someone_outside_the_unit_tree_cannot_acknowledge(world, people):
    item = send(people["bp_post"], [world.u("ca_province")])
    admin = user(None, is_superuser=True)

    with pytest.raises(DomainError) as err:
        info_item_acknowledge(actor=admin, item=item)

    assert err.value.code == "permission_denied"
    assert not Receipt.objects.filter(acknowledged_at__isnull=False).exists()


def test_classification_above_the_ceiling_is_refused(world, people):
    with pytest.raises(DomainError) as err:
        send(people["bp_post"], [world.u("ca_province")], classification=1)
    assert "classification" in err.value.fields
    assert not InformationItem.all_objects.exists()


def test_read_is_the_first_opener_and_acknowledging_twice_is_refused(world, people):
    item = send(people["bp_post"], [world.u("ca_province")])
    colleague = user(world.u("ca_province"), roles=["officer"])
    info_item_mark_read(actor=people["ca_prov"], item=item)
    info_item_mark_read(actor=colleague, item=item)
    receipt = Receipt.objects.get(item=item)
    assert receipt.read_by == people["ca_prov"]
    info_item_acknowledge(actor=colleague, item=item)
    with pytest.raises(DomainError) as err:
        info_item_acknowledge(actor=people["ca_prov"], item=item)
    assert err.value.code == "already_acknowledged" and "item" in err.value.fields
    receipt.refresh_from_db()
    assert receipt.acknowledged_by == colleague
    assert AuditEntry.objects.filter(object_id=str(item.public_id), action="update").count() == 1


def test_only_recipients_acknowledge(world, people):
    item = send(people["bp_post"], [world.u("ca_province")])
    with pytest.raises(DomainError) as err:
        info_item_acknowledge(actor=people["qs_prov"], item=item)
    assert err.value.code == "not_a_recipient"


def test_forwarding_down_the_tree_gives_the_subordinate_a_receipt_and_sight(world, people):
    item = send(people["bp_post"], [world.u("ca_province")])
    assert not visible(InformationItem, people["ca_commune"]).filter(pk=item.pk).exists()
    info_item_forward(actor=people["ca_prov"], item=item, units=[world.u("ca_commune_a")])
    receipt = Receipt.objects.get(item=item, unit=world.u("ca_commune_a"))
    assert receipt.forwarded_by == world.u("ca_province")
    assert visible(InformationItem, people["ca_commune"]).filter(pk=item.pk).exists()


def test_forwarding_against_the_handling_code_is_refused_with_the_reason(world, people):
    item = send(people["bp_post"], [world.u("ca_province")], handling=Handling.NAMED_ONLY)
    with pytest.raises(DomainError) as err:
        info_item_forward(actor=people["ca_prov"], item=item, units=[world.u("ca_commune_a")])
    assert err.value.code == "forward_not_allowed"
    assert "Chỉ đơn vị được gửi" in err.value.fields["handling"][0]
    assert not Receipt.objects.filter(unit=world.u("ca_commune_a")).exists()


def test_forwarding_outside_ones_own_subtree_is_refused(world, people):
    item = send(people["bp_post"], [world.u("ca_province")])
    with pytest.raises(DomainError) as err:
        info_item_forward(actor=people["ca_prov"], item=item, units=[world.u("qs_commune_a")])
    assert "units" in err.value.fields
    assert Receipt.objects.filter(item=item).count() == 1


def test_replies_are_for_the_parties_only(world, people):
    item = send(people["bp_post"], [world.u("ca_province")])
    info_item_reply(actor=people["ca_prov"], item=item, body="Đã nhận, đang kiểm tra.")
    info_item_reply(actor=people["bp_cmd"], item=item, body="Đề nghị phối hợp.")
    assert Reply.objects.filter(item=item).count() == 2
    with pytest.raises(DomainError):
        info_item_reply(actor=people["qs_prov"], item=item, body="Không liên quan")
    with pytest.raises(DomainError) as err:
        info_item_reply(actor=people["ca_prov"], item=item, body="   ")
    assert "body" in err.value.fields
    assert Reply.objects.filter(item=item).count() == 2


def test_verification_workflow_with_its_log(world, people):
    item = send(people["bp_post"], [world.u("ca_province")], urgency=Urgency.KHAN)
    request = verification_request_create(
        actor=people["bp_post"],
        item=item,
        assigned_unit=world.u("ca_province"),
        question="Xác minh nhân thân?",
    )
    assert request.due_at > timezone.now()
    verification_start(actor=people["ca_prov"], verification=request)
    done = verification_answer(
        actor=people["ca_prov"], verification=request, result="confirmed", findings="Đúng người."
    )
    assert done.status == VerificationStatus.ANSWERED and done.answered_by == people["ca_prov"]
    closed = verification_close(actor=people["bp_post"], verification=done)
    assert closed.status == VerificationStatus.CLOSED
    assert list(closed.transitions.values_list("from_status", "to_status")) == [
        ("", "open"),
        ("open", "in_progress"),
        ("in_progress", "answered"),
        ("answered", "closed"),
    ]


def test_answering_a_verification_assigned_to_another_unit_is_refused(world, people):
    item = send(people["bp_post"], [world.u("ca_province"), world.u("qs_province")])
    request = verification_request_create(
        actor=people["bp_post"], item=item, assigned_unit=world.u("ca_province"), question="?"
    )
    with pytest.raises(DomainError) as err:
        verification_answer(
            actor=people["qs_prov"], verification=request, result="confirmed", findings="x"
        )
    assert err.value.code == "not_your_verification"
    request.refresh_from_db()
    assert (request.status, request.result) == ("open", "")
    assert request.transitions.count() == 1


def test_a_due_time_in_the_past_is_refused(world, people):
    item = send(people["bp_post"], [world.u("ca_province")])
    with pytest.raises(DomainError) as err:
        verification_request_create(
            actor=people["bp_post"],
            item=item,
            assigned_unit=world.u("ca_province"),
            question="?",
            due_at=timezone.now() - dt.timedelta(hours=1),
        )
    assert err.value.code == "due_in_past" and "due_at" in err.value.fields
    assert not VerificationRequest.objects.exists()


def test_a_verifying_unit_that_was_not_a_recipient_receives_the_item(world, people):
    item = send(people["bp_post"], [world.u("ca_province")])
    verification_request_create(
        actor=people["bp_post"], item=item, assigned_unit=world.u("qs_province"), question="?"
    )
    assert visible(InformationItem, people["qs_prov"]).filter(pk=item.pk).exists()
