"""The map's data on constructed records: the choropleth by province, places by commune (at the
commune's administrative centre where it has one, at the record's own coordinates otherwise,
listed as unplaced when neither exists), pre-2025 communes at the commune they became, hotspots,
and nothing a user may not see. The dashboard and the map take a bounded number of queries."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phoihop.dashboards.selectors import Filters, key_figures, map_data
from phoihop.operations.services import UnitPart
from phoihop.org.enums import AreaKind, AreaLevel
from phoihop.org.models import AdministrativeArea, User
from tests.cases.conftest import at, make_case
from tests.dashboards.test_key_figures import (
    Q3,
    build_scenario,
    case_url,
    client_for,
    item_url,
    make_forum,
    make_task,
    person,
    seized,
    send,
)
from tests.factories import OrgWorld, area, user
from tests.operations.conftest import d, make_patrol, make_protection, make_rescue

CENTRE_A = (Decimal("18.412345"), Decimal("105.312345"))


def with_centre(commune: AdministrativeArea, lat: Decimal, lng: Decimal) -> AdministrativeArea:
    commune.latitude, commune.longitude = lat, lng
    commune.save(update_fields=["latitude", "longitude"])
    return commune


def old_commune(world: OrgWorld, code: str, name: str, became: AdministrativeArea) -> Any:
    """A commune of before 1/7/2025, merged into `became`."""
    old = AdministrativeArea.objects.create(
        code=code,
        name=name,
        kind=AreaKind.XA,
        level=AreaLevel.COMMUNE,
        parent=world.province,
        valid_from=dt.date(2008, 1, 1),
        valid_until=dt.date(2025, 6, 30),
    )
    old.successors.add(became)
    return old


class MapWorld:
    """Commune A has its centre; B has none but some records carry coordinates; C has neither;
    "Xã Sơn Kim 2 (cũ)" was merged into A in 2025."""

    def __init__(self, world: OrgWorld) -> None:
        self.world = world
        self.a = with_centre(world.commune_a, *CENTRE_A)
        self.b = world.commune_b
        self.c = area("18700", "Xã Kỳ Anh", parent=world.province)
        self.old = old_commune(world, "18199", "Xã Sơn Kim 2 (cũ)", self.a)
        self.ca_prov = user(world.u("ca_province"), roles=["officer"])
        self.ca_commune = user(world.u("ca_commune_a"), roles=["officer"])
        self.ca_commune_b = user(world.u("ca_commune_b"), roles=["officer"])
        self.bp_post = user(world.u("bp_post_a"), roles=["officer"])
        prov, w = self.ca_prov, world
        self.case_a1 = make_case(prov, w, title="Vụ A1 của tỉnh", detected_at=at("01/08/2024"))
        self.case_a2 = make_case(  # own coordinates, but the commune has its centre
            prov,
            w,
            title="Vụ A2 của tỉnh",
            detected_at=at("02/08/2024"),
            latitude=Decimal("18.400000"),
            longitude=Decimal("105.300000"),
        )
        self.case_b_own = make_case(
            prov,
            w,
            title="Vụ B có tọa độ",
            commune=self.b,
            detected_at=at("03/08/2024"),
            latitude=Decimal("18.250000"),
            longitude=Decimal("106.050000"),
        )
        self.case_b_plain = make_case(
            prov, w, title="Vụ B không tọa độ", commune=self.b, detected_at=at("04/08/2024")
        )
        self.case_c = make_case(prov, w, title="Vụ C", commune=self.c, detected_at=at("05/08/2024"))
        self.case_old = make_case(
            prov, w, title="Vụ ở xã cũ", commune=self.old, detected_at=at("06/08/2024")
        )
        self.case_of_b = make_case(  # commune B's own: invisible to commune A
            self.ca_commune_b,
            w,
            title="Vụ của Công an xã Thiên Cầm",
            commune=self.b,
            detected_at=at("08/08/2024"),
            latitude=Decimal("18.260000"),
            longitude=Decimal("106.060000"),
        )
        self.case_mine = make_case(
            self.ca_commune, w, title="Vụ của Công an xã Sơn Kim 1", detected_at=at("07/08/2024")
        )
        make_case(prov, w, title="Vụ quý IV", detected_at=at("20/09/2024"))  # not in quý III
        self.protection = make_protection(
            prov,
            w,
            title="Bảo vệ đoàn công tác tại Sơn Kim 1",
            start_date=d("20/07/2024"),
            end_date=d("21/07/2024"),
            communes=[self.a],
        )
        self.patrol = make_patrol(
            prov,
            w,
            title="Tuần tra tại Thiên Cầm",
            start_date=d("05/08/2024"),
            communes=[self.b],
            units=[UnitPart(w.u("ca_province"), personnel=5)],
        )
        # Sent to the province police in quý III, never acknowledged: overdue.
        self.item = send(
            self.bp_post,
            [w.u("ca_province")],
            at("01/07/2024", 8),
            title="Tin về đường dây buôn lậu",
            areas=[self.a],
        )


@pytest.fixture
def mw(world: OrgWorld) -> MapWorld:
    return MapWorld(world)


def data_of(actor: User, figure: str = "cases", **filters: Any) -> dict[str, Any]:
    return map_data(actor=actor, filters=Filters(period=Q3, **filters), figure=figure).as_json()


def fetch(client: Client, **query: str) -> dict[str, Any]:
    response = client.get(reverse("dashboards:map_data"), {"period": "2024-Q3", **query})
    assert response.status_code == 200
    return json.loads(response.content)


def record_urls(data: dict[str, Any]) -> set[str]:
    return {record["url"] for place in data["places"] for record in place["records"]}


def operation_url(kind: str, record: Any) -> str:
    return reverse("operations:detail", kwargs={"kind": kind, "public_id": record.public_id})


def test_the_choropleth_gives_the_chosen_figure_by_province_code(mw: MapWorld) -> None:
    # a1, a2, b_own, b_plain, c, old, of_b, mine: eight cases in quý III.
    assert data_of(mw.ca_prov)["choropleth"] == {"42": {"value": 8, "display": "8"}}
    assert data_of(mw.ca_prov, "operations")["choropleth"] == {"42": {"value": 2, "display": "2"}}
    assert data_of(mw.ca_prov, "overdue")["choropleth"] == {"42": {"value": 1, "display": "1"}}
    assert data_of(mw.ca_commune)["choropleth"] == {"42": {"value": 1, "display": "1"}}


def test_a_commune_with_a_centre_is_one_place_with_all_its_records(mw: MapWorld) -> None:
    data = data_of(mw.ca_prov)
    at_a = [p for p in data["places"] if p["commune_code"] == mw.a.code]
    assert len(at_a) == 1
    place = at_a[0]
    assert place["source"] == "centre"
    assert (place["lat"], place["lng"]) == (18.412345, 105.312345)
    assert place["commune"] == "Xã Sơn Kim 1"
    # a1, a2 (its own coordinates give way to the centre), mine, and the old commune's case.
    assert place["counts"] == {"cases": 4, "operations": 1, "overdue": 1}
    assert {r["url"] for r in place["records"]} == {
        case_url(mw.case_a1),
        case_url(mw.case_a2),
        case_url(mw.case_mine),
        case_url(mw.case_old),
        operation_url("protections", mw.protection),
        item_url(mw.item),
    }
    assert {r["kind"] for r in place["records"]} == {"case", "operation", "overdue"}
    assert place["more"] == 0


def test_a_pre_2025_commune_is_placed_at_the_commune_it_became(mw: MapWorld) -> None:
    data = data_of(mw.ca_prov)
    codes = {p["commune_code"] for p in data["places"]} | {
        u["commune_code"] for u in data["unplaced"]
    }
    assert mw.old.code not in codes
    (place,) = [
        p for p in data["places"] if case_url(mw.case_old) in {r["url"] for r in p["records"]}
    ]
    assert place["commune_code"] == mw.a.code


def test_records_with_their_own_coordinates_are_placed_there_when_the_commune_has_no_centre(
    mw: MapWorld,
) -> None:
    data = data_of(mw.ca_prov)
    at_b = sorted(
        (p for p in data["places"] if p["commune_code"] == mw.b.code), key=lambda p: p["lat"]
    )
    assert [(p["source"], p["lat"], p["lng"]) for p in at_b] == [
        ("record", 18.25, 106.05),
        ("record", 18.26, 106.06),
    ]
    assert [[r["url"] for r in p["records"]] for p in at_b] == [
        [case_url(mw.case_b_own)],
        [case_url(mw.case_of_b)],
    ]
    for place in at_b:
        assert place["counts"] == {"cases": 1, "operations": 0, "overdue": 0}


def test_a_commune_chosen_as_area_includes_the_old_communes_merged_into_it(mw: MapWorld) -> None:
    figures = key_figures(actor=mw.ca_prov, filters=Filters(period=Q3, area=mw.a))
    assert figures.get("cases.count").value == 4  # a1, a2, mine and the old commune's case
    assert figures.get("operations.count").value == 1  # the protection
    assert figures.get("exchange.received").value == 1  # the item about commune A
    data = data_of(mw.ca_prov, area=mw.a)
    assert {p["commune_code"] for p in data["places"]} == {mw.a.code}
    assert data["unplaced"] == []
    assert data["choropleth"] == {"42": {"value": 4, "display": "4"}}


def test_what_cannot_be_placed_is_listed_by_commune(mw: MapWorld) -> None:
    data = data_of(mw.ca_prov)
    unplaced = {u["commune_code"]: u["counts"] for u in data["unplaced"]}
    assert unplaced == {
        mw.b.code: {"cases": 1, "operations": 1, "overdue": 0},  # b_plain, the patrol
        mw.c.code: {"cases": 1, "operations": 0, "overdue": 0},
    }
    for entry in data["unplaced"]:
        assert entry["url"].startswith(reverse("dashboards:records"))


def test_every_listed_record_opens_for_the_user(mw: MapWorld) -> None:
    for actor in (mw.ca_prov, mw.ca_commune):
        client = client_for(actor)
        data = fetch(client)
        assert record_urls(data)
        for url in record_urls(data):
            assert client.get(url).status_code == 200, url


def test_a_commune_officer_sees_only_their_own_records_and_commune(mw: MapWorld) -> None:
    officer = fetch(client_for(mw.ca_commune))
    province = fetch(client_for(mw.ca_prov))
    assert record_urls(officer) == {case_url(mw.case_mine)}
    assert record_urls(officer) < record_urls(province)
    assert {p["commune_code"] for p in officer["places"]} == {mw.a.code}
    assert officer["places"][0]["counts"] == {"cases": 1, "operations": 0, "overdue": 0}
    assert officer["unplaced"] == []
    assert officer["hotspots"] == []
    text = json.dumps(officer, ensure_ascii=False)
    for hidden in (mw.case_a1, mw.case_b_own, mw.case_of_b, mw.case_c, mw.case_old):
        assert hidden.title not in text
        assert str(hidden.public_id) not in text
    for hidden_text in (mw.protection.title, mw.patrol.title, mw.item.title, "Thiên Cầm", "Kỳ Anh"):
        assert hidden_text not in text


def test_a_commune_busier_than_its_own_past_is_a_hotspot(mw: MapWorld) -> None:
    """Nothing in the four previous quarters: at least three cases make a hotspot."""
    hotspots = data_of(mw.ca_prov)["hotspots"]
    assert [(h["commune_code"], h["value"], h["baseline"]) for h in hotspots] == [
        (mw.a.code, 4, "0"),
        (mw.b.code, 3, "0"),
    ]
    assert (hotspots[0]["lat"], hotspots[0]["lng"]) == (18.412345, 105.312345)
    assert (hotspots[1]["lat"], hotspots[1]["lng"]) == (None, None)
    assert "từ 3 vụ việc trở lên" in data_of(mw.ca_prov)["hotspot_rule"]


def test_a_commune_as_busy_as_usual_is_not_a_hotspot(mw: MapWorld) -> None:
    """Commune C: two cases in each of the four quarters before quý III (baseline 2), so three
    now reach the minimum but not twice the baseline; four do."""
    for day in ("01/05/2024", "01/02/2024", "01/11/2023", "01/08/2023"):
        for hour in (8, 9):
            make_case(mw.ca_prov, mw.world, commune=mw.c, detected_at=at(day, hour))
    for day in ("09/08/2024", "10/08/2024"):  # with case_c: three in quý III
        make_case(mw.ca_prov, mw.world, commune=mw.c, detected_at=at(day))
    hotspots = {h["commune_code"]: h for h in data_of(mw.ca_prov)["hotspots"]}
    assert mw.c.code not in hotspots
    make_case(mw.ca_prov, mw.world, commune=mw.c, detected_at=at("11/08/2024"))
    hotspots = {h["commune_code"]: h for h in data_of(mw.ca_prov)["hotspots"]}
    assert (hotspots[mw.c.code]["value"], hotspots[mw.c.code]["baseline"]) == (4, "2")


def test_the_filters_narrow_the_map(mw: MapWorld, world: OrgWorld) -> None:
    smuggling = make_case(
        mw.ca_prov,
        world,
        title="Buôn lậu",
        category="smuggling",
        commune=mw.c,
        detected_at=at("11/08/2024"),
    )
    data = data_of(mw.ca_prov, category="smuggling")
    assert data["choropleth"] == {"42": {"value": 1, "display": "1"}}
    assert [u["counts"]["cases"] for u in data["unplaced"] if u["commune_code"] == mw.c.code] == [1]
    assert case_url(smuggling) not in record_urls(data)  # commune C has no centre
    # The period: nothing of quý III shows in quý II.
    q2 = map_data(actor=mw.ca_prov, filters=Filters(period=Q3.previous), figure="cases").as_json()
    assert q2["choropleth"] == {} and q2["places"] == [] and q2["unplaced"] == []


def test_the_map_data_endpoint_takes_the_filters_from_the_query(mw: MapWorld) -> None:
    client = client_for(mw.ca_prov)
    data = fetch(client, figure="operations")
    assert data["figure"]["key"] == "operations"
    assert data["period"]["key"] == "2024-Q3"
    assert data["choropleth"] == {"42": {"value": 2, "display": "2"}}
    border = fetch(client, force="BP")
    assert border["choropleth"] == {}  # no Border Guard unit took part in any case


# --- query budget -------------------------------------------------------------------------------

# Measured, the same on SQLite and PostgreSQL (session and login checks included): the home page
# takes 53 queries with cases only and 61 with one periodic report form (the completeness of both
# periods reads the units owing each form) — about two aggregates per source of key figures, one
# grouped query per source for the trends, the profile panel. The map data takes 26 to 27
# queries for cases or overdue items and 42 for operations (each of the six kinds is its own
# table). The budgets leave room for a few more, not for one per record or commune.
HOME_BUDGET = 70
MAP_BUDGET = 50


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_home_page_and_the_map_take_the_same_queries_for_one_case_or_ten(
    world: OrgWorld,
) -> None:
    ca_prov = user(world.u("ca_province"), roles=["officer"])
    with_centre(world.commune_a, *CENTRE_A)
    merged = old_commune(world, "18199", "Xã Sơn Kim 2 (cũ)", world.commune_a)
    # The one case is in a pre-2025 commune, so both runs take the path that maps old communes
    # to new ones (one more query, once, whatever the number of old communes).
    make_case(ca_prov, world, commune=merged, detected_at=at("01/08/2024"))
    client = client_for(ca_prov)
    home = f"{reverse('home')}?period=2024-Q3"
    data = f"{reverse('dashboards:map_data')}?period=2024-Q3"
    _count(client, home), _count(client, data)  # caches (content types, sessions) warmed
    few = (_count(client, home), _count(client, data))

    communes = [
        world.commune_a,
        world.commune_b,
        area("18700", "Xã Kỳ Anh", parent=world.province),
        area("18701", "Xã Kỳ Hoa", parent=world.province),
        merged,
    ]
    for n in range(9):
        extra: dict[str, Any] = {}
        if n % 3 == 0:
            extra = {"latitude": Decimal(f"18.{n}1"), "longitude": Decimal(f"106.{n}1")}
        make_case(
            ca_prov,
            world,
            commune=communes[n % len(communes)],
            detected_at=at(f"1{n}/08/2024"),
            **extra,
        )
    many = (_count(client, home), _count(client, data))

    assert many == few
    assert few[0] <= HOME_BUDGET
    assert few[1] <= MAP_BUDGET


def test_the_dashboard_does_not_grow_with_any_kind_of_record(world: OrgWorld) -> None:
    scenario = build_scenario(world)
    client = client_for(scenario.ca_prov)
    urls = [
        f"{reverse('home')}?period=2024-Q3",
        *(
            f"{reverse('dashboards:map_data')}?period=2024-Q3&figure={figure}"
            for figure in ("cases", "operations", "overdue")
        ),
    ]
    for url in urls:
        _count(client, url)
    few = [_count(client, url) for url in urls]

    prov, b = scenario.ca_prov, world.commune_b
    for day in ("02/08/2024", "03/08/2024", "04/08/2024"):
        make_case(
            prov,
            world,
            commune=b,
            detected_at=at(day),
            cooperating_units=[world.u("qs_province")],
            subjects=[person("Hoàng Văn E")],
            seized=[seized("go", "3", "m3"), seized("xang-dau", "100", "lít")],
        )
        make_patrol(prov, world, start_date=d(day), communes=[b])
        make_rescue(prov, world, start_date=d(day))
        send(scenario.bp_post, [world.u("ca_province"), world.u("ca_pc04")], at(day), areas=[b])
        make_forum(prov, b, d(day), 3)
    make_task(prov, b, lead_force="CA", supporting_forces=["QS"])
    many = [_count(client, url) for url in urls]

    assert many == few
    assert few[0] <= HOME_BUDGET
    assert max(few[1:]) <= MAP_BUDGET


def test_records_naming_no_commune_are_listed_as_unplaced_for_the_whole_province(
    mw: MapWorld,
) -> None:
    # Cases always name their commune; an information item may name none.
    send(mw.bp_post, [mw.world.u("ca_province")], at("02/07/2024", 8), title="Tin cả tỉnh")
    data = data_of(mw.ca_prov)
    rows = [u for u in data["unplaced"] if u["commune_code"] == ""]
    assert len(rows) == 1
    assert rows[0]["commune"] == "Không ghi xã, phường (cả tỉnh)"
    assert rows[0]["counts"] == {"cases": 0, "operations": 0, "overdue": 1}
    assert "key=exchange.overdue" in rows[0]["url"]
    # Every case of the period is somewhere: a place, a commune without position, or this row.
    placed = sum(p["counts"]["cases"] for p in data["places"])
    unplaced = sum(u["counts"]["cases"] for u in data["unplaced"])
    assert placed + unplaced == data["choropleth"]["42"]["value"]
