"""The derived indicators the mass-mobilisation module registers: values for a unit and a period
computed by hand from records built through the services, within the actor's visibility, and
their rows in the catalogue."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from phoihop.access.lint import scoped_model_names, violations_in_source
from phoihop.indicators import registry
from phoihop.indicators.models import Indicator
from phoihop.mobilisation import services
from phoihop.mobilisation.services import HandedInData
from phoihop.org.models import AdministrativeArea, Unit, User
from tests import factories
from tests.factories import OrgWorld, login, user
from tests.mobilisation.conftest import (
    Q2_2024,
    Q3_2024,
    make_campaign,
    make_forum,
    make_programme,
    make_propaganda,
)

pytestmark = pytest.mark.django_db

START, END = Q3_2024

RECORD_CODES = (
    "mobilisation.forums",
    "mobilisation.forum_attendees",
    "mobilisation.opinions",
    "mobilisation.propaganda_sessions",
    "mobilisation.propaganda_attendees",
    "mobilisation.social_beneficiaries",
)
CAMPAIGN_CODES = (
    "mobilisation.campaign_communes",
    "mobilisation.campaign_coverage",
    "mobilisation.handed_in.thuoc-no",
    "mobilisation.handed_in.sung",
    "mobilisation.handed_in.dao-kiem",
)
CODES = RECORD_CODES + CAMPAIGN_CODES


def values(
    actor: User, unit: Unit | None, codes: tuple[str, ...] = CODES, **scope: Any
) -> dict[str, Decimal]:
    window = registry.Scope(
        actor=actor,
        unit=unit,
        start=scope.pop("start", START),
        end=scope.pop("end", END),
        **scope,
    )
    return {code: registry.get(code).value(window) for code in codes}  # type: ignore[union-attr]


@pytest.fixture
def people(world: OrgWorld) -> dict[str, User]:
    return {
        "ca": user(world.u("ca_province"), roles=["officer"]),
        "ca_a": user(world.u("ca_commune_a"), roles=["officer"]),
        "ca_b": user(world.u("ca_commune_b"), roles=["officer"]),
        "bp": user(world.u("bp_post_a"), roles=["officer"]),
        "qs": user(world.u("qs_province"), roles=["officer"]),
        "qs_joint": user(world.u("qs_province"), roles=["joint_staff"]),
    }


@pytest.fixture
def third_commune(world: OrgWorld) -> AdministrativeArea:
    """The test province has three current communes."""
    return factories.area("18790", "Xã Kỳ Khang", parent=world.province)


@pytest.fixture
def records(world: OrgWorld, people: dict[str, User]) -> None:
    """Forums, propaganda and social support of quý III/2024 and around it."""
    ca, ca_a, ca_b, bp, qs = (people[k] for k in ("ca", "ca_a", "ca_b", "bp", "qs"))
    # Forums: the province's and the two communes' in the quarter, one the day before it, and
    # the Border Guard's own (not joint).
    make_forum(ca, world, start_date=dt.date(2024, 6, 15), attendees=100, opinions=12)
    make_forum(
        ca_a,
        world,
        start_date=dt.date(2024, 9, 14),
        attendees=80,
        opinions=9,
        topic_counts=[("security", 2), ("fire", 7)],
    )
    make_forum(
        ca_b,
        world,
        commune=world.commune_b,
        start_date=dt.date(2024, 8, 1),
        attendees=45,
        opinions=4,
        topic_counts=[],
    )
    make_forum(ca, world, start_date=dt.date(2024, 6, 14), attendees=999, opinions=99)
    make_forum(
        bp,
        world,
        start_date=dt.date(2024, 7, 20),
        attendees=60,
        opinions=6,
        topic_counts=[("security", 6)],
    )
    # Propaganda: a record on two laws counts its sessions once.
    make_propaganda(ca, laws=["can-cuoc", "cu-tru"], sessions=2, attendees=150)
    make_propaganda(ca_a, commune=world.commune_a, sessions=3, attendees=90)
    make_propaganda(ca, start_date=Q2_2024[0], sessions=40, attendees=4000)
    make_propaganda(qs, laws=["nghia-vu-quan-su"], sessions=5, attendees=500)
    # Social support.
    make_programme(ca, beneficiaries=20)
    make_programme(ca_b, commune=world.commune_b, kind="foster", beneficiaries=3, value=1)
    make_programme(ca, beneficiaries=99, start_date=Q2_2024[1])
    make_programme(qs, kind="housing", beneficiaries=1, value=80_000_000)


@pytest.fixture
def campaigns(world: OrgWorld, people: dict[str, User], third_commune: AdministrativeArea) -> None:
    """The Police's campaign of 2024, launched in two of the three communes by the end of the
    quarter (the third after it), with items handed in during and around the quarter; and the
    Border Guard's own campaign (not joint), launched in the third commune."""
    ca, bp = people["ca"], people["bp"]
    police = make_campaign(ca, start_date=dt.date(2024, 3, 15), end_date=dt.date(2024, 12, 14))
    for commune, day in (
        (world.commune_a, dt.date(2024, 4, 20)),
        (world.commune_b, dt.date(2024, 8, 2)),
        (third_commune, dt.date(2024, 9, 20)),
    ):
        services.campaign_launch(actor=ca, campaign=police, commune=commune, launched_on=day)
    services.handed_in_add(
        actor=ca,
        campaign=police,
        rows=[
            HandedInData(world.commune_a, dt.date(2024, 7, 1), "thuoc-no", "1.250", "gam"),
            HandedInData(world.commune_b, dt.date(2024, 7, 2), "thuoc-no", "1,15", "kg"),
            HandedInData(world.commune_a, dt.date(2024, 8, 1), "sung", 90),
            HandedInData(world.commune_b, dt.date(2024, 9, 14), "sung", 2),
            HandedInData(world.commune_b, dt.date(2024, 8, 9), "dao-kiem", 643),
            # Outside quý III/2024.
            HandedInData(world.commune_a, dt.date(2024, 6, 14), "sung", 1000),
            HandedInData(world.commune_a, dt.date(2024, 9, 15), "thuoc-no", 5, "kg"),
        ],
    )
    border = make_campaign(bp, start_date=dt.date(2024, 6, 15), end_date=dt.date(2024, 9, 14))
    services.campaign_launch(
        actor=bp, campaign=border, commune=third_commune, launched_on=dt.date(2024, 7, 1)
    )
    services.handed_in_add(
        actor=bp,
        campaign=border,
        rows=[HandedInData(third_commune, dt.date(2024, 7, 5), "sung", 7)],
    )


