"""Period figures of mass mobilisation against totals computed by hand, within visibility."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from phoihop.access.rules import visible
from phoihop.mobilisation import selectors, services
from phoihop.mobilisation.models import Forum, PropagandaSession, SocialProgramme, SurrenderCampaign
from phoihop.mobilisation.services import HandedInData, OpinionData
from phoihop.org.enums import AreaKind, AreaLevel
from phoihop.org.models import AdministrativeArea
from tests import factories
from tests.mobilisation.conftest import (
    Q2_2024,
    Q3_2024,
    make_campaign,
    make_forum,
    make_programme,
    make_propaganda,
)

START, END = Q3_2024


@pytest.fixture
def forums(world, people):
    """Four forums in quý III/2024 (three joint), one in quý II, one in another province."""
    make_forum(
        people["ca_prov"],
        world,
        start_date=dt.date(2024, 6, 15),
        attendees=100,
        opinions=12,
        topic_counts=[("security", 5), ("traffic", 3)],
        is_joint=True,
    )
    make_forum(
        people["ca_commune"],
        world,
        start_date=dt.date(2024, 9, 14),
        attendees=80,
        opinions=9,
        topic_counts=[("security", 2), ("fire", 7)],
        is_joint=True,
        opinion_items=[OpinionData(topic="fire", content="Xin tập huấn chữa cháy.")],
    )
    make_forum(
        people["ca_commune_b"],
        world,
        commune=world.commune_b,
        start_date=dt.date(2024, 8, 1),
        attendees=45,
        opinions=4,
        topic_counts=[],
    )
    make_forum(
        people["bp_post"],
        world,
        start_date=dt.date(2024, 7, 20),
        attendees=60,
        opinions=6,
        topic_counts=[("security", 6)],
        is_joint=True,
    )
    # Outside the period: the day before it starts.
    make_forum(
        people["ca_prov"],
        world,
        start_date=dt.date(2024, 6, 14),
        attendees=999,
        opinions=99,
        topic_counts=[("land", 99)],
        is_joint=True,
    )
    other_commune = factories.area("17500", "Xã Nghi Lộc", parent=world.other_province)
    make_forum(
        people["outsider"],
        world,
        commune=other_commune,
        attendees=500,
        opinions=50,
        topic_counts=[("security", 50)],
        is_joint=True,
    )


def test_forum_figures_of_the_police_province_are_its_own_subtree(world, people, forums):
    qs = selectors.records_in(selectors.forum_list(actor=people["ca_prov"]), start=START, end=END)
    figures = selectors.forum_figures(qs)
    # 100 + 80 + 45 (the three Police forums of the quarter).
    assert (figures.forums, figures.attendees, figures.opinions) == (3, 225, 25)
    assert figures.by_topic["security"] == 7
    assert figures.by_topic["traffic"] == 3
    assert figures.by_topic["fire"] == 7
    assert figures.by_topic["land"] == 0
    assert list(figures.by_topic) == [
        "security",
        "drugs",
        "traffic",
        "fire",
        "administration",
        "fraud",
        "land",
        "policy",
        "conduct",
        "other",
    ]
    assert figures.classified == 17 and figures.unclassified == 8
    assert figures.followed_up == {"open": 1, "answered": 0, "closed": 0}
    assert figures.by_force == {"CA": {"records": 3, "attendees": 225, "opinions": 25}}


def test_forum_figures_of_joint_staff_are_the_joint_records_of_their_province(
    world, people, forums
):
    figures = selectors.mobilisation_figures(
        actor=people["qs_joint"], start=START, end=END, area=world.province
    ).forums
    # The three joint forums of Hà Tĩnh in the quarter: 100 + 80 + 60 attendees.
    assert (figures.forums, figures.attendees, figures.opinions) == (3, 240, 27)
    assert figures.by_topic["security"] == 13
    assert figures.by_force == {
        "CA": {"records": 2, "attendees": 180, "opinions": 21},
        "BP": {"records": 1, "attendees": 60, "opinions": 6},
    }


def test_forum_figures_of_a_commune(world, people, forums):
    figures = selectors.forum_figures(
        selectors.records_in(
            selectors.forum_list(actor=people["ca_chief"]),
            start=START,
            end=END,
            area=world.commune_b,
        )
    )
    assert (figures.forums, figures.attendees, figures.opinions) == (1, 45, 4)
    assert figures.unclassified == 4


def test_an_outsider_sees_no_figure_of_the_province(world, people, forums):
    figures = selectors.mobilisation_figures(actor=people["outsider"], start=START, end=END)
    # Only their own forum, held on the default day (10/07/2024).
    assert (figures.forums.forums, figures.forums.opinions) == (1, 50)
    none = selectors.mobilisation_figures(
        actor=people["outsider"], start=START, end=END, area=world.province
    )
    assert none.forums.forums == 0 and none.forums.by_force == {}


def test_propaganda_figures_by_law_count_a_record_under_each_of_its_laws(world, people):
    make_propaganda(
        people["ca_prov"],
        laws=["can-cuoc", "trat-tu-atgt-duong-bo"],
        sessions=2,
        attendees=100,
        leaflets=50,
    )
    make_propaganda(people["ca_commune"], laws=["can-cuoc"], sessions=1, attendees=40, leaflets=0)
    make_propaganda(
        people["ca_prov"],
        laws=["can-cuoc"],
        start_date=Q2_2024[1],
        sessions=9,
        attendees=900,
        leaflets=900,
    )
    make_propaganda(people["qs_prov"], laws=["nghia-vu-quan-su"], attendees=70)
    figures = selectors.propaganda_figures(
        selectors.records_in(
            selectors.propaganda_list(actor=people["ca_prov"]), start=START, end=END
        )
    )
    assert (figures.records, figures.sessions, figures.attendees, figures.leaflets) == (
        2,
        3,
        140,
        50,
    )
    can_cuoc = figures.law("can-cuoc")
    traffic = figures.law("trat-tu-atgt-duong-bo")
    assert can_cuoc is not None and traffic is not None
    assert (can_cuoc.records, can_cuoc.sessions, can_cuoc.attendees, can_cuoc.leaflets) == (
        2,
        3,
        140,
        50,
    )
    assert (traffic.records, traffic.sessions, traffic.attendees, traffic.leaflets) == (
        1,
        2,
        100,
        50,
    )
    assert [f.law.code for f in figures.by_law] == ["can-cuoc", "trat-tu-atgt-duong-bo"]
    assert figures.law("nghia-vu-quan-su") is None


def _third_commune(world) -> AdministrativeArea:
    return factories.area("18790", "Xã Kỳ Khang", parent=world.province)


def test_campaign_coverage_is_communes_launched_over_current_communes(world, people):
    third = _third_commune(world)
    # A commune that ended does not count among the province's communes.
    AdministrativeArea.objects.create(
        code="18999",
        name="Xã Đã Sáp Nhập",
        kind=AreaKind.XA,
        level=AreaLevel.COMMUNE,
        parent=world.province,
        valid_from=dt.date(2025, 7, 1),
        valid_until=dt.date(2025, 12, 31),
    )
    campaign = make_campaign(people["ca_prov"], is_joint=True)
    services.campaign_launch(
        actor=people["ca_prov"],
        campaign=campaign,
        commune=world.commune_a,
        launched_on=dt.date(2024, 6, 20),
    )
    services.campaign_launch(
        actor=people["ca_prov"],
        campaign=campaign,
        commune=world.commune_b,
        launched_on=dt.date(2024, 8, 2),
    )
    july = selectors.campaign_figures(
        selectors.campaigns_in(
            selectors.campaign_list(actor=people["ca_prov"]),
            start=dt.date(2024, 7, 1),
            end=dt.date(2024, 7, 31),
        ),
        start=dt.date(2024, 7, 1),
        end=dt.date(2024, 7, 31),
        area=world.province,
    )
    (coverage,) = july.campaigns
    assert (coverage.communes, coverage.launched, coverage.launched_in_period) == (3, 1, 0)
    assert coverage.share == Decimal("0.3333")
    quarter = selectors.mobilisation_figures(
        actor=people["qs_joint"], start=START, end=END, area=world.province
    ).campaigns
    (coverage,) = quarter.campaigns
    assert (coverage.communes, coverage.launched, coverage.launched_in_period) == (3, 2, 2)
    assert coverage.share == Decimal("0.6667")
    assert (quarter.communes, quarter.launched, quarter.share) == (3, 2, Decimal("0.6667"))
    services.campaign_launch(
        actor=people["ca_prov"], campaign=campaign, commune=third, launched_on=dt.date(2024, 9, 1)
    )
    full = selectors.mobilisation_figures(
        actor=people["qs_joint"], start=START, end=END, area=world.province
    ).campaigns
    assert full.share == Decimal("1.0000")


def test_handed_in_totals_are_exact_sums_per_item_within_the_period(world, people):
    campaign = make_campaign(
        people["ca_prov"], start_date=dt.date(2024, 3, 15), end_date=dt.date(2024, 12, 14)
    )
    services.handed_in_add(
        actor=people["ca_prov"],
        campaign=campaign,
        rows=[
            HandedInData(world.commune_a, dt.date(2024, 7, 1), "thuoc-no", "1.250", "gam"),
            HandedInData(world.commune_b, dt.date(2024, 7, 2), "thuoc-no", "1,15", "kg"),
            HandedInData(world.commune_a, dt.date(2024, 7, 3), "thuoc-no", "0,000001", "kg"),
            HandedInData(world.commune_a, dt.date(2024, 8, 1), "sung", 90),
            HandedInData(world.commune_b, dt.date(2024, 9, 14), "sung", 2),
            HandedInData(world.commune_b, dt.date(2024, 8, 9), "dao-kiem", 643),
            # Outside quý III/2024.
            HandedInData(world.commune_a, dt.date(2024, 6, 14), "sung", 1000),
            HandedInData(world.commune_a, dt.date(2024, 9, 15), "thuoc-no", 5, "kg"),
        ],
    )
    figures = selectors.mobilisation_figures(actor=people["ca_prov"], start=START, end=END)
    handed = figures.campaigns
    # 1,25 + 1,15 + 0,000001 kg.
    assert handed.handed_in_of("thuoc-no") == Decimal("2.400001")
    assert handed.handed_in_of("sung") == Decimal(92)
    assert handed.handed_in_of("dao-kiem") == Decimal(643)
    assert [t.item.code for t in handed.handed_in] == ["thuoc-no", "sung", "dao-kiem"]
    commune_b = selectors.campaign_figures(
        selectors.campaign_list(actor=people["ca_prov"]), start=START, end=END, area=world.commune_b
    )
    assert commune_b.handed_in_of("thuoc-no") == Decimal("1.15")
    assert commune_b.handed_in_of("sung") == Decimal(2)
    by_commune = selectors.handed_in_by_commune(
        selectors.handed_in_list(actor=people["ca_prov"]).filter(handed_in_on__range=(START, END))
    )
    assert {t.item.code: t.quantity for t in by_commune[world.commune_a.pk]} == {
        "thuoc-no": Decimal("1.250001"),
        "sung": Decimal(90),
    }


def test_a_campaign_not_running_in_the_period_is_left_out(world, people):
    make_campaign(people["ca_prov"], start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 3, 1))
    running = make_campaign(people["ca_prov"], start_date=dt.date(2024, 1, 1), end_date=None)
    figures = selectors.mobilisation_figures(actor=people["ca_prov"], start=START, end=END)
    assert [c.campaign for c in figures.campaigns.campaigns] == [running]


def test_programme_figures_sum_beneficiaries_and_value_exactly(world, people):
    make_programme(people["bp_post"], kind="foster", beneficiaries=3, value="36.000.000")
    make_programme(people["bp_post"], kind="school", beneficiaries=25, value=Decimal("12500001"))
    make_programme(people["qs_prov"], kind="housing", beneficiaries=1, value=80_000_000)
    make_programme(
        people["bp_post"], kind="school", beneficiaries=99, value=1, start_date=Q2_2024[0]
    )
    figures = selectors.programme_figures(
        selectors.records_in(
            selectors.programme_list(actor=people["bp_post"]), start=START, end=END
        )
    )
    assert (figures.records, figures.beneficiaries, figures.value) == (
        2,
        28,
        Decimal("48500001"),
    )
    assert figures.by_kind["foster"] == {
        "records": 1,
        "beneficiaries": 3,
        "value": Decimal("36000000"),
    }
    assert figures.by_kind["housing"] == {"records": 0, "beneficiaries": 0, "value": Decimal(0)}


def test_the_figures_take_a_bounded_number_of_queries(
    world, people, forums, django_assert_max_num_queries
):
    for _ in range(3):
        make_propaganda(people["ca_prov"], laws=["can-cuoc", "cu-tru"])
        make_programme(people["ca_prov"])
    campaign = make_campaign(people["ca_prov"])
    services.campaign_launch(
        actor=people["ca_prov"], campaign=campaign, commune=world.commune_a, launched_on=START
    )
    actor = people["ca_prov"]
    actor.role_codes  # noqa: B018  (loaded once per request by the middleware in real use)
    with django_assert_max_num_queries(20):
        figures = selectors.mobilisation_figures(
            actor=actor, start=START, end=END, area=world.province
        )
    assert figures.propaganda.records == 3
    assert figures.programmes.records == 3


def test_lists_start_from_the_access_rule(world, people, forums):
    assert set(selectors.forum_list(actor=people["outsider"])) == set(
        visible(Forum, people["outsider"])
    )
    assert selectors.opinion_list(actor=people["outsider"]).count() == 0
    assert selectors.opinion_list(actor=people["ca_prov"]).count() == 1
    assert not visible(PropagandaSession, None).exists()
    assert not visible(SurrenderCampaign, None).exists()
    assert not visible(SocialProgramme, None).exists()
