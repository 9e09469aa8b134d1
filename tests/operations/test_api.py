"""The operations API under /api/v1/operations/: records, daily counts, import, figures."""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from phoihop.operations.kinds import KINDS
from phoihop.operations.models import (
    Checkpoint,
    CheckpointCount,
    OperationUnit,
    Patrol,
    Protection,
)
from phoihop.operations.services import checkpoint_count_add
from phoihop.org.models import Unit, User
from tests import factories
from tests.cases.conftest import make_case
from tests.factories import OrgWorld
from tests.operations.conftest import d, make_checkpoint

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"message", "code", "fields"}


def as_user(user: User) -> Client:
    client = Client()
    factories.login(client, user)
    return client


def post(client: Client, url: str, data: Any, **headers: str) -> Any:
    return client.post(url, data, content_type="application/json", headers=headers)


def patch(client: Client, url: str, data: Any) -> Any:
    return client.patch(url, data, content_type="application/json")


def url(name: str, record: Any = None, **kwargs: Any) -> str:
    if record is not None:
        kwargs["public_id"] = str(getattr(record, "public_id", record))
    return reverse(f"operations-api:{name}", kwargs=kwargs)


@pytest.fixture
def ca(world: OrgWorld, officer: User) -> Client:
    return as_user(officer)


def protection_body(world: OrgWorld, **extra: Any) -> dict[str, Any]:
    return {
        "title": "Bảo vệ đoàn đại biểu nước bạn Lào",
        "target": "delegation",
        "delegation_level": "foreign",
        "start_date": "2024-08-20",
        "end_date": "2024-08-21",
        "place": "Cửa khẩu Quốc tế Cầu Treo",
        "communes": ["18196"],
        "units": [
            {"unit": "CAT", "personnel": 35, "vehicles": 4},
            {"unit": str(world.u("bp_post_a").public_id), "personnel": 12, "vehicles": 2},
        ],
        **extra,
    }


