"""Issue 8's journey in a real browser: a provincial joint staff member and a commune police
officer each open the home dashboard and the map of quý III/2024. The commune officer's figures,
map places, popups and hotspots are a subset of the joint staff's — nothing of the records they
may not see leaks through a total, a marker or the JSON behind the map — and no request leaves
the machine."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from phoihop.cases.models import Case
from phoihop.cases.services import SeizedData, SubjectData
from phoihop.mobilisation.services import forum_create
from phoihop.operations.services import UnitPart, protection_create
from phoihop.org.models import AdministrativeArea
from tests import factories
from tests.browser.conftest import RecordedPage
from tests.cases.conftest import at, make_case

pytestmark = pytest.mark.browser

PERIOD = "period=2024-Q3"  # decree09 rule: 15/06/2024 – 14/09/2024
HOME = f"/?{PERIOD}"
MAP = f"/dashboards/map/?{PERIOD}"
MAP_DATA = "/dashboards/map/data/"

# Title of each case: who recorded it, where, and who may see it.
PROVINCE_B = "Vận chuyển trái phép heroin qua bãi biển Thiên Cầm"  # CA province, commune B
PROVINCE_A = "Vận chuyển trái phép gỗ qua đường mòn Sơn Kim 1"  # CA province, commune A
COMMUNE_A = "Tàng trữ trái phép heroin tại thôn Khe Mây"  # CA commune A (its own)
MILITARY_JOINT_A = "Xuất cảnh trái phép qua đường mòn biên giới Sơn Kim"  # QS, joint, commune A
MILITARY_B = (
    "Vi phạm quy chế khu vực biên giới biển Thiên Cầm"  # QS, not joint: seen by neither user
)


def log_in(page: Page, base_url: str, username: str, path: str) -> None:
    page.goto(f"{base_url}{path}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base_url}{path}")


def vi_number(text: str) -> Decimal:
    """A number as the page writes it (3.429; 11,09)."""
    return Decimal(text.strip().replace(".", "").replace(",", "."))


def key_figures(page: Page) -> dict[str, Decimal]:
    figures = page.get_by_test_id("key-figures").locator('[data-testid^="figure-"][data-value]')
    expect(figures.first).to_be_visible()
    return {
        # data-value is the plain number (12.09); the card shows it the Vietnamese way.
        str(a.get_attribute("data-testid")).removeprefix("figure-"): Decimal(
            str(a.get_attribute("data-value"))
        )
        for a in figures.all()
    }


def open_dashboard(page: Page, base: str, screenshot: Path) -> dict[str, Decimal]:
    page.goto(f"{base}{HOME}")
    expect(page.get_by_role("heading", name="Số liệu chính quý III năm 2024")).to_be_visible()
    trends = page.get_by_test_id("trend")
    expect(trends.first).to_be_visible()
    for trend in trends.all():  # plotly has drawn each chart
        expect(trend).to_have_attribute("data-ready", "1")
    page.screenshot(path=screenshot, full_page=True)
    return key_figures(page)


def open_map(page: Page, base: str, screenshot: Path) -> tuple[dict[str, Any], int]:
    """The map page once drawn: the JSON the page fetched, and the number of places drawn."""
    with page.expect_response(lambda r: urlsplit(r.url).path == MAP_DATA) as caught:
        page.goto(f"{base}{MAP}")
    response = caught.value
    assert response.status == 200
    data: dict[str, Any] = response.json()
    expect(page.get_by_test_id("map")).to_have_attribute("data-ready", "1")
    expect(page.get_by_test_id("choropleth-legend")).to_be_visible()
    page.screenshot(path=screenshot, full_page=True)
    markers = int(vi_number(page.get_by_test_id("map-marker-count").inner_text()))
    expect(page.locator("path.map-place")).to_have_count(markers)
    return data, markers


def open_popup(page: Page, marker: int, commune: str) -> Locator:
    """Click a place's circle; its popup, once Leaflet has faded it in."""
    page.locator("path.map-place").nth(marker).click()
    popup = page.get_by_test_id("map-popup")
    expect(popup).to_contain_text(commune)
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")
    return popup


def titles(place: dict[str, Any]) -> set[str]:
    """The titles of the records a map place lists ("01/VV-CAT · <title>")."""
    return {r["title"].split(" · ", 1)[1] for r in place["records"]}


def set_test_centre(commune: AdministrativeArea, latitude: str, longitude: str) -> None:
    commune.latitude, commune.longitude = Decimal(latitude), Decimal(longitude)
    commune.full_clean()
    commune.save(update_fields=["latitude", "longitude"])


