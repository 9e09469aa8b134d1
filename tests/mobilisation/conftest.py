"""Fixtures of the mobilisation tests: people of the three forces, and records built through the
services with plain defaults (2024 dates, province of the test world)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from phoihop.access.models import Distribution
from phoihop.audit.models import AuditEntry
from phoihop.mobilisation import services
from phoihop.mobilisation.models import (
    CampaignLaunch,
    Forum,
    ForumTopicCount,
    HandedInItem,
    Opinion,
    PropagandaSession,
    SocialProgramme,
    SurrenderCampaign,
)
from phoihop.org.models import User
from tests import factories
from tests.factories import OrgWorld

Q3_2024 = (dt.date(2024, 6, 15), dt.date(2024, 9, 14))
Q2_2024 = (dt.date(2024, 3, 15), dt.date(2024, 6, 14))
DAY = dt.date(2024, 7, 10)


@pytest.fixture
def people(world: OrgWorld) -> dict[str, User]:
    return {
        "ca_prov": factories.user(world.u("ca_province"), roles=["officer"]),
        "ca_chief": factories.user(world.u("ca_province"), roles=["commander"]),
        "ca_commune": factories.user(world.u("ca_commune_a"), roles=["officer"]),
        "ca_commune_b": factories.user(world.u("ca_commune_b"), roles=["officer"]),
        "qs_prov": factories.user(world.u("qs_province"), roles=["officer"]),
        "qs_commune": factories.user(world.u("qs_commune_a"), roles=["officer"]),
        "qs_joint": factories.user(world.u("qs_province"), roles=["joint_staff"]),
        "bp_post": factories.user(world.u("bp_post_a"), roles=["officer"]),
        "outsider": factories.user(world.u("ca_other_province"), roles=["officer", "commander"]),
        "mat_officer": factories.user(world.u("ca_province"), roles=["officer"], clearance=1),
    }


def snapshot() -> dict[str, int]:
    """How many rows every table a mobilisation write touches holds: to prove nothing was saved."""
    return {
        "forums": Forum.all_objects.count(),
        "topic_counts": ForumTopicCount.objects.count(),
        "opinions": Opinion.all_objects.count(),
        "propaganda": PropagandaSession.all_objects.count(),
        "campaigns": SurrenderCampaign.all_objects.count(),
        "launches": CampaignLaunch.all_objects.count(),
        "handed_in": HandedInItem.all_objects.count(),
        "programmes": SocialProgramme.all_objects.count(),
        "distribution": Distribution.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def make_forum(actor: User, world: OrgWorld, **extra: Any) -> Forum:
    fields: dict[str, Any] = {
        "start_date": DAY,
        "commune": world.commune_a,
        "attendees": 120,
        "opinions": 15,
        "topic_counts": [("security", 6), ("traffic", 4)],
    }
    fields.update(extra)
    return services.forum_create(actor=actor, **fields)


def make_propaganda(actor: User, **extra: Any) -> PropagandaSession:
    fields: dict[str, Any] = {
        "title": "Tuyên truyền pháp luật tại nhà văn hóa thôn",
        "start_date": DAY,
        "laws": ["can-cuoc"],
        "sessions": 2,
        "attendees": 150,
        "leaflets": 300,
    }
    fields.update(extra)
    return services.propaganda_create(actor=actor, **fields)


def make_campaign(actor: User, **extra: Any) -> SurrenderCampaign:
    fields: dict[str, Any] = {
        "name": "Vận động giao nộp vũ khí, vật liệu nổ năm 2024",
        "start_date": dt.date(2024, 6, 15),
        "end_date": dt.date(2024, 9, 14),
    }
    fields.update(extra)
    return services.campaign_create(actor=actor, **fields)


def make_programme(actor: User, **extra: Any) -> SocialProgramme:
    fields: dict[str, Any] = {
        "kind": "school",
        "name": "Trao học bổng cho học sinh nghèo vượt khó",
        "start_date": DAY,
        "beneficiaries": 20,
        "value": 40_000_000,
    }
    fields.update(extra)
    return services.programme_create(actor=actor, **fields)
