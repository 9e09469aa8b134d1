"""The exchange API under /api/v1/exchange/: items, receipts, replies, forwarding, verification."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from phoihop.core.models import IdempotencyRecord
from phoihop.exchange.enums import Handling, Urgency
from phoihop.exchange.models import InformationItem, Receipt, Reply, VerificationRequest
from phoihop.exchange.services import (
    info_item_acknowledge,
    info_item_create,
    verification_request_create,
)
from phoihop.org.models import User
from tests import factories
from tests.factories import OrgWorld

ERROR_KEYS = {"message", "code", "fields"}


@pytest.fixture
def people(world: OrgWorld) -> dict[str, User]:
    return {
        "bp_post": factories.user(world.u("bp_post_a"), roles=["officer"]),
        "ca_prov": factories.user(world.u("ca_province"), roles=["officer"]),
        "ca_commune": factories.user(world.u("ca_commune_a"), roles=["officer"]),
        "qs_prov": factories.user(world.u("qs_province"), roles=["officer"]),
        "qs_joint": factories.user(world.u("qs_province"), roles=["joint_staff"]),
        "outsider": factories.user(world.u("ca_other_province"), roles=["officer", "commander"]),
    }


def as_user(user: User) -> Client:
    client = Client()
    factories.login(client, user)
    return client


def items_url() -> str:
    return reverse("exchange-api:item-list")


def item_url(item: InformationItem | str, action: str = "") -> str:
    public_id = str(getattr(item, "public_id", item))
    if action:
        return reverse(f"exchange-api:item-{action}", kwargs={"public_id": public_id})
    return reverse("exchange-api:item-detail", kwargs={"public_id": public_id})


def verification_url(verification: VerificationRequest | None = None, action: str = "") -> str:
    if verification is None:
        return reverse("exchange-api:verification-list")
    kwargs = {"public_id": str(verification.public_id)}
    if action:
        return reverse(f"exchange-api:verification-{action}", kwargs=kwargs)
    return reverse("exchange-api:verification-detail", kwargs=kwargs)


def post(client: Client, url: str, data: Any = None, **headers: str) -> Any:
    return client.post(url, data or {}, content_type="application/json", headers=headers)


def send(actor: User, recipients: list[Any], **extra: Any) -> InformationItem:
    fields: dict[str, Any] = {
        "title": "Đối tượng lạ qua biên giới",
        "content": "Hai người lạ mặt vượt mốc 512.",
        "topic": "border",
    }
    fields.update(extra)
    return info_item_create(actor=actor, recipients=recipients, **fields)


def body(world: OrgWorld, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Phát hiện đường dây ma túy qua cửa khẩu",
        "content": "Nguồn tin cho biết một nhóm đối tượng vận chuyển heroin.",
        "topic": "drugs",
        "urgency": Urgency.KHAN,
        "reliability": "B",
        "credibility": 2,
        "areas": ["18196"],
        "recipients": [
            str(world.u("ca_province").public_id),
            str(world.u("qs_province").public_id),
        ],
    }
    data.update(extra)
    return data


def nothing_saved() -> bool:
    return not (
        InformationItem.all_objects.exists()
        or Receipt.objects.exists()
        or VerificationRequest.all_objects.exists()
    )


# --- create -------------------------------------------------------------------------------------


def test_sending_an_item_with_a_verification_request_answers_its_detail(world, people):
    due = (timezone.now() + dt.timedelta(days=2)).isoformat()
    data = body(
        world,
        verification={
            "assigned_unit": str(world.u("ca_province").public_id),
            "question": "Xác minh nhân thân hai đối tượng.",
            "due_at": due,
        },
    )

    response = post(as_user(people["bp_post"]), items_url(), data)

    assert response.status_code == 201, response.json()
    sent = response.json()
    assert sent["number"] == "01/TT-DBP-SK"
    assert (sent["urgency_label"], sent["evaluation_code"]) == ("Khẩn", "B2")
    assert [a["code"] for a in sent["areas"]] == ["18196"]
    assert {r["unit"]["code"] for r in sent["receipts"]} == {"CAT", "BCHQS"}
    assert {r["status"] for r in sent["receipts"]} == {"delivered"}
    assert sent["receipt_summary"] == {"total": 2, "read": 0, "acknowledged": 0, "overdue": 0}
    assert [v["assigned_unit"]["code"] for v in sent["verifications"]] == ["CAT"]
    item = InformationItem.objects.get(public_id=sent["public_id"])
    assert item.sent_by == people["bp_post"]


def test_whole_forces_at_a_level_can_be_named_as_recipients(world, people):
    data = body(world, recipients=[], force_levels=[{"force": "CA", "level": "xa"}])

    response = post(as_user(people["bp_post"]), items_url(), data)

    assert response.status_code == 201, response.json()
    assert {r["unit"]["code"] for r in response.json()["receipts"]} == {"CAX-SK1", "CAX-TC"}


def test_a_retried_create_with_the_same_idempotency_key_makes_one_item(world, people):
    client = as_user(people["bp_post"])

    first = post(client, items_url(), body(world), **{"Idempotency-Key": "bp-sk-0001"})
    retry = post(client, items_url(), body(world), **{"Idempotency-Key": "bp-sk-0001"})

    assert first.status_code == retry.status_code == 201
    assert retry.json()["public_id"] == first.json()["public_id"]
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert InformationItem.objects.count() == 1
    assert Receipt.objects.count() == 2


def test_another_body_under_a_used_idempotency_key_is_refused(world, people):
    client = as_user(people["bp_post"])
    post(client, items_url(), body(world), **{"Idempotency-Key": "k-1"})

    response = post(client, items_url(), body(world, title="Khác"), **{"Idempotency-Key": "k-1"})

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert InformationItem.objects.count() == 1


UNKNOWN = "00000000-0000-4000-8000-000000000000"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param({"recipients": [UNKNOWN]}, "recipients", id="unknown-recipient"),
        pytest.param({"recipients": ["not-an-id"]}, "recipients", id="malformed-recipient"),
        pytest.param({"recipients": []}, "recipients", id="empty-distribution"),
        pytest.param({"areas": ["99999"]}, "areas", id="unknown-area"),
        pytest.param(
            {"force_levels": [{"force": "XX", "level": "xa"}]}, "force_levels", id="unknown-force"
        ),
        pytest.param(
            {"force_levels": [{"force": "CA", "level": "huyen-x"}]},
            "force_levels",
            id="unknown-level",
        ),
        pytest.param(
            {"verification": {"assigned_unit": UNKNOWN, "question": "?"}},
            "verification.assigned_unit",
            id="unknown-verifying-unit",
        ),
        pytest.param({"verification": "due_in_past"}, "verification.due_at", id="due-in-past"),
        pytest.param({"classification": 1}, "classification", id="above-the-ceiling"),
        pytest.param({"classification": 3}, "classification", id="tuyet-mat"),
        pytest.param({"title": ""}, "title", id="blank-title"),
        pytest.param({"topic": "gossip"}, "topic", id="unknown-topic"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(world, people, change, field):
    if change.get("verification") == "due_in_past":
        change = {
            "verification": {
                "assigned_unit": str(world.u("ca_province").public_id),
                "question": "Xác minh?",
                "due_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
            }
        }

    response = post(
        as_user(people["bp_post"]), items_url(), body(world, **change), **{"Idempotency-Key": "x"}
    )

    assert response.status_code == 400, response.json()
    assert set(response.json()) == ERROR_KEYS
    assert field in response.json()["fields"], response.json()
    assert response.json()["message"]
    assert nothing_saved()
    # A refused request does not hold its key: the corrected request may reuse it.
    assert not IdempotencyRecord.objects.exists()


# --- detail, receipts, reading --------------------------------------------------------------------


def test_opening_marks_the_item_read_for_the_recipient_and_the_sender_sees_it(world, people):
    item = send(people["bp_post"], [world.u("ca_province"), world.u("qs_province")])

    opened = as_user(people["ca_prov"]).get(item_url(item)).json()
    seen = as_user(people["bp_post"]).get(item_url(item)).json()

    assert opened["my_receipt"]["status"] == "read"
    assert opened["my_receipt"]["read_by"]["public_id"] == str(people["ca_prov"].public_id)
    # A recipient sees its own receipt, not the other recipients'.
    assert [r["unit"]["code"] for r in opened["receipts"]] == ["CAT"]
    assert opened["receipt_summary"] is None
    by_unit = {r["unit"]["code"]: r["status"] for r in seen["receipts"]}
    assert by_unit == {"CAT": "read", "BCHQS": "delivered"}
    assert seen["my_receipt"] is None
    assert seen["receipt_summary"]["read"] == 1


def test_acknowledging_twice_is_refused_with_already_acknowledged(world, people):
    item = send(people["bp_post"], [world.u("ca_province")])
    client = as_user(people["ca_prov"])

    first = post(client, item_url(item, "acknowledge"))
    again = post(client, item_url(item, "acknowledge"))

    assert first.status_code == 200
    assert first.json()["status"] == "acknowledged"
    assert first.json()["acknowledged_on_time"] is True
    assert again.status_code == 400
    assert again.json()["code"] == "already_acknowledged"
    assert "item" in again.json()["fields"]
    receipt = Receipt.objects.get(item=item)
    assert receipt.acknowledged_by == people["ca_prov"]


def test_a_retried_acknowledgement_replays_the_first_answer(world, people):
    item = send(people["bp_post"], [world.u("ca_province")])
    client = as_user(people["ca_prov"])

    first = post(client, item_url(item, "acknowledge"), **{"Idempotency-Key": "ack-1"})
    retry = post(client, item_url(item, "acknowledge"), **{"Idempotency-Key": "ack-1"})

    assert first.status_code == retry.status_code == 200
    assert retry.json() == first.json()


def test_a_unit_that_is_not_a_recipient_cannot_acknowledge(world, people):
    item = send(people["bp_post"], [world.u("ca_province")], is_joint=True)

    response = post(as_user(people["qs_joint"]), item_url(item, "acknowledge"))

    assert response.status_code == 400
    assert response.json()["code"] == "not_a_recipient"


# --- replies and forwarding ---------------------------------------------------------------------


def test_the_parties_reply_in_a_thread_and_an_onlooker_is_refused(world, people):
    item = send(people["bp_post"], [world.u("ca_province")], is_joint=True)

    reply = post(as_user(people["ca_prov"]), item_url(item, "reply"), {"body": "Đã nhận."})
    onlooker = post(as_user(people["qs_joint"]), item_url(item, "reply"), {"body": "Ý kiến."})
    blank = post(as_user(people["ca_prov"]), item_url(item, "reply"), {"body": " "})

    assert reply.status_code == 201
    assert reply.json()["unit"]["code"] == "CAT"
    assert onlooker.status_code == 403
    assert onlooker.json()["code"] == "permission_denied"
    assert blank.status_code == 400 and "body" in blank.json()["fields"]
    thread = as_user(people["bp_post"]).get(item_url(item)).json()["replies"]
    assert [r["body"] for r in thread] == ["Đã nhận."]
    assert Reply.objects.count() == 1


def test_forwarding_down_gives_the_subordinate_a_receipt(world, people):
    item = send(people["bp_post"], [world.u("ca_province")])

    response = post(
        as_user(people["ca_prov"]),
        item_url(item, "forward"),
        {"units": [str(world.u("ca_commune_a").public_id)]},
    )

    assert response.status_code == 201, response.json()
    assert [r["forwarded_by"]["code"] for r in response.json()] == ["CAT"]
    commune = as_user(people["ca_commune"]).get(items_url(), {"box": "inbox"}).json()
    assert [i["public_id"] for i in commune["results"]] == [str(item.public_id)]
    # The forwarding unit follows the receipt of the unit it forwarded to.
    seen = as_user(people["ca_prov"]).get(item_url(item)).json()
    assert {r["unit"]["code"] for r in seen["receipts"]} == {"CAT", "CAX-SK1"}


def test_forwarding_against_the_handling_code_is_refused(world, people):
    item = send(people["bp_post"], [world.u("ca_province")], handling=Handling.NAMED_ONLY)

    response = post(
        as_user(people["ca_prov"]),
        item_url(item, "forward"),
        {"units": [str(world.u("ca_commune_a").public_id)]},
    )

    assert response.status_code == 400
    assert response.json()["code"] == "forward_not_allowed"
    assert "handling" in response.json()["fields"]
    assert Receipt.objects.filter(item=item).count() == 1


def test_forwarding_to_an_unknown_unit_names_the_units_field(world, people):
    item = send(people["bp_post"], [world.u("ca_province")])

    response = post(as_user(people["ca_prov"]), item_url(item, "forward"), {"units": [UNKNOWN]})

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["units"]
    assert Receipt.objects.filter(item=item).count() == 1


# --- verification -------------------------------------------------------------------------------


def test_the_verification_workflow_through_the_api(world, people):
    item = send(people["bp_post"], [world.u("ca_province")], urgency=Urgency.KHAN)
    requester, verifier = as_user(people["bp_post"]), as_user(people["ca_prov"])

    created = post(
        requester,
        verification_url(),
        {
            "item": str(item.public_id),
            "assigned_unit": str(world.u("ca_province").public_id),
            "question": "Xác minh nhân thân?",
        },
        **{"Idempotency-Key": "v-1"},
    )
    assert created.status_code == 201, created.json()
    verification = VerificationRequest.objects.get(public_id=created.json()["public_id"])
    queue = verifier.get(verification_url(), {"queue": "true"}).json()
    assert [v["public_id"] for v in queue["results"]] == [str(verification.public_id)]

    assert post(verifier, verification_url(verification, "start")).json()["status"] == (
        "in_progress"
    )
    answered = post(
        verifier,
        verification_url(verification, "answer"),
        {"result": "confirmed", "findings": "Đúng người, đúng việc."},
    )
    assert answered.status_code == 200, answered.json()
    assert (answered.json()["status"], answered.json()["result"]) == ("answered", "confirmed")
    returned = post(requester, verification_url(verification, "return"), {"note": "Làm rõ thêm."})
    assert returned.json()["status"] == "in_progress"
    post(verifier, verification_url(verification, "answer"), {"result": "partly", "findings": "…"})
    closed = post(requester, verification_url(verification, "close"))

    assert closed.status_code == 200
    detail = requester.get(verification_url(verification)).json()
    assert [(t["from_status"], t["to_status"]) for t in detail["transitions"]] == [
        ("", "open"),
        ("open", "in_progress"),
        ("in_progress", "answered"),
        ("answered", "in_progress"),
        ("in_progress", "answered"),
        ("answered", "closed"),
    ]
    assert verifier.get(verification_url(), {"queue": "true"}).json()["count"] == 0
    assert requester.get(item_url(item)).json()["verifications"][0]["result"] == "partly"


def test_answering_a_verification_assigned_to_another_unit_is_refused(world, people):
    item = send(people["bp_post"], [world.u("ca_province"), world.u("qs_province")])
    verification = verification_request_create(
        actor=people["bp_post"], item=item, assigned_unit=world.u("ca_province"), question="?"
    )

    response = post(
        as_user(people["qs_prov"]),
        verification_url(verification, "answer"),
        {"result": "confirmed", "findings": "Đúng."},
    )

    assert response.status_code == 400
    assert response.json()["code"] == "not_your_verification"
    verification.refresh_from_db()
    assert (verification.status, verification.result) == ("open", "")
    assert verification.transitions.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param({"item": UNKNOWN}, "item", id="unknown-item"),
        pytest.param({"assigned_unit": UNKNOWN}, "assigned_unit", id="unknown-unit"),
        pytest.param({"question": ""}, "question", id="blank-question"),
        pytest.param({"due_at": "2020-01-01T00:00:00+07:00"}, "due_at", id="due-in-past"),
    ],
)
def test_a_bad_verification_request_is_refused_naming_the_field(world, people, change, field):
    item = send(people["bp_post"], [world.u("ca_province")])
    data = {
        "item": str(item.public_id),
        "assigned_unit": str(world.u("qs_province").public_id),
        "question": "Xác minh?",
        **change,
    }

    response = post(as_user(people["bp_post"]), verification_url(), data)

    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert not VerificationRequest.all_objects.exists()
    assert Receipt.objects.filter(item=item).count() == 1


# --- units named by code or public id -------------------------------------------------------------


def _ref(unit: Any, how: str) -> str:
    return unit.code if how == "code" else str(unit.public_id)


@dataclass(frozen=True)
class UnitRefCase:
    """One unit-reference field of the API: the name its errors give it (nested objects and rows
    by their path), how to send a request naming a unit in it, which units the answer shows, and
    that a refused request left nothing behind."""

    field: str
    target: str  # the world's key of a unit the field may name
    send: Callable[[OrgWorld, dict[str, User], str], Any]
    named: Callable[[dict[str, Any]], list[str]]
    nothing_saved: Callable[[], bool]


def _send_with_recipients(world: OrgWorld, people: dict[str, User], ref: str) -> Any:
    return post(as_user(people["bp_post"]), items_url(), body(world, recipients=[ref]))


def _send_with_verification(world: OrgWorld, people: dict[str, User], ref: str) -> Any:
    data = body(world, verification={"assigned_unit": ref, "question": "Xác minh nhân thân?"})
    return post(as_user(people["bp_post"]), items_url(), data)


def _forward(world: OrgWorld, people: dict[str, User], ref: str) -> Any:
    item = send(people["bp_post"], [world.u("ca_province")])
    return post(as_user(people["ca_prov"]), item_url(item, "forward"), {"units": [ref]})


def _ask_verification(world: OrgWorld, people: dict[str, User], ref: str) -> Any:
    item = send(people["bp_post"], [world.u("ca_province")])
    data = {"item": str(item.public_id), "assigned_unit": ref, "question": "Xác minh?"}
    return post(as_user(people["bp_post"]), verification_url(), data)


UNIT_REF_FIELDS = {
    "items.recipients": UnitRefCase(
        "recipients",
        "ca_province",
        _send_with_recipients,
        lambda answer: [r["unit"]["code"] for r in answer["receipts"]],
        nothing_saved,
    ),
    "items.verification.assigned_unit": UnitRefCase(
        "verification.assigned_unit",
        "qs_province",
        _send_with_verification,
        lambda answer: [v["assigned_unit"]["code"] for v in answer["verifications"]],
        nothing_saved,
    ),
    "items.forward.units": UnitRefCase(
        "units",
        "ca_commune_a",
        _forward,
        lambda answer: [r["unit"]["code"] for r in answer],
        lambda: Receipt.objects.count() == 1,
    ),
    "verifications.assigned_unit": UnitRefCase(
        "assigned_unit",
        "qs_province",
        _ask_verification,
        lambda answer: [answer["assigned_unit"]["code"]],
        lambda: not VerificationRequest.all_objects.exists() and Receipt.objects.count() == 1,
    ),
}


@pytest.mark.parametrize("how", ["code", "public_id"])
@pytest.mark.parametrize("case", list(UNIT_REF_FIELDS))
def test_every_unit_reference_accepts_a_code_or_a_public_id(world, people, case, how):
    spec = UNIT_REF_FIELDS[case]
    unit = world.u(spec.target)

    response = spec.send(world, people, _ref(unit, how))

    assert response.status_code == 201, response.json()
    assert unit.code in spec.named(response.json())


@pytest.mark.parametrize("ref", ["CAX-KHONG-CO", UNKNOWN], ids=["unknown-code", "unknown-id"])
@pytest.mark.parametrize("case", list(UNIT_REF_FIELDS))
def test_an_unknown_unit_reference_is_refused_naming_the_field_and_nothing_is_saved(
    world, people, case, ref
):
    spec = UNIT_REF_FIELDS[case]

    response = spec.send(world, people, ref)

    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "unknown_unit"
    assert list(response.json()["fields"]) == [spec.field]
    assert ref in response.json()["message"]
    assert spec.nothing_saved()


def test_a_list_of_units_may_mix_codes_and_public_ids(world, people):
    refs = ["CAT", str(world.u("qs_province").public_id), "CAT"]

    response = post(as_user(people["bp_post"]), items_url(), body(world, recipients=refs))

    assert response.status_code == 201, response.json()
    assert sorted(r["unit"]["code"] for r in response.json()["receipts"]) == ["BCHQS", "CAT"]


# --- what an outsider sees ----------------------------------------------------------------------


def test_an_outsider_gets_404_and_sees_nothing_in_lists(world, people):
    item = send(people["bp_post"], [world.u("ca_province")])
    verification = verification_request_create(
        actor=people["bp_post"], item=item, assigned_unit=world.u("ca_province"), question="?"
    )
    outsider = as_user(people["outsider"])

    assert outsider.get(item_url(item)).status_code == 404
    assert outsider.get(item_url(item)).json()["code"] == "not_found"
    assert post(outsider, item_url(item, "acknowledge")).status_code == 404
    assert post(outsider, item_url(item, "reply"), {"body": "?"}).status_code == 404
    assert outsider.get(verification_url(verification)).status_code == 404
    answer = {"result": "confirmed", "findings": "x"}
    assert post(outsider, verification_url(verification, "answer"), answer).status_code == 404
    for box in ("all", "inbox", "outbox"):
        assert outsider.get(items_url(), {"box": box}).json()["count"] == 0
    assert outsider.get(verification_url()).json()["count"] == 0
    # The same answer as for an id that never existed.
    assert outsider.get(item_url(UNKNOWN)).json() == outsider.get(item_url(item)).json()
    assert outsider.get(item_url("not-a-uuid")).status_code == 404
    assert Reply.objects.count() == 0


def test_an_outsider_cannot_verify_an_item_it_cannot_see(world, people):
    item = send(people["bp_post"], [world.u("ca_province")])

    response = post(
        as_user(people["outsider"]),
        verification_url(),
        {
            "item": str(item.public_id),
            "assigned_unit": str(world.u("ca_province").public_id),
            "question": "?",
        },
    )

    assert response.status_code == 400
    assert response.json()["fields"].keys() == {"item"}
    assert not VerificationRequest.all_objects.exists()


def test_a_user_without_a_unit_is_refused(db):
    admin = factories.user(None, is_superuser=True)

    response = as_user(admin).get(items_url())

    assert response.status_code == 403
    assert set(response.json()) == ERROR_KEYS


# --- lists and filters --------------------------------------------------------------------------


def test_the_inbox_puts_unacknowledged_first_then_the_most_urgent(world, people):
    done = send(people["bp_post"], [world.u("ca_province")], urgency=Urgency.HOA_TOC)
    info_item_acknowledge(actor=people["ca_prov"], item=done)
    routine = send(people["bp_post"], [world.u("ca_province")], urgency=Urgency.THUONG)
    urgent = send(people["qs_prov"], [world.u("ca_province")], urgency=Urgency.THUONG_KHAN)
    send(people["ca_prov"], [world.u("qs_province")])  # sent, not received
    client = as_user(people["ca_prov"])

    inbox = client.get(items_url(), {"box": "inbox"}).json()
    pending = client.get(items_url(), {"box": "inbox", "pending": "true"}).json()

    assert [i["public_id"] for i in inbox["results"]] == [
        str(urgent.public_id),
        str(routine.public_id),
        str(done.public_id),
    ]
    assert inbox["results"][2]["my_receipt"]["status"] == "acknowledged"
    assert pending["count"] == 2
    assert client.get(items_url(), {"box": "outbox"}).json()["count"] == 1
    assert client.get(items_url()).json()["count"] == 4


def test_the_outbox_shows_receipt_summaries_and_what_awaits_acknowledgement(world, people):
    waiting = send(people["bp_post"], [world.u("ca_province"), world.u("qs_province")])
    done = send(people["bp_post"], [world.u("ca_province")])
    info_item_acknowledge(actor=people["ca_prov"], item=done)
    client = as_user(people["bp_post"])

    outbox = client.get(items_url(), {"box": "outbox"}).json()["results"]
    pending = client.get(items_url(), {"box": "outbox", "pending": "true"}).json()["results"]

    summaries = {i["public_id"]: i["receipt_summary"] for i in outbox}
    assert summaries[str(waiting.public_id)]["total"] == 2
    assert summaries[str(done.public_id)]["acknowledged"] == 1
    assert [i["public_id"] for i in pending] == [str(waiting.public_id)]


def test_the_text_filter_ignores_diacritics_and_case(world, people):
    drugs = send(people["bp_post"], [world.u("ca_province")], title="Đường dây Ma Túy đá")
    send(people["bp_post"], [world.u("ca_province")], title="Tàu cá lạ", content="Trên biển")
    client = as_user(people["bp_post"])

    for query in ("ma tuy", "MA TÚY", "duong day", "đường"):
        found = client.get(items_url(), {"q": query}).json()["results"]
        assert [i["public_id"] for i in found] == [str(drugs.public_id)], query
    assert client.get(items_url(), {"q": "tren bien"}).json()["count"] == 1


def test_filters_by_topic_urgency_area_and_period(world, people):
    with time_machine.travel(dt.datetime(2024, 7, 10, 3, tzinfo=dt.UTC), tick=False):
        july = send(
            people["bp_post"],
            [world.u("ca_province")],
            topic="drugs",
            urgency=Urgency.KHAN,
            areas=[world.commune_a],
        )
    with time_machine.travel(dt.datetime(2024, 9, 1, 3, tzinfo=dt.UTC), tick=False):
        september = send(people["bp_post"], [world.u("ca_province")], areas=[world.commune_b])
    client = as_user(people["bp_post"])

    def ids(**params: Any) -> list[str]:
        return [i["public_id"] for i in client.get(items_url(), params).json()["results"]]

    assert ids(topic="drugs") == [str(july.public_id)]
    assert ids(urgency=1) == [str(july.public_id)]
    assert ids(area="18676") == [str(september.public_id)]
    # A province's code takes in the items of its communes.
    assert set(ids(area="42")) == {str(july.public_id), str(september.public_id)}
    assert ids(sent_from="2024-07-10", sent_to="2024-07-10") == [str(july.public_id)]
    assert ids(sent_from="2024-08-01") == [str(september.public_id)]


def test_the_api_filters_as_the_pages_do_by_number_and_status(world, people):
    first = send(people["bp_post"], [world.u("ca_province")], title="Tàu cá lạ")
    second = send(people["bp_post"], [world.u("ca_province")], title="Đường dây ma túy")
    info_item_acknowledge(actor=people["ca_prov"], item=second)
    client = as_user(people["ca_prov"])

    def ids(**params: Any) -> list[str]:
        return [i["public_id"] for i in client.get(items_url(), params).json()["results"]]

    assert ids(q="01/TT-DBP") == [str(first.public_id)]
    assert ids(box="inbox", status="acknowledged") == [str(second.public_id)]
    assert ids(box="inbox", status="pending") == ids(box="inbox", pending="true")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"area": "99999"}, "area"),
        ({"box": "trash"}, "box"),
        ({"sent_from": "hôm qua"}, "sent_from"),
        ({"topic": "gossip"}, "topic"),
    ],
)
def test_a_bad_filter_is_refused_naming_it(world, people, params, field):
    response = as_user(people["bp_post"]).get(items_url(), params)

    assert response.status_code == 400
    assert set(response.json()) == ERROR_KEYS
    assert field in response.json()["fields"]


# --- query budgets --------------------------------------------------------------------------------

# The session (read, and saved again for the inactivity timeout: 3), the caller's user, unit and
# roles (3), the count, the page, its prefetches (areas, own receipts) and the senders' receipt
# summaries: the same however many items the page holds.
ITEM_LIST_BUDGET = 12
VERIFICATION_LIST_BUDGET = 9


@pytest.mark.parametrize("count", [5, 30])
@pytest.mark.parametrize("box", ["all", "inbox", "outbox"])
def test_item_lists_use_a_bounded_number_of_queries(
    world, people, django_assert_max_num_queries, count, box
):
    communes = [world.commune_a, world.commune_b]
    for n in range(count):
        sender, recipient = (
            (people["bp_post"], world.u("ca_province"))
            if n % 2
            else (people["ca_prov"], world.u("bp_post_a"))
        )
        item = send(sender, [recipient, world.u("qs_province")], areas=communes)
        post(as_user(people["qs_prov"]), item_url(item, "reply"), {"body": "Đã nhận."})
    client = as_user(people["ca_prov"])
    client.get(items_url())  # warm the session and the content-type cache

    with django_assert_max_num_queries(ITEM_LIST_BUDGET):
        response = client.get(items_url(), {"box": box, "page_size": 100})

    assert response.status_code == 200
    expected = {"all": count, "inbox": count // 2, "outbox": count - count // 2}[box]
    assert response.json()["count"] == expected


@pytest.mark.parametrize("count", [5, 30])
def test_the_verification_list_uses_a_bounded_number_of_queries(
    world, people, django_assert_max_num_queries, count
):
    for _n in range(count):
        item = send(people["bp_post"], [world.u("ca_province")])
        verification_request_create(
            actor=people["bp_post"], item=item, assigned_unit=world.u("ca_province"), question="?"
        )
    client = as_user(people["ca_prov"])
    client.get(verification_url())

    with django_assert_max_num_queries(VERIFICATION_LIST_BUDGET):
        response = client.get(verification_url(), {"queue": "true", "page_size": 100})

    assert response.json()["count"] == count


def test_the_schema_documents_the_exchange_endpoints(client, db):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]

    for path in (
        "/api/v1/exchange/items/",
        "/api/v1/exchange/items/{public_id}/",
        "/api/v1/exchange/items/{public_id}/acknowledge/",
        "/api/v1/exchange/items/{public_id}/reply/",
        "/api/v1/exchange/items/{public_id}/forward/",
        "/api/v1/exchange/verifications/",
        "/api/v1/exchange/verifications/{public_id}/",
        "/api/v1/exchange/verifications/{public_id}/answer/",
    ):
        assert path in paths
    create = paths["/api/v1/exchange/items/"]["post"]
    assert "Idempotency-Key" in {p["name"] for p in create["parameters"]}


def test_a_verification_that_does_not_exist_is_not_found(world, people):
    url = reverse("exchange-api:verification-detail", kwargs={"public_id": str(uuid.uuid4())})

    response = as_user(people["ca_prov"]).get(url)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
