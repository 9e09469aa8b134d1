"""The one back-entry rule (phoihop.core.backentry) and its use by the record kinds other than the
exchange (tests/exchange/test_backentry.py): real dates refused in the future and before 2019
naming the field, nothing saved; back-entered records say so in their creation's audit entry and
on their page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from phoihop.audit.models import AuditAction, AuditEntry
from phoihop.cases.models import Case
from phoihop.cases.services import case_update
from phoihop.core.backentry import (
    EARLIEST,
    back_entry_note,
    check_order,
    check_record_date,
    entered_later,
    is_back_entry,
)
from phoihop.core.errors import DomainError
from phoihop.mobilisation.models import Forum
from phoihop.operations.models import Checkpoint
from phoihop.org.models import User
from tests.cases.conftest import at, make_case
from tests.factories import OrgWorld, login, user
from tests.mobilisation.conftest import make_forum
from tests.operations.conftest import make_checkpoint

NOW = dt.datetime(2026, 5, 20, 10, 0, tzinfo=dt.UTC)


# --- the rule -----------------------------------------------------------------------------------


def test_the_earliest_day_passes_and_the_day_before_is_refused_naming_the_field():
    check_record_date("start_date", EARLIEST, now=NOW)
    with pytest.raises(DomainError) as refused:
        check_record_date("start_date", EARLIEST - dt.timedelta(days=1), now=NOW)
    assert refused.value.code == "before_earliest"
    assert list(refused.value.fields) == ["start_date"]
    assert "01/01/2019" in refused.value.fields["start_date"][0]


def test_a_day_or_moment_after_now_is_refused_and_today_passes():
    today = timezone.localdate(NOW)
    check_record_date("day", today, now=NOW)
    check_record_date("at", NOW, now=NOW)
    with pytest.raises(DomainError) as day:
        check_record_date("day", today + dt.timedelta(days=1), now=NOW)
    assert (day.value.code, list(day.value.fields)) == ("future_date", ["day"])
    with pytest.raises(DomainError) as moment:
        check_record_date("at", NOW + dt.timedelta(hours=1), now=NOW)
    assert (moment.value.code, list(moment.value.fields)) == ("future_time", ["at"])


def test_a_planned_record_may_start_in_the_future_but_not_before_2019():
    check_record_date("start_date", timezone.localdate(NOW) + dt.timedelta(days=30), planned=True)
    with pytest.raises(DomainError):
        check_record_date("start_date", dt.date(2018, 12, 31), planned=True)


def test_dates_out_of_order_are_refused_naming_the_later_field():
    check_order(("sent_at", NOW), ("delivered_at", NOW), "x")
    check_order(("sent_at", None), ("delivered_at", NOW), "x")
    with pytest.raises(DomainError) as refused:
        check_order(("sent_at", NOW), ("delivered_at", NOW - dt.timedelta(seconds=1)), "trước")
    assert refused.value.fields == {"delivered_at": ["trước"]}
    assert refused.value.code == "out_of_order"


def test_a_record_is_back_entered_when_its_day_is_more_than_a_day_before_its_entry():
    entered = timezone.localtime(NOW)
    assert not is_back_entry(entered.date(), entered)
    assert not is_back_entry(entered.date() - dt.timedelta(days=1), entered)
    assert is_back_entry(entered.date() - dt.timedelta(days=2), entered)
    assert is_back_entry(entered - dt.timedelta(days=2), entered)


def test_the_audit_note_carries_the_real_dates_only_for_a_back_entry():
    assert back_entry_note(NOW, now=NOW) == {}
    assert back_entry_note(None, now=NOW) == {}
    real = NOW - dt.timedelta(days=400)
    note = back_entry_note(real, now=NOW, answered_at=real + dt.timedelta(hours=3), other=None)
    assert note == {
        "back_entry": {
            "real_date": real.isoformat(),
            "answered_at": (real + dt.timedelta(hours=3)).isoformat(),
        }
    }


# --- cases --------------------------------------------------------------------------------------


@pytest.fixture
def officer(world: OrgWorld) -> User:
    return user(world.u("ca_commune_a"), roles=["officer"])


def new_case(actor: User, world: OrgWorld, **extra: Any) -> Case:
    return make_case(actor, world, **{"detected_at": at("02/04/2022"), **extra})


def new_forum(actor: User, world: OrgWorld, **extra: Any) -> Forum:
    return make_forum(actor, world, **{"start_date": dt.date(2021, 7, 10), **extra})


def creation_of(record: Any) -> AuditEntry:
    return AuditEntry.objects.get(
        object_id=str(record.public_id), action=AuditAction.CREATE, object_type__contains="."
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("detected_at", dt.datetime(2018, 12, 31, 9, 0)),
        ("occurred_at", dt.datetime(2018, 6, 1, 9, 0)),
    ],
)
def test_a_case_before_2019_is_refused_naming_the_field_and_nothing_is_saved(
    world, officer, field, value
):
    audit_before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as refused:
        new_case(officer, world, **{field: timezone.make_aware(value)})
    assert refused.value.code == "before_earliest"
    assert list(refused.value.fields) == [field]
    assert not Case.all_objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_a_case_cannot_be_moved_before_2019(world, officer):
    case = new_case(officer, world, detected_at=timezone.make_aware(dt.datetime(2019, 1, 2, 9)))
    with pytest.raises(DomainError) as refused:
        case_update(
            actor=officer,
            case=case,
            expected_version=case.version,
            changes={"occurred_at": timezone.make_aware(dt.datetime(2018, 12, 1, 9))},
        )
    assert list(refused.value.fields) == ["occurred_at"]
    case.refresh_from_db()
    assert case.occurred_at is None


def test_a_back_entered_case_says_so_in_its_audit_entry_and_on_its_page(world, officer):
    detected = timezone.make_aware(dt.datetime(2022, 4, 2, 9, 0))
    case = new_case(officer, world, detected_at=detected)

    entry = creation_of(case)
    assert dt.datetime.fromisoformat(entry.changes["back_entry"]["real_date"]) == detected
    client = Client()
    login(client, officer)
    html = client.get(reverse("cases:detail", kwargs={"public_id": case.public_id})).content
    text = html.decode()
    entered = timezone.localtime(entry.at).strftime("%d/%m/%Y")
    assert f"Nhập bổ sung ngày {entered} bởi {officer}" in text
    assert "(ngày thực tế 02/04/2022)" in text


def test_a_case_entered_on_its_day_carries_no_back_entry(world, officer):
    case = new_case(officer, world, detected_at=timezone.now() - dt.timedelta(hours=2))
    assert "back_entry" not in creation_of(case).changes
    assert entered_later(case, case.detected_at) is None


# --- mobilisation -------------------------------------------------------------------------------


def test_a_forum_before_2019_is_refused_naming_the_field_and_nothing_is_saved(world):
    actor = user(world.u("ca_province"), roles=["officer"])
    audit_before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as refused:
        new_forum(actor, world, start_date=dt.date(2018, 12, 31))
    assert refused.value.code == "before_earliest"
    assert list(refused.value.fields) == ["start_date"]
    assert not Forum.all_objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_a_back_entered_forum_says_who_entered_it_and_when(world):
    actor = user(world.u("ca_province"), roles=["officer"])
    entered_at = dt.datetime(2025, 2, 3, 3, 0, tzinfo=dt.UTC)
    with time_machine.travel(entered_at, tick=False):
        forum = new_forum(actor, world)

    entry = creation_of(forum)
    assert entry.changes["back_entry"]["real_date"] == forum.start_date.isoformat()
    client = Client()
    login(client, actor)
    url = reverse("mobilisation:forum_detail", kwargs={"public_id": forum.public_id})
    text = client.get(url).content.decode()
    assert f"Nhập bổ sung ngày 03/02/2025 bởi {actor}" in text
    assert "(ngày thực tế 10/07/2021)" in text


# --- operations ---------------------------------------------------------------------------------


def test_a_back_entered_operation_record_page_says_who_entered_it_and_when(world):
    actor = user(world.u("ca_province"), roles=["officer"])
    entered_at = dt.datetime(2024, 11, 5, 3, 0, tzinfo=dt.UTC)
    with time_machine.travel(entered_at, tick=False):
        checkpoint = make_checkpoint(actor, world)
        today = make_checkpoint(actor, world, start_date=dt.date(2024, 11, 5), end_date=None)

    client = Client()
    login(client, actor)
    text = client.get(
        reverse("operations:detail", args=["checkpoints", checkpoint.public_id])
    ).content.decode()
    assert f"Nhập bổ sung ngày 05/11/2024 bởi {actor}" in text
    assert "(ngày thực tế 01/08/2021)" in text
    same_day = client.get(reverse("operations:detail", args=["checkpoints", today.public_id]))
    assert same_day.status_code == 200
    assert 'data-testid="entered-later"' not in same_day.content.decode()


def test_an_operation_before_2019_is_refused_naming_the_field_and_nothing_is_saved(world):
    actor = user(world.u("ca_province"), roles=["officer"])
    audit_before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as refused:
        make_checkpoint(actor, world, start_date=dt.date(2018, 12, 31), end_date=None)
    assert refused.value.code == "before_earliest"
    assert list(refused.value.fields) == ["start_date"]
    assert not Checkpoint.all_objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_a_back_entered_operation_carries_its_real_date_in_the_audit(world):
    actor = user(world.u("ca_province"), roles=["officer"])
    checkpoint = make_checkpoint(actor, world)
    entry = creation_of(checkpoint)
    assert entry.changes["back_entry"]["real_date"] == checkpoint.start_date.isoformat()