def test_the_province_police_count_the_records_their_units_organised_in_the_quarter(
    world, people, records, campaigns
):
    assert values(people["ca"], world.u("ca_province")) == {
        "mobilisation.forums": 3,
        "mobilisation.forum_attendees": 100 + 80 + 45,
        "mobilisation.opinions": 12 + 9 + 4,
        "mobilisation.propaganda_sessions": 2 + 3,
        "mobilisation.propaganda_attendees": 150 + 90,
        "mobilisation.social_beneficiaries": 20 + 3,
        # Communes A and B of three launched by 14/09/2024.
        "mobilisation.campaign_communes": 2,
        "mobilisation.campaign_coverage": Decimal("66.7"),
        # 1.250 gam + 1,15 kg.
        "mobilisation.handed_in.thuoc-no": Decimal("2.4"),
        "mobilisation.handed_in.sung": 92,
        "mobilisation.handed_in.dao-kiem": 643,
    }


def test_a_commune_scope_counts_only_what_that_commune_organised(world, people, records, campaigns):
    commune_a = values(people["ca"], world.u("ca_commune_a"))
    assert commune_a == {
        "mobilisation.forums": 1,
        "mobilisation.forum_attendees": 80,
        "mobilisation.opinions": 9,
        "mobilisation.propaganda_sessions": 3,
        "mobilisation.propaganda_attendees": 90,
        "mobilisation.social_beneficiaries": 0,
        # The campaign is the province's: none of it is the commune's.
        "mobilisation.campaign_communes": 0,
        "mobilisation.campaign_coverage": 0,
        "mobilisation.handed_in.thuoc-no": 0,
        "mobilisation.handed_in.sung": 0,
        "mobilisation.handed_in.dao-kiem": 0,
    }


