"""The registry of figures: every key, family and catalogue code is declared once; every
figure's records agree with its value on a small scenario; and one figure read by the report,
the dashboard and the indicators is one number."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import QuerySet

from phoihop.access.rules import OPERATOR
from phoihop.core import figures as registry
from phoihop.dashboards.selectors import Filters, key_figures
from phoihop.indicators import registry as indicators
from phoihop.indicators.periods import Period
from phoihop.mobilisation import services as mobilisation
from phoihop.mobilisation.services import HandedInData
from phoihop.reports.figures import build_figures
from tests.dashboards.test_key_figures import Scenario, build_scenario
from tests.factories import OrgWorld
from tests.mobilisation.conftest import make_campaign, make_programme, make_propaganda

pytestmark = pytest.mark.django_db

Q3 = Period.parse("2024-Q3")  # 15/06/2024–14/09/2024 (Nghị định 09)
START, END = Q3.window()

# The derived indicators of the catalogue: forms and submissions point at these codes.
CATALOGUE = {
    "exchange.items_sent",
    "exchange.items_received",
    "exchange.acknowledged_on_time",
    "exchange.acknowledged_on_time_share",
    "exchange.verifications_received",
    "exchange.verifications_answered_on_time",
    "cases.count",
    "cases.persons",
    "cases.organisations",
    "cases.wanted_arrested",
    *(
        f"cases.seized.{code}"
        for code in ("heroin", "ma-tuy-da", "ma-tuy-tong-hop", "phao-no", "thuoc-no", "go")
    ),
    *(
        f"operations.{name}"
        for name in (
            "delegations",
            "events",
            "checkpoint_vehicles",
            "checkpoint_people",
            "patrol_sorties",
            "patrol_violations",
            "rescues",
            "rescue_personnel",
            "rescue_vehicles",
            "people_rescued",
            "people_evacuated",
            "exercises",
        )
    ),
    *(
        f"mobilisation.{name}"
        for name in (
            "forums",
            "forum_attendees",
            "opinions",
            "propaganda_sessions",
            "propaganda_attendees",
            "campaign_communes",
            "campaign_coverage",
            "handed_in.thuoc-no",
            "handed_in.sung",
            "handed_in.dao-kiem",
            "social_beneficiaries",
        )
    ),
}


@pytest.fixture
def scenario(world: OrgWorld) -> Scenario:
    """The dashboard's scenario (cases, information, verifications, operations, forums,
    submissions, tasks) and some law propaganda, social support and a surrender campaign."""
    s = build_scenario(world)
    make_propaganda(s.ca_prov, commune=world.commune_a, start_date=dt.date(2024, 7, 2))
    make_programme(s.ca_prov, commune=world.commune_b, start_date=dt.date(2024, 8, 2))
    campaign = make_campaign(s.ca_prov, area=world.province)
    day = dt.date(2024, 7, 20)
    mobilisation.campaign_launch(
        actor=s.ca_prov, campaign=campaign, commune=world.commune_a, launched_on=day
    )
    mobilisation.handed_in_add(
        actor=s.ca_prov,
        campaign=campaign,
        rows=[HandedInData(world.commune_a, day, "sung", "3", "khẩu", localized=False)],
    )
    return s


# --- one declaration each -----------------------------------------------------------------------


def test_every_key_family_and_catalogue_code_is_declared_once() -> None:
    keys = [f.key for f in registry.figures()]
    prefixes = [f.prefix for f in registry.families()]
    assert len(keys) == len(set(keys)) and len(prefixes) == len(set(prefixes))
    # No declared figure is also a member of a family: one key, one definition.
    assert not [k for k in keys for p in prefixes if k.startswith(f"{p}.")]
    assert set(registry.derived()) == CATALOGUE
    for code, (derived, key) in registry.derived().items():
        assert registry.figure(key) is not None, code
        assert derived.name and derived.unit, code
    # Declaring a key twice is refused.
    taken = registry._Registry()
    taken.add_figure(registry.Figure("x.count", "X"))
    with pytest.raises(ValueError, match="declared twice"):
        taken.add_figure(registry.Figure("x.count", "Y"))


def test_every_source_says_how_its_records_are_listed() -> None:
    for source in registry.sources():
        assert source.row is not None and str(source.label), source.key
    for figure in registry.figures():
        assert str(figure.label), figure.key


# --- value and records --------------------------------------------------------------------------


def _recount(measure: registry.Measure, scope: registry.Scope) -> Any:
    """The value again, from the records the measure names (None: a provider's own rule)."""
    figure = measure.figure
    if figure.parts:
        return len(list(measure.entries()))
    if not figure.declarative or not isinstance(measure.records, QuerySet):
        return None
    if figure.share_of is not None:
        assert figure.source is not None
        whole = figure.source.records(scope).filter(registry._resolve(figure.share_of, scope))
        return registry.percent(measure.records.count(), whole.count())
    if figure.total:
        return sum(measure.records.values_list(figure.total, flat=True))
    return measure.records.count()


def test_every_figure_names_the_records_it_counts(scenario: Scenario, world: OrgWorld) -> None:
    scope = registry.Scope(actor=OPERATOR, start=START, end=END, area=world.province, period=Q3)
    measured = registry.measures(scope)
    # The scenario gives most figures something to count.
    assert len(measured) > 50
    for key in ("cases.seized.heroin", "campaigns.handed_in.sung", "exchange.items.sent.BP"):
        assert measured[key].value, key
    for key, measure in measured.items():
        ids = set(measure.public_ids())
        if isinstance(measure.records, QuerySet):
            source = measure.figure.source
            assert source is not None, key
            named = measure.records.values_list(source.ids, flat=True)
            assert ids == {str(i) for i in named}, key
        else:
            assert len(list(measure.entries())) >= len(ids), key
        if measure.value:
            assert ids or key.startswith("submissions."), key
        expected = _recount(measure, scope)
        if expected is not None:
            assert measure.value == expected, key


def test_the_records_behind_a_figure_are_what_a_list_shows(scenario: Scenario) -> None:
    scope = registry.Scope(actor=scenario.ca_prov, start=START, end=END, period=Q3)
    for key in ("cases.count", "operations.count", "exchange.received", "submissions.late"):
        measure = registry.measure(key, scope)
        assert measure is not None, key
        rows = [measure.row(entry) for entry in measure.entries()]
        assert len(rows) == measure.value, key
        assert all(row.title and row.url for row in rows), key


# --- one number everywhere ----------------------------------------------------------------------


def test_the_report_the_dashboard_and_the_indicator_give_one_number(
    scenario: Scenario, world: OrgWorld
) -> None:
    actor = scenario.ca_prov
    report = build_figures(area_code=world.province.code, period_key=Q3.key, actor=actor)
    dashboard = key_figures(actor=actor, filters=Filters(period=Q3, area=world.province))
    scope = indicators.Scope(actor=actor, unit=None, start=START, end=END, area=world.province)
    for key, code, expected in (
        ("cases.count", "cases.count", 4),  # case_a, case_first_day, case_last_day, case_b
        ("mobilisation.forums", "mobilisation.forums", 2),
        ("mobilisation.opinions", "mobilisation.opinions", 22),
    ):
        indicator = indicators.get(code)
        assert indicator is not None
        assert report.value(key) == dashboard.get(key).value == expected, key
        assert indicator.value(scope) == Decimal(expected), key
    # The report's provenance is the list the dashboard opens.
    count = report.get("cases.count")
    assert count is not None
    listed = registry.measure("cases.count", Filters(period=Q3, area=world.province).scope(actor))
    assert listed is not None
    assert count.provenance[0].ids == listed.public_ids()
    assert count.provenance[0].model == "cases.case"
