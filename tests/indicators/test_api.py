"""The indicators API: periods, catalogue, submissions with values and workflow, completeness."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from phoihop.indicators.models import Submission, SubmissionValue
from phoihop.indicators.services import submission_create, submission_submit, submission_values_set
from tests.factories import login
from tests.indicators.conftest import People, Regime, at

pytestmark = pytest.mark.django_db

BASE = "/api/v1/indicators"
GOOD = {"t.patrols": 12, "t.subjects": "3", "t.wanted": 1, "t.budget": "2.5"}


def client_for(person) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, person)
    return client


def post(client: Client, url: str, data: Any = None, **headers: str) -> Any:
    return client.post(url, data or {}, content_type="application/json", headers=headers)


def opened(people: People, regime: Regime) -> Submission:
    return submission_create(
        actor=people.officer, form=regime.commune_form, period="2024-Q3", at=at("10/09/2024")
    )


def sent(people: People, regime: Regime) -> Submission:
    submission = opened(people, regime)
    submission_values_set(actor=people.officer, submission=submission, values=GOOD)
    return submission_submit(actor=people.officer, submission=submission, at=at("16/09/2024"))


# --- periods and catalogue ----------------------------------------------------------------------


def test_periods_of_a_year_and_one_key(people):
    client = client_for(people.officer)
    quarters = client.get(f"{BASE}/periods/", {"year": 2024, "kind": "quarter"}).json()
    assert [p["key"] for p in quarters] == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]
    q3 = client.get(f"{BASE}/periods/2024-Q3/").json()
    assert q3 == {
        "key": "2024-Q3",
        "kind": "quarter",
        "label": "quý III năm 2024",
        "title": "Quý III năm 2024",
        "start": "2024-06-15",
        "end": "2024-09-14",
        "previous": "2024-Q2",
        "same_period_last_year": "2023-Q3",
    }


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/periods/2024-Q5/", "period"),
        ("/periods/?year=20x4", "year"),
        ("/periods/?kind=week", "kind"),
    ],
)
def test_a_bad_period_is_refused_naming_the_field(people, url, field):
    response = client_for(people.officer).get(BASE + url)
    assert response.status_code == 400
    assert response.json()["fields"][field]


def test_the_catalogue_is_listed_by_code(regime, people):
    client = client_for(people.officer)
    codes = [
        row["code"]
        for row in client.get(f"{BASE}/indicators/", {"page_size": 500}).json()["results"]
    ]
    assert {"cases.count", "tt.tuan-tra", "t.patrols"} <= set(codes)
    one = client.get(f"{BASE}/indicators/cases.count/").json()
    assert (one["kind"], one["unit"]) == ("derived", "vụ")
    assert client.get(f"{BASE}/indicators/x.khong-co/").status_code == 404
    form = client.get(f"{BASE}/forms/t-ca-xa-quy/").json()
    assert [line["indicator"] for line in form["lines"]] == [
        "t.patrols",
        "t.subjects",
        "t.wanted",
        "t.budget",
        "cases.count",
    ]


def test_anonymous_callers_are_refused(db):
    assert Client().get(f"{BASE}/submissions/").status_code == 401


# --- submissions --------------------------------------------------------------------------------


def test_opening_a_submission_honours_the_idempotency_key(regime, people):
    client = client_for(people.officer)
    body = {"form": "t-ca-xa-quy", "period": "2024-Q3"}
    first = post(client, f"{BASE}/submissions/", body, **{"Idempotency-Key": "mo-bao-cao-q3"})
    again = post(client, f"{BASE}/submissions/", body, **{"Idempotency-Key": "mo-bao-cao-q3"})

    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["public_id"] == again.json()["public_id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Submission.objects.count() == 1
    data = first.json()
    assert (data["status"], data["period"]["key"], data["unit"]["code"]) == (
        "draft",
        "2024-Q3",
        "CAX-SK1",
    )
    assert [row["indicator"] for row in data["values"]][-1] == "cases.count"


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"form": "t-ca-xa-quy", "period": "2024-Q9"}, "period", "invalid_period"),
        ({"form": "khong-co", "period": "2024-Q3"}, "form", "unknown_form"),
        ({"form": "t-ca-xa-quy"}, "period", "invalid"),
    ],
)
def test_opening_with_an_unknown_period_or_form_is_refused(regime, people, body, field, code):
    response = post(client_for(people.officer), f"{BASE}/submissions/", body)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["fields"][field]
    assert not Submission.objects.exists()


def test_values_are_set_and_read_back_as_exact_decimals(regime, people):
    submission = opened(people, regime)
    client = client_for(people.officer)
    response = post(
        client,
        f"{BASE}/submissions/{submission.public_id}/values/",
        {"values": GOOD, "explanations": {"t.patrols": ""}, "version": 1},
        **{"Idempotency-Key": "so-lieu-1"},
    )
    assert response.status_code == 200, response.json()
    values = {row["indicator"]: row["value"] for row in response.json()["values"]}
    assert values["t.patrols"] == "12" and values["t.budget"] == "2.5"
    assert values["cases.count"] == "0"  # computed live while the submission is a draft
    assert response.json()["can_submit"] is True


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"t.patrols": -1}, "values.t.patrols", "negative_value"),
        ({"t.subjects": 1.5}, "values.t.subjects", "not_whole"),
        ({"t.patrols": "mười hai"}, "values.t.patrols", "invalid_value"),
        ({"x.khong-co": 1}, "values.x.khong-co", "unknown_indicator"),
        ({"tt.tuan-tra": 1}, "values.tt.tuan-tra", "not_in_form"),
        ({"cases.count": 3}, "values.cases.count", "derived_read_only"),
    ],
)
def test_a_bad_value_is_refused_naming_the_indicator(regime, people, values, field, code):
    submission = opened(people, regime)
    response = post(
        client_for(people.officer),
        f"{BASE}/submissions/{submission.public_id}/values/",
        {"values": {"t.budget": "1", **values}},
    )
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["fields"][field]
    assert not SubmissionValue.objects.filter(submission=submission, value__isnull=False).exists()


def test_a_stale_version_is_a_conflict(regime, people):
    submission = opened(people, regime)
    client = client_for(people.officer)
    url = f"{BASE}/submissions/{submission.public_id}/values/"
    assert post(client, url, {"values": {"t.patrols": 1}, "version": 1}).status_code == 200
    stale = post(client, url, {"values": {"t.patrols": 2}, "version": 1})
    assert (stale.status_code, stale.json()["code"]) == (409, "stale_version")


def test_the_workflow_through_the_api(regime, people):
    submission = opened(people, regime)
    officer = client_for(people.officer)
    url = f"{BASE}/submissions/{submission.public_id}"
    blocked = post(officer, f"{url}/submit/")
    assert blocked.status_code == 400 and blocked.json()["code"] == "validation_failed"
    assert set(blocked.json()["fields"]) == {
        "values.t.patrols",
        "values.t.subjects",
        "values.t.wanted",
        "values.t.budget",
    }
    post(officer, f"{url}/values/", {"values": GOOD})
    check = officer.get(f"{url}/check/").json()
    assert check == {"errors": {}, "warnings": {}, "unexplained": [], "ok": True}
    submitted = post(officer, f"{url}/submit/", **{"Idempotency-Key": "gui-q3"})
    assert submitted.json()["status"] == "submitted"
    replay = post(officer, f"{url}/submit/", **{"Idempotency-Key": "gui-q3"})
    assert replay.status_code == 200 and replay.headers["Idempotent-Replayed"] == "true"

    commander = client_for(people.commander)
    queue = commander.get(f"{BASE}/submissions/", {"queue": "true"}).json()["results"]
    assert [row["public_id"] for row in queue] == [str(submission.public_id)]
    no_reason = post(commander, f"{url}/return/", {"reason": ""})
    assert no_reason.status_code == 400 and no_reason.json()["fields"]["reason"]
    returned = post(commander, f"{url}/return/", {"reason": "Kiểm tra lại số lượt tuần tra."})
    assert returned.json()["status"] == "returned"
    assert returned.json()["return_reason"] == "Kiểm tra lại số lượt tuần tra."
    assert post(officer, f"{url}/resubmit/").json()["status"] == "submitted"
    approved = post(commander, f"{url}/approve/")
    assert approved.json()["status"] == "approved"
    assert [t["transition"] for t in approved.json()["transitions"]] == [
        "create",
        "submit",
        "return",
        "resubmit",
        "approve",
    ]
    locked = post(officer, f"{url}/values/", {"values": {"t.patrols": 1}})
    assert (locked.status_code, locked.json()["code"]) == (400, "locked")
    resubmit_locked = post(officer, f"{url}/submit/")
    assert resubmit_locked.json()["code"] == "locked"


@pytest.mark.parametrize(
    ("who", "code"),
    [("commune_commander", "own_submission"), ("pc04_commander", "not_next_level")],
)
def test_approving_from_the_wrong_place_is_refused(regime, people, who, code):
    submission = sent(people, regime)
    response = post(
        client_for(getattr(people, who)), f"{BASE}/submissions/{submission.public_id}/approve/"
    )
    if who == "pc04_commander":
        # PC04 does not even see a commune's report: the same answer as a missing one.
        assert response.status_code == 404
        return
    assert response.status_code == 400
    assert response.json()["code"] == code and response.json()["fields"]["approver"]
    assert Submission.objects.get(pk=submission.pk).status == "submitted"


def test_joint_staff_who_see_it_still_may_not_approve(regime, people):
    submission = sent(people, regime)
    response = post(
        client_for(people.qs_joint), f"{BASE}/submissions/{submission.public_id}/approve/"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "not_next_level"
    assert Submission.objects.get(pk=submission.pk).status == "submitted"


def test_an_outsider_cannot_fill_in_a_report_it_sees(regime, people):
    submission = opened(people, regime)
    response = post(
        client_for(people.commander),
        f"{BASE}/submissions/{submission.public_id}/values/",
        {"values": {"t.patrols": 1}},
    )
    assert response.status_code == 403
    assert not SubmissionValue.objects.filter(submission=submission, value__isnull=False).exists()


def test_completeness_through_the_api(regime, people):
    submission = sent(people, regime)
    client = client_for(people.commander)
    data = client.get(f"{BASE}/completeness/", {"period": "2024-Q3", "form": "t-ca-xa-quy"}).json()
    assert data["total"]["expected"] == 2 and data["total"]["received"] == 1
    assert data["total"]["completeness"] == "0.5000"
    assert [
        (r["unit"]["code"], r["on_time"], r["missing"], r["submission"]) for r in data["rows"]
    ] == [
        ("CAX-SK1", True, False, str(submission.public_id)),
        ("CAX-TC", False, True, None),
    ]
    by_form = {g["code"]: g["tally"] for g in data["by_form"]}
    assert by_form[regime.commune_form.code] == data["total"]
    bad = client.get(f"{BASE}/completeness/", {"period": "Q3"})
    assert bad.status_code == 400 and bad.json()["fields"]["period"]
    unknown = client.get(f"{BASE}/completeness/", {"period": "2024-Q3", "force": "XX"})
    assert unknown.status_code == 400 and unknown.json()["fields"]["force"]


def test_the_submission_list_reads_a_bounded_number_of_queries(
    world, regime, people, django_assert_max_num_queries
):
    from tests.factories import unit, user

    for number in range(5):
        commune = unit(
            "CA",
            f"CAX-A{number}",
            f"Công an xã A{number}",
            level="xa",
            parent=world.u("ca_province"),
        )
        submission_create(
            actor=user(commune, roles=["officer"]), form=regime.commune_form, period="2024-Q3"
        )
    client = client_for(people.commander)
    with django_assert_max_num_queries(11):
        rows = client.get(f"{BASE}/submissions/").json()["results"]
    assert len(rows) == 5


@pytest.mark.parametrize("by", ["code", "public_id"])
def test_a_unit_is_named_by_its_code_or_its_public_id(regime, people, by):
    sent(people, regime)
    opened_b = submission_create(
        actor=people.other_commune_officer,
        form=regime.commune_form,
        period="2024-Q3",
        at=at("10/09/2024"),
    )
    sk1 = people.officer.unit
    ref = sk1.code if by == "code" else str(sk1.public_id)
    client = client_for(people.commander)
    listed = client.get(f"{BASE}/submissions/", {"unit": ref}).json()["results"]
    assert len(listed) == 1 and listed[0]["unit"]["code"] == sk1.code
    assert str(opened_b.public_id) not in {row["public_id"] for row in listed}
    data = client.get(f"{BASE}/completeness/", {"period": "2024-Q3", "unit": ref}).json()
    assert [r["unit"]["code"] for r in data["rows"]] == [sk1.code]


def test_an_unknown_unit_reference_is_refused_naming_the_field(regime, people):
    client = client_for(people.commander)
    for url, params in [
        (f"{BASE}/submissions/", {"unit": "KHONG-CO"}),
        (f"{BASE}/completeness/", {"period": "2024-Q3", "unit": "KHONG-CO"}),
    ]:
        response = client.get(url, params)
        assert response.status_code == 400, url
        assert response.json()["code"] == "unknown_unit"
        assert "unit" in response.json()["fields"]