def test_a_unit_that_cannot_see_a_record_does_not_count_it(world, people, records, campaigns):
    # Commune B sees only its own records, whatever the scope asks for.
    commune_b = values(people["ca_b"], world.u("ca_province"))
    assert commune_b["mobilisation.forums"] == 1
    assert commune_b["mobilisation.forum_attendees"] == 45
    assert commune_b["mobilisation.social_beneficiaries"] == 3
    assert commune_b["mobilisation.propaganda_sessions"] == 0
    assert commune_b["mobilisation.campaign_communes"] == 0
    assert commune_b["mobilisation.handed_in.sung"] == 0
    # With no unit the Police count all they see: never the Border Guard's forum and campaign
    # nor the Military Command's propaganda and support.
    police = values(people["ca"], None)
    assert police == values(people["ca"], world.u("ca_province"))
    # The Border Guard see their own: their forum, and their campaign in the third commune.
    border = values(people["bp"], None)
    assert (border["mobilisation.forums"], border["mobilisation.opinions"]) == (1, 6)
    assert border["mobilisation.campaign_communes"] == 1
    assert border["mobilisation.campaign_coverage"] == Decimal("33.3")
    assert border["mobilisation.handed_in.sung"] == 7
    assert border["mobilisation.handed_in.thuoc-no"] == 0
    military = values(people["qs"], world.u("qs_province"))
    assert military["mobilisation.propaganda_sessions"] == 5
    assert military["mobilisation.social_beneficiaries"] == 1
    assert military["mobilisation.forums"] == 0


def test_joint_staff_count_the_joint_campaigns_of_every_force(world, people, campaigns):
    assert values(people["qs_joint"], None, CAMPAIGN_CODES)["mobilisation.campaign_communes"] == 0
    # Once the Police mark their campaign joint, the Military Command's joint staff see it.
    from phoihop.mobilisation.selectors import campaign_list

    police = campaign_list(actor=people["ca"]).get()
    services.campaign_update(
        actor=people["ca"],
        campaign=police,
        expected_version=police.version,
        changes={"is_joint": True},
    )
    joint = values(people["qs_joint"], None, CAMPAIGN_CODES)
    assert joint["mobilisation.campaign_communes"] == 2
    assert joint["mobilisation.handed_in.sung"] == 92


def test_coverage_counts_the_launches_up_to_the_end_of_the_period(world, people, campaigns):
    ca, unit = people["ca"], world.u("ca_province")
    quarter_2 = values(ca, unit, CAMPAIGN_CODES, start=Q2_2024[0], end=Q2_2024[1])
    assert quarter_2 == {
        "mobilisation.campaign_communes": 1,
        "mobilisation.campaign_coverage": Decimal("33.3"),
        "mobilisation.handed_in.thuoc-no": 0,
        "mobilisation.handed_in.sung": 1000,
        "mobilisation.handed_in.dao-kiem": 0,
    }
    quarter_4 = values(
        ca, unit, CAMPAIGN_CODES, start=dt.date(2024, 9, 15), end=dt.date(2024, 12, 14)
    )
    assert quarter_4["mobilisation.campaign_communes"] == 3
    assert quarter_4["mobilisation.campaign_coverage"] == 100
    assert quarter_4["mobilisation.handed_in.thuoc-no"] == 5
    # Before the campaign started there is nothing to cover.
    before = values(ca, unit, CAMPAIGN_CODES, start=dt.date(2024, 1, 1), end=dt.date(2024, 3, 14))
    assert set(before.values()) == {0}


