"""The dashboard's pages: the home page with its key figures and trends, the map page and its
data, the records behind a figure; bad input answered in Vietnamese; sign-in required."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from phoihop.audit.models import AuditEntry
from phoihop.dashboards.selectors import Filters, figure_url
from phoihop.org.models import Force
from tests.dashboards.test_key_figures import (
    Q3,
    Scenario,
    build_scenario,
    client_for,
    figures_of,
)
from tests.factories import OrgWorld, user


@pytest.fixture
def scenario(world: OrgWorld) -> Scenario:
    return build_scenario(world)


def figure_cards(page: str) -> dict[str, dict[str, str]]:
    """data-testid="figure-<key>" cards: their link and the value shown."""
    cards: dict[str, dict[str, str]] = {}
    for match in re.finditer(
        r'<a [^>]*href="(?P<href>[^"]*)"[^>]*data-testid="figure-(?P<key>[^"]+)"'
        r'.*?data-testid="figure-value">(?P<text>[^<]*)<',
        page,
        re.S,
    ):
        cards[match["key"]] = {"href": html.unescape(match["href"]), "text": match["text"]}
    return cards


def json_script(page: str, element_id: str) -> Any:
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(?P<body>.*?)</script>', page, re.S
    )
    assert match is not None, element_id
    return json.loads(match["body"])


def test_the_home_page_shows_the_key_figures_and_the_trends(scenario: Scenario) -> None:
    client = client_for(scenario.ca_prov)
    response = client.get(reverse("home"), {"period": "2024-Q3"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="key-figures"' in page
    assert "Số liệu chính quý III năm 2024" in page
    assert "Từ 15/06/2024 đến 14/09/2024, so với cùng kỳ năm 2023." in page
    cards = figure_cards(page)
    figures = figures_of(scenario.ca_prov)
    assert set(cards) == {f.key for f in figures.figures}
    assert cards["cases.count"]["text"] == "4"
    assert cards["operations.count"]["text"] == "4"
    assert cards["cases.seized.heroin"]["text"] == "12,09 gam heroin"
    for figure in figures.figures:
        assert cards[figure.key]["href"] == figure.url
    assert "tăng 03 vụ (300,0%) so với cùng kỳ năm 2023" in page
    assert "12,09 gam heroin" in page
    assert "trong đó 01 quá hạn" in page
    # Three trends of eight quarters, by force.
    assert page.count('data-testid="trend"') == 3
    cases = json_script(page, "cases")
    series = {line["name"]: line["y"] for line in cases["data"]}
    assert series["Công an"] == [0, 0, 0, 1, 1, 0, 1, 4]
    assert series["Bộ đội Biên phòng"] == [0, 0, 0, 0, 0, 0, 0, 1]
    labels = cases["data"][0]["x"]
    assert len(labels) == 8
    assert "IV" in labels[0] and "2022" in labels[0]  # quý IV năm 2022, however it is broken
    assert "III" in labels[-1] and "2024" in labels[-1]
    assert cases["layout"]["separators"] == ",."
    # The map opens on the same filters.
    assert f'href="{reverse("dashboards:map")}?period=2024-Q3"' in page


def test_the_home_page_of_a_commune_officer_counts_their_records_only(scenario: Scenario) -> None:
    page = client_for(scenario.ca_commune).get(reverse("home"), {"period": "2024-Q3"})
    cards = figure_cards(page.content.decode())
    assert cards["cases.count"]["text"] == "1"
    assert cards["operations.count"]["text"] == "1"
    assert cards["mobilisation.opinions"]["text"] == "7"
    assert cards["tasks.open"]["text"] == "0"


def test_the_home_page_filters_by_force(scenario: Scenario) -> None:
    page = client_for(scenario.ca_prov).get(reverse("home"), {"period": "2024-Q3", "force": "BP"})
    cards = figure_cards(page.content.decode())
    assert cards["cases.count"]["text"] == "1"
    assert "force=BP" in cards["cases.count"]["href"]


def test_the_home_page_opens_on_the_configured_period(scenario: Scenario, settings: Any) -> None:
    settings.PHOIHOP_DASHBOARD_PERIOD = "2024-Q3"
    page = client_for(scenario.ca_prov).get(reverse("home")).content.decode()
    assert "Số liệu chính quý III năm 2024" in page
    assert figure_cards(page)["cases.count"]["text"] == "4"


def test_a_bad_period_on_the_home_page_is_named_in_vietnamese(scenario: Scenario) -> None:
    response = client_for(scenario.ca_prov).get(reverse("home"), {"period": "2024-Q5"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kỳ báo cáo “2024-Q5” không hợp lệ." in html.unescape(page)
    assert 'data-testid="key-figures"' in page


def test_a_bad_period_on_the_map_data_is_a_400_in_the_api_error_shape(world: OrgWorld) -> None:
    client = client_for(user(world.u("ca_province"), roles=["officer"]))
    audit_before = AuditEntry.objects.count()
    response = client.get(reverse("dashboards:map_data"), {"period": "2024-Q5"})
    assert response.status_code == 400
    body = json.loads(response.content)
    assert set(body) == {"message", "code", "fields"}
    assert list(body["fields"]) == ["period"]
    (message,) = body["fields"]["period"]
    assert message.startswith("Kỳ báo cáo “2024-Q5” không hợp lệ.")
    assert message in body["message"]
    assert body["code"]
    assert AuditEntry.objects.count() == audit_before


def test_an_unknown_map_figure_is_refused_in_vietnamese(world: OrgWorld) -> None:
    client = client_for(user(world.u("ca_province"), roles=["officer"]))
    response = client.get(reverse("dashboards:map_data"), {"period": "2024-Q3", "figure": "x"})
    assert response.status_code == 400
    assert "figure" in json.loads(response.content)["fields"]


def test_an_unknown_figure_has_no_records_page(world: OrgWorld) -> None:
    client = client_for(user(world.u("ca_province"), roles=["officer"]))
    for key in ("", "cases.unknown", "exchange.nothing", "x"):
        response = client.get(figure_url(key, Filters(period=Q3)))
        assert response.status_code == 404, key
    assert client.get(reverse("dashboards:records"), {"period": "2024-Q3"}).status_code == 404


def test_a_records_page_states_its_figure_and_period(scenario: Scenario) -> None:
    url = figures_of(scenario.ca_prov).get("cases.count").url
    page = client_for(scenario.ca_prov).get(url).content.decode()
    assert "Vụ việc — quý III năm 2024" in page
    assert "4 bản ghi trong phạm vi bạn được xem." in page


def test_a_records_page_leads_back_to_the_home_page_on_the_same_filters(
    scenario: Scenario,
) -> None:
    client = client_for(scenario.ca_prov)
    url = figure_url("cases.count", Filters(period=Q3, force=Force.objects.get(code="BP")))
    page = client.get(url).content.decode()
    back = re.search(r'<li class="breadcrumb-item"><a href="([^"]+)">Trang chủ</a>', page)
    assert back is not None
    home = client.get(html.unescape(back[1])).content.decode()
    assert "Số liệu chính quý III năm 2024" in home
    assert (
        'role="alert"' not in home.split('data-testid="dashboard-filters"')[1].split("</form>")[0]
    )
    assert figure_cards(home)["cases.count"]["text"] == "1"


def test_the_map_page_points_at_its_data_and_loads_nothing_from_the_internet(
    world: OrgWorld,
) -> None:
    client = client_for(user(world.u("ca_province"), roles=["officer"]))
    response = client.get(reverse("dashboards:map"), {"period": "2024-Q3", "figure": "overdue"})
    assert response.status_code == 200
    page = response.content.decode()
    data_url = html.unescape(re.search(r'data-data-url="([^"]+)"', page)[1])  # type: ignore[index]
    assert data_url.startswith(reverse("dashboards:map_data"))
    assert "period=2024-Q3" in data_url and "figure=overdue" in data_url
    assert client.get(data_url).status_code == 200
    assert "Điểm nóng: xã, phường có từ 3 lượt thông tin quá hạn xác nhận trở lên" in page
    assert not re.search(r'(src|href)="(https?:)?//', page)


@pytest.mark.parametrize(
    "name", ["home", "dashboards:map", "dashboards:map_data", "dashboards:records"]
)
def test_anonymous_users_are_sent_to_sign_in(db: Any, name: str) -> None:
    response = Client().get(reverse(name), {"period": "2024-Q3", "figure": "cases.count"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_period_of_the_map_data_is_the_one_asked_for(scenario: Scenario) -> None:
    client = client_for(scenario.ca_prov)
    data = json.loads(
        client.get(reverse("dashboards:map_data"), {"period": Q3.key}).content.decode()
    )
    assert data["period"] == {"key": "2024-Q3", "label": "quý III năm 2024"}
    assert data["choropleth"]["42"]["value"] == 4