def test_a_protection_is_created_once_per_idempotency_key(world: OrgWorld, ca: Client) -> None:
    body = protection_body(world)
    first = post(ca, url("protection-list"), body, **{"Idempotency-Key": "bv-1"})
    again = post(ca, url("protection-list"), body, **{"Idempotency-Key": "bv-1"})

    assert first.status_code == 201, first.json()
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Protection.objects.count() == 1
    data = first.json()
    assert data["delegation_level_label"] == "Đoàn khách nước ngoài"
    assert [(u["unit"]["code"], u["force"], u["role"], u["personnel"]) for u in data["units"]] == [
        ("CAT", "CA", "lead", 35),
        ("DBP-SK", "BP", "cooperating", 12),
    ]
    assert data["communes"] == [{"code": "18196", "name": "Xã Sơn Kim 1"}]
    assert data["province"] == "42"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"end_date": "2024-08-19"}, "end_date"),
        ({"units": [{"unit": "DBP-SK", "personnel": -3}]}, "units.0.personnel"),
        ({"units": [{"unit": "KHONG-CO"}]}, "units.0.unit"),
        ({"communes": ["99999"]}, "communes"),
        ({"incidents": -1}, "incidents"),
        ({"start_date": "20/08/2024"}, "start_date"),
        ({"target": "khong-co"}, "target"),
        ({"lead_unit": "BCHQS"}, "lead_unit"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_saves_nothing(
    world: OrgWorld, ca: Client, extra: dict[str, Any], field: str
) -> None:
    response = post(ca, url("protection-list"), protection_body(world, **extra))
    assert response.status_code == 400
    assert set(response.json()) >= ERROR_KEYS
    assert field in response.json()["fields"], response.json()
    assert Protection.all_objects.count() == 0


def test_lists_filter_by_force_area_period_and_kind(world: OrgWorld, ca: Client) -> None:
    post(ca, url("protection-list"), protection_body(world))
    post(
        ca,
        url("protection-list"),
        protection_body(
            world,
            title="Bảo vệ giải chạy",
            target="event",
            delegation_level="",
            event_category="sport",
            start_date="2024-05-01",
            end_date=None,
            communes=["18676"],
            units=[],
        ),
    )
    listing = url("protection-list")

    def titles(**params: str) -> list[str]:
        response = ca.get(listing, params)
        assert response.status_code == 200
        return [r["title"] for r in response.json()["results"]]

    assert len(titles()) == 2
    assert titles(force="BP") == ["Bảo vệ đoàn đại biểu nước bạn Lào"]
    assert titles(area="18676") == ["Bảo vệ giải chạy"]
    assert titles(area="42") and len(titles(area="42")) == 2
    assert titles(start="2024-06-15", end="2024-09-14") == ["Bảo vệ đoàn đại biểu nước bạn Lào"]
    assert titles(target="event") == ["Bảo vệ giải chạy"]
    assert titles(q="chay") == ["Bảo vệ giải chạy"]


def test_an_invisible_record_is_404_and_a_participant_reads_it(world: OrgWorld, ca: Client) -> None:
    created = post(ca, url("protection-list"), protection_body(world)).json()
    detail = url("protection-detail", created["public_id"])
    border = as_user(factories.user(world.u("bp_post_a")))
    military = as_user(factories.user(world.u("qs_province")))

    assert border.get(detail).status_code == 200
    response = military.get(detail)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert military.get(url("protection-list")).json()["results"] == []


def test_patch_needs_the_version_and_detects_a_stale_one(world: OrgWorld, ca: Client) -> None:
    created = post(ca, url("protection-list"), protection_body(world)).json()
    detail = url("protection-detail", created["public_id"])

    assert patch(ca, detail, {"title": "Sửa"}).json()["fields"] == {
        "version": ["Phải gửi phiên bản đang sửa (version)."]
    }
    changed = patch(
        ca,
        detail,
        {"version": 1, "incidents": 2, "units": [{"unit": "CAT", "personnel": 50}]},
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["incidents"] == 2
    assert changed.json()["version"] == 2
    assert [u["unit"]["code"] for u in changed.json()["units"]] == ["CAT"]
    stale = patch(ca, detail, {"version": 1, "title": "Cũ"})
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    bad = patch(ca, detail, {"version": 2, "end_date": "2024-01-01"})
    assert bad.status_code == 400 and "end_date" in bad.json()["fields"]


def test_a_participant_of_another_force_may_read_but_not_change(
    world: OrgWorld, ca: Client
) -> None:
    created = post(ca, url("protection-list"), protection_body(world)).json()
    detail = url("protection-detail", created["public_id"])
    border = as_user(factories.user(world.u("bp_post_a")))
    assert patch(border, detail, {"version": 1, "title": "X"}).status_code == 403
    assert border.delete(detail).status_code == 403
    assert ca.delete(detail).status_code == 204
    assert ca.get(detail).status_code == 404


def test_a_patrol_links_cases_by_public_id_when_visible(
    world: OrgWorld, officer: User, ca: Client
) -> None:
    mine = make_case(officer, world)
    hidden = make_case(factories.user(world.u("qs_province")), world)
    body = {
        "title": "Tuần tra biên giới",
        "route": "border",
        "start_date": "2024-08-01",
        "sorties": 2,
        "violations": 1,
        "cases": [str(mine.public_id)],
    }
    created = post(ca, url("patrol-list"), body)
    assert created.status_code == 201, created.json()
    assert [c["public_id"] for c in created.json()["cases"]] == [str(mine.public_id)]
    refused = post(ca, url("patrol-list"), {**body, "cases": [str(hidden.public_id)]})
    assert refused.status_code == 400 and "cases" in refused.json()["fields"]
    assert Patrol.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("zone", {"zone_kind": "lockdown", "people": 1200, "start_date": "2021-08-01"}),
        (
            "rescue",
            {"incident_kind": "storm", "people_evacuated": 350, "start_date": "2024-09-10"},
        ),
        (
            "exercise",
            {"exercise_kind": "sar", "participants_count": 90, "start_date": "2024-08-08"},
        ),
        ("checkpoint", {"purpose": "traffic", "place": "Quốc lộ 1A", "start_date": "2024-08-01"}),
    ],
)
def test_every_kind_is_created_and_listed(
    world: OrgWorld, ca: Client, kind: str, body: dict[str, Any]
) -> None:
    response = post(ca, url(f"{kind}-list"), {"title": "Bản ghi thử", **body})
    assert response.status_code == 201, response.json()
    assert len(ca.get(url(f"{kind}-list")).json()["results"]) == 1


