"""The access matrix: force × level × role × clearance against every kind of record placement.

The expected answer comes from `oracle`, the rule of product.md §2 written again here in plain
Python over the parent chain (not the materialised path), so the two implementations check
each other. Every actor is checked through the selector, the page list and detail, the API list
and detail, and a change through the API (200 allowed, 403 visible but not allowed, 404 invisible).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings

from phoihop.access.models import Distribution
from phoihop.access.rules import visible
from phoihop.cases.models import Case, CaseUnit, SeizedItem, Subject, WantedPerson
from phoihop.cases.selectors import (
    case_figures,
    case_list,
    seized_item_list,
    subject_list,
    wanted_list,
)
from phoihop.core.enums import Classification
from phoihop.exchange.attachments import Attachment
from phoihop.exchange.models import InformationItem, Receipt, Reply, VerificationRequest
from phoihop.exchange.selectors import info_item_list, verification_list
from phoihop.indicators.models import ReportForm, Submission
from phoihop.indicators.selectors import submission_list
from phoihop.mobilisation import selectors as mobilisation
from phoihop.mobilisation.models import (
    CampaignLaunch,
    Forum,
    HandedInItem,
    Law,
    Opinion,
    PropagandaSession,
    SocialProgramme,
    SurrenderCampaign,
)
from phoihop.operations import selectors as operations
from phoihop.operations.models import (
    Checkpoint,
    CheckpointCount,
    Exercise,
    OperationUnit,
    Patrol,
    ProtectedZone,
    Protection,
    Rescue,
)
from phoihop.org.models import Unit, User
from tests.factories import OrgWorld, build_world, login, user
from tests.scopedapp.models import Memo

FORCE_UNITS = {  # (force, level) → unit key in the world
    ("CA", "province"): "ca_province",
    ("CA", "commune"): "ca_commune_a",
    ("QS", "province"): "qs_province",
    ("QS", "commune"): "qs_commune_a",
    ("BP", "province"): "bp_province",
    ("BP", "commune"): "bp_post_a",
}
ROLES = ["officer", "commander", "joint_staff", "administrator"]
CLEARANCES = [Classification.THUONG, Classification.MAT, Classification.TOI_MAT]
OWNERS = [
    "ca_province",
    "ca_pc04",
    "ca_commune_a",
    "ca_commune_b",
    "qs_commune_a",
    "bp_post_a",
    "ca_other_province",
]


@dataclass(frozen=True)
class TwinKind:
    """A record kind of operations or mobilisation placed like the memos."""

    slug: str  # its key in `Scenario.records`
    model: type[Any]
    selector: Callable[..., Any]  # the list selector, called with `actor=`
    api: str  # the API list; a record is `{api}{public_id}/`
    page: str  # the detail page prefix; a record is `{page}{public_id}/`


TWIN_KINDS = [
    TwinKind(
        "protections",
        Protection,
        operations.protection_list,
        "/api/v1/operations/protections/",
        "/operations/protections/",
    ),
    TwinKind(
        "checkpoints",
        Checkpoint,
        operations.checkpoint_list,
        "/api/v1/operations/checkpoints/",
        "/operations/checkpoints/",
    ),
    TwinKind(
        "zones",
        ProtectedZone,
        operations.zone_list,
        "/api/v1/operations/zones/",
        "/operations/zones/",
    ),
    TwinKind(
        "patrols",
        Patrol,
        operations.patrol_list,
        "/api/v1/operations/patrols/",
        "/operations/patrols/",
    ),
    TwinKind(
        "rescues",
        Rescue,
        operations.rescue_list,
        "/api/v1/operations/rescues/",
        "/operations/rescues/",
    ),
    TwinKind(
        "exercises",
        Exercise,
        operations.exercise_list,
        "/api/v1/operations/exercises/",
        "/operations/exercises/",
    ),
    TwinKind(
        "forums",
        Forum,
        mobilisation.forum_list,
        "/api/v1/mobilisation/forums/",
        "/mobilisation/forums/",
    ),
    TwinKind(
        "propaganda",
        PropagandaSession,
        mobilisation.propaganda_list,
        "/api/v1/mobilisation/propaganda/",
        "/mobilisation/propaganda/",
    ),
    TwinKind(
        "campaigns",
        SurrenderCampaign,
        mobilisation.campaign_list,
        "/api/v1/mobilisation/campaigns/",
        "/mobilisation/campaigns/",
    ),
    TwinKind(
        "programmes",
        SocialProgramme,
        mobilisation.programme_list,
        "/api/v1/mobilisation/programmes/",
        "/mobilisation/programmes/",
    ),
]
# Every operations and mobilisation twin starts on this day, inside this period (quý III/2024).
TWIN_DAY = dt.date(2024, 7, 1)
TWIN_PERIOD = (dt.date(2024, 6, 15), dt.date(2024, 9, 14))
# The kinds' figures in `operations_figures` and in the API's `figures/`.
OPERATION_FIGURES = ("protection", "checkpoints", "zones", "patrols", "rescues", "exercises")

ACTOR_KEYS = [
    (force, level, role, clearance)
    for (force, level), role, clearance in itertools.product(FORCE_UNITS, ROLES, CLEARANCES)
]
ACTORS = [
    pytest.param(force, level, role, clearance, id=f"{force}-{level}-{role}-{clearance.name}")
    for force, level, role, clearance in ACTOR_KEYS
]


@dataclass
class Scenario:
    world: OrgWorld
    memos: list[Memo]
    distributed: set[tuple[int, int]]  # (memo pk, unit pk)
    # An information item with a verification request in the same place as each memo.
    items: dict[int, InformationItem] = field(default_factory=dict)
    verifications: dict[int, VerificationRequest] = field(default_factory=dict)
    attachments: dict[int, Attachment] = field(default_factory=dict)
    # A case (with a subject and a seized item) and a wanted person placed like each memo.
    cases: dict[int, Case] = field(default_factory=dict)
    subjects: dict[int, Subject] = field(default_factory=dict)
    seized: dict[int, SeizedItem] = field(default_factory=dict)
    wanted: dict[int, WantedPerson] = field(default_factory=dict)
    submissions: dict[int, Submission] = field(default_factory=dict)
    # The memo's position in `memos` (from 1): the per-record number of every figure checked.
    numbers: dict[int, int] = field(default_factory=dict)
    # Every operations and mobilisation kind, by `TwinKind.slug`, then memo pk; and the rows
    # inside those records, seen by whoever sees their record.
    records: dict[str, dict[int, Any]] = field(default_factory=dict)
    checkpoint_counts: dict[int, CheckpointCount] = field(default_factory=dict)
    opinions: dict[int, Opinion] = field(default_factory=dict)
    launches: dict[int, CampaignLaunch] = field(default_factory=dict)
    handed_in: dict[int, HandedInItem] = field(default_factory=dict)
    # Each patrol is linked to the case of the next memo (cyclically): memo pk → that memo's pk.
    patrol_case_of: dict[int, int] = field(default_factory=dict)


def _distribute(memo: Memo, unit: Unit, forwarded_by: Unit | None = None) -> None:
    Distribution.objects.create(
        content_type=ContentType.objects.get_for_model(Memo),
        object_id=memo.pk,
        unit=unit,
        forwarded_by=forwarded_by,
    )


def build_scenario() -> Scenario:
    w = build_world()
    memos = []
    for owner, classification, joint in itertools.product(OWNERS, CLEARANCES, [False, True]):
        unit = w.u(owner)
        memos.append(
            Memo.objects.create(
                title=f"{owner}/{classification.name}/{'joint' if joint else 'own'}",
                owner_unit=unit,
                province=unit.province,
                classification=classification,
                is_joint=joint,
            )
        )

    # Sent from the police drugs department to the Border Guard command, which forwards it to
    # its post; a classified one straight to the post; one from the other province to a commune.
    def extra(title: str, owner: str, classification: int = 0, joint: bool = False) -> Memo:
        unit = w.u(owner)
        memo = Memo.objects.create(
            title=title,
            owner_unit=unit,
            province=unit.province,
            classification=classification,
            is_joint=joint,
        )
        memos.append(memo)
        return memo

    sent = extra("pc04→bp", "ca_pc04")
    _distribute(sent, w.u("bp_province"))
    forwarded = extra("pc04→bp→post", "ca_pc04")
    _distribute(forwarded, w.u("bp_province"))
    _distribute(forwarded, w.u("bp_post_a"), forwarded_by=w.u("bp_province"))
    secret = extra("pc04→post (Mật)", "ca_pc04", classification=Classification.MAT)
    _distribute(secret, w.u("bp_post_a"))
    foreign = extra("nghe-an→qs xã (joint)", "ca_other_province", joint=True)
    _distribute(foreign, w.u("qs_commune_a"))
    distributed = set(
        Distribution.objects.filter(
            content_type=ContentType.objects.get_for_model(Memo)
        ).values_list("object_id", "unit_id")  # type: ignore[arg-type]
    )
    scenario = Scenario(
        world=w,
        memos=memos,
        distributed=distributed,
        numbers={memo.pk: number for number, memo in enumerate(memos, start=1)},
    )
    _twin_exchange_records(scenario)
    _twin_case_records(scenario)
    _twin_submissions(scenario)
    _twin_operations_and_mobilisation(scenario)
    return scenario


def _twin_operations_and_mobilisation(scenario: Scenario) -> None:
    """Every operations and mobilisation kind placed exactly like the memos.

    Each record's figure (incidents, vehicles counted, people, violations, people rescued,
    participants, personnel committed, opinions, attendees, explosives handed in, value) is the
    memo's number, unique per memo, so a total that counted an invisible record would differ
    from the sum over the visible ones.
    """
    from phoihop.cases.models import CatalogueItem

    creator = User.objects.get(username="matrix-sender")
    commune = scenario.world.commune_a
    explosives = CatalogueItem.objects.get(code="thuoc-no")
    law = Law.objects.order_by("order").first()
    assert law is not None, "the law catalogue is seeded after migrate"
    types = {kind.slug: ContentType.objects.get_for_model(kind.model) for kind in TWIN_KINDS}
    scenario.records = {kind.slug: {} for kind in TWIN_KINDS}
    memos = scenario.memos
    for index, memo in enumerate(memos):
        n = scenario.numbers[memo.pk]
        placed = {
            "owner_unit": memo.owner_unit,
            "province": memo.province,
            "classification": memo.classification,
            "is_joint": memo.is_joint,
            "start_date": TWIN_DAY,
            "created_by": creator,
        }
        operation = {**placed, "title": memo.title, "place": f"Km {n}"}
        made: dict[str, Any] = {
            "protections": Protection.objects.create(
                **operation, target="event", event_category="political", incidents=n
            ),
            "checkpoints": Checkpoint.objects.create(**operation, purpose="border"),
            "zones": ProtectedZone.objects.create(**operation, zone_kind="key_target", people=n),
            "patrols": Patrol.objects.create(**operation, route="land", violations=n),
            "rescues": Rescue.objects.create(**operation, incident_kind="flood", people_rescued=n),
            "exercises": Exercise.objects.create(
                **operation, exercise_kind="sar", participants_count=n
            ),
            "forums": Forum.objects.create(**placed, commune=commune, attendees=n, opinions=n),
            "propaganda": PropagandaSession.objects.create(
                **placed, title=memo.title, commune=commune, attendees=n
            ),
            "campaigns": SurrenderCampaign.objects.create(
                **placed, name=memo.title, area=memo.province
            ),
            "programmes": SocialProgramme.objects.create(
                **placed, kind="other", name=memo.title, beneficiaries=n, value=Decimal(n * 1000)
            ),
        }
        for slug, record in made.items():
            scenario.records[slug][memo.pk] = record
            if record._meta.app_label == "operations":
                OperationUnit.objects.create(
                    content_type=types[slug],
                    object_id=record.pk,
                    unit=memo.owner_unit,
                    force=memo.owner_unit.force,
                    role="lead",
                    personnel=n,
                )
            for memo_pk, unit_pk in scenario.distributed:
                if memo_pk == memo.pk:
                    Distribution.objects.create(
                        content_type=types[slug], object_id=record.pk, unit_id=unit_pk
                    )
        following = memos[(index + 1) % len(memos)]
        made["patrols"].cases.add(scenario.cases[following.pk])
        scenario.patrol_case_of[memo.pk] = following.pk
        made["propaganda"].laws.add(law)
        scenario.checkpoint_counts[memo.pk] = CheckpointCount.objects.create(
            checkpoint=made["checkpoints"],
            day=TWIN_DAY,
            vehicles=n,
            people=n,
            created_by=creator,
        )
        scenario.opinions[memo.pk] = Opinion.objects.create(
            forum=made["forums"], topic="security", content=f"ý kiến {n}", created_by=creator
        )
        scenario.launches[memo.pk] = CampaignLaunch.objects.create(
            campaign=made["campaigns"], commune=commune, launched_on=TWIN_DAY, unit=memo.owner_unit
        )
        scenario.handed_in[memo.pk] = HandedInItem.objects.create(
            campaign=made["campaigns"],
            commune=commune,
            handed_in_on=TWIN_DAY,
            item=explosives,
            quantity=Decimal(n),
            entered_quantity=Decimal(n),
            entered_unit="kg",
        )


def _twin_submissions(scenario: Scenario) -> None:
    """Periodic submissions placed like the memos (one period each, so none collide)."""
    from phoihop.org.models import UnitLevel

    form = ReportForm.objects.create(
        code="MATRIX", name="Biểu mẫu ma trận", level=UnitLevel.objects.get(code="tinh")
    )
    creator = User.objects.get(username="matrix-sender")
    submission_type = ContentType.objects.get_for_model(Submission)
    for number, memo in enumerate(scenario.memos, start=1):
        submission = Submission.objects.create(
            owner_unit=memo.owner_unit,
            province=memo.province,
            classification=memo.classification,
            is_joint=memo.is_joint,
            form=form,
            period_key=str(1900 + number),
            period_start=dt.date(1900 + number, 1, 1),
            period_end=dt.date(1900 + number, 12, 31),
            deadline=dt.date(1901 + number, 1, 5),
            created_by=creator,
        )
        for memo_pk, unit_pk in scenario.distributed:
            if memo_pk == memo.pk:
                Distribution.objects.create(
                    content_type=submission_type, object_id=submission.pk, unit_id=unit_pk
                )
        scenario.submissions[memo.pk] = submission


def _twin_exchange_records(scenario: Scenario) -> None:
    """Information items placed exactly like the memos: the rule must treat every kind alike."""
    sender = User.objects.create_user(
        username="matrix-sender", unit=scenario.world.u("ca_province")
    )
    item_type = ContentType.objects.get_for_model(InformationItem)
    for number, memo in enumerate(scenario.memos, start=1):
        item = InformationItem.objects.create(
            owner_unit=memo.owner_unit,
            province=memo.province,
            classification=memo.classification,
            is_joint=memo.is_joint,
            title=memo.title,
            content="…",
            topic="other",
            number=number,
            year=2026,
            sent_by=sender,
        )
        scenario.items[memo.pk] = item
        for memo_pk, unit_pk in scenario.distributed:
            if memo_pk == memo.pk:
                Receipt.objects.create(item=item, unit_id=unit_pk, ack_due_at=item.sent_at)
                Distribution.objects.create(
                    content_type=item_type, object_id=item.pk, unit_id=unit_pk
                )
        Reply.objects.create(
            item=item, unit=memo.owner_unit, author=sender, body=f"reply {memo.title}"
        )
        attachment = Attachment(
            item=item,
            original_name="a.txt",
            content_type="text/plain",
            size=2,
            sha256="-",
            uploaded_by=sender,
        )
        attachment.file.save("a.txt", ContentFile(b"ok"), save=False)
        attachment.save()
        scenario.attachments[memo.pk] = attachment
        # Assigned to the owner itself, so that the request adds no distribution of its own.
        scenario.verifications[memo.pk] = VerificationRequest.objects.create(
            item=item,
            requesting_unit=memo.owner_unit,
            assigned_unit=memo.owner_unit,
            question="?",
            due_at=item.sent_at,
            requested_by=sender,
        )


def _twin_case_records(scenario: Scenario) -> None:
    """Cases, their subjects and seized items, and wanted persons placed exactly like the memos.

    Each case's heroin weighs its own number of grams, so a total that counted an invisible
    case would differ from the sum over the visible ones.
    """
    from phoihop.cases.models import CatalogueItem

    heroin = CatalogueItem.objects.get(code="heroin")
    creator = User.objects.get(username="matrix-sender")
    case_type = ContentType.objects.get_for_model(Case)
    wanted_type = ContentType.objects.get_for_model(WantedPerson)
    commune = scenario.world.commune_a
    for number, memo in enumerate(scenario.memos, start=1):
        case = Case.objects.create(
            owner_unit=memo.owner_unit,
            province=memo.province,
            classification=memo.classification,
            is_joint=memo.is_joint,
            title=memo.title,
            category="drugs",
            domain="inland",
            commune=commune,
            detected_at=memo.created_at,
            detecting_unit=memo.owner_unit,
            lead_force=memo.owner_unit.force,
            created_by=creator,
            number=number,
            year=2026,
        )
        CaseUnit.objects.create(
            case=case, unit=memo.owner_unit, force=memo.owner_unit.force, role="lead"
        )
        wanted = WantedPerson.objects.create(
            owner_unit=memo.owner_unit,
            province=memo.province,
            classification=memo.classification,
            is_joint=memo.is_joint,
            notice_number=f"{number}/QĐ",
            notice_date=memo.created_at.date(),
            issuing_authority="Cơ quan CSĐT",
            full_name=f"Đối tượng truy nã {number}",
        )
        for memo_pk, unit_pk in scenario.distributed:
            if memo_pk == memo.pk:
                Distribution.objects.create(
                    content_type=case_type, object_id=case.pk, unit_id=unit_pk
                )
                Distribution.objects.create(
                    content_type=wanted_type, object_id=wanted.pk, unit_id=unit_pk
                )
        scenario.cases[memo.pk] = case
        scenario.wanted[memo.pk] = wanted
        scenario.subjects[memo.pk] = Subject.objects.create(case=case, name=f"Đối tượng {number}")
        scenario.seized[memo.pk] = SeizedItem.objects.create(
            case=case,
            item=heroin,
            quantity=number,
            entered_quantity=number,
            entered_unit="gam",
        )


def _ancestors_or_self(unit: Unit) -> set[int]:
    seen: set[int] = set()
    node: Unit | None = unit
    while node is not None:
        seen.add(node.pk)
        node = Unit.objects.get(pk=node.parent_id) if node.parent_id else None
    return seen


def oracle_visible(actor: User, memo: Memo, scenario: Scenario) -> bool:
    assert actor.unit is not None
    if memo.classification > actor.clearance:
        return False
    if actor.unit.pk in _ancestors_or_self(memo.owner_unit):
        return True
    if (memo.pk, actor.unit.pk) in scenario.distributed:
        return True
    return bool(
        "joint_staff" in actor.role_codes
        and memo.is_joint
        and memo.province_id == actor.unit.province_id
    )


def oracle_may_change(actor: User, memo: Memo) -> bool:
    assert actor.unit is not None
    roles = actor.role_codes
    if memo.owner_unit_id == actor.unit.pk and roles & {"officer", "commander"}:
        return True
    return "commander" in roles and actor.unit.pk in _ancestors_or_self(memo.owner_unit)


@pytest.fixture(scope="module")
def module_scenario(django_db_setup, django_db_blocker, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Built once for the module inside a transaction that is rolled back at the end."""
    media = tmp_path_factory.mktemp("matrix-media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        yield build_scenario()
        transaction.set_rollback(True)


@pytest.fixture
def scenario(module_scenario, db, settings) -> Scenario:  # type: ignore[no-untyped-def]
    settings.PHOIHOP_MAX_CLASSIFICATION = "toi_mat"
    return module_scenario


@pytest.mark.parametrize(("force", "level", "role", "clearance"), ACTORS)
def test_access_matrix(client, scenario, force, level, role, clearance):
    actor = user(scenario.world.u(FORCE_UNITS[(force, level)]), roles=[role], clearance=clearance)
    expected = {m.pk for m in scenario.memos if oracle_visible(actor, m, scenario)}

    # selectors, for every scoped kind placed alike
    assert set(visible(Memo, actor).values_list("pk", flat=True)) == expected
    assert set(info_item_list(actor=actor).values_list("pk", flat=True)) == {
        scenario.items[pk].pk for pk in expected
    }
    assert info_item_list(actor=actor).count() == len(expected)
    assert set(verification_list(actor=actor).values_list("pk", flat=True)) == {
        scenario.verifications[pk].pk for pk in expected
    }
    _check_case_selectors(actor, scenario, expected)

    login(client, actor)
    by_public = {str(m.public_id): m for m in scenario.memos}
    # page list and API list show exactly the visible records — no more, no fewer
    page = client.get("/_test/memos/").content.decode()
    assert {pid for pid in by_public if pid in page} == {
        str(m.public_id) for m in scenario.memos if m.pk in expected
    }
    api_list = client.get("/_test/api/memos/", {"page_size": 500}).json()
    assert api_list["count"] == len(expected)
    assert {r["public_id"] for r in api_list["results"]} == {
        str(m.public_id) for m in scenario.memos if m.pk in expected
    }

    invisible_patched = 0
    # information items through the API, with their replies, and every attachment download
    items_api = client.get("/api/v1/exchange/items/", {"page_size": 500, "box": "all"}).json()
    assert items_api["count"] == len(expected)
    assert {r["public_id"] for r in items_api["results"]} == {
        str(scenario.items[pk].public_id) for pk in expected
    }
    for memo in scenario.memos:
        download = client.get(f"/exchange/files/{scenario.attachments[memo.pk].public_id}/")
        assert download.status_code == (200 if memo.pk in expected else 404), memo.title
    for memo in scenario.memos[::9]:
        item_detail = client.get(f"/api/v1/exchange/items/{scenario.items[memo.pk].public_id}/")
        if memo.pk in expected:
            assert [r["body"] for r in item_detail.json()["replies"]] == [f"reply {memo.title}"]
        else:
            assert item_detail.status_code == 404

    _check_case_pages_and_api(client, scenario, expected)
    _check_operations_and_mobilisation(
        client, actor, scenario, expected, shift=ACTOR_KEYS.index((force, level, role, clearance))
    )

    for memo in scenario.memos:
        seen = memo.pk in expected
        detail = client.get(f"/_test/memos/{memo.public_id}/")
        assert detail.status_code == (200 if seen else 404), memo.title
        api_detail = client.get(f"/_test/api/memos/{memo.public_id}/")
        assert api_detail.status_code == (200 if seen else 404), memo.title
        if not seen:
            # Invisible records answer 404 to a change through the same lookup as the GET above;
            # a few of them are enough to prove it for writes.
            invisible_patched += 1
            if invisible_patched > 3:
                continue
        change = client.patch(
            f"/_test/api/memos/{memo.public_id}/",
            {"title": memo.title + " *", "version": memo.version},
            content_type="application/json",
        )
        want = 404 if not seen else (200 if oracle_may_change(actor, memo) else 403)
        assert change.status_code == want, (memo.title, change.content)
        if want != 200:
            assert Memo.objects.get(pk=memo.pk).title == memo.title
        else:
            assert Memo.objects.get(pk=memo.pk).title == memo.title + " *"


def _check_case_selectors(actor: User, scenario: Scenario, expected: set[int]) -> None:
    def pks(qs):  # type: ignore[no-untyped-def]
        return set(qs.values_list("pk", flat=True))

    assert pks(case_list(actor=actor)) == {scenario.cases[pk].pk for pk in expected}
    assert pks(subject_list(actor=actor)) == {scenario.subjects[pk].pk for pk in expected}
    assert pks(seized_item_list(actor=actor)) == {scenario.seized[pk].pk for pk in expected}
    assert pks(wanted_list(actor=actor)) == {scenario.wanted[pk].pk for pk in expected}
    assert pks(submission_list(actor=actor)) == {scenario.submissions[pk].pk for pk in expected}
    # List totals: no leak through sums or counts.
    figures = case_figures(case_list(actor=actor))
    assert (figures.cases, figures.persons) == (len(expected), len(expected))
    assert figures.seized_of("heroin") == sum(
        (scenario.seized[pk].quantity for pk in expected), start=0
    )


def _check_case_pages_and_api(client, scenario: Scenario, expected: set[int]) -> None:  # type: ignore[no-untyped-def]
    listed = client.get("/api/v1/cases/cases/", {"page_size": 500}).json()
    assert listed["count"] == len(expected)
    assert {r["public_id"] for r in listed["results"]} == {
        str(scenario.cases[pk].public_id) for pk in expected
    }
    totals = client.get("/api/v1/cases/cases/totals/").json()
    assert (totals["cases"], totals["persons"]) == (len(expected), len(expected))
    heroin = sum((scenario.seized[pk].quantity for pk in expected), start=0)
    assert [Decimal(t["quantity"]) for t in totals["seized"]] == ([heroin] if heroin else [])
    wanted = client.get("/api/v1/cases/wanted/", {"page_size": 500}).json()
    assert wanted["count"] == len(expected)
    submissions = client.get("/api/v1/indicators/submissions/", {"page_size": 500}).json()
    assert submissions["count"] == len(expected)
    for memo in scenario.memos[::6]:
        seen = memo.pk in expected
        submission = scenario.submissions[memo.pk]
        page = client.get(f"/indicators/{submission.public_id}/")
        assert page.status_code == (200 if seen else 404), memo.title
        case = scenario.cases[memo.pk]
        assert client.get(f"/cases/{case.public_id}/").status_code == (200 if seen else 404)
        api = client.get(f"/api/v1/cases/cases/{case.public_id}/")
        assert api.status_code == (200 if seen else 404), memo.title
        if seen:
            assert [s["name"] for s in api.json()["subjects"]] == [scenario.subjects[memo.pk].name]


def _check_operations_and_mobilisation(  # type: ignore[no-untyped-def]
    client, actor: User, scenario: Scenario, expected: set[int], shift: int
) -> None:
    """Every operations and mobilisation kind: selectors, figures, API lists, sampled details."""

    def pks(qs):  # type: ignore[no-untyped-def]
        return set(qs.values_list("pk", flat=True))

    def twins(rows: dict[int, Any]) -> set[int]:
        return {rows[pk].pk for pk in expected}

    for kind in TWIN_KINDS:
        assert pks(kind.selector(actor=actor)) == twins(scenario.records[kind.slug]), kind.slug
    assert pks(operations.checkpoint_count_list(actor=actor)) == twins(scenario.checkpoint_counts)
    assert pks(mobilisation.opinion_list(actor=actor)) == twins(scenario.opinions)
    assert pks(mobilisation.launch_list(actor=actor)) == twins(scenario.launches)
    assert pks(mobilisation.handed_in_list(actor=actor)) == twins(scenario.handed_in)

    # Period figures: each total is the sum of the visible records' numbers, no more.
    total = sum(scenario.numbers[pk] for pk in expected)
    linked = sum(1 for pk in expected if scenario.patrol_case_of[pk] in expected)
    start, end = TWIN_PERIOD
    ops = operations.operations_figures(actor=actor, start=start, end=end)
    assert (
        ops.protection.incidents,
        ops.checkpoints.vehicles,
        ops.zones.people,
        ops.patrols.violations,
        ops.patrols.cases,
        ops.rescues.people_rescued,
        ops.exercises.participants,
    ) == (total, total, total, total, linked, total, total)
    assert {getattr(ops, name).commitment.personnel for name in OPERATION_FIGURES} == {total}
    mob = mobilisation.mobilisation_figures(actor=actor, start=start, end=end)
    assert (
        mob.forums.opinions,
        mob.forums.followed_up["open"],
        mob.propaganda.attendees,
        len(mob.campaigns.campaigns),
        mob.campaigns.handed_in_of("thuoc-no"),
        mob.programmes.value,
    ) == (total, len(expected), total, len(expected), Decimal(total), Decimal(total * 1000))

    # The API: every list, and the figures of the period, as the actor sees them.
    for kind in TWIN_KINDS:
        listed = client.get(kind.api, {"page_size": 500}).json()
        assert listed["count"] == len(expected), kind.slug
        assert {r["public_id"] for r in listed["results"]} == {
            str(scenario.records[kind.slug][pk].public_id) for pk in expected
        }, kind.slug
    period = {"start": start.isoformat(), "end": end.isoformat()}
    api_ops = client.get("/api/v1/operations/figures/", period).json()
    assert (
        api_ops["protection"]["incidents"],
        api_ops["checkpoints"]["vehicles"],
        api_ops["zones"]["people"],
        api_ops["patrols"]["violations"],
        api_ops["patrols"]["cases"],
        api_ops["rescues"]["people_rescued"],
        api_ops["exercises"]["participants"],
    ) == (total, total, total, total, linked, total, total)
    assert {api_ops[name]["commitment"]["personnel"] for name in OPERATION_FIGURES} == {total}
    api_mob = client.get("/api/v1/mobilisation/figures/", period).json()
    assert (
        api_mob["forums"]["opinions"],
        api_mob["propaganda"]["attendees"],
        len(api_mob["campaigns"]["campaigns"]),
        [Decimal(t["quantity"]) for t in api_mob["campaigns"]["handed_in"]],
        Decimal(api_mob["programmes"]["value"]),
    ) == (
        total,
        total,
        len(expected),
        [Decimal(total)] if total else [],
        Decimal(total * 1000),
    )

    # Details, page and API alike: one record of each kind, taken round the memos by actor and
    # kind (the kinds of one actor ask for the twins of memos five apart), so that across the
    # matrix the twin of every memo is asked for in every kind, visible or not.
    for offset, kind in enumerate(TWIN_KINDS):
        memo = scenario.memos[(shift + 5 * offset) % len(scenario.memos)]
        want = 200 if memo.pk in expected else 404
        public_id = scenario.records[kind.slug][memo.pk].public_id
        page = client.get(f"{kind.page}{public_id}/")
        assert page.status_code == want, (kind.slug, memo.title)
        api = client.get(f"{kind.api}{public_id}/")
        assert api.status_code == want, (kind.slug, memo.title)


def test_the_matrix_is_not_trivial(scenario):
    """Guard against a scenario where everyone sees everything or nothing."""
    ca_officer = user(
        scenario.world.u("ca_commune_a"), roles=["officer"], clearance=Classification.THUONG
    )
    joint = user(
        scenario.world.u("qs_province"), roles=["joint_staff"], clearance=Classification.TOI_MAT
    )
    seen_officer = sum(oracle_visible(ca_officer, m, scenario) for m in scenario.memos)
    seen_joint = sum(oracle_visible(joint, m, scenario) for m in scenario.memos)
    assert 0 < seen_officer < seen_joint < len(scenario.memos)


def test_the_operator_of_a_command_sees_every_record(scenario):
    from phoihop.access.rules import OPERATOR, can

    assert visible(Memo, OPERATOR).count() == len(scenario.memos)
    assert case_list(actor=OPERATOR).count() == len(scenario.memos)
    # Seeing is all it may do: no change goes through the operator.
    assert not can(OPERATOR, "change", scenario.memos[0])


def test_anonymous_and_unitless_users_see_nothing(client, scenario):
    assert not visible(Memo, None).exists()
    root = User.objects.create_superuser(username="root", password="Mat-khau-quan-tri-2026")
    assert not visible(Memo, root).exists()
    assert client.get("/_test/api/memos/").status_code in (401, 403)
