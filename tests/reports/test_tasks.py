"""Conference tasks: services, workflow, the report section, pages and API, and access."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from phoihop.audit.models import AuditEntry
from phoihop.core.errors import DomainError, PermissionDenied, StaleVersion
from phoihop.indicators.periods import Period
from phoihop.org.models import User
from phoihop.reports import selectors, services
from phoihop.reports.enums import TaskStatus
from phoihop.reports.models import ConferenceTask, ConferenceTaskNote, ConferenceTaskTransition
from phoihop.reports.tasks_section import tasks_section
from tests import factories
from tests.factories import OrgWorld

CONFERENCE = dt.date(2024, 10, 10)


@pytest.fixture
def people(world: OrgWorld) -> dict[str, User]:
    return {
        "ca_prov": factories.user(world.u("ca_province"), roles=["officer"]),
        "ca_commander": factories.user(world.u("ca_province"), roles=["commander"]),
        "ca_commune": factories.user(world.u("ca_commune_a"), roles=["officer"]),
        "qs_prov": factories.user(world.u("qs_province"), roles=["officer"]),
        "qs_joint": factories.user(world.u("qs_province"), roles=["joint_staff"]),
        "outsider": factories.user(world.u("ca_other_province"), roles=["officer", "commander"]),
    }


def make_task(world: OrgWorld, actor: User, **overrides: Any) -> ConferenceTask:
    values: dict[str, Any] = {
        "area": world.province,
        "period_key": "2024-Q3",
        "conference_date": CONFERENCE,
        "content": "Tăng cường tuần tra, kiểm soát khu vực biên giới",
        "lead_force": "BP",
        "supporting_forces": ["CA", "QS"],
        "deadline": dt.date(2024, 12, 31),
    }
    values.update(overrides)
    return services.task_create(actor=actor, **values)


def as_user(user: User) -> Client:
    client = Client()
    factories.login(client, user)
    return client


# --- services -----------------------------------------------------------------------------------


def test_creating_a_task_records_forces_log_and_audit(world: OrgWorld, people: dict) -> None:
    task = make_task(world, people["ca_prov"], period_key="2024-q3")

    assert task.period_key == "2024-Q3"
    assert task.status == TaskStatus.OPEN
    assert task.lead_force.code == "BP"
    assert sorted(f.code for f in task.supporting_forces.all()) == ["CA", "QS"]
    assert task.owner_unit == world.u("ca_province") and task.is_joint
    assert [t.to_status for t in task.transitions.all()] == ["open"]
    assert AuditEntry.objects.filter(object_id=str(task.public_id), action="create").exists()
    assert task.history.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"deadline": CONFERENCE - dt.timedelta(days=1)}, "deadline"),
        ({"lead_force": "XX"}, "lead_force"),
        ({"supporting_forces": ["CA", "HQ"]}, "supporting_forces"),
        ({"supporting_forces": ["BP"]}, "supporting_forces"),
        ({"period_key": "2024-Q5"}, "period_key"),
        ({"content": "   "}, "content"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(
    world: OrgWorld, people: dict, overrides: dict, field: str
) -> None:
    with pytest.raises(DomainError) as caught:
        make_task(world, people["ca_prov"], **overrides)

    assert field in caught.value.fields
    assert ConferenceTask.all_objects.count() == 0
    assert ConferenceTaskTransition.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type="reports.conferencetask").exists()


def test_a_task_for_another_province_is_refused(world: OrgWorld, people: dict) -> None:
    with pytest.raises(DomainError) as caught:
        make_task(world, people["ca_prov"], area=world.other_province)

    assert "area" in caught.value.fields
    assert ConferenceTask.all_objects.count() == 0


def test_joint_staff_without_officer_role_cannot_create(world: OrgWorld, people: dict) -> None:
    with pytest.raises(PermissionDenied):
        make_task(world, people["qs_joint"])
    assert ConferenceTask.all_objects.count() == 0


def test_the_workflow_follows_the_transition_map_and_logs_each_step(
    world: OrgWorld, people: dict
) -> None:
    actor = people["ca_prov"]
    task = make_task(world, actor)

    services.task_transition(actor=actor, task=task, to=TaskStatus.IN_PROGRESS)
    services.task_transition(actor=actor, task=task, to=TaskStatus.DONE, note="Đã hoàn thành")

    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    assert [(t.from_status, t.to_status) for t in task.transitions.all()] == [
        ("", "open"),
        ("open", "in_progress"),
        ("in_progress", "done"),
    ]
    assert task.version == 3


def test_a_transition_not_allowed_is_refused_and_nothing_changes(
    world: OrgWorld, people: dict
) -> None:
    actor = people["ca_prov"]
    task = make_task(world, actor)
    services.task_transition(actor=actor, task=task, to=TaskStatus.CANCELLED)
    audits = AuditEntry.objects.count()

    with pytest.raises(DomainError) as caught:
        services.task_transition(actor=actor, task=task, to=TaskStatus.IN_PROGRESS)

    assert caught.value.code == "invalid_transition" and "status" in caught.value.fields
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED
    assert task.transitions.count() == 2
    assert AuditEntry.objects.count() == audits


def test_a_stale_version_is_refused_on_edit_and_transition(world: OrgWorld, people: dict) -> None:
    actor = people["ca_prov"]
    task = make_task(world, actor)
    services.task_update(actor=actor, task=task, expected_version=1, content="Nội dung mới")

    stale = ConferenceTask.objects.get(pk=task.pk)
    stale.version = 1
    with pytest.raises(StaleVersion):
        services.task_update(actor=actor, task=stale, expected_version=1, content="Ghi đè")
    with pytest.raises(StaleVersion):
        services.task_transition(actor=actor, task=task, to=TaskStatus.DONE, expected_version=1)

    task.refresh_from_db()
    assert task.content == "Nội dung mới"
    assert task.status == TaskStatus.OPEN
    assert task.version == 2


def test_editing_supporting_forces_alone_bumps_the_version(world: OrgWorld, people: dict) -> None:
    actor = people["ca_prov"]
    task = make_task(world, actor)

    services.task_update(actor=actor, task=task, expected_version=1, supporting_forces=["QS"])

    task.refresh_from_db()
    assert [f.code for f in task.supporting_forces.all()] == ["QS"]
    assert task.version == 2


def test_an_edit_moving_the_deadline_before_the_conference_saves_nothing(
    world: OrgWorld, people: dict
) -> None:
    actor = people["ca_prov"]
    task = make_task(world, actor)

    with pytest.raises(DomainError) as caught:
        services.task_update(
            actor=actor,
            task=task,
            expected_version=1,
            deadline=dt.date(2024, 1, 1),
            supporting_forces=["QS"],
        )

    assert "deadline" in caught.value.fields
    task = ConferenceTask.objects.get(pk=task.pk)
    assert task.deadline == dt.date(2024, 12, 31) and task.version == 1
    assert sorted(f.code for f in task.supporting_forces.all()) == ["CA", "QS"]


def test_progress_notes_are_dated_and_refused_before_the_conference(
    world: OrgWorld, people: dict
) -> None:
    task = make_task(world, people["ca_prov"])
    note = services.task_note_add(
        actor=people["qs_prov"], task=task, body="Đã tổ chức 03 đợt tuần tra", noted_on=CONFERENCE
    )
    assert note.unit == world.u("qs_province") and note.author == people["qs_prov"]

    with pytest.raises(DomainError) as caught:
        services.task_note_add(
            actor=people["ca_prov"], task=task, body="x", noted_on=dt.date(2024, 1, 1)
        )
    assert "noted_on" in caught.value.fields
    assert ConferenceTaskNote.objects.count() == 1


# --- access -------------------------------------------------------------------------------------


def test_visibility_follows_the_rule_and_reaches_the_forces_taking_part(
    world: OrgWorld, people: dict
) -> None:
    actor = people["ca_prov"]
    joint = make_task(world, actor, lead_force="CA", supporting_forces=[])
    shared = make_task(world, actor, supporting_forces=["QS"], is_joint=False)
    own = make_task(world, actor, lead_force="CA", supporting_forces=[], is_joint=False)

    def seen(user: User) -> set[int]:
        return set(selectors.task_list(actor=user).values_list("pk", flat=True))

    assert seen(actor) == {joint.pk, shared.pk, own.pk}
    assert seen(people["qs_joint"]) == {joint.pk, shared.pk}
    assert seen(people["qs_prov"]) == {shared.pk}
    assert seen(people["ca_commune"]) == set()
    assert seen(people["outsider"]) == set()


def test_only_the_owner_unit_or_above_may_change_a_task(world: OrgWorld, people: dict) -> None:
    task = make_task(world, people["ca_prov"])
    with pytest.raises(PermissionDenied):
        services.task_transition(actor=people["qs_prov"], task=task, to=TaskStatus.DONE)
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


# --- the report section -------------------------------------------------------------------------


def test_open_and_overdue_tasks_appear_in_the_next_periods_report(
    world: OrgWorld, people: dict
) -> None:
    actor = people["ca_prov"]
    overdue = make_task(world, actor, deadline=dt.date(2024, 11, 30), content="Rà soát tàu cá")
    make_task(world, actor, area=world.commune_a, deadline=dt.date(2025, 6, 30))
    done = make_task(world, actor, content="Đã xong")
    services.task_transition(actor=actor, task=done, to=TaskStatus.DONE)
    make_task(world, actor, period_key="2024-Q4", content="Giao ở kỳ sau")

    section = tasks_section(actor=actor, area=world.province, period=Period.parse("2024-Q4"))

    assert section is not None and section.key == "tasks"
    assert section.figure("tasks.open").value == 2  # type: ignore[union-attr]
    overdue_figure = section.figure("tasks.overdue")
    assert overdue_figure is not None and overdue_figure.value == 1
    assert overdue_figure.provenance[0].ids == (str(overdue.public_id),)
    assert overdue_figure.provenance[0].url.startswith(reverse("reports:task_list"))
    text = "\n".join(p.text for p in section.paragraphs)
    assert "02 nhiệm vụ" in text and "01 nhiệm vụ" in text
    assert (
        "Rà soát tàu cá (Biên phòng chủ trì; Công an, Quân sự phối hợp; hạn 30/11/2024)"
        " — đã quá hạn." in text
    )
    assert "Đã xong" not in text and "Giao ở kỳ sau" not in text
    assert len(section.tables[0].rows) == 2


def test_a_commune_report_carries_only_its_own_tasks(world: OrgWorld, people: dict) -> None:
    actor = people["ca_prov"]
    make_task(world, actor, content="Cả tỉnh")
    make_task(world, actor, area=world.commune_a, content="Riêng xã Sơn Kim 1")

    section = tasks_section(actor=actor, area=world.commune_a, period=Period.parse("2024-Q4"))

    assert section is not None
    text = "\n".join(p.text for p in section.paragraphs)
    assert "Riêng xã Sơn Kim 1" in text and "Cả tỉnh" not in text


def test_the_section_is_left_out_when_nothing_is_open_or_visible(
    world: OrgWorld, people: dict
) -> None:
    make_task(world, people["ca_prov"], lead_force="CA", supporting_forces=[], is_joint=False)
    period = Period.parse("2024-Q4")

    assert tasks_section(actor=people["qs_prov"], area=world.province, period=period) is None
    assert (
        tasks_section(actor=people["ca_prov"], area=world.province, period=Period.parse("2024-Q3"))
        is None
    )


# --- pages --------------------------------------------------------------------------------------


def _form(world: OrgWorld, **overrides: Any) -> dict[str, Any]:
    data = {
        "period_key": "2024-Q3",
        "area": world.province.code,
        "conference_date": "10/10/2024",
        "content": "Phối hợp kiểm tra người nước ngoài tạm trú",
        "lead_force": "CA",
        "supporting_forces": ["BP"],
        "deadline": "15/12/2024",
    }
    data.update(overrides)
    return data


def test_an_officer_creates_a_task_and_adds_a_note_with_htmx(world: OrgWorld, people: dict) -> None:
    client = as_user(people["ca_prov"])
    response = client.post(reverse("reports:task_create"), _form(world))
    task = ConferenceTask.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:task_detail", args=[task.public_id])

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Phối hợp kiểm tra người nước ngoài tạm trú" in page.content.decode()

    fragment = client.post(
        reverse("reports:task_note_add", args=[task.public_id]),
        {"body": "Đã kiểm tra 12 cơ sở lưu trú"},
        HTTP_HX_REQUEST="true",
    )
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert 'id="notes-body"' in html and "Đã kiểm tra 12 cơ sở lưu trú" in html
    assert "<html" not in html


def test_the_form_shows_a_deadline_before_the_conference_on_its_field(
    world: OrgWorld, people: dict
) -> None:
    client = as_user(people["ca_prov"])
    response = client.post(reverse("reports:task_create"), _form(world, deadline="01/10/2024"))

    assert response.status_code == 200
    assert "Thời hạn không được trước ngày hội nghị." in response.content.decode()
    assert ConferenceTask.all_objects.count() == 0


def test_the_list_filters_by_status_overdue_force_and_period(world: OrgWorld, people: dict) -> None:
    actor = people["ca_prov"]
    today = timezone.localdate()
    late = make_task(
        world,
        actor,
        content="Quá hạn rồi",
        supporting_forces=["CA"],
        deadline=today - dt.timedelta(days=1),
        conference_date=today - dt.timedelta(days=30),
    )
    make_task(
        world,
        actor,
        content="Còn hạn",
        lead_force="QS",
        supporting_forces=[],
        period_key="2024-Q2",
        conference_date=today,
        deadline=today + dt.timedelta(days=30),
    )
    client = as_user(actor)
    url = reverse("reports:task_list")

    def rows(**query: str) -> str:
        return client.get(url, query).content.decode()

    assert "Quá hạn rồi" in rows(overdue="on") and "Còn hạn" not in rows(overdue="on")
    assert "Còn hạn" in rows(force="QS") and "Quá hạn rồi" not in rows(force="QS")
    assert "Quá hạn rồi" in rows(force="CA")  # a supporting force
    assert "Còn hạn" in rows(period="2024-q2") and "Quá hạn rồi" not in rows(period="2024-Q2")
    services.task_transition(actor=actor, task=late, to=TaskStatus.DONE)
    assert "Quá hạn rồi" in rows(status="done") and "Còn hạn" not in rows(status="done")


def test_pages_answer_404_for_an_invisible_task(world: OrgWorld, people: dict) -> None:
    task = make_task(world, people["ca_prov"], is_joint=False)
    client = as_user(people["outsider"])

    assert client.get(reverse("reports:task_detail", args=[task.public_id])).status_code == 404
    response = client.post(reverse("reports:task_note_add", args=[task.public_id]), {"body": "x"})
    assert response.status_code == 404
    assert ConferenceTaskNote.objects.count() == 0


def test_the_status_buttons_move_the_task_and_a_stale_one_is_refused(
    world: OrgWorld, people: dict
) -> None:
    task = make_task(world, people["ca_prov"])
    client = as_user(people["ca_prov"])
    url = reverse("reports:task_transition", args=[task.public_id])

    client.post(url, {"to": "in_progress", "version": 1})
    response = client.post(url, {"to": "done", "version": 1}, follow=True)

    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    assert "Bản ghi đã được người khác sửa" in response.content.decode()


# --- API ----------------------------------------------------------------------------------------


def _api_body(world: OrgWorld, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "period_key": "2024-Q3",
        "area": world.province.code,
        "conference_date": "2024-10-10",
        "content": "Tuyên truyền phòng, chống mua bán người",
        "lead_force": "CA",
        "supporting_forces": ["QS", "BP"],
        "deadline": "2024-12-31",
    }
    body.update(overrides)
    return body


def test_the_api_creates_once_per_idempotency_key(world: OrgWorld, people: dict) -> None:
    client = as_user(people["ca_prov"])
    url = reverse("reports-api:task-list")
    key = str(uuid.uuid4())

    first = client.post(
        url, _api_body(world), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )
    again = client.post(
        url, _api_body(world), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )

    assert first.status_code == 201 and again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["supporting_forces"] == ["QS", "BP"] or sorted(
        first.json()["supporting_forces"]
    ) == ["BP", "QS"]
    assert ConferenceTask.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"deadline": "2024-10-01"}, "deadline", "invalid"),
        ({"lead_force": "XX"}, "lead_force", "unknown_force"),
        ({"supporting_forces": ["ZZ"]}, "supporting_forces", "unknown_force"),
        ({"area": "99999"}, "area", "unknown_area"),
    ],
)
def test_the_api_refuses_bad_input_in_the_error_shape(
    world: OrgWorld, people: dict, overrides: dict, field: str, code: str
) -> None:
    client = as_user(people["ca_prov"])
    response = client.post(
        reverse("reports-api:task-list"),
        _api_body(world, **overrides),
        content_type="application/json",
    )

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"message", "code", "fields"}
    assert field in body["fields"] and body["code"] == code
    assert ConferenceTask.all_objects.count() == 0


def test_the_api_transitions_edits_and_notes(world: OrgWorld, people: dict) -> None:
    task = make_task(world, people["ca_prov"])
    client = as_user(people["ca_prov"])
    detail = reverse("reports-api:task-detail", args=[task.public_id])

    bad = client.post(
        reverse("reports-api:task-transition", args=[task.public_id]),
        {"to": "open"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_transition"

    moved = client.post(
        reverse("reports-api:task-transition", args=[task.public_id]),
        {"to": "in_progress", "version": 1},
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"

    stale = client.patch(detail, {"version": 1, "content": "Cũ"}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    edited = client.patch(detail, {"version": 2, "content": "Mới"}, content_type="application/json")
    assert edited.status_code == 200 and edited.json()["content"] == "Mới"

    note = client.post(
        reverse("reports-api:task-notes", args=[task.public_id]),
        {"body": "Đã triển khai"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="note-1",
    )
    assert note.status_code == 201
    shown = client.get(detail).json()
    assert [n["body"] for n in shown["notes"]] == ["Đã triển khai"]
    assert [t["to_status"] for t in shown["transitions"]] == ["open", "in_progress"]


def test_the_api_hides_invisible_tasks(world: OrgWorld, people: dict) -> None:
    task = make_task(world, people["ca_prov"], is_joint=False)
    client = as_user(people["outsider"])

    assert (
        client.get(reverse("reports-api:task-list")).json()["results"] == []
        or client.get(reverse("reports-api:task-list")).json() == []
    )
    assert client.get(reverse("reports-api:task-detail", args=[task.public_id])).status_code == 404
    response = client.post(
        reverse("reports-api:task-notes", args=[task.public_id]),
        {"body": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert ConferenceTaskNote.objects.count() == 0