# --- unit references: a code or a public id, everywhere ------------------------------------

# What each kind needs besides the title, so that only the unit references vary.
KIND_BODIES: dict[str, dict[str, Any]] = {
    "protection": {"target": "delegation", "delegation_level": "foreign"},
    "checkpoint": {"purpose": "traffic", "place": "Quốc lộ 1A"},
    "zone": {"zone_kind": "lockdown"},
    "patrol": {"route": "border"},
    "rescue": {"incident_kind": "storm"},
    "exercise": {"exercise_kind": "sar"},
    "destruction": {"item": "thuoc-no", "entered_quantity": "500", "entered_unit": "kg"},
}
MODELS = {kind.name: kind.model for kind in KINDS.values()}


def kind_body(kind: str, **extra: Any) -> dict[str, Any]:
    return {"title": "Bản ghi thử", "start_date": "2024-08-01", **KIND_BODIES[kind], **extra}


def ref(unit: Unit, form: str) -> str:
    return unit.code if form == "code" else str(unit.public_id)


def unit_codes(response: Any) -> list[str]:
    return [u["unit"]["code"] for u in response.json()["units"]]


def test_every_kind_has_its_unit_reference_tests() -> None:
    assert set(KIND_BODIES) == set(MODELS)


@pytest.mark.parametrize("kind", sorted(KIND_BODIES))
def test_a_new_record_names_its_lead_and_partner_units_by_code_or_public_id(
    world: OrgWorld, ca: Client, kind: str
) -> None:
    lead, partner = world.u("ca_commune_a"), world.u("bp_post_a")
    for form in ("code", "public_id"):
        body = kind_body(
            kind,
            lead_unit=ref(lead, form),
            units=[{"unit": ref(partner, form), "personnel": 4}],
        )
        response = post(ca, url(f"{kind}-list"), body)
        assert response.status_code == 201, (form, response.json())
        assert response.json()["owner_unit"]["code"] == "CAX-SK1", form
        assert unit_codes(response) == ["CAX-SK1", "DBP-SK"], form
    assert MODELS[kind].objects.filter(owner_unit=lead).count() == 2


@pytest.mark.parametrize("kind", sorted(KIND_BODIES))
def test_a_new_record_naming_an_unknown_unit_is_refused_on_that_field_and_nothing_is_saved(
    world: OrgWorld, ca: Client, kind: str
) -> None:
    unknown_id = str(uuid.uuid4())
    for extra, field in (
        ({"lead_unit": "KHONG-CO"}, "lead_unit"),
        ({"lead_unit": unknown_id}, "lead_unit"),
        ({"units": [{"unit": unknown_id}]}, "units.0.unit"),
        ({"units": [{"unit": "CAT"}, {"unit": "KHONG-CO"}]}, "units.1.unit"),
    ):
        response = post(ca, url(f"{kind}-list"), kind_body(kind, **extra))
        assert response.status_code == 400, (extra, response.json())
        assert response.json()["code"] == "unknown_unit", extra
        assert list(response.json()["fields"]) == [field], extra
    assert MODELS[kind].all_objects.count() == 0
    assert OperationUnit.objects.count() == 0


