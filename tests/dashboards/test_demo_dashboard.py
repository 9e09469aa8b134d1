"""The dashboard on the demo province agrees with the coordination report: the same records give
the same numbers, for joint staff and for a commune officer, whose numbers are a subset."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from phoihop.access.rules import OPERATOR
from phoihop.dashboards.selectors import Filters, key_figures, map_data
from phoihop.indicators.periods import Period
from phoihop.org.models import AdministrativeArea, User
from phoihop.reports.figures import build_figures

JOINT_STAFF = "ca.tmth"
COMMUNE_OFFICER = "ca.son-kim-1.canbo"
Q3 = Period.parse("2024-Q3")
SAME_AS_REPORT = {
    "cases.count": "cases.count",
    "cases.persons": "cases.persons",
    "mobilisation.forums": "mobilisation.forums",
    "mobilisation.opinions": "mobilisation.opinions",
}


def _province() -> AdministrativeArea:
    return AdministrativeArea.objects.get(code="42", valid_until__isnull=True)


def _dashboard(actor: Any) -> dict[str, Any]:
    figures = key_figures(actor=actor, filters=Filters(period=Q3, area=_province()))
    return {f.key: f for f in figures.figures}


def test_the_key_figures_are_the_reports_figures_now_and_last_year(demo: str) -> None:
    for actor in (OPERATOR, User.objects.get(username=JOINT_STAFF)):
        dashboard = _dashboard(actor)
        report = build_figures(area_code="42", period_key="2024-Q3", actor=actor)
        for mine, theirs in SAME_AS_REPORT.items():
            figure = report.get(theirs)
            assert figure is not None, theirs
            assert dashboard[mine].value == figure.value, mine
            assert dashboard[mine].last_year == figure.last_year, mine
    # The reference conference's figures, recomputed from the demo's records.
    dashboard = _dashboard(OPERATOR)
    assert dashboard["cases.count"].text == "200"
    assert dashboard["mobilisation.opinions"].text == "3.429"


def test_a_commune_officers_figures_and_map_are_a_subset_of_joint_staffs(demo: str) -> None:
    officer = User.objects.get(username=COMMUNE_OFFICER)
    joint = User.objects.get(username=JOINT_STAFF)
    mine, theirs = _dashboard(officer), _dashboard(joint)
    for key, figure in mine.items():
        if key in theirs:
            assert figure.value <= theirs[key].value, key
    assert mine["cases.count"].value < theirs["cases.count"].value
    report = build_figures(area_code="42", period_key="2024-Q3", actor=officer)
    assert mine["cases.count"].value == report.value("cases.count")
    filters = Filters(period=Q3)
    small = map_data(actor=officer, filters=filters).as_json()
    big = map_data(actor=joint, filters=filters).as_json()
    assert small["choropleth"]["42"]["value"] == mine["cases.count"].value
    assert big["choropleth"]["42"]["value"] == theirs["cases.count"].value
    big_communes = {p["commune_code"]: p["counts"] for p in big["unplaced"] + big["places"]}
    for place in small["unplaced"] + small["places"]:
        assert place["commune_code"] in big_communes
        for figure, n in place["counts"].items():
            assert n <= big_communes[place["commune_code"]][figure]


def test_the_home_page_takes_a_bounded_number_of_queries_on_the_demo(demo: str) -> None:
    client = Client()
    client.force_login(User.objects.get(username=JOINT_STAFF))
    with CaptureQueriesContext(connection) as home:
        response = client.get("/?period=2024-Q3")
    assert response.status_code == 200
    with CaptureQueriesContext(connection) as data:
        response = client.get("/dashboards/map/data/?period=2024-Q3")
    assert response.status_code == 200
    # Measured on the demo (563 cases, hundreds of forums and operations): the counts do not
    # depend on the number of records; see test_pages for the same page with 1 and 10 cases.
    assert len(home.captured_queries) <= HOME_BUDGET
    assert len(data.captured_queries) <= MAP_BUDGET


HOME_BUDGET = 120
MAP_BUDGET = 60