def build_scenario() -> tuple[factories.OrgWorld, Case]:
    """Cases, an operation and forums of quý III/2024 in two communes of Hà Tĩnh, recorded by the
    provincial police, the commune-A police and the provincial military; returns the world and
    the commune-A officer's own case. Users: thammuu.cat (joint staff of the provincial police)
    and canbo.sonkim (officer of the commune-A police)."""
    world = factories.build_world()
    # Test positions inside Hà Tĩnh (the mountains by the Lao border, the coast), not the
    # communes' real administrative centres.
    set_test_centre(world.commune_a, "18.40", "105.35")
    set_test_centre(world.commune_b, "18.30", "106.05")

    province_officer = factories.user(world.u("ca_province"), username="canbo.cat")
    commune_officer = factories.user(world.u("ca_commune_a"), username="canbo.sonkim")
    military_officer = factories.user(world.u("qs_province"), username="canbo.bchqs")
    # Joint staff of the provincial police: their own subtree plus the province's joint records.
    factories.user(world.u("ca_province"), roles=("joint_staff",), username="thammuu.cat")

    make_case(
        province_officer,
        world,
        title=PROVINCE_B,
        category="drugs",
        domain="sea",
        commune=world.commune_b,
        detected_at=at("12/07/2024"),
        subjects=[
            SubjectData(name="Lê Văn C", birth_year=1985, sex="male"),
            SubjectData(name="Phạm Văn D", birth_year=1992, sex="male"),
        ],
        seized=[SeizedData(item="heroin", quantity="0,01", unit="kg")],
    )
    make_case(
        province_officer, world, title=PROVINCE_A, category="forest", detected_at=at("03/08/2024")
    )
    own = make_case(
        commune_officer,
        world,
        title=COMMUNE_A,
        detected_at=at("20/08/2024"),
        subjects=[SubjectData(name="Nguyễn Văn A", birth_year=1990, sex="male")],
        seized=[SeizedData(item="heroin", quantity="1,09", unit="gam")],
    )
    make_case(
        military_officer,
        world,
        title=MILITARY_JOINT_A,
        category="migration",
        detected_at=at("25/08/2024"),
        is_joint=True,
    )
    make_case(
        military_officer,
        world,
        title=MILITARY_B,
        category="administrative",
        domain="sea",
        commune=world.commune_b,
        detected_at=at("26/08/2024"),
    )
    protection_create(
        actor=province_officer,
        title="Bảo vệ Lễ hội Cầu ngư Thiên Cầm",
        target="event",
        event_category="cultural",
        event_size=3000,
        start_date=dt.date(2024, 7, 20),
        end_date=dt.date(2024, 7, 21),
        units=[UnitPart(world.u("ca_province"), personnel=30, vehicles=3)],
        communes=[world.commune_b],
    )
    for actor, day, commune in (
        (province_officer, dt.date(2024, 8, 9), world.commune_b),
        (commune_officer, dt.date(2024, 7, 2), world.commune_a),
    ):
        forum_create(
            actor=actor, start_date=day, commune=commune, attendees=60, opinions=9, title="Diễn đàn"
        )
    return world, own


