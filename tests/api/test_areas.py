from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from phoihop.org.enums import AreaKind, AreaLevel
from phoihop.org.models import AdministrativeArea
from tests.api.conftest import ERROR_KEYS
from tests.factories import OrgWorld


@pytest.fixture
def legacy_ha_tinh(world: OrgWorld) -> AdministrativeArea:
    """The pre-2025 Hà Tĩnh: the same two digits as today's, ended on 30/6/2025."""
    old = AdministrativeArea.objects.create(
        code="42",
        name="Tỉnh Hà Tĩnh",
        level=AreaLevel.PROVINCE,
        kind=AreaKind.TINH,
        valid_until=dt.date(2025, 6, 30),
    )
    old.successors.add(world.province)
    AdministrativeArea.objects.create(
        code="436",
        name="Huyện Hương Sơn",
        level=AreaLevel.DISTRICT,
        kind=AreaKind.HUYEN,
        parent=old,
        valid_until=dt.date(2025, 6, 30),
    )
    return old


def _codes(response: Any) -> list[str]:
    return [a["code"] for a in response.json()["results"]]


def _code(world: OrgWorld, key: str) -> str:
    """`a`/`b`: the world's two communes (their official codes live in the factories)."""
    return {"a": world.commune_a, "b": world.commune_b}[key].code if key in "ab" else key


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Ha Tinh", ["42"]),
        ("son kim", ["a"]),
        ("SƠN KIM 1", ["a"]),
        ("thien cam", ["b"]),
        ("nghe an", ["40"]),
        ("Đà Nẵng", []),
    ],
)
def test_areas_are_found_by_name_without_diacritics(
    api: Client, world: OrgWorld, query: str, expected: list[str]
) -> None:
    response = api.get("/api/v1/areas/", {"q": query, "current": "true"})

    assert response.status_code == 200
    assert _codes(response) == [_code(world, key) for key in expected]


def test_an_area_is_found_by_its_official_code(api: Client, world: OrgWorld) -> None:
    code = world.commune_b.code

    assert _codes(api.get("/api/v1/areas/", {"q": code})) == [code]


def test_areas_filter_by_level_kind_parent_and_currency(
    api: Client, world: OrgWorld, legacy_ha_tinh: AdministrativeArea
) -> None:
    communes = sorted([world.commune_a.code, world.commune_b.code])
    assert _codes(api.get("/api/v1/areas/", {"level": "commune"})) == communes
    assert _codes(api.get("/api/v1/areas/", {"kind": "huyen"})) == ["436"]
    # Code 42 names both generations: children of each come back.
    assert set(_codes(api.get("/api/v1/areas/", {"parent": "42"}))) == {*communes, "436"}
    ended = api.get("/api/v1/areas/", {"current": "false"}).json()["results"]
    assert sorted(a["code"] for a in ended) == ["42", "436"]
    assert all(a["current"] is False and a["valid_until"] == "2025-06-30" for a in ended)


def test_an_area_shows_its_kind_parent_and_validity(api: Client, world: OrgWorld) -> None:
    code = world.commune_a.code
    body = api.get(f"/api/v1/areas/commune/{code}/").json()

    assert body == {
        "level": "commune",
        "level_label": "Cấp xã",
        "code": code,
        "name": "Xã Sơn Kim 1",
        "kind": "xa",
        "kind_label": "Xã",
        "parent": {"level": "province", "code": "42", "name": "Tỉnh Hà Tĩnh"},
        "valid_from": "2025-07-01",
        "valid_until": None,
        "current": True,
        "successors": [],
    }


def test_a_shared_code_gives_the_current_area_unless_a_date_is_named(
    api: Client, world: OrgWorld, legacy_ha_tinh: AdministrativeArea
) -> None:
    today = api.get("/api/v1/areas/province/42/").json()
    before = api.get("/api/v1/areas/province/42/", {"on": "2020-01-01"}).json()

    assert today["current"] is True and today["valid_from"] == "2025-07-01"
    assert before["current"] is False and before["successors"] == ["42"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/areas/commune/99999/",
        "/api/v1/areas/village/42/",
        "/api/v1/areas/district/42/",
    ],
)
def test_an_unknown_area_is_404_with_the_error_shape(
    api: Client, world: OrgWorld, url: str
) -> None:
    response = api.get(url)

    assert response.status_code == 404
    assert response.json() == {"message": "Không tìm thấy.", "code": "not_found", "fields": {}}


def test_an_area_before_it_existed_is_404(api: Client, world: OrgWorld) -> None:
    code = world.commune_a.code
    response = api.get(f"/api/v1/areas/commune/{code}/", {"on": "2024-12-31"})

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("/api/v1/areas/", {"parent": "77777"}, "parent"),
        ("/api/v1/areas/", {"level": "village"}, "level"),
        ("/api/v1/areas/", {"kind": "ấp"}, "kind"),
        ("/api/v1/areas/", {"current": "yes"}, "current"),
        ("/api/v1/areas/province/42/", {"on": "31/12/2020"}, "on"),
    ],
)
def test_a_bad_area_query_answers_400_naming_the_field(
    api: Client, world: OrgWorld, url: str, params: dict[str, str], field: str
) -> None:
    response = api.get(url, params)

    assert response.status_code == 400
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert list(body["fields"]) == [field]
    assert body["fields"][field][0]


def test_the_area_list_is_paginated(api: Client, world: OrgWorld) -> None:
    body = api.get("/api/v1/areas/", {"page_size": 2}).json()

    assert body["count"] == AdministrativeArea.objects.count()
    assert len(body["results"]) == 2
    assert body["next"] is not None
