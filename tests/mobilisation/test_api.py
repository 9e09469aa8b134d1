"""The mobilisation API under /api/v1/mobilisation/."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from phoihop.core.models import IdempotencyRecord
from phoihop.mobilisation import services
from phoihop.mobilisation.models import (
    CampaignLaunch,
    Forum,
    HandedInItem,
    Opinion,
    PropagandaSession,
    SocialProgramme,
)
from phoihop.mobilisation.services import OpinionData
from phoihop.org.models import User
from tests import factories
from tests.mobilisation.conftest import (
    DAY,
    make_campaign,
    make_forum,
    make_programme,
    make_propaganda,
    snapshot,
)

ERROR_KEYS = {"message", "code", "fields"}


def as_user(user: User) -> Client:
    client = Client()
    factories.login(client, user)
    return client


def url(name: str, record: Any = None, action: str = "") -> str:
    if record is None:
        return reverse(f"mobilisation-api:{name}-list")
    kwargs = {"public_id": str(getattr(record, "public_id", record))}
    return reverse(f"mobilisation-api:{name}-{action or 'detail'}", kwargs=kwargs)


def post(client: Client, path: str, data: Any = None, **headers: str) -> Any:
    return client.post(path, data or {}, content_type="application/json", headers=headers)


def patch(client: Client, path: str, data: Any) -> Any:
    return client.patch(path, data, content_type="application/json")


def forum_body(world, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "start_date": "2024-07-10",
        "commune": world.commune_a.code,
        "attendees": 120,
        "opinions": 15,
        "topic_counts": [{"topic": "security", "count": 6}, {"topic": "traffic", "count": 4}],
        "participating_units": [str(world.u("qs_commune_a").public_id)],
        "is_joint": True,
    }
    body.update(extra)
    return body


# --- forums -------------------------------------------------------------------------------------


def test_a_forum_is_created_with_its_topics_and_read_back(world, people):
    client = as_user(people["ca_commune"])
    response = post(
        client,
        url("forum"),
        forum_body(
            world,
            opinion_items=[
                {
                    "topic": "traffic",
                    "content": "Đề nghị lắp gờ giảm tốc.",
                    "assigned_unit": str(world.u("ca_commune_a").public_id),
                }
            ],
        ),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["organising_unit"]["code"] == "CAX-SK1"
    assert body["commune"]["code"] == world.commune_a.code
    assert body["topic_counts"] == [
        {"topic": "security", "topic_label": "An ninh, trật tự", "count": 6},
        {"topic": "traffic", "topic_label": "Trật tự an toàn giao thông", "count": 4},
    ]
    assert body["unclassified"] == 5
    assert body["opinion_items"][0]["status"] == "open"
    assert [u["code"] for u in body["participating_units"]] == ["BCHQSX-SK1"]
    # The participating Military unit reads it too.
    other = as_user(people["qs_commune"]).get(url("forum", body["public_id"]))
    assert other.status_code == 200


@pytest.mark.parametrize(
    ("extra", "field", "code"),
    [
        ({"attendees": -1}, "attendees", "negative_count"),
        (
            {"topic_counts": [{"topic": "security", "count": 16}]},
            "topic_counts",
            "topics_exceed_total",
        ),
        (
            {"topic_counts": [{"topic": "fire", "count": 1}, {"topic": "land", "count": -1}]},
            "topic_counts.1.count",
            "negative_count",
        ),
        ({"end_date": "2024-07-09"}, "end_date", "end_before_start"),
        ({"commune": "99999"}, "commune", "unknown_commune"),
        # Not a public id, so a unit code: no unit has it.
        ({"participating_units": ["not-a-uuid"]}, "participating_units", "unknown_unit"),
        ({"classification": 3}, "classification", "invalid"),
    ],
)
def test_bad_forums_are_refused_naming_the_field_and_nothing_saved(
    world, people, extra, field, code
):
    client = as_user(people["ca_prov"])
    before = snapshot()
    response = post(client, url("forum"), forum_body(world, **extra))
    assert response.status_code == 400
    body = response.json()
    assert set(body) >= ERROR_KEYS
    assert field in body["fields"], body
    assert body["code"] == code
    assert snapshot() == before


def test_a_retried_create_with_the_same_idempotency_key_saves_once(world, people):
    client = as_user(people["ca_prov"])
    first = post(client, url("forum"), forum_body(world), **{"Idempotency-Key": "f-1"})
    again = post(client, url("forum"), forum_body(world), **{"Idempotency-Key": "f-1"})
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["public_id"] == first.json()["public_id"]
    assert Forum.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_a_forum_is_changed_with_its_version_and_a_stale_version_is_refused(world, people):
    forum = make_forum(people["ca_prov"], world)
    client = as_user(people["ca_prov"])
    response = patch(
        client,
        url("forum", forum),
        {"version": 1, "opinions": 30, "topic_counts": [{"topic": "drugs", "count": 30}]},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    assert response.json()["unclassified"] == 0
    stale = patch(client, url("forum", forum), {"version": 1, "attendees": 5})
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    missing = patch(client, url("forum", forum), {"attendees": 5})
    assert missing.status_code == 400 and "version" in missing.json()["fields"]


def test_an_invisible_forum_is_404_and_a_visible_one_not_yours_is_403(world, people):
    forum = make_forum(people["ca_prov"], world, participating_units=[world.u("qs_province")])
    assert as_user(people["outsider"]).get(url("forum", forum)).status_code == 404
    assert as_user(people["ca_commune"]).get(url("forum", forum)).status_code == 404
    response = patch(as_user(people["qs_prov"]), url("forum", forum), {"version": 1})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert as_user(people["qs_prov"]).delete(url("forum", forum)).status_code == 403
    assert as_user(people["outsider"]).get(url("forum", "not-a-uuid")).status_code == 404


def test_the_forum_list_is_filtered_by_period_area_and_visibility(world, people):
    make_forum(people["ca_prov"], world, start_date=dt.date(2024, 6, 15))
    make_forum(people["ca_prov"], world, start_date=dt.date(2024, 6, 14))
    make_forum(people["ca_commune_b"], world, commune=world.commune_b)
    client = as_user(people["ca_chief"])
    listed = client.get(url("forum"), {"start": "2024-06-15", "end": "2024-09-14"}).json()
    assert listed["count"] == 2
    by_commune = client.get(url("forum"), {"area": world.commune_b.code}).json()
    assert by_commune["count"] == 1
    assert as_user(people["outsider"]).get(url("forum")).json()["count"] == 0


def test_deleting_a_forum(world, people):
    forum = make_forum(people["ca_prov"], world)
    client = as_user(people["ca_prov"])
    assert client.delete(url("forum", forum) + "?version=7").status_code == 409
    assert client.delete(url("forum", forum) + "?version=1").status_code == 204
    assert not Forum.objects.exists()


def test_opinions_are_added_answered_and_closed(world, people):
    forum = make_forum(people["ca_prov"], world)
    client = as_user(people["ca_prov"])
    added = post(
        client,
        url("forum", forum, "opinions"),
        {
            "topic": "security",
            "content": "Trộm cắp vặt ở chợ.",
            "assigned_unit": str(world.u("bp_post_a").public_id),
        },
        **{"Idempotency-Key": "op-1"},
    )
    assert added.status_code == 201, added.json()
    opinion = added.json()["public_id"]
    border = as_user(people["bp_post"])
    mine = border.get(url("opinion"), {"assigned_to_me": "true"}).json()
    assert [o["public_id"] for o in mine["results"]] == [opinion]
    answered = post(border, url("opinion", opinion, "answer"), {"answer": "Đã phối hợp xử lý."})
    assert answered.status_code == 200, answered.json()
    assert answered.json()["status"] == "answered"
    refused = post(border, url("opinion", opinion, "close"), {})
    assert refused.status_code == 403
    closed = post(client, url("opinion", opinion, "close"), {"note": "Người dân đồng ý."})
    assert closed.json()["status"] == "closed"
    again = post(client, url("opinion", opinion, "close"), {})
    assert again.status_code == 400 and again.json()["code"] == "transition_not_allowed"
    assert as_user(people["outsider"]).get(url("opinion", opinion)).status_code == 404


# --- law propaganda -----------------------------------------------------------------------------


def test_propaganda_with_laws_from_the_catalogue(world, people):
    client = as_user(people["bp_post"])
    laws = client.get(reverse("mobilisation-api:law-list")).json()
    assert {"code": "bien-phong", "name": "Luật Biên phòng Việt Nam"} in laws
    response = post(
        client,
        url("propaganda"),
        {
            "title": "Tuyên truyền Luật Biên phòng tại bản Khe Tre",
            "start_date": "2024-08-01",
            "laws": ["bien-phong", "can-cuoc"],
            "sessions": 3,
            "attendees": 210,
            "leaflets": 400,
            "commune": world.commune_a.code,
        },
    )
    assert response.status_code == 201, response.json()
    assert [law["code"] for law in response.json()["laws"]] == ["can-cuoc", "bien-phong"]
    bad = post(
        client,
        url("propaganda"),
        {"title": "X", "start_date": "2024-08-01", "laws": ["khong-co"], "attendees": 1},
    )
    assert bad.status_code == 400 and bad.json()["code"] == "unknown_law"
    assert PropagandaSession.objects.count() == 1
    changed = patch(
        client, url("propaganda", response.json()["public_id"]), {"version": 1, "sessions": 0}
    )
    assert changed.status_code == 400 and changed.json()["fields"].keys() == {"sessions"}


# --- campaigns ----------------------------------------------------------------------------------


def test_a_campaign_is_launched_and_items_handed_in_through_the_api(world, people):
    client = as_user(people["ca_prov"])
    created = post(
        client,
        url("campaign"),
        {
            "name": "Vận động giao nộp vũ khí, vật liệu nổ quý III/2024",
            "start_date": "2024-06-15",
            "end_date": "2024-09-14",
            "participating_units": [str(world.u("qs_province").public_id)],
        },
    )
    assert created.status_code == 201, created.json()
    campaign = created.json()["public_id"]
    assert created.json()["area"]["code"] == "42"
    launch = post(
        client,
        url("campaign", campaign, "launches"),
        {"commune": world.commune_a.code, "launched_on": "2024-06-20"},
    )
    assert launch.status_code == 201, launch.json()
    twice = post(
        client,
        url("campaign", campaign, "launches"),
        {"commune": world.commune_a.code, "launched_on": "2024-06-21"},
    )
    assert twice.status_code == 400 and twice.json()["code"] == "already_launched"
    # The participating Military Command launches in the other commune.
    military = post(
        as_user(people["qs_prov"]),
        url("campaign", campaign, "launches"),
        {"commune": world.commune_b.code, "launched_on": "2024-07-01"},
    )
    assert military.status_code == 201
    handed = post(
        client,
        url("campaign", campaign, "handed-in"),
        {
            "items": [
                {
                    "commune": world.commune_a.code,
                    "handed_in_on": "2024-07-02",
                    "item": "thuoc-no",
                    "quantity": "2.4",
                },
                {
                    "commune": world.commune_b.code,
                    "handed_in_on": "2024-07-03",
                    "item": "sung",
                    "quantity": "92",
                },
            ]
        },
        **{"Idempotency-Key": "h-1"},
    )
    assert handed.status_code == 201, handed.json()
    detail = client.get(url("campaign", campaign)).json()
    assert detail["coverage"] == {"communes": 2, "launched": 2, "share": "1.0000"}
    totals = {t["item"]: t["quantity"] for t in detail["handed_in_totals"]}
    assert totals == {"thuoc-no": "2.400000", "sung": "92.000000"}
    listed = client.get(url("campaign")).json()["results"][0]
    assert listed["coverage"]["launched"] == 2


def test_a_bad_handed_in_row_refuses_the_whole_request(world, people):
    campaign = make_campaign(people["ca_prov"])
    client = as_user(people["ca_prov"])
    before = snapshot()
    response = post(
        client,
        url("campaign", campaign, "handed-in"),
        {
            "items": [
                {
                    "commune": world.commune_a.code,
                    "handed_in_on": "2024-07-02",
                    "item": "sung",
                    "quantity": "3",
                },
                {
                    "commune": world.commune_a.code,
                    "handed_in_on": "2024-07-02",
                    "item": "thuoc-no",
                    "quantity": "2",
                    "unit": "khẩu",
                },
            ]
        },
    )
    assert response.status_code == 400
    assert response.json()["code"] == "unit_not_allowed"
    assert "items.1.unit" in response.json()["fields"]
    assert snapshot() == before
    outside = post(
        client,
        url("campaign", campaign, "launches"),
        {"commune": world.commune_a.code, "launched_on": "2024-10-01"},
    )
    assert outside.status_code == 400 and outside.json()["fields"].keys() == {"launched_on"}
    assert not CampaignLaunch.objects.exists() and not HandedInItem.objects.exists()


# --- programmes and figures ---------------------------------------------------------------------


def test_a_programme_value_is_exact_dong(world, people):
    client = as_user(people["bp_post"])
    response = post(
        client,
        url("programme"),
        {
            "kind": "foster",
            "name": "Nhận đỡ đầu học sinh bản Khe Tre",
            "start_date": "2024-08-01",
            "beneficiaries": 4,
            "value": "48000000",
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["value"] == "48000000"
    bad = post(
        client,
        url("programme"),
        {
            "kind": "foster",
            "name": "X",
            "start_date": "2024-08-01",
            "beneficiaries": 1,
            "value": "-5",
        },
    )
    assert bad.status_code == 400 and bad.json()["code"] == "negative_amount"
    assert SocialProgramme.objects.count() == 1


def test_the_figures_of_a_period_within_visibility(world, people):
    make_forum(people["ca_prov"], world, attendees=100, opinions=12, is_joint=True)
    make_forum(people["bp_post"], world, attendees=50, opinions=3, topic_counts=[])
    make_propaganda(people["ca_prov"], laws=["can-cuoc"], is_joint=True)
    make_programme(people["ca_prov"], is_joint=True, value=1_500_000)
    campaign = make_campaign(people["ca_prov"], is_joint=True)
    services.campaign_launch(
        actor=people["ca_prov"], campaign=campaign, commune=world.commune_a, launched_on=DAY
    )
    services.handed_in_add(
        actor=people["ca_prov"],
        campaign=campaign,
        rows=[services.HandedInData(world.commune_a, DAY, "dao-kiem", 643)],
    )
    response = as_user(people["qs_joint"]).get(
        reverse("mobilisation-api:figures"),
        {"start": "2024-06-15", "end": "2024-09-14", "area": "42"},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["forums"]["forums"] == 1  # the Border Guard forum is not joint
    assert body["forums"]["opinions"] == 12
    assert body["forums"]["unclassified"] == 2
    assert body["propaganda"]["by_law"][0]["law"] == "can-cuoc"
    assert body["campaigns"]["share"] == "0.5000"
    assert body["campaigns"]["handed_in"] == [
        {
            "item": "dao-kiem",
            "name": "Dao, kiếm",
            "quantity": "643.000000",
            "unit": "cái",
            "report_phrase": "dao, kiếm",
        }
    ]
    assert Decimal(body["programmes"]["value"]) == Decimal(1_500_000)
    assert (
        as_user(people["outsider"])
        .get(reverse("mobilisation-api:figures"), {"area": "42"})
        .json()["forums"]["forums"]
        == 0
    )


def test_anonymous_callers_get_401(db):
    response = Client().get(reverse("mobilisation-api:forum-list"))
    assert response.status_code == 401
    assert set(response.json()) >= ERROR_KEYS


def test_an_opinion_added_without_change_rights_is_403(world, people):
    forum = make_forum(people["ca_prov"], world, participating_units=[world.u("qs_province")])
    response = post(
        as_user(people["qs_prov"]),
        url("forum", forum, "opinions"),
        {"topic": "fire", "content": "Ý kiến."},
    )
    assert response.status_code == 403
    assert not Opinion.objects.exists()
    services.opinion_add(
        actor=people["ca_prov"], forum=forum, data=OpinionData(topic="fire", content="Một.")
    )


# --- unit references: a code or a public id, everywhere -----------------------------------------

# What the references below name: a unit below the author's (organiser, launcher), a unit of
# another force (participant), a Border Guard post (the unit an opinion is assigned to).
ORGANISER, PARTNER, ASSIGNEE = "ca_commune_a", "qs_commune_a", "bp_post_a"

CREATE_BODIES: dict[str, dict[str, Any]] = {
    "forum": {
        "start_date": "2024-07-10",
        "commune": "18196",
        "attendees": 40,
        "opinions": 3,
    },
    "propaganda": {
        "title": "Tuyên truyền Luật Căn cước",
        "start_date": "2024-08-01",
        "laws": ["can-cuoc"],
        "attendees": 60,
    },
    "campaign": {"name": "Vận động giao nộp vũ khí năm 2024", "start_date": "2024-06-15"},
    "programme": {
        "kind": "school",
        "name": "Trao học bổng",
        "start_date": "2024-08-01",
        "beneficiaries": 2,
        "value": "4000000",
    },
}
MAKERS = {
    "forum": make_forum,
    "propaganda": lambda actor, world: make_propaganda(actor),
    "campaign": lambda actor, world: make_campaign(actor),
    "programme": lambda actor, world: make_programme(actor),
}


def _codes(units: list[dict[str, Any]]) -> list[str]:
    return [u["code"] for u in units]


def _opinion_of(world: Any, actor: User) -> Opinion:
    forum = make_forum(actor, world)
    return services.opinion_add(
        actor=actor, forum=forum, data=OpinionData(topic="land", content="Tranh chấp đất.")
    )


def _unit_reference_cases() -> list[Any]:
    """(endpoint, field as errors name it, the unit it names, request, what the answer names).

    `request(world, author)` prepares what the call needs and returns (method, path, body of a
    reference); `named(answer)` is the unit code(s) the saved record now names."""
    cases = []
    for kind, body in CREATE_BODIES.items():
        cases += [
            pytest.param(
                "organising_unit",
                ORGANISER,
                lambda world, author, kind=kind, body=body: (
                    "post",
                    url(kind),
                    lambda ref: {**body, "organising_unit": ref},
                ),
                lambda answer: answer["organising_unit"]["code"],
                id=f"{kind}-create-organising_unit",
            ),
            pytest.param(
                "participating_units",
                PARTNER,
                lambda world, author, kind=kind, body=body: (
                    "post",
                    url(kind),
                    lambda ref: {**body, "participating_units": [ref]},
                ),
                lambda answer: _codes(answer["participating_units"]),
                id=f"{kind}-create-participating_units",
            ),
            pytest.param(
                "participating_units",
                PARTNER,
                lambda world, author, kind=kind: (
                    "patch",
                    url(kind, MAKERS[kind](author, world)),
                    lambda ref: {"version": 1, "participating_units": [ref]},
                ),
                lambda answer: _codes(answer["participating_units"]),
                id=f"{kind}-change-participating_units",
            ),
        ]
    return [
        *cases,
        pytest.param(
            "opinion_items.0.assigned_unit",
            ASSIGNEE,
            lambda world, author: (
                "post",
                url("forum"),
                lambda ref: {
                    **CREATE_BODIES["forum"],
                    "opinion_items": [
                        {"topic": "security", "content": "Trộm cắp.", "assigned_unit": ref}
                    ],
                },
            ),
            lambda answer: answer["opinion_items"][0]["assigned_unit"]["code"],
            id="forum-create-opinion_items.assigned_unit",
        ),
        pytest.param(
            "assigned_unit",
            ASSIGNEE,
            lambda world, author: (
                "post",
                url("forum", make_forum(author, world), "opinions"),
                lambda ref: {"topic": "security", "content": "Trộm cắp.", "assigned_unit": ref},
            ),
            lambda answer: answer["assigned_unit"]["code"],
            id="forum-opinions-assigned_unit",
        ),
        pytest.param(
            "assigned_unit",
            ASSIGNEE,
            lambda world, author: (
                "post",
                url("opinion", _opinion_of(world, author), "assign"),
                lambda ref: {"assigned_unit": ref, "version": 1},
            ),
            lambda answer: answer["assigned_unit"]["code"],
            id="opinion-assign-assigned_unit",
        ),
        pytest.param(
            "unit",
            ORGANISER,
            lambda world, author: (
                "post",
                url("campaign", make_campaign(author), "launches"),
                lambda ref: {"commune": "18196", "launched_on": "2024-06-20", "unit": ref},
            ),
            lambda answer: answer["unit"]["code"],
            id="campaign-launches-unit",
        ),
    ]


def _send(client: Client, method: str, path: str, body: dict[str, Any]) -> Any:
    return post(client, path, body) if method == "post" else patch(client, path, body)


@pytest.mark.parametrize("how", ["code", "public_id"])
@pytest.mark.parametrize(("field", "unit", "request_of", "named"), _unit_reference_cases())
def test_every_unit_reference_takes_a_code_or_a_public_id(
    world, people, field, unit, request_of, named, how
):
    author = people["ca_prov"]
    method, path, body = request_of(world, author)
    wanted = world.u(unit)
    ref = wanted.code if how == "code" else str(wanted.public_id)
    response = _send(as_user(author), method, path, body(ref))
    assert response.status_code in (200, 201), response.json()
    saved = named(response.json())
    assert saved == wanted.code or saved == [wanted.code]


@pytest.mark.parametrize(("field", "unit", "request_of", "named"), _unit_reference_cases())
def test_an_unknown_unit_reference_is_refused_on_its_field_and_nothing_saved(
    world, people, field, unit, request_of, named
):
    author = people["ca_prov"]
    client = as_user(author)
    method, path, body = request_of(world, author)
    before = snapshot()
    response = _send(client, method, path, body("KHONG-CO"))
    assert response.status_code == 400
    answer = response.json()
    assert answer["code"] == "unknown_unit"
    assert list(answer["fields"]) == [field]
    assert "KHONG-CO" in answer["fields"][field][0]
    assert snapshot() == before


def test_a_list_of_units_may_mix_codes_and_public_ids(world, people):
    partner, other = world.u("qs_commune_a"), world.u("bp_post_a")
    client = as_user(people["ca_prov"])
    response = post(
        client,
        url("campaign"),
        {
            **CREATE_BODIES["campaign"],
            "participating_units": [partner.code, str(other.public_id), str(partner.public_id)],
        },
    )
    assert response.status_code == 201, response.json()
    assert sorted(_codes(response.json()["participating_units"])) == ["BCHQSX-SK1", "DBP-SK"]
    unknown_public_id = "2c6b1a4e-0000-4000-8000-000000000000"
    before = snapshot()
    refused = post(
        client,
        url("campaign"),
        {**CREATE_BODIES["campaign"], "participating_units": [partner.code, unknown_public_id]},
    )
    assert refused.status_code == 400 and refused.json()["code"] == "unknown_unit"
    assert unknown_public_id in refused.json()["fields"]["participating_units"][0]
    assert snapshot() == before
