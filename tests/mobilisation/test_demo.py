"""The demo step of mass mobilisation: the figures of quý III/2024 exactly, earlier quarters to
compare, deterministic and idempotent. The organisation part of the demo is built first (its
own steps), then the mobilisation step, once per module, rolled back at the end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.db import transaction

from phoihop.mobilisation.models import CampaignLaunch, Forum, HandedInItem, Opinion
from phoihop.mobilisation.selectors import area_communes, mobilisation_figures
from phoihop.org.models import AdministrativeArea, User
from phoihop_dev.demo.builder import (
    apply_moves,
    build,
    build_units,
    build_users,
    close_units,
    ensure_areas,
)
from phoihop_dev.demo.data import DEFAULT
from phoihop_dev.demo.mobilisation import QUARTERS, build_mobilisation, partition, plan_quarter

Q3_2024 = (dt.date(2024, 6, 15), dt.date(2024, 9, 14))
Q2_2024 = (dt.date(2024, 3, 15), dt.date(2024, 6, 14))
Q3_2023 = (dt.date(2023, 6, 15), dt.date(2023, 9, 14))
JOINT_STAFF = ("ca.tmth", "qs.tmth", "bp.tmth")
STEPS = [build_units, apply_moves, close_units, build_users, build_mobilisation]


@pytest.fixture(scope="module")
def demo_counts(django_db_setup, django_db_blocker) -> Iterator[dict[str, int]]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            ensure_areas(DEFAULT)
            yield dict(build(DEFAULT, steps=STEPS))
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(demo_counts: dict[str, int], db) -> dict[str, int]:
    return demo_counts


def province() -> AdministrativeArea:
    return AdministrativeArea.objects.get(level="province", code="42", valid_until__isnull=True)


def figures(username: str, period: tuple[dt.date, dt.date]):  # type: ignore[no-untyped-def]
    return mobilisation_figures(
        actor=User.objects.get(username=username),
        start=period[0],
        end=period[1],
        area=province(),
    )


def test_quarter_three_of_2024_holds_252_forums_with_3429_opinions(demo):
    for username in JOINT_STAFF:
        forums = figures(username, Q3_2024).forums
        assert (forums.forums, forums.opinions) == (252, 3429), username
        assert forums.classified + forums.unclassified == 3429
        assert forums.by_topic["security"] > forums.by_topic["conduct"] > 0


def test_the_surrender_campaign_reached_every_commune_with_the_reported_items(demo):
    campaigns = figures("qs.tmth", Q3_2024).campaigns
    communes = area_communes(province()).count()
    assert communes > 50
    assert (campaigns.communes, campaigns.launched) == (communes, communes)
    assert campaigns.share == Decimal("1.0000")
    (coverage,) = campaigns.campaigns
    assert coverage.launched_in_period == communes
    assert {t.item.code: t.quantity for t in campaigns.handed_in} == {
        "thuoc-no": Decimal("2.4"),
        "sung": Decimal(92),
        "dao-kiem": Decimal(643),
    }


def test_earlier_quarters_give_figures_to_compare(demo):
    q3_2023, q2_2024 = figures("ca.tmth", Q3_2023), figures("ca.tmth", Q2_2024)
    assert (q3_2023.forums.forums, q3_2023.forums.opinions) == (231, 3012)
    assert (q2_2024.forums.forums, q2_2024.forums.opinions) == (240, 3188)
    assert q3_2023.campaigns.handed_in_of("sung") == Decimal(71)
    assert q2_2024.campaigns.handed_in_of("thuoc-no") == Decimal("1.1")
    assert Decimal("0.8") < q3_2023.campaigns.share < Decimal("0.9")  # type: ignore[operator]
    for quarter in (q3_2023, q2_2024, figures("ca.tmth", Q3_2024)):
        assert quarter.propaganda.records > 40 and quarter.propaganda.sessions > 40
        assert len(quarter.propaganda.by_law) >= 6
        assert quarter.programmes.records >= 7 and quarter.programmes.value > 0


def test_forums_are_organised_only_by_units_that_existed_then(demo):
    owners = set(
        Forum.objects.filter(start_date__lt=dt.date(2025, 7, 1)).values_list(
            "owner_unit__code", flat=True
        )
    )
    assert owners <= {"CAT", "CAX-SK1", "CAX-SK2"}
    assert Opinion.objects.filter(status="closed").exists()
    assert Opinion.objects.filter(status="open").exists()


def test_the_step_is_idempotent(demo):
    before = (Forum.objects.count(), CampaignLaunch.objects.count(), HandedInItem.objects.count())
    counts = build(DEFAULT, steps=STEPS)
    assert counts == {}
    after = (Forum.objects.count(), CampaignLaunch.objects.count(), HandedInItem.objects.count())
    assert after == before


def test_the_plan_is_deterministic_and_exact():
    communes = [f"{18000 + i}" for i in range(69)]
    border = communes[:10]
    first = plan_quarter(QUARTERS[-1], communes, border)
    again = plan_quarter(QUARTERS[-1], communes, border)
    assert first == again
    assert sum(f.opinions for f in first.forums) == 3429
    assert all(sum(n for _t, n in f.topics) <= f.opinions for f in first.forums)
    assert first.campaign is not None and len(first.campaign.launches) == 69


def test_partition_adds_up_exactly():
    import random

    rng = random.Random(1)
    parts = partition(rng, 3429, 252, minimum=4)
    assert sum(parts) == 3429 and len(parts) == 252 and min(parts) >= 4