def test_a_commune_officer_sees_a_subset_of_the_joint_staff_dashboard_and_map(
    reference_data: None, live_server: Any, browser_page: RecordedPage, screenshot_dir: Path
) -> None:
    world, own = build_scenario()
    base = live_server.url
    page = browser_page.page

    # 1. Joint staff: the dashboard, the map, a marker's popup and a record behind it.
    log_in(page, base, "thammuu.cat", HOME)
    staff = open_dashboard(page, base, screenshot_dir / "dashboards-1-joint-staff-home.png")
    # Four cases: the police's own three and the military's joint one, not its other one.
    assert staff["cases.count"] == 4
    assert staff["operations.count"] == 1
    assert staff["mobilisation.forums"] == 2
    assert staff["cases.seized.heroin"] == Decimal("11.09")

    staff_data, staff_markers = open_map(
        page, base, screenshot_dir / "dashboards-2-joint-staff-map.png"
    )
    assert staff_markers == 2
    assert staff_data["choropleth"]["42"]["value"] == 4
    staff_places = {p["commune_code"]: p for p in staff_data["places"]}
    assert staff_places[world.commune_a.code]["counts"]["cases"] == 3
    assert staff_places[world.commune_b.code]["counts"] == {
        "cases": 1,
        "operations": 1,
        "overdue": 0,
    }
    assert titles(staff_places[world.commune_a.code]) == {PROVINCE_A, COMMUNE_A, MILITARY_JOINT_A}
    assert MILITARY_B not in json.dumps(staff_data, ensure_ascii=False)
    # Three cases in Sơn Kim 1 against nothing before: a hotspot, ringed in red.
    expect(page.get_by_test_id("hotspot-row")).to_have_count(1)
    expect(page.get_by_test_id("hotspot-row")).to_have_attribute(
        "data-commune", world.commune_a.code
    )
    expect(page.locator("path.map-hotspot")).to_have_count(1)

    # Thiên Cầm's circle (drawn second: places come busiest first); Sơn Kim 1's lies under the
    # hotspot ring.
    popup = open_popup(page, 1, "Xã Thiên Cầm")
    expect(popup.get_by_test_id("map-record-link")).to_have_count(2)
    page.screenshot(path=screenshot_dir / "dashboards-3-joint-staff-popup.png", full_page=True)
    popup.get_by_role("link", name=PROVINCE_B, exact=False).click()
    page.wait_for_url("**/cases/**")
    expect(page.get_by_role("heading", name=PROVINCE_B)).to_be_visible()
    page.screenshot(path=screenshot_dir / "dashboards-4-record-from-map.png", full_page=True)

    page.get_by_role("button", name="Đăng xuất").click()

    # 2. The commune officer: the same pages show only what they may see.
    log_in(page, base, "canbo.sonkim", HOME)
    officer = open_dashboard(page, base, screenshot_dir / "dashboards-5-commune-home.png")
    assert set(officer) <= set(staff)
    assert all(value <= staff[key] for key, value in officer.items()), (officer, staff)
    assert officer["cases.count"] == 1 < staff["cases.count"]
    assert officer["operations.count"] == 0
    assert officer["mobilisation.forums"] == 1
    assert officer["cases.seized.heroin"] == Decimal("1.09")

    officer_data, officer_markers = open_map(
        page, base, screenshot_dir / "dashboards-6-commune-map.png"
    )
    assert officer_markers == 1 < staff_markers
    assert officer_data["choropleth"] == {"42": {"value": 1, "display": "1"}}
    own_url = reverse("cases:detail", args=[own.public_id])
    assert [p["commune_code"] for p in officer_data["places"]] == [world.commune_a.code]
    assert [r["url"] for p in officer_data["places"] for r in p["records"]] == [own_url]
    assert officer_data["places"][0]["counts"] == {"cases": 1, "operations": 0, "overdue": 0}
    assert officer_data["places"][0]["more"] == 0
    assert officer_data["unplaced"] == [] and officer_data["hotspots"] == []
    text = json.dumps(officer_data, ensure_ascii=False)
    for hidden in (PROVINCE_A, PROVINCE_B, MILITARY_JOINT_A, MILITARY_B, "Thiên Cầm", "Bảo vệ"):
        assert hidden not in text
    expect(page.get_by_test_id("hotspot-row")).to_have_count(0)
    expect(page.locator("path.map-hotspot")).to_have_count(0)
    expect(page.get_by_test_id("unplaced-row")).to_have_count(0)

    popup = open_popup(page, 0, "Xã Sơn Kim 1")
    expect(popup.get_by_test_id("map-record-link")).to_have_count(1)
    expect(popup).not_to_contain_text(PROVINCE_A)
    expect(popup).not_to_contain_text(MILITARY_JOINT_A)
    page.screenshot(path=screenshot_dir / "dashboards-7-commune-popup.png", full_page=True)
    popup.get_by_test_id("map-record-link").click()
    page.wait_for_url(f"{base}{own_url}")
    expect(page.get_by_role("heading", name=COMMUNE_A)).to_be_visible()

    # 3. Nothing left the machine, and every request the pages made was answered.
    assert browser_page.foreign_requests(urlsplit(base).netloc) == []
    assert browser_page.failures == []


def test_a_key_figure_opens_the_records_it_counts_in_the_chosen_period(
    reference_data: None, live_server: Any, browser_page: RecordedPage, screenshot_dir: Path
) -> None:
    build_scenario()
    base = live_server.url
    page = browser_page.page

    log_in(page, base, "canbo.sonkim", HOME)
    page.get_by_test_id("figure-cases.count").click()
    page.wait_for_url("**/dashboards/records/**")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vụ việc — quý III năm 2024")
    rows = page.get_by_test_id("figure-records").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(COMMUNE_A)
    page.screenshot(path=screenshot_dir / "dashboards-8-figure-records.png", full_page=True)
    assert browser_page.foreign_requests(urlsplit(base).netloc) == []
    assert browser_page.failures == []
