from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from phoihop.org.models import Unit
from tests import factories
from tests.api.conftest import ERROR_KEYS
from tests.factories import OrgWorld


def _codes(response: Any) -> list[str]:
    return [u["code"] for u in response.json()["results"]]


def test_the_unit_list_shows_every_unit_in_tree_order(api: Client, world: OrgWorld) -> None:
    response = api.get("/api/v1/units/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == Unit.objects.count() == len(world.units)
    assert set(_codes(response)) == {u.code for u in world.units.values()}


def test_a_unit_names_force_level_parent_ancestors_and_areas(api: Client, world: OrgWorld) -> None:
    post = world.u("bp_post_a")

    body = api.get(f"/api/v1/units/{post.public_id}/").json()

    assert body["public_id"] == str(post.public_id)
    assert body["force"] == {"code": "BP", "name": "Bộ đội Biên phòng", "short_name": "Biên phòng"}
    assert body["level"]["code"] == "xa"
    parent = world.u("bp_province")
    assert body["parent"] == {
        "public_id": str(parent.public_id),
        "code": "BCHBP",
        "name": parent.name,
    }
    assert [a["code"] for a in body["ancestors"]] == ["BCHBP"]
    assert body["province"] == "42"
    assert body["areas"] == [world.commune_a.code]
    assert body["valid_from"] is None and body["valid_until"] is None
    assert "id" not in body and "path" not in body


def test_ancestors_run_from_the_root_down_to_the_parent(api: Client, world: OrgWorld) -> None:
    team = factories.unit("CA", "PC04-D1", "Đội 1", parent=world.u("ca_pc04"))

    body = api.get(f"/api/v1/units/{team.public_id}/").json()

    assert [a["code"] for a in body["ancestors"]] == ["CAT", "PC04"]
    listed = api.get("/api/v1/units/", {"q": "Đội 1"}).json()["results"]
    assert [[a["code"] for a in u["ancestors"]] for u in listed] == [["CAT", "PC04"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"force": "QS"}, {"BCHQS", "BCHQSX-SK1"}),
        ({"force": "BP", "level": "xa"}, {"DBP-SK"}),
        ({"province": "40"}, {"CAT-NA"}),
        ({"q": "son kim"}, {"CAX-SK1", "BCHQSX-SK1", "DBP-SK"}),
        ({"q": "BIÊN PHÒNG sơn"}, {"DBP-SK"}),
        ({"q": "cong an xa"}, {"CAX-SK1", "CAX-TC"}),
        ({"current": "false"}, set()),
    ],
)
def test_units_filter_by_force_level_province_and_unaccented_name(
    api: Client, world: OrgWorld, params: dict[str, str], expected: set[str]
) -> None:
    response = api.get("/api/v1/units/", params)

    assert response.status_code == 200
    assert set(_codes(response)) == expected


def test_units_filter_by_parent_public_id(api: Client, world: OrgWorld) -> None:
    response = api.get("/api/v1/units/", {"parent": str(world.u("ca_province").public_id)})

    assert set(_codes(response)) == {"PC04", "CAX-SK1", "CAX-TC"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"force": "XX"}, "force"),
        ({"level": "bogus"}, "level"),
        ({"parent": "not-a-uuid"}, "parent"),
        ({"parent": str(uuid.uuid4())}, "parent"),
        ({"province": "99"}, "province"),
        ({"current": "maybe"}, "current"),
    ],
)
def test_a_bad_unit_filter_answers_400_naming_the_field(
    api: Client, world: OrgWorld, params: dict[str, str], field: str
) -> None:
    response = api.get("/api/v1/units/", params)

    assert response.status_code == 400
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["code"] == "invalid"
    assert list(body["fields"]) == [field]
    assert body["fields"][field][0]


@pytest.mark.parametrize("public_id", [lambda: str(uuid.uuid4()), lambda: "42", lambda: "CAT"])
def test_an_unknown_or_malformed_unit_id_is_404_with_the_error_shape(
    api: Client, world: OrgWorld, public_id: Callable[[], str]
) -> None:
    response = api.get(f"/api/v1/units/{public_id()}/")

    assert response.status_code == 404
    assert response.json() == {"message": "Không tìm thấy.", "code": "not_found", "fields": {}}


def test_a_deleted_unit_is_gone_from_list_and_detail(api: Client, world: OrgWorld) -> None:
    from django.utils import timezone

    gone = world.u("ca_commune_b")
    Unit.objects.filter(pk=gone.pk).update(deleted_at=timezone.now())

    assert "CAX-TC" not in _codes(api.get("/api/v1/units/"))
    assert api.get(f"/api/v1/units/{gone.public_id}/").status_code == 404


def test_the_unit_list_costs_the_same_queries_however_many_units(
    api: Client, world: OrgWorld
) -> None:
    api.get("/api/v1/units/")  # warm the session and content types
    with CaptureQueriesContext(connection) as before:
        api.get("/api/v1/units/")
    parent = world.u("ca_pc04")
    for i in range(8):
        parent = factories.unit("CA", f"D{i}", f"Đội {i}", parent=parent)
    with CaptureQueriesContext(connection) as after:
        response = api.get("/api/v1/units/")

    assert response.json()["count"] == len(world.units) + 8
    assert len(after) == len(before)
    assert len(after) <= 12
