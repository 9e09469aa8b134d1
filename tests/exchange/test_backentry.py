"""Back-entry of exchanges that took place earlier: real dates through the API and the compose
page, due times from those dates, figures of the past period, no escalation now, refusals that
name the field and save nothing, the audit entry and the record page that say it was entered
later."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from phoihop.audit.models import AuditAction, AuditEntry
from phoihop.exchange.enums import Urgency, VerificationResult, VerificationStatus
from phoihop.exchange.escalation import escalate_overdue
from phoihop.exchange.figures import exchange_figures
from phoihop.exchange.models import (
    Escalation,
    InformationItem,
    Receipt,
    VerificationRequest,
    VerificationTransition,
)
from phoihop.exchange.services import info_item_create
from phoihop.notifications.models import Notification
from phoihop.org.models import User
from tests.factories import OrgWorld, login, user

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
SENT = dt.datetime(2023, 3, 1, 8, 0, tzinfo=HCM)
DELIVERED = SENT + dt.timedelta(minutes=30)
ACKNOWLEDGED = SENT + dt.timedelta(hours=5)
REQUESTED = SENT + dt.timedelta(hours=1)
ANSWERED = SENT + dt.timedelta(days=1, hours=2)


@pytest.fixture
def people(world: OrgWorld) -> dict[str, User]:
    return {
        "bp_post": user(world.u("bp_post_a"), roles=["officer"]),
        "ca_prov": user(world.u("ca_province"), roles=["officer", "commander"]),
        "qs_prov": user(world.u("qs_province"), roles=["officer", "commander"]),
        "ca_joint": user(world.u("ca_province"), roles=["officer", "joint_staff"]),
    }


def client_for(person: User) -> Client:
    client = Client()
    login(client, person)
    return client


def iso(moment: dt.datetime) -> str:
    return moment.isoformat()


def back_entry_body(world: OrgWorld, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Nhóm đối tượng vận chuyển hàng lậu qua đường mòn",
        "content": "Nhập bổ sung từ sổ theo dõi năm 2023.",
        "topic": "smuggling",
        "urgency": Urgency.KHAN,
        "is_joint": True,
        "recipients": [world.u("ca_province").code, world.u("qs_province").code],
        "sent_at": iso(SENT),
        "delivered_at": iso(DELIVERED),
        "acknowledged_at": iso(ACKNOWLEDGED),
        "verification": {
            "assigned_unit": world.u("ca_province").code,
            "question": "Xác minh nhân thân các đối tượng",
            "requested_at": iso(REQUESTED),
            "answered_at": iso(ANSWERED),
            "result": VerificationResult.CONFIRMED,
            "findings": "Đúng là nhóm buôn lậu đã biết.",
        },
    }
    data.update(extra)
    return data


def post_item(person: User, data: dict[str, Any]) -> Any:
    return client_for(person).post(
        reverse("exchange-api:item-list"), data, content_type="application/json"
    )


def nothing_saved() -> None:
    assert not InformationItem.all_objects.exists()
    assert not Receipt.objects.exists()
    assert not VerificationRequest.objects.exists()
    assert not AuditEntry.objects.filter(object_type__startswith="exchange.").exists()


def the_creation(obj: Any) -> AuditEntry:
    meta = obj._meta
    return AuditEntry.objects.get(
        object_type=f"{meta.app_label}.{meta.model_name}",
        object_id=str(obj.public_id),
        action=AuditAction.CREATE,
    )


# --- the API ------------------------------------------------------------------------------------


def test_the_api_back_enters_an_item_with_all_its_real_dates(world, people):
    response = post_item(people["bp_post"], back_entry_body(world))

    assert response.status_code == 201, response.json()
    item = InformationItem.objects.get(public_id=response.json()["public_id"])
    assert item.sent_at == SENT
    assert item.year == SENT.year
    ack_hours = settings.PHOIHOP_ACK_DUE_HOURS[Urgency.KHAN]
    receipts = list(item.receipts.all())
    assert {r.unit.code for r in receipts} == {
        world.u("ca_province").code,
        world.u("qs_province").code,
    }
    for receipt in receipts:
        assert receipt.delivered_at == DELIVERED
        assert receipt.ack_due_at == DELIVERED + dt.timedelta(hours=ack_hours)
        assert receipt.acknowledged_at == ACKNOWLEDGED
        assert receipt.acknowledged_on_time is (receipt.ack_due_at >= ACKNOWLEDGED)
    verification = item.verifications.get()
    verify_hours = settings.PHOIHOP_VERIFY_DUE_HOURS[Urgency.KHAN]
    assert verification.created_at == REQUESTED
    assert verification.due_at == REQUESTED + dt.timedelta(hours=verify_hours)
    assert verification.status == VerificationStatus.ANSWERED
    assert verification.answered_at == ANSWERED
    assert verification.result == VerificationResult.CONFIRMED
    steps = list(
        VerificationTransition.objects.filter(verification=verification)
        .order_by("at")
        .values_list("to_status", "at")
    )
    assert steps == [(VerificationStatus.OPEN, REQUESTED), (VerificationStatus.ANSWERED, ANSWERED)]


def test_the_audit_entry_of_the_creation_says_it_was_back_entered(world, people):
    before = timezone.now()
    response = post_item(people["bp_post"], back_entry_body(world))
    item = InformationItem.objects.get(public_id=response.json()["public_id"])

    entry = the_creation(item)
    assert entry.actor_id == people["bp_post"].pk
    assert entry.at >= before
    back_entry = entry.changes["back_entry"]
    assert dt.datetime.fromisoformat(back_entry["real_date"]) == SENT
    assert dt.datetime.fromisoformat(back_entry["delivered_at"]) == DELIVERED
    assert dt.datetime.fromisoformat(back_entry["acknowledged_at"]) == ACKNOWLEDGED
    detail = client_for(people["bp_post"]).get(
        reverse("exchange-api:item-detail", kwargs={"public_id": item.public_id})
    )
    assert detail.json()["entered_later"]["entered_by"] == str(people["bp_post"])
    entered_at = dt.datetime.fromisoformat(detail.json()["entered_later"]["entered_at"])
    assert entered_at == entry.at
    verification_entry = the_creation(item.verifications.get())
    assert (
        dt.datetime.fromisoformat(verification_entry.changes["back_entry"]["real_date"])
        == REQUESTED
    )


def test_an_item_sent_now_carries_no_back_entry_note(world, people):
    body = back_entry_body(world)
    for name in ("sent_at", "delivered_at", "acknowledged_at"):
        body.pop(name)
    body.pop("verification")
    response = post_item(people["bp_post"], body)

    assert response.status_code == 201, response.json()
    item = InformationItem.objects.get(public_id=response.json()["public_id"])
    assert "back_entry" not in the_creation(item).changes
    detail = client_for(people["bp_post"]).get(
        reverse("exchange-api:item-detail", kwargs={"public_id": item.public_id})
    )
    assert detail.status_code == 200
    assert detail.json()["entered_later"] is None
    assert all(r.acknowledged_at is None for r in item.receipts.all())


def test_the_figures_of_the_past_period_count_the_back_entered_item(world, people):
    post_item(people["bp_post"], back_entry_body(world))
    post_item(
        people["bp_post"],
        back_entry_body(
            world,
            title="Một thông tin khác",
            **{
                "sent_at": iso(SENT + dt.timedelta(days=3)),
                "delivered_at": None,
                "acknowledged_at": None,
                "verification": None,
            },
        ),
    )
    start, end = SENT.date().replace(day=1), dt.date(2023, 3, 31)

    figures = exchange_figures(actor=people["ca_joint"], start=start, end=end)

    # Re-derived from the records: what was sent, delivered, acknowledged in March 2023.
    lower = dt.datetime.combine(start, dt.time.min, tzinfo=HCM)
    upper = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=HCM)
    sent = InformationItem.objects.filter(sent_at__gte=lower, sent_at__lt=upper)
    receipts = Receipt.objects.filter(delivered_at__gte=lower, delivered_at__lt=upper)
    acknowledged = receipts.filter(acknowledged_at__isnull=False)
    assert sent.count() == 2
    assert figures.items.sent.value == sent.count()
    assert set(figures.items.sent.provenance) == {i.public_id for i in sent}
    assert figures.acknowledgements.received.value == receipts.count()
    assert figures.acknowledgements.acknowledged.value == acknowledged.count()
    on_time = acknowledged.filter(acknowledged_at__lte=F("ack_due_at")).count()
    assert figures.acknowledgements.on_time.value == on_time
    answered = VerificationRequest.objects.filter(
        created_at__gte=lower, created_at__lt=upper, answered_at__isnull=False
    )
    assert figures.verifications.requested.value == answered.count() == 1
    assert figures.verifications.answered.value == answered.count()
    assert figures.verifications.results[VerificationResult.CONFIRMED].value == 1

    # Today's period does not count what happened in 2023.
    today = timezone.localdate()
    now_figures = exchange_figures(actor=people["ca_joint"], start=today, end=today)
    assert now_figures.items.sent.value == 0
    assert now_figures.acknowledgements.received.value == 0


def test_an_item_acknowledged_and_answered_in_the_past_is_not_escalated(
    world, people, settings, django_capture_on_commit_callbacks
):
    settings.PHOIHOP_ESCALATION_LOOKBACK_DAYS = 0  # no lookback: any lateness would count
    post_item(people["bp_post"], back_entry_body(world))
    # The control: the same back-entry without the acknowledgement and the answer is late.
    late = back_entry_body(world, acknowledged_at=None, title="Chưa xác nhận")
    late["verification"] = {k: late["verification"][k] for k in ("assigned_unit", "question")}
    late["verification"]["requested_at"] = iso(REQUESTED)
    response = post_item(people["bp_post"], late)
    late_item = InformationItem.objects.get(public_id=response.json()["public_id"])

    with django_capture_on_commit_callbacks(execute=True):
        summary = escalate_overdue()

    escalated_items = set(
        Escalation.objects.filter(receipt__isnull=False).values_list("receipt__item", flat=True)
    ) | set(
        Escalation.objects.filter(verification__isnull=False).values_list(
            "verification__item", flat=True
        )
    )
    assert escalated_items == {late_item.pk}
    assert summary["receipts"] == late_item.receipts.count()
    assert summary["verifications"] == 1
    assert Notification.objects.count() == summary["notifications"] > 0


def test_an_unacknowledged_item_back_entered_from_last_year_is_history_not_news(
    world, people, django_capture_on_commit_callbacks
):
    body = back_entry_body(world, acknowledged_at=None, verification=None)
    response = post_item(people["bp_post"], body)
    item = InformationItem.objects.get(public_id=response.json()["public_id"])
    lookback = dt.timedelta(days=settings.PHOIHOP_ESCALATION_LOOKBACK_DAYS)
    assert all(r.ack_due_at < timezone.now() - lookback for r in item.receipts.all())

    with django_capture_on_commit_callbacks(execute=True):
        summary = escalate_overdue()

    assert summary["receipts"] == 0
    assert not Escalation.objects.exists()
    assert not Notification.objects.exists()


def test_a_verification_is_back_entered_on_an_item_already_entered(world, people):
    body = back_entry_body(world, verification=None)
    item_id = post_item(people["bp_post"], body).json()["public_id"]
    client = client_for(people["bp_post"])
    request = {
        "item": item_id,
        "assigned_unit": world.u("qs_province").code,
        "question": "Xác minh phương tiện",
        "requested_at": iso(REQUESTED),
        "answered_at": iso(ANSWERED),
        "result": VerificationResult.NOT_CONFIRMED,
        "findings": "Không phát hiện phương tiện.",
    }
    early = {**request, "answered_at": iso(REQUESTED - dt.timedelta(hours=1))}

    refused = client.post(
        reverse("exchange-api:verification-list"), early, content_type="application/json"
    )
    assert refused.status_code == 400
    assert list(refused.json()["fields"]) == ["answered_at"]
    assert not VerificationRequest.objects.exists()

    response = client.post(
        reverse("exchange-api:verification-list"), request, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    verification = VerificationRequest.objects.get(public_id=response.json()["public_id"])
    assert (verification.created_at, verification.answered_at) == (REQUESTED, ANSWERED)
    assert verification.status == VerificationStatus.ANSWERED
    assert response.json()["overdue"] is (verification.due_at < ANSWERED)


# --- refusals -----------------------------------------------------------------------------------

TOMORROW = "tomorrow"


def _moment(value: Any) -> Any:
    if value == TOMORROW:
        return iso(timezone.now() + dt.timedelta(days=1))
    return value


REFUSALS = [
    # (what is changed, the field the refusal names, its code)
    ({"sent_at": TOMORROW}, "sent_at", "future_time"),
    ({"sent_at": "2018-12-31T23:00:00+07:00"}, "sent_at", "before_earliest"),
    ({"delivered_at": iso(SENT - dt.timedelta(minutes=1))}, "delivered_at", "out_of_order"),
    ({"delivered_at": TOMORROW}, "delivered_at", "future_time"),
    (
        {"acknowledged_at": iso(DELIVERED - dt.timedelta(minutes=1))},
        "acknowledged_at",
        "out_of_order",
    ),
    ({"acknowledged_at": TOMORROW}, "acknowledged_at", "future_time"),
    (
        {"verification.requested_at": iso(SENT - dt.timedelta(hours=1))},
        "verification.requested_at",
        "out_of_order",
    ),
    (
        {"verification.answered_at": iso(REQUESTED - dt.timedelta(minutes=1))},
        "verification.answered_at",
        "out_of_order",
    ),
    ({"verification.answered_at": TOMORROW}, "verification.answered_at", "future_time"),
    ({"verification.findings": ""}, "verification.findings", "required"),
]


@pytest.mark.parametrize(("change", "field", "code"), REFUSALS)
def test_a_bad_real_date_is_refused_naming_the_field_and_nothing_is_saved(
    world, people, change, field, code
):
    body = back_entry_body(world)
    for name, value in change.items():
        if name.startswith("verification."):
            body["verification"][name.split(".", 1)[1]] = _moment(value)
        else:
            body[name] = _moment(value)

    response = post_item(people["bp_post"], body)

    assert response.status_code == 400, response.json()
    answer = response.json()
    assert answer["code"] == code
    assert list(answer["fields"]) == [field]
    assert answer["fields"][field][0]  # a Vietnamese message for the field
    nothing_saved()


def test_a_message_says_what_is_wrong_in_vietnamese(world, people):
    response = post_item(people["bp_post"], back_entry_body(world, sent_at="2018-06-01T08:00:00Z"))
    assert response.json()["fields"]["sent_at"] == [
        "Thời điểm gửi không được trước ngày 01/01/2019."
    ]


# --- the pages ----------------------------------------------------------------------------------


def compose_data(world: OrgWorld, **extra: str) -> dict[str, Any]:
    data = {
        "title": "Đối tượng lạ qua biên giới năm 2023",
        "content": "Nhập bổ sung từ sổ theo dõi.",
        "topic": "border",
        "urgency": str(Urgency.KHAN),
        "classification": "0",
        "reliability": "B",
        "credibility": "2",
        "handling": "may_forward",
        "recipients": [str(world.u("ca_province").public_id)],
        "sent_at": "01/03/2023 08:00",
        "delivered_at": "01/03/2023 08:30",
        "acknowledged_at": "01/03/2023 13:00",
        "verify_unit": str(world.u("ca_province").public_id),
        "verify_question": "Xác minh nhân thân",
        "verify_requested_at": "01/03/2023 09:00",
        "verify_answered_at": "02/03/2023 10:00",
        "verify_result": VerificationResult.PARTLY,
        "verify_findings": "Xác định được một đối tượng.",
    }
    data.update(extra)
    return data


def test_the_compose_page_back_enters_an_item_and_its_page_says_so(world, people):
    sender = people["bp_post"]
    client = client_for(sender)

    response = client.post(reverse("exchange:compose"), compose_data(world))

    assert response.status_code == 302, response.context["form"].errors
    item = InformationItem.objects.get()
    assert timezone.localtime(item.sent_at) == dt.datetime(2023, 3, 1, 8, 0, tzinfo=HCM)
    receipt = item.receipts.get()
    assert timezone.localtime(receipt.acknowledged_at) == dt.datetime(2023, 3, 1, 13, tzinfo=HCM)
    verification = item.verifications.get()
    assert verification.status == VerificationStatus.ANSWERED
    assert timezone.localtime(verification.answered_at) == dt.datetime(2023, 3, 2, 10, tzinfo=HCM)

    html = client.get(response["Location"]).content.decode()
    entered = timezone.localdate(the_creation(item).at).strftime("%d/%m/%Y")
    assert f"Nhập bổ sung ngày {entered} bởi {sender}" in html
    assert "(ngày thực tế 01/03/2023)" in html


def test_the_page_of_an_item_sent_in_its_own_time_says_nothing_of_back_entry(world, people):
    item = info_item_create(
        actor=people["bp_post"],
        title="Tin mới",
        content="Nội dung",
        topic="border",
        recipients=[world.u("ca_province")],
    )
    url = reverse("exchange:detail", kwargs={"public_id": item.public_id})
    html = client_for(people["bp_post"]).get(url).content.decode()
    assert 'data-testid="entered-later"' not in html


def test_a_back_entered_answer_without_a_verifying_unit_is_refused_on_the_unit(world, people):
    data = compose_data(world, verify_unit="", verify_question="")
    response = client_for(people["bp_post"]).post(reverse("exchange:compose"), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {"verify_unit": ["Hãy chọn đơn vị xác minh."]}
    nothing_saved()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sent_at", "01/06/2018 08:00"),
        ("acknowledged_at", "01/03/2023 07:00"),
        ("verify_answered_at", "01/03/2023 08:30"),
    ],
)
def test_the_compose_page_refuses_a_bad_date_on_its_field_and_saves_nothing(
    world, people, field, value
):
    response = client_for(people["bp_post"]).post(
        reverse("exchange:compose"), compose_data(world, **{field: value})
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field], errors
    assert errors[field][0]
    nothing_saved()