@pytest.mark.parametrize("kind", sorted(KIND_BODIES))
def test_a_change_names_the_units_by_code_or_public_id_and_refuses_an_unknown_one(
    world: OrgWorld, ca: Client, kind: str
) -> None:
    created = post(ca, url(f"{kind}-list"), kind_body(kind))
    assert created.status_code == 201, created.json()
    detail = url(f"{kind}-detail", created.json()["public_id"])

    by_code = patch(ca, detail, {"version": 1, "units": [{"unit": "DBP-SK", "personnel": 2}]})
    assert by_code.status_code == 200, by_code.json()
    assert unit_codes(by_code) == ["CAT", "DBP-SK"]
    by_id = patch(
        ca, detail, {"version": 2, "units": [{"unit": str(world.u("qs_commune_a").public_id)}]}
    )
    assert by_id.status_code == 200, by_id.json()
    assert unit_codes(by_id) == ["CAT", "BCHQSX-SK1"]
    for unknown in ("KHONG-CO", str(uuid.uuid4())):
        refused = patch(ca, detail, {"version": 3, "units": [{"unit": "CAT"}, {"unit": unknown}]})
        assert refused.status_code == 400, refused.json()
        assert refused.json()["code"] == "unknown_unit"
        assert list(refused.json()["fields"]) == ["units.1.unit"]
    unnamed = patch(ca, detail, {"version": 3, "units": [{"personnel": 1}]})
    assert unnamed.status_code == 400, unnamed.json()
    assert list(unnamed.json()["fields"]) == ["units.0.unit"]

    record = MODELS[kind].objects.get()
    assert record.version == 3
    assert sorted(p.unit.code for p in record.participants.all()) == ["BCHQSX-SK1", "CAT"]


# --- checkpoint counts --------------------------------------------------------------------


def test_daily_counts_through_the_api(world: OrgWorld, officer: User, ca: Client) -> None:
    checkpoint = make_checkpoint(officer, world)
    counts = url("checkpoint-counts", checkpoint)
    created = post(
        ca,
        counts,
        {"day": "2021-08-02", "vehicles": 320, "people": 512},
        **{"Idempotency-Key": "k"},
    )
    assert created.status_code == 201, created.json()
    again = post(ca, counts, {"day": "2021-08-02", "vehicles": 320, "people": 512})
    assert again.status_code == 400
    assert again.json()["code"] == "duplicate_day"
    assert list(again.json()["fields"]) == ["day"]
    outside = post(ca, counts, {"day": "2021-10-02", "vehicles": 1, "people": 1})
    assert outside.status_code == 400 and list(outside.json()["fields"]) == ["day"]
    negative = post(ca, counts, {"day": "2021-08-03", "vehicles": -1, "people": 1})
    assert negative.status_code == 400 and list(negative.json()["fields"]) == ["vehicles"]
    assert CheckpointCount.objects.count() == 1

    detail = ca.get(url("checkpoint-detail", checkpoint)).json()
    assert detail["totals"] == {"days": 1, "vehicles": 320, "people": 512}
    assert [c["day"] for c in ca.get(counts).json()] == ["2021-08-02"]

    one = url("checkpoint-count-detail", created.json()["public_id"])
    changed = patch(ca, one, {"version": 1, "people": 500})
    assert changed.status_code == 200 and changed.json()["people"] == 500
    assert ca.delete(one).status_code == 204
    assert CheckpointCount.objects.count() == 0


def test_a_unit_staffing_the_checkpoint_counts_and_another_cannot(
    world: OrgWorld, officer: User
) -> None:
    checkpoint = make_checkpoint(officer, world, is_joint=True)
    border = as_user(factories.user(world.u("bp_post_a")))
    joint = as_user(factories.user(world.u("qs_province"), roles=["officer", "joint_staff"]))
    body = {"day": "2021-08-05", "vehicles": 10, "people": 20}
    assert post(border, url("checkpoint-counts", checkpoint), body).status_code == 201
    refused = post(joint, url("checkpoint-counts", checkpoint), {**body, "day": "2021-08-06"})
    assert refused.status_code == 403
    outsider = as_user(factories.user(world.u("ca_other_province")))
    assert post(outsider, url("checkpoint-counts", checkpoint), body).status_code == 404


