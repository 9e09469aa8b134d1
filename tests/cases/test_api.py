"""The case registry API under /api/v1/cases/: cases with their rows, workflow, list figures,
wanted persons and the item catalogue."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from phoihop.cases.models import Case, CaseTransition, CaseUnit, SeizedItem, Subject, WantedPerson
from phoihop.cases.services import (
    SeizedData,
    SubjectData,
    case_handle,
    case_start_verification,
    wanted_create,
)
from phoihop.core.models import IdempotencyRecord
from phoihop.org.models import Unit, User
from tests import factories
from tests.cases.conftest import at, make_case
from tests.factories import OrgWorld

ERROR_KEYS = {"message", "code", "fields"}
UNKNOWN = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def people(world: OrgWorld, officer: User) -> dict[str, User]:
    return {
        "officer": officer,  # Công an xã Sơn Kim 1
        "ca_prov": factories.user(world.u("ca_province"), roles=["officer"]),
        "ca_commander": factories.user(world.u("ca_province"), roles=["commander"]),
        "bp_post": factories.user(world.u("bp_post_a"), roles=["officer"]),
        "qs_commune": factories.user(world.u("qs_commune_a"), roles=["officer"]),
        "qs_joint": factories.user(world.u("qs_province"), roles=["joint_staff"]),
        "outsider": factories.user(world.u("ca_other_province"), roles=["officer", "commander"]),
    }


def as_user(user: User) -> Client:
    client = Client()
    factories.login(client, user)
    return client


def cases_url(action: str = "") -> str:
    return reverse(f"cases-api:case-{action or 'list'}")


def case_url(case: Case | str, action: str = "", **extra: str) -> str:
    public_id = str(getattr(case, "public_id", case))
    return reverse(f"cases-api:case-{action or 'detail'}", kwargs={"public_id": public_id, **extra})


def wanted_url(wanted: WantedPerson | None = None, action: str = "") -> str:
    if wanted is None:
        return reverse("cases-api:wanted-list")
    kwargs = {"public_id": str(wanted.public_id)}
    return reverse(f"cases-api:wanted-{action or 'detail'}", kwargs=kwargs)


def send(client: Client, method: str, url: str, data: Any = None, **headers: str) -> Any:
    call = getattr(client, method)
    return call(
        url, data if data is not None else {}, content_type="application/json", headers=headers
    )


def post(client: Client, url: str, data: Any = None, **headers: str) -> Any:
    return send(client, "post", url, data, **headers)


def body(world: OrgWorld, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Vận chuyển trái phép chất ma túy qua biên giới",
        "summary": "Bắt quả tang hai đối tượng mang heroin.",
        "category": "drugs",
        "domain": "land_border",
        "commune": "18196",
        "detected_at": "2024-08-01T09:00:00+07:00",
        "cooperating_units": ["DBP-SK"],
        "subjects": [
            {
                "name": "Nguyễn Văn A",
                "birth_year": 1990,
                "sex": "male",
                "citizen_id": "042090001234",
                "role": "arrested",
                "result": "prosecuted",
            },
            {"name": "Trần Thị B", "birth_date": "2001-03-05", "sex": "female"},
        ],
        "seized_items": [
            {"item": "heroin", "quantity": "0.01", "unit": "kg"},
            {"item": "heroin", "quantity": "1.09", "unit": "gam", "note": "Gói nhỏ"},
        ],
    }
    data.update(extra)
    return data


def nothing_saved() -> bool:
    return not (
        Case.all_objects.exists()
        or Subject.all_objects.exists()
        or SeizedItem.all_objects.exists()
        or CaseUnit.objects.exists()
    )


def seized_case(actor: User, world: OrgWorld, **overrides: Any) -> Case:
    return make_case(
        actor,
        world,
        subjects=[SubjectData(name="Lê Văn C", role="arrested")],
        seized=[SeizedData(item="heroin", quantity="100", unit="mg")],
        **overrides,
    )


# --- create -------------------------------------------------------------------------------------


def test_a_case_is_created_with_two_subjects_and_two_seized_items_in_different_units(world, people):
    data = body(world)
    data["cooperating_units"] = ["DBP-SK", str(world.u("qs_commune_a").public_id)]

    response = post(as_user(people["officer"]), cases_url(), data)

    assert response.status_code == 201, response.json()
    case = response.json()
    assert case["number"] == "01/VV-CAX-SK1"
    assert (case["category_label"], case["domain_label"]) == ("Ma túy", "Biên giới đất liền")
    assert case["commune"]["code"] == "18196"
    assert case["owner_unit"]["code"] == case["detecting_unit"]["code"] == "CAX-SK1"
    assert [(p["unit"]["code"], p["role"]) for p in case["participants"]] == [
        ("CAX-SK1", "lead"),
        ("DBP-SK", "cooperating"),
        ("BCHQSX-SK1", "cooperating"),
    ]
    assert case["forces"] == sorted(case["forces"], key=["CA", "QS", "BP"].index)
    assert set(case["forces"]) == {"CA", "QS", "BP"}
    assert [s["name"] for s in case["subjects"]] == ["Nguyễn Văn A", "Trần Thị B"]
    assert case["subjects"][1]["birth_year"] == 2001
    assert case["subjects"][0]["result_label"] == "Khởi tố"
    rows = [
        (r["quantity"], r["unit"], r["entered_quantity"], r["entered_unit"], r["display"])
        for r in case["seized_items"]
    ]
    assert rows == [
        ("10", "gam", "0.01", "kg", "10 gam heroin"),
        ("1.09", "gam", "1.09", "gam", "1,09 gam heroin"),
    ]
    assert case["seized_items"][0]["item"] == {
        "code": "heroin",
        "name": "Heroin",
        "report_phrase": "gam heroin",
        "canonical_unit": "gam",
    }
    assert case["summary"] == "Bắt quả tang hai đối tượng mang heroin."
    assert case["status"] == "detected"
    assert case["next_statuses"] == ["verifying", "handled", "transferred"]
    stored = Case.objects.get(public_id=case["public_id"])
    assert stored.created_by == people["officer"]
    assert sorted(stored.seized_items.values_list("quantity", flat=True)) == [
        Decimal("1.09"),
        Decimal("10"),
    ]
    # The cooperating units see it.
    assert as_user(people["bp_post"]).get(case_url(stored)).status_code == 200


def test_a_retried_create_with_the_same_idempotency_key_makes_one_case(world, people):
    client = as_user(people["officer"])

    first = post(client, cases_url(), body(world), **{"Idempotency-Key": "vv-0001"})
    retry = post(client, cases_url(), body(world), **{"Idempotency-Key": "vv-0001"})

    assert first.status_code == retry.status_code == 201
    assert retry.json()["public_id"] == first.json()["public_id"]
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1
    assert Subject.objects.count() == 2
    assert SeizedItem.objects.count() == 2


def test_another_body_under_a_used_idempotency_key_is_refused(world, people):
    client = as_user(people["officer"])
    post(client, cases_url(), body(world), **{"Idempotency-Key": "k-1"})

    response = post(client, cases_url(), body(world, title="Khác"), **{"Idempotency-Key": "k-1"})

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param(
            {"subjects": [{"name": "Nguyễn Văn A", "citizen_id": "04209000123"}]},
            "subjects.0.citizen_id",
            id="citizen-id-too-short",
        ),
        pytest.param(
            {"subjects": [{"name": "Nguyễn Văn A", "citizen_id": "0420900012345"}]},
            "subjects.0.citizen_id",
            id="citizen-id-too-long",
        ),
        pytest.param(
            {"subjects": [{"name": "Nguyễn Văn A", "citizen_id": "003090001234"}]},
            "subjects.0.citizen_id",
            id="citizen-id-unknown-province",
        ),
        pytest.param(
            {"subjects": [{"name": "A"}, {"name": "B", "birth_date": "2999-01-01"}]},
            "subjects.1.birth_date",
            id="future-birth-date",
        ),
        pytest.param(
            {"subjects": [{"name": "A", "birth_date": "05/03/2001"}]},
            "subjects.0.birth_date",
            id="malformed-birth-date",
        ),
        pytest.param({"subjects": [{"name": " "}]}, "subjects.0.name", id="blank-subject-name"),
        pytest.param(
            {"subjects": [{"name": "A", "kind": "robot"}]}, "subjects.0.kind", id="unknown-kind"
        ),
        pytest.param(
            {
                "seized_items": [
                    {"item": "heroin", "quantity": "1"},
                    {"item": "heroin", "quantity": "-1"},
                ]
            },
            "seized_items.1.quantity",
            id="negative-quantity",
        ),
        pytest.param(
            {"seized_items": [{"item": "heroin", "quantity": "mười"}]},
            "seized_items.0.quantity",
            id="non-numeric-quantity",
        ),
        pytest.param(
            {"seized_items": [{"item": "heroin", "quantity": "11,09"}]},
            "seized_items.0.quantity",
            id="localized-quantity",
        ),
        pytest.param(
            {"seized_items": [{"item": "heroin", "quantity": "0"}]},
            "seized_items.0.quantity",
            id="zero-quantity",
        ),
        pytest.param(
            {"seized_items": [{"item": "kip-no", "quantity": "2.5", "unit": "kíp"}]},
            "seized_items.0.quantity",
            id="fractional-count",
        ),
        pytest.param(
            {
                "seized_items": [
                    {"item": "heroin", "quantity": "1", "unit": "gam"},
                    {"item": "heroin", "quantity": "1", "unit": "viên"},
                ]
            },
            "seized_items.1.unit",
            id="unit-not-allowed",
        ),
        pytest.param(
            {"seized_items": [{"item": "heroin", "quantity": "1", "unit": "thúng"}]},
            "seized_items.0.unit",
            id="unknown-unit",
        ),
        pytest.param(
            {"seized_items": [{"item": "khong-co", "quantity": "1"}]},
            "seized_items.0.item",
            id="unknown-catalogue-item",
        ),
        pytest.param(
            {"seized_items": [{"item": "heroin"}]}, "seized_items.0.quantity", id="no-quantity"
        ),
        pytest.param({"commune": "99999"}, "commune", id="unknown-commune"),
        pytest.param({"commune": "40"}, "commune", id="province-as-commune"),
        pytest.param({"cooperating_units": ["XX-0"]}, "cooperating_units", id="unknown-unit-code"),
        pytest.param({"cooperating_units": [UNKNOWN]}, "cooperating_units", id="unknown-unit-id"),
        pytest.param({"lead_unit": "BCHQS"}, "lead_unit", id="lead-unit-of-another-tree"),
        pytest.param({"info_items": [UNKNOWN]}, "info_items", id="unknown-information-item"),
        pytest.param({"category": "gossip"}, "category", id="unknown-category"),
        pytest.param({"detected_at": None}, "detected_at", id="no-detection-time"),
        pytest.param(
            {"detected_at": "2999-01-01T09:00:00+07:00"}, "detected_at", id="future-detection"
        ),
        pytest.param({"classification": 3}, "classification", id="tuyet-mat"),
        pytest.param({"title": ""}, "title", id="blank-title"),
        pytest.param({"latitude": "95"}, "latitude", id="latitude-out-of-range"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(world, people, change, field):
    response = post(
        as_user(people["officer"]), cases_url(), body(world, **change), **{"Idempotency-Key": "x"}
    )

    assert response.status_code == 400, response.json()
    assert set(response.json()) == ERROR_KEYS
    assert field in response.json()["fields"], response.json()
    assert response.json()["message"]
    assert nothing_saved()
    # A refused request does not hold its key: the corrected request may reuse it.
    assert not IdempotencyRecord.objects.exists()


def test_a_commune_of_another_province_is_refused(world, people):
    world.other_province.children.create(
        code="16999", name="Xã Ngoài Tỉnh", kind="xa", level="commune"
    )

    response = post(as_user(people["officer"]), cases_url(), body(world, commune="16999"))

    assert response.status_code == 400
    assert response.json()["code"] == "commune_outside_province"
    assert list(response.json()["fields"]) == ["commune"]
    assert nothing_saved()


def test_a_joint_staff_member_without_an_officer_role_cannot_record_a_case(world, people):
    response = post(as_user(people["qs_joint"]), cases_url(), body(world))

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert nothing_saved()


# --- detail, edit, delete -----------------------------------------------------------------------


def test_editing_needs_the_version_read_and_a_stale_one_is_refused(world, people):
    case = make_case(people["officer"], world)
    client = as_user(people["officer"])

    first = send(client, "patch", case_url(case), {"title": "Tên mới", "version": 1})
    stale = send(client, "patch", case_url(case), {"title": "Tên khác", "version": 1})
    missing = send(client, "patch", case_url(case), {"title": "Tên khác"})

    assert first.status_code == 200, first.json()
    assert (first.json()["title"], first.json()["version"]) == ("Tên mới", 2)
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    assert "version" in stale.json()["fields"]
    assert missing.status_code == 400
    assert "version" in missing.json()["fields"]
    case.refresh_from_db()
    assert (case.title, case.version) == ("Tên mới", 2)


def test_editing_resolves_the_commune_by_code_and_refuses_an_unknown_one(world, people):
    case = make_case(people["officer"], world)
    client = as_user(people["officer"])

    moved = send(
        client, "patch", case_url(case), {"commune": "18676", "domain": "sea", "version": 1}
    )
    unknown = send(client, "patch", case_url(case), {"commune": "99999", "version": 2})

    assert moved.status_code == 200, moved.json()
    assert (moved.json()["commune"]["code"], moved.json()["domain"]) == ("18676", "sea")
    assert unknown.status_code == 400
    assert list(unknown.json()["fields"]) == ["commune"]
    case.refresh_from_db()
    assert (case.commune.code, case.version) == ("18676", 2)


def test_deleting_is_soft_and_needs_the_version(world, people):
    case = make_case(people["officer"], world)
    client = as_user(people["officer"])

    without = client.delete(case_url(case))
    stale = client.delete(case_url(case) + "?version=7")
    deleted = client.delete(case_url(case) + "?version=1")

    assert without.status_code == 400 and "version" in without.json()["fields"]
    assert stale.status_code == 409
    assert deleted.status_code == 204
    assert client.get(case_url(case)).status_code == 404
    assert client.get(cases_url()).json()["count"] == 0
    assert Case.all_objects.get(pk=case.pk).deleted_at is not None


# --- access -------------------------------------------------------------------------------------


def test_an_outsider_gets_404_everywhere_and_counts_nothing(world, people):
    case = seized_case(people["officer"], world)
    subject = case.subjects.get()
    outsider = as_user(people["outsider"])
    step = {"version": 1}

    assert outsider.get(case_url(case)).status_code == 404
    assert outsider.get(case_url(case)).json() == outsider.get(case_url(UNKNOWN)).json()
    assert outsider.get(case_url("not-a-uuid")).status_code == 404
    assert send(outsider, "patch", case_url(case), {"title": "X", "version": 1}).status_code == 404
    assert outsider.delete(case_url(case) + "?version=1").status_code == 404
    assert post(outsider, case_url(case, "verify"), step).status_code == 404
    assert post(outsider, case_url(case, "subjects"), {"name": "X"}).status_code == 404
    subject_url = case_url(case, "subject", subject_id=str(subject.public_id))
    assert send(outsider, "patch", subject_url, {"name": "X", "version": 1}).status_code == 404
    assert outsider.get(cases_url()).json()["count"] == 0
    totals = outsider.get(cases_url("totals")).json()
    assert (totals["cases"], totals["persons"], totals["seized"]) == (0, 0, [])
    case.refresh_from_db()
    assert (case.title, case.status, case.version) == (
        "Vận chuyển trái phép chất ma túy",
        "detected",
        1,
    )
    assert Subject.objects.get().name == "Lê Văn C"


@pytest.mark.parametrize("who", ["bp_post", "ca_prov", "qs_joint"])
def test_who_sees_a_case_but_may_not_change_it_gets_403(world, people, who):
    case = make_case(
        people["officer"], world, cooperating_units=[world.u("bp_post_a")], is_joint=True
    )
    client = as_user(people[who])

    assert client.get(case_url(case)).status_code == 200
    answers = [
        send(client, "patch", case_url(case), {"title": "X", "version": 1}),
        post(client, case_url(case, "verify"), {"version": 1}),
        post(client, case_url(case, "subjects"), {"name": "Lê Văn D"}),
        post(client, case_url(case, "seized-items"), {"item": "heroin", "quantity": "1"}),
        send(
            client,
            "put",
            case_url(case, "cooperating-units"),
            {"cooperating_units": [], "version": 1},
        ),
        client.delete(case_url(case) + "?version=1"),
    ]

    assert [a.status_code for a in answers] == [403] * 6
    assert {a.json()["code"] for a in answers} == {"permission_denied"}
    case.refresh_from_db()
    assert (case.title, case.status, case.version, case.deleted_at) == (
        "Vận chuyển trái phép chất ma túy",
        "detected",
        1,
        None,
    )
    assert not Subject.objects.exists() and not SeizedItem.objects.exists()
    assert not CaseTransition.objects.exists()


def test_a_commander_above_the_lead_unit_may_change_the_case(world, people):
    case = make_case(people["officer"], world)

    response = send(
        as_user(people["ca_commander"]),
        "patch",
        case_url(case),
        {"title": "Đã rà soát", "version": 1},
    )

    assert response.status_code == 200
    assert response.json()["title"] == "Đã rà soát"


def test_the_detail_shows_only_the_linked_information_items_the_caller_may_see(world, people):
    from phoihop.exchange.services import info_item_create

    own = info_item_create(
        actor=people["officer"],
        title="Nguồn tin",
        content="…",
        topic="drugs",
        recipients=[world.u("bp_post_a")],
    )
    case = make_case(
        people["officer"], world, info_items=[own], cooperating_units=[world.u("qs_commune_a")]
    )

    mine = as_user(people["officer"]).get(case_url(case)).json()["info_items"]
    theirs = as_user(people["qs_commune"]).get(case_url(case)).json()["info_items"]

    assert [i["public_id"] for i in mine] == [str(own.public_id)]
    assert theirs == []


# --- workflow -----------------------------------------------------------------------------------


def test_the_workflow_through_the_api_is_logged_and_counts_the_fine(world, people):
    case = make_case(people["officer"], world)
    client = as_user(people["officer"])

    verified = post(client, case_url(case, "verify"), {"version": 1, "note": "Xác minh nguồn tin"})
    handled = post(
        client,
        case_url(case, "handle"),
        {"version": 2, "outcome": "administrative", "fine_amount": "7500000"},
        **{"Idempotency-Key": "h-1"},
    )
    retried = post(
        client,
        case_url(case, "handle"),
        {"version": 2, "outcome": "administrative", "fine_amount": "7500000"},
        **{"Idempotency-Key": "h-1"},
    )
    closed = post(client, case_url(case, "close"), {"version": 3})

    assert verified.status_code == 200, verified.json()
    assert handled.status_code == 200, handled.json()
    assert retried.json() == handled.json()
    assert (handled.json()["outcome"], handled.json()["fine_amount"]) == (
        "administrative",
        "7500000",
    )
    assert closed.status_code == 200
    detail = closed.json()
    assert detail["status"] == "closed" and detail["next_statuses"] == []
    assert [(t["from_status"], t["to_status"]) for t in detail["transitions"]] == [
        ("detected", "verifying"),
        ("verifying", "handled"),
        ("handled", "closed"),
    ]
    assert detail["transitions"][0]["note"] == "Xác minh nguồn tin"
    assert detail["transitions"][0]["by"]["public_id"] == str(people["officer"].public_id)
    totals = client.get(cases_url("totals")).json()
    assert (totals["fines"], totals["by_outcome"]) == ("7500000", {"administrative": 1})


def test_a_transition_the_workflow_does_not_allow_is_refused_and_nothing_changes(world, people):
    case = make_case(people["officer"], world)

    response = post(as_user(people["officer"]), case_url(case, "close"), {"version": 1})

    assert response.status_code == 400
    assert response.json()["code"] == "transition_not_allowed"
    assert "status" in response.json()["fields"]
    case.refresh_from_db()
    assert (case.status, case.version) == ("detected", 1)
    assert not CaseTransition.objects.exists()


def test_a_transition_on_a_stale_version_is_refused_and_nothing_changes(world, people):
    case = make_case(people["officer"], world)
    client = as_user(people["officer"])
    send(client, "patch", case_url(case), {"title": "Tên mới", "version": 1})

    response = post(client, case_url(case, "verify"), {"version": 1})

    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"
    case.refresh_from_db()
    assert (case.status, case.version) == ("detected", 2)
    assert not CaseTransition.objects.exists()


@pytest.mark.parametrize(
    ("action", "data", "field"),
    [
        ("handle", {"version": 2, "outcome": "administrative"}, "fine_amount"),
        ("handle", {"version": 2, "outcome": "transferred"}, "outcome"),
        ("handle", {"version": 2, "outcome": "prosecution", "fine_amount": "-5"}, "fine_amount"),
        ("transfer", {"version": 2, "transferred_to": " "}, "transferred_to"),
        ("verify", {"version": 2}, "status"),
        ("close", {"version": "hai"}, "version"),
    ],
)
def test_bad_transition_input_names_the_field(world, people, action, data, field):
    case = make_case(people["officer"], world)
    case_start_verification(actor=people["officer"], case=case)

    response = post(as_user(people["officer"]), case_url(case, action), data)

    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"], response.json()
    case.refresh_from_db()
    assert (case.status, case.outcome, case.version) == ("verifying", "", 2)
    assert CaseTransition.objects.count() == 1


def test_replacing_the_cooperating_units_changes_who_sees_the_case(world, people):
    case = make_case(people["officer"], world, cooperating_units=[world.u("bp_post_a")])
    client = as_user(people["officer"])

    unknown = send(
        client,
        "put",
        case_url(case, "cooperating-units"),
        {"cooperating_units": ["XX"], "version": 1},
    )
    replaced = send(
        client,
        "put",
        case_url(case, "cooperating-units"),
        {"cooperating_units": ["BCHQSX-SK1"], "version": 1},
    )

    assert unknown.status_code == 400 and list(unknown.json()["fields"]) == ["cooperating_units"]
    assert replaced.status_code == 200, replaced.json()
    assert [p["unit"]["code"] for p in replaced.json()["participants"]] == ["CAX-SK1", "BCHQSX-SK1"]
    assert replaced.json()["version"] == 2
    assert as_user(people["bp_post"]).get(case_url(case)).status_code == 404
    assert as_user(people["qs_commune"]).get(case_url(case)).status_code == 200


# --- unit references: a unit code or a public id, in every field -------------------------------

BY_CODE_OR_ID = pytest.mark.parametrize("by", ["code", "public_id"])
UNKNOWN_REFS = pytest.mark.parametrize("ref", ["XX-0", UNKNOWN], ids=["code", "public_id"])


def ref(unit: Unit, by: str) -> str:
    return unit.code if by == "code" else str(unit.public_id)


def assert_unknown_unit(response: Any, field: str) -> None:
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "unknown_unit"
    assert list(response.json()["fields"]) == [field]


@BY_CODE_OR_ID
def test_a_new_case_names_its_lead_detecting_and_cooperating_units_by_code_or_id(world, people, by):
    data = body(
        world,
        lead_unit=ref(world.u("ca_commune_a"), by),
        detecting_unit=ref(world.u("ca_pc04"), by),
        cooperating_units=[ref(world.u("bp_post_a"), by), ref(world.u("qs_commune_a"), by)],
    )

    response = post(as_user(people["ca_commander"]), cases_url(), data)

    assert response.status_code == 201, response.json()
    case = response.json()
    assert (case["owner_unit"]["code"], case["detecting_unit"]["code"]) == ("CAX-SK1", "PC04")
    assert [p["unit"]["code"] for p in case["participants"]] == [
        "CAX-SK1",
        "DBP-SK",
        "BCHQSX-SK1",
    ]


@UNKNOWN_REFS
@pytest.mark.parametrize("field", ["lead_unit", "detecting_unit", "cooperating_units"])
def test_a_new_case_naming_an_unknown_unit_is_refused_and_nothing_is_saved(
    world, people, field, ref
):
    value: Any = [ref] if field == "cooperating_units" else ref

    response = post(as_user(people["officer"]), cases_url(), body(world, **{field: value}))

    assert_unknown_unit(response, field)
    assert ref in response.json()["message"]
    assert nothing_saved()


@BY_CODE_OR_ID
def test_an_edit_names_the_detecting_unit_by_code_or_id(world, people, by):
    case = make_case(people["officer"], world)
    change = {"detecting_unit": ref(world.u("bp_post_a"), by), "version": 1}

    response = send(as_user(people["officer"]), "patch", case_url(case), change)

    assert response.status_code == 200, response.json()
    assert response.json()["detecting_unit"]["code"] == "DBP-SK"
    case.refresh_from_db()
    assert (case.detecting_unit, case.version) == (world.u("bp_post_a"), 2)


@UNKNOWN_REFS
def test_an_edit_naming_an_unknown_detecting_unit_changes_nothing(world, people, ref):
    case = make_case(people["officer"], world)
    change = {"detecting_unit": ref, "title": "Tên mới", "version": 1}

    response = send(as_user(people["officer"]), "patch", case_url(case), change)

    assert_unknown_unit(response, "detecting_unit")
    case.refresh_from_db()
    assert (case.detecting_unit, case.title, case.version) == (
        world.u("ca_commune_a"),
        "Vận chuyển trái phép chất ma túy",
        1,
    )


@BY_CODE_OR_ID
def test_the_cooperating_units_are_replaced_by_code_or_id(world, people, by):
    case = make_case(people["officer"], world, cooperating_units=[world.u("bp_post_a")])
    units = [ref(world.u("qs_commune_a"), by), ref(world.u("ca_pc04"), by)]

    response = send(
        as_user(people["officer"]),
        "put",
        case_url(case, "cooperating-units"),
        {"cooperating_units": units, "version": 1},
    )

    assert response.status_code == 200, response.json()
    lead, *partners = [p["unit"]["code"] for p in response.json()["participants"]]
    assert (lead, set(partners)) == ("CAX-SK1", {"BCHQSX-SK1", "PC04"})


@UNKNOWN_REFS
def test_replacing_the_cooperating_units_with_an_unknown_one_changes_nothing(world, people, ref):
    case = make_case(people["officer"], world, cooperating_units=[world.u("bp_post_a")])
    units = [world.u("qs_commune_a").code, ref]

    response = send(
        as_user(people["officer"]),
        "put",
        case_url(case, "cooperating-units"),
        {"cooperating_units": units, "version": 1},
    )

    assert_unknown_unit(response, "cooperating_units")
    case.refresh_from_db()
    assert case.version == 1
    assert {p.unit.code for p in case.participants.all()} == {"CAX-SK1", "DBP-SK"}


def recorded_wanted(officer: User) -> WantedPerson:
    return wanted_create(
        actor=officer,
        notice_number="18/QĐ",
        notice_date=dt.date(2024, 5, 2),
        issuing_authority="Cơ quan CSĐT",
        full_name="Đinh Văn Trốn",
    )


@BY_CODE_OR_ID
def test_an_arrest_names_the_arresting_unit_by_code_or_id(world, people, by):
    wanted = recorded_wanted(people["officer"])
    arrest = {
        "arrested_at": "2024-08-01T10:00:00+07:00",
        "arresting_unit": ref(world.u("bp_post_a"), by),
        "version": 1,
    }

    response = post(as_user(people["officer"]), wanted_url(wanted, "arrest"), arrest)

    assert response.status_code == 200, response.json()
    assert response.json()["arresting_unit"]["code"] == "DBP-SK"
    wanted.refresh_from_db()
    assert (wanted.status, wanted.arresting_unit) == ("arrested", world.u("bp_post_a"))


@UNKNOWN_REFS
def test_an_arrest_naming_an_unknown_unit_changes_nothing(world, people, ref):
    wanted = recorded_wanted(people["officer"])
    arrest = {"arrested_at": "2024-08-01T10:00:00+07:00", "arresting_unit": ref, "version": 1}

    response = post(as_user(people["officer"]), wanted_url(wanted, "arrest"), arrest)

    assert_unknown_unit(response, "arresting_unit")
    wanted.refresh_from_db()
    assert (wanted.status, wanted.arresting_unit, wanted.version) == ("wanted", None, 1)


# --- subjects and seized items ------------------------------------------------------------------


def test_subjects_are_added_edited_and_removed_with_their_version(world, people):
    case = make_case(people["officer"], world)
    client = as_user(people["officer"])

    added = post(
        client,
        case_url(case, "subjects"),
        {
            "name": "Công ty TNHH Hải Hà",
            "kind": "organisation",
            "registration_number": "3001234567",
        },
    )
    assert added.status_code == 201, added.json()
    subject = added.json()
    url = case_url(case, "subject", subject_id=subject["public_id"])
    edited = send(client, "patch", url, {"address": "Xã Sơn Kim 1", "version": subject["version"]})
    stale = send(client, "patch", url, {"address": "Khác", "version": subject["version"]})
    bad = send(client, "patch", url, {"kind": "person", "birth_date": "2999-01-01", "version": 2})
    removed = client.delete(f"{url}?version=2")

    assert edited.status_code == 200, edited.json()
    assert (edited.json()["address"], edited.json()["kind_label"]) == ("Xã Sơn Kim 1", "Tổ chức")
    assert edited.json()["version"] == 2
    assert stale.status_code == 409
    assert bad.status_code == 400 and "birth_date" in bad.json()["fields"]
    assert removed.status_code == 204
    assert as_user(people["officer"]).get(case_url(case)).json()["subjects"] == []
    stored = Subject.all_objects.get()
    assert (stored.address, stored.kind, stored.birth_date) == (
        "Xã Sơn Kim 1",
        "organisation",
        None,
    )
    assert stored.deleted_at is not None
    # Each change to a row moved the case's version on.
    case.refresh_from_db()
    assert case.version == 4


def test_a_bad_subject_row_names_its_field_and_saves_nothing(world, people):
    case = make_case(people["officer"], world)

    response = post(
        as_user(people["officer"]),
        case_url(case, "subjects"),
        {"name": "Nguyễn Văn A", "citizen_id": "04209000123x"},
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["citizen_id"]
    assert not Subject.all_objects.exists()
    case.refresh_from_db()
    assert case.version == 1


def test_seized_items_are_added_edited_and_removed_in_their_units(world, people):
    case = make_case(people["officer"], world)
    client = as_user(people["officer"])

    added = post(
        client,
        case_url(case, "seized-items"),
        {"item": "thuoc-no", "quantity": "0.048", "unit": "tấn"},
    )
    assert added.status_code == 201, added.json()
    row = added.json()
    assert (row["quantity"], row["unit"], row["display"]) == ("48", "kg", "48 kg thuốc nổ")
    url = case_url(case, "seized-item", seized_id=row["public_id"])
    in_grams = send(client, "patch", url, {"quantity": "48500", "unit": "gam", "version": 1})
    bad_unit = send(client, "patch", url, {"unit": "viên", "version": 2})
    other_item = send(client, "patch", url, {"item": "kip-no", "quantity": "50", "version": 2})
    removed = client.delete(f"{url}?version=3")

    assert in_grams.status_code == 200, in_grams.json()
    assert (in_grams.json()["quantity"], in_grams.json()["entered_unit"]) == ("48.5", "gam")
    assert bad_unit.status_code == 400 and list(bad_unit.json()["fields"]) == ["unit"]
    assert other_item.status_code == 200, other_item.json()
    assert (other_item.json()["item"]["code"], other_item.json()["display"]) == (
        "kip-no",
        "50 kíp nổ",
    )
    assert removed.status_code == 204
    assert not SeizedItem.objects.exists()


def test_a_bad_seized_row_names_its_field_and_saves_nothing(world, people):
    case = make_case(people["officer"], world)

    response = post(
        as_user(people["officer"]),
        case_url(case, "seized-items"),
        {"item": "heroin", "quantity": "-0.5", "unit": "gam"},
    )

    assert response.status_code == 400
    assert response.json()["code"] == "negative_quantity"
    assert list(response.json()["fields"]) == ["quantity"]
    assert not SeizedItem.all_objects.exists()


def test_a_row_of_another_case_is_not_found(world, people):
    first = seized_case(people["officer"], world)
    second = make_case(people["officer"], world)
    row = first.seized_items.get()
    client = as_user(people["officer"])

    response = send(
        client,
        "patch",
        case_url(second, "seized-item", seized_id=str(row.public_id)),
        {"quantity": "1", "version": 1},
    )
    malformed = client.delete(case_url(second, "subject", subject_id="nope") + "?version=1")

    assert response.status_code == 404
    assert malformed.status_code == 404
    row.refresh_from_db()
    assert row.entered_quantity == Decimal("100")


# --- lists, filters, totals ---------------------------------------------------------------------


@pytest.fixture
def three_cases(world: OrgWorld, people: dict[str, User]) -> dict[str, Case]:
    officer = people["officer"]
    drugs = make_case(
        officer,
        world,
        title="Mua bán heroin tại chợ biên giới",
        cooperating_units=[world.u("bp_post_a")],
        subjects=[
            SubjectData(
                name="Nguyễn Văn A", birth_year=1990, sex="male", citizen_id="042090001234"
            ),
            SubjectData(name="Trần Thị B", role="arrested"),
            SubjectData(name="Lê Văn Chứng", role="witness"),
        ],
        seized=[
            SeizedData(item="heroin", quantity="0,01", unit="kg"),
            SeizedData(item="heroin", quantity="1,09", unit="gam"),
            SeizedData(item="ma-tuy-tong-hop", quantity="1.508", unit="viên"),
        ],
    )
    sea = make_case(
        officer,
        world,
        title="Tàng trữ ma túy đá trên tàu cá",
        domain="sea",
        commune=world.commune_b,
        detected_at=at("20/09/2024"),
        subjects=[SubjectData(name="Công ty Hải Hà", kind="organisation")],
        seized=[
            SeizedData(item="heroin", quantity="100", unit="mg"),
            SeizedData(item="ma-tuy-da", quantity="1,55", unit="gam"),
        ],
    )
    weapons = make_case(
        people["ca_commander"],
        world,
        title="Tàng trữ thuốc nổ",
        category="weapons",
        lead_unit=world.u("ca_pc04"),
        detected_at=at("05/07/2024"),
        subjects=[SubjectData(name="Phạm Văn E")],
        seized=[SeizedData(item="thuoc-no", quantity="0,048", unit="tấn")],
    )
    case_start_verification(actor=people["officer"], case=sea)
    case_handle(
        actor=people["officer"], case=sea, outcome="administrative", fine_amount=Decimal(2900000)
    )
    return {"drugs": drugs, "sea": sea, "weapons": weapons}


def test_the_totals_follow_the_counting_rules_exactly_in_canonical_units(
    world, people, three_cases
):
    client = as_user(people["ca_commander"])

    totals = client.get(cases_url("totals")).json()

    assert (totals["cases"], totals["persons"], totals["organisations"]) == (3, 3, 1)
    assert totals["summary"] == "03 vụ/03 đối tượng và 01 tổ chức"
    assert totals["by_category"] == {"drugs": 2, "weapons": 1}
    assert totals["by_domain"] == {"land_border": 2, "sea": 1}
    assert totals["by_lead_force"] == {"CA": 3}
    assert totals["by_participating_force"] == {"CA": 3, "BP": 1}
    assert totals["by_outcome"] == {"administrative": 1}
    assert totals["fines"] == "2900000"
    assert [(s["code"], s["quantity"], s["unit"], s["display"]) for s in totals["seized"]] == [
        ("heroin", "11.19", "gam", "11,19 gam heroin"),
        ("ma-tuy-da", "1.55", "gam", "1,55 gam ma túy đá"),
        ("ma-tuy-tong-hop", "1508", "viên", "1.508 viên ma túy tổng hợp"),
        ("thuoc-no", "48", "kg", "48 kg thuốc nổ"),
    ]
    assert totals["seized"][0]["phrase"] == "gam heroin"


def test_the_totals_are_those_of_the_filtered_list(world, people, three_cases):
    client = as_user(people["ca_commander"])
    params = {"category": "drugs", "domain": "land_border"}

    listed = client.get(cases_url(), params).json()
    totals = client.get(cases_url("totals"), params).json()

    assert [c["public_id"] for c in listed["results"]] == [str(three_cases["drugs"].public_id)]
    assert (totals["cases"], totals["persons"], totals["organisations"]) == (1, 2, 0)
    assert totals["summary"] == "01 vụ/02 đối tượng"
    assert [(s["code"], s["quantity"]) for s in totals["seized"]] == [
        ("heroin", "11.09"),
        ("ma-tuy-tong-hop", "1508"),
    ]
    # A case counts once however many of the filtered forces took part in it.
    by_force = client.get(cases_url("totals"), {"force": "CA"}).json()
    assert (by_force["cases"], by_force["by_participating_force"]) == (3, {"CA": 3, "BP": 1})


def test_the_totals_leak_nothing_the_caller_cannot_see(world, people, three_cases):
    border = as_user(people["bp_post"]).get(cases_url("totals")).json()
    military = as_user(people["qs_commune"]).get(cases_url("totals")).json()
    commune = as_user(people["officer"]).get(cases_url("totals")).json()

    # The Border Guard post cooperates on the drugs case only.
    assert (border["cases"], border["persons"], border["by_participating_force"]) == (
        1,
        2,
        {"CA": 1, "BP": 1},
    )
    assert [(s["code"], s["quantity"]) for s in border["seized"]] == [
        ("heroin", "11.09"),
        ("ma-tuy-tong-hop", "1508"),
    ]
    assert (military["cases"], military["persons"], military["seized"], military["fines"]) == (
        0,
        0,
        [],
        "0",
    )
    # The commune police do not see the case its province's PC04 leads.
    assert commune["cases"] == 2 and "thuoc-no" not in {s["code"] for s in commune["seized"]}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "weapons"}, {"weapons"}),
        ({"domain": "sea"}, {"sea"}),
        ({"status": "handled"}, {"sea"}),
        ({"force": "BP"}, {"drugs"}),
        ({"lead_force": "CA"}, {"drugs", "sea", "weapons"}),
        ({"lead_force": "QS"}, set()),
        ({"area": "18676"}, {"sea"}),
        ({"area": "42"}, {"drugs", "sea", "weapons"}),
        ({"detected_from": "2024-08-01", "detected_to": "2024-08-31"}, {"drugs"}),
        ({"detected_from": "2024-09-01"}, {"sea"}),
        ({"q": "TAU CA"}, {"sea"}),
        ({"q": "tàng trữ"}, {"sea", "weapons"}),
    ],
)
def test_the_list_filters(world, people, three_cases, params, expected):
    names = {str(c.public_id): key for key, c in three_cases.items()}

    listed = as_user(people["ca_commander"]).get(cases_url(), params).json()

    assert {names[c["public_id"]] for c in listed["results"]} == expected
    assert listed["count"] == len(expected)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"category": "gossip"}, "category"),
        ({"force": "XX"}, "force"),
        ({"detected_from": "hôm qua"}, "detected_from"),
    ],
)
def test_a_bad_filter_is_refused_naming_it(world, people, params, field):
    for url in (cases_url(), cases_url("totals")):
        response = as_user(people["officer"]).get(url, params)

        assert response.status_code == 400
        assert set(response.json()) == ERROR_KEYS
        assert field in response.json()["fields"]


# The session and the caller (user, unit, roles), the count, the page and its participants.
CASE_LIST_BUDGET = 10


@pytest.mark.parametrize("count", [3, 20])
def test_the_case_list_uses_a_bounded_number_of_queries(
    world, people, django_assert_max_num_queries, count
):
    for _n in range(count):
        make_case(people["officer"], world, cooperating_units=[world.u("bp_post_a")])
    client = as_user(people["officer"])
    client.get(cases_url())

    with django_assert_max_num_queries(CASE_LIST_BUDGET):
        response = client.get(cases_url(), {"page_size": 100})

    assert response.json()["count"] == count
    assert response.json()["results"][0]["forces"] == ["CA", "BP"]


# --- wanted persons -----------------------------------------------------------------------------


def wanted_body(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "notice_number": "15/QĐ-CSĐT",
        "notice_date": "2024-05-02",
        "issuing_authority": "Cơ quan CSĐT Công an tỉnh Hà Tĩnh",
        "full_name": "Hoàng Văn Truy",
        "birth_year": 1985,
        "sex": "male",
        "offence": "Mua bán trái phép chất ma túy",
    }
    data.update(extra)
    return data


def test_a_wanted_person_is_recorded_and_the_arrest_names_unit_and_case(world, people):
    client = as_user(people["officer"])
    case = make_case(people["officer"], world)

    created = post(client, wanted_url(), wanted_body(), **{"Idempotency-Key": "tn-1"})
    assert created.status_code == 201, created.json()
    wanted = WantedPerson.objects.get(public_id=created.json()["public_id"])
    arrested = post(
        client,
        wanted_url(wanted, "arrest"),
        {
            "arrested_at": "2024-08-01T10:00:00+07:00",
            "arresting_unit": "DBP-SK",
            "case": str(case.public_id),
            "version": 1,
        },
    )
    again = post(
        client,
        wanted_url(wanted, "arrest"),
        {"arrested_at": "2024-08-02T10:00:00+07:00", "version": 2},
    )

    assert arrested.status_code == 200, arrested.json()
    assert (arrested.json()["status"], arrested.json()["status_label"]) == ("arrested", "Đã bắt")
    assert arrested.json()["arresting_unit"]["code"] == "DBP-SK"
    assert arrested.json()["arrest_case"]["number"] == "01/VV-CAX-SK1"
    assert again.status_code == 400 and again.json()["code"] == "transition_not_allowed"
    listed = client.get(wanted_url(), {"status": "arrested"}).json()
    assert [w["public_id"] for w in listed["results"]] == [str(wanted.public_id)]
    wanted.refresh_from_db()
    assert (wanted.status, wanted.arrest_case, wanted.version) == ("arrested", case, 2)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"birth_date": "2999-01-01", "birth_year": None}, "birth_date"),
        ({"full_name": " "}, "full_name"),
        ({"citizen_id": "12345"}, "citizen_id"),
        ({"notice_date": "2999-01-01"}, "notice_date"),
        ({"notice_number": ""}, "notice_number"),
    ],
)
def test_a_bad_wanted_notice_names_the_field_and_saves_nothing(world, people, change, field):
    response = post(as_user(people["officer"]), wanted_url(), wanted_body(**change))

    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"], response.json()
    assert not WantedPerson.all_objects.exists()


def test_an_arrest_refused_for_bad_input_or_access_changes_nothing(world, people):
    wanted = wanted_create(
        actor=people["officer"],
        notice_number="16/QĐ",
        notice_date=dt.date(2024, 5, 2),
        issuing_authority="Cơ quan CSĐT",
        full_name="Đinh Văn Trốn",
        is_joint=True,
    )
    good = {"arrested_at": "2024-08-01T10:00:00+07:00", "version": 1}
    officer = as_user(people["officer"])

    outsider = post(as_user(people["outsider"]), wanted_url(wanted, "arrest"), good)
    onlooker = post(as_user(people["qs_joint"]), wanted_url(wanted, "arrest"), good)
    unknown_case = post(officer, wanted_url(wanted, "arrest"), {**good, "case": UNKNOWN})
    before_notice = post(
        officer, wanted_url(wanted, "arrest"), {**good, "arrested_at": "2024-01-01T10:00:00+07:00"}
    )
    stale = post(officer, wanted_url(wanted, "arrest"), {**good, "version": 9})

    assert outsider.status_code == 404
    assert onlooker.status_code == 403
    assert unknown_case.status_code == 400 and list(unknown_case.json()["fields"]) == ["case"]
    assert before_notice.status_code == 400 and "arrested_at" in before_notice.json()["fields"]
    assert stale.status_code == 409
    wanted.refresh_from_db()
    assert (wanted.status, wanted.arrested_at, wanted.version) == ("wanted", None, 1)


def test_an_arrest_case_the_caller_cannot_see_is_not_named(world, people):
    case = make_case(people["officer"], world)
    wanted = wanted_create(
        actor=people["officer"],
        notice_number="17/QĐ",
        notice_date=dt.date(2024, 5, 2),
        issuing_authority="Cơ quan CSĐT",
        full_name="Đinh Văn Trốn",
        is_joint=True,
    )
    post(
        as_user(people["officer"]),
        wanted_url(wanted, "arrest"),
        {"arrested_at": "2024-08-01T10:00:00+07:00", "case": str(case.public_id), "version": 1},
    )

    seen = as_user(people["qs_joint"]).get(wanted_url(wanted)).json()
    listed = as_user(people["qs_joint"]).get(wanted_url()).json()["results"]

    assert seen["status"] == "arrested"
    assert seen["arrest_case"] is None
    assert listed[0]["arrest_case"] is None


# --- catalogue and schema -----------------------------------------------------------------------


def test_the_catalogue_lists_active_items_with_their_input_units(world, people):
    items = as_user(people["officer"]).get(reverse("cases-api:catalogue-list")).json()

    heroin = next(i for i in items if i["code"] == "heroin")
    assert heroin == {
        "code": "heroin",
        "name": "Heroin",
        "category": "drugs",
        "category_label": "Ma túy",
        "canonical_unit": "gam",
        "input_units": ["gam", "mg", "kg"],
        "report_phrase": "gam heroin",
    }
    assert {"go", "kip-no", "ma-tuy-tong-hop"} <= {i["code"] for i in items}


def test_anonymous_callers_are_refused(client, db):
    for url in (
        cases_url(),
        cases_url("totals"),
        wanted_url(),
        reverse("cases-api:catalogue-list"),
    ):
        response = client.get(url)
        assert response.status_code == 401
        assert set(response.json()) == ERROR_KEYS


def test_the_schema_documents_the_case_endpoints(client, db):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]

    for path in (
        "/api/v1/cases/cases/",
        "/api/v1/cases/cases/totals/",
        "/api/v1/cases/cases/{public_id}/",
        "/api/v1/cases/cases/{public_id}/verify/",
        "/api/v1/cases/cases/{public_id}/handle/",
        "/api/v1/cases/cases/{public_id}/transfer/",
        "/api/v1/cases/cases/{public_id}/close/",
        "/api/v1/cases/cases/{public_id}/cooperating-units/",
        "/api/v1/cases/cases/{public_id}/subjects/{subject_id}/",
        "/api/v1/cases/cases/{public_id}/seized-items/{seized_id}/",
        "/api/v1/cases/wanted/{public_id}/arrest/",
        "/api/v1/cases/catalogue/",
    ):
        assert path in paths, path
    create = paths["/api/v1/cases/cases/"]["post"]
    assert "Idempotency-Key" in {p["name"] for p in create["parameters"]}
    totals = paths["/api/v1/cases/cases/totals/"]["get"]
    assert {"category", "area", "detected_from"} <= {p["name"] for p in totals["parameters"]}


def test_a_case_that_does_not_exist_is_not_found(world, people):
    response = as_user(people["officer"]).get(case_url(str(uuid.uuid4())))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