def test_an_area_narrows_the_figures(world, people, records, campaigns):
    commune_b = values(people["ca"], None, area=world.commune_b)
    assert commune_b["mobilisation.forums"] == 1
    assert commune_b["mobilisation.opinions"] == 4
    assert commune_b["mobilisation.social_beneficiaries"] == 3
    assert commune_b["mobilisation.propaganda_sessions"] == 0
    # Handed-in items of that commune; coverage stays the province's.
    assert commune_b["mobilisation.handed_in.thuoc-no"] == Decimal("1.15")
    assert commune_b["mobilisation.handed_in.sung"] == 2
    assert commune_b["mobilisation.campaign_coverage"] == Decimal("66.7")
    province = values(people["ca"], None, area=world.province)
    assert province == values(people["ca"], None)
    elsewhere = values(people["ca"], None, area=world.other_province)
    assert set(elsewhere.values()) == {0}


def test_nothing_recorded_gives_zeros(world, people, third_commune):
    assert set(values(people["ca"], world.u("ca_province")).values()) == {0}


def test_each_figure_takes_a_bounded_number_of_queries(
    world, people, records, campaigns, django_assert_max_num_queries
):
    window = registry.Scope(actor=people["ca"], unit=world.u("ca_province"), start=START, end=END)
    for code in CODES:
        item = registry.get(code)
        assert item is not None
        with django_assert_max_num_queries(10):
            item.value(window)


def test_the_links_open_the_list_of_the_records_behind_a_figure(world, people, records):
    window = registry.Scope(
        actor=people["ca"], unit=world.u("ca_province"), start=START, end=END, area=world.commune_b
    )
    link = registry.get("mobilisation.forums").link_for(window)  # type: ignore[union-attr]
    assert link == "/mobilisation/forums/?start=2024-06-15&end=2024-09-14&area=18676"
    client = Client()
    login(client, people["ca"])
    for code in CODES:
        item = registry.get(code)
        assert item is not None
        assert client.get(item.link_for(window)).status_code == 200, code


def test_the_catalogue_holds_the_mobilisation_indicators(db):
    rows = {row.code: row for row in Indicator.objects.filter(code__startswith="mobilisation.")}
    assert set(rows) == set(CODES)
    assert {row.kind for row in rows.values()} == {"derived"}
    described = {code: (row.unit, row.value_kind, row.aggregation) for code, row in rows.items()}
    assert described == {
        "mobilisation.forums": ("diễn đàn", "count", "sum"),
        "mobilisation.forum_attendees": ("lượt người", "count", "sum"),
        "mobilisation.opinions": ("ý kiến", "count", "sum"),
        "mobilisation.propaganda_sessions": ("buổi", "count", "sum"),
        "mobilisation.propaganda_attendees": ("lượt người", "count", "sum"),
        "mobilisation.social_beneficiaries": ("người", "count", "sum"),
        "mobilisation.campaign_communes": ("xã, phường", "count", "last"),
        "mobilisation.campaign_coverage": ("%", "decimal", "last"),
        "mobilisation.handed_in.thuoc-no": ("kg", "decimal", "sum"),
        "mobilisation.handed_in.sung": ("khẩu", "count", "sum"),
        "mobilisation.handed_in.dao-kiem": ("cái", "count", "sum"),
    }
    assert rows["mobilisation.forums"].name == "Số diễn đàn “Công an lắng nghe ý kiến Nhân dân”"


def test_syncing_restores_a_mobilisation_indicator_changed_by_hand(db):
    Indicator.objects.filter(code="mobilisation.opinions").update(name="Sửa tay", order=3)
    out = io.StringIO()
    call_command("sync_indicators", stdout=out)
    assert "1 written" in out.getvalue()
    row = Indicator.objects.get(code="mobilisation.opinions")
    assert (row.name, row.order) == ("Số ý kiến Nhân dân nêu tại diễn đàn", 3)


def test_the_module_reads_no_scoped_model_directly():
    source = Path(__file__).resolve().parents[2] / "phoihop" / "mobilisation" / "figures.py"
    found = list(
        violations_in_source(source.read_text(encoding="utf-8"), scoped_models=scoped_model_names())
    )
    assert found == []