def _xlsx(rows: list[list[Any]]) -> io.BytesIO:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "Số liệu chốt"
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "so-lieu.xlsx"
    return out


def test_an_import_with_one_bad_row_saves_nothing_and_names_the_cell(
    world: OrgWorld, officer: User, ca: Client
) -> None:
    checkpoint = make_checkpoint(officer, world)
    target = url("checkpoint-import-counts", checkpoint)
    header = ["Ngày", "Lượt phương tiện", "Lượt người", "Ghi chú"]
    bad = _xlsx([header, ["01/08/2021", 100, 200, ""], ["02/08/2021", -5, 10, ""]])
    response = ca.post(target, {"file": bad})
    assert response.status_code == 400
    assert response.json()["code"] == "import_failed"
    assert response.json()["errors"] == [
        {
            "sheet": "Số liệu chốt",
            "row": 3,
            "column": "Lượt phương tiện",
            "message": "Phải là số nguyên, không âm.",
        }
    ]
    assert CheckpointCount.all_objects.count() == 0

    good = _xlsx([header, ["01/08/2021", 100, 200, ""], ["02/08/2021", 90, 150, "Mưa"]])
    response = ca.post(target, {"file": good})
    assert response.status_code == 201, response.json()
    assert response.json()["created"] == 2
    assert ca.get(url("checkpoint-detail", checkpoint)).json()["totals"] == {
        "days": 2,
        "vehicles": 190,
        "people": 350,
    }


def test_the_figures_endpoint_gives_the_period_figures(
    world: OrgWorld, officer: User, ca: Client
) -> None:
    checkpoint = make_checkpoint(officer, world)
    for day, vehicles in (("01/08/2021", 100), ("15/09/2021", 40)):
        checkpoint_count_add(
            actor=officer, checkpoint=checkpoint, day=d(day), vehicles=vehicles, people=vehicles * 2
        )
    post(ca, url("protection-list"), protection_body(world))

    response = ca.get(url("figures"), {"start": "2021-06-15", "end": "2021-09-14"})
    assert response.status_code == 200
    data = response.json()
    assert data["checkpoints"]["vehicles"] == 100
    assert data["checkpoints"]["people"] == 200
    assert data["checkpoints"]["commitment"]["by_force"]["BP"]["personnel"] == 4
    assert data["protection"]["delegations"] == 0
    year = ca.get(url("figures"), {"start": "2024-01-01", "end": "2024-12-31", "area": "18196"})
    assert year.json()["protection"]["delegations"] == 1
    assert year.json()["area"] == "18196"
    unknown = ca.get(url("figures"), {"area": "00000"})
    assert unknown.status_code == 400 and "area" in unknown.json()["fields"]
    backwards = ca.get(url("figures"), {"start": "2024-02-01", "end": "2024-01-01"})
    assert backwards.status_code == 400 and "end" in backwards.json()["fields"]
    assert Checkpoint.objects.count() == 1


def _queries(client: Client, target: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(target).status_code == 200
    return len(ctx.captured_queries)


def test_api_lists_take_a_fixed_number_of_queries(
    world: OrgWorld, officer: User, ca: Client
) -> None:
    from tests.operations.conftest import make_patrol

    make_checkpoint(officer, world)
    make_patrol(officer, world, cases=[make_case(officer, world)])
    counts = (_queries(ca, url("checkpoint-list")), _queries(ca, url("patrol-list")))
    for _ in range(3):
        make_checkpoint(officer, world)
        make_patrol(officer, world, cases=[make_case(officer, world)])
    assert (_queries(ca, url("checkpoint-list")), _queries(ca, url("patrol-list"))) == counts
