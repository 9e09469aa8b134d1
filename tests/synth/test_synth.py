"""Synthetic volumes (`phoihop_dev.synth.generator`, `manage.py synth`): every kind of record,
in the shape the services write, visible through the selectors, deterministic for a seed, and
never in production.

The generation runs twice per module (the same seed), inside a transaction rolled back after
the module: the first run is rolled back to its savepoint after its fingerprint is taken, the
second is kept for the tests."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F
from django.test import override_settings

from phoihop.access.models import Distribution
from phoihop.access.rules import OPERATOR, visible
from phoihop.cases.measures import MEASURES, convert
from phoihop.cases.models import Case, CaseUnit, SeizedItem, Subject, WantedPerson
from phoihop.cases.selectors import case_figures, case_list, cases_in
from phoihop.exchange.models import InformationItem, Receipt, VerificationRequest
from phoihop.indicators.models import Submission, SubmissionValue
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
from phoihop.mobilisation.selectors import forum_figures, forum_list
from phoihop.mobilisation.selectors import records_in as mobilisation_in
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
from phoihop.org.enums import AreaLevel
from phoihop.org.models import AdministrativeArea, Unit, User
from phoihop_dev.synth.generator import SynthRefused, synthesize

RECORDS = 2_000
SEED = 7
YEAR = 2024

RECORD_MODELS: list[type[Any]] = [
    InformationItem,
    Receipt,
    VerificationRequest,
    Case,
    Subject,
    SeizedItem,
    WantedPerson,
    Protection,
    Checkpoint,
    CheckpointCount,
    ProtectedZone,
    Patrol,
    Rescue,
    Exercise,
    Forum,
    ForumTopicCount,
    Opinion,
    PropagandaSession,
    SocialProgramme,
    SurrenderCampaign,
    CampaignLaunch,
    HandedInItem,
    Submission,
    SubmissionValue,
]
SCOPED_MODELS = [
    InformationItem,
    Case,
    WantedPerson,
    Protection,
    Checkpoint,
    ProtectedZone,
    Patrol,
    Rescue,
    Exercise,
    Forum,
    PropagandaSession,
    SocialProgramme,
    SurrenderCampaign,
    Submission,
]


def fingerprint() -> dict[str, Any]:
    """What a run made, without database ids (they differ between runs)."""
    return {
        "counts": {
            m._meta.label: m.all_objects.count() for m in RECORD_MODELS if hasattr(m, "all_objects")
        },
        "cases": sorted(
            Case.objects.values_list(
                "public_id", "owner_unit__code", "year", "number", "detected_at", "title"
            )
        ),
        "items": sorted(
            InformationItem.objects.values_list(
                "public_id", "owner_unit__code", "number", "sent_at"
            )
        ),
        "seized": sorted(
            SeizedItem.objects.values_list("public_id", "item__code", "quantity", "entered_unit")
        ),
        "forums": sorted(Forum.objects.values_list("public_id", "commune__code", "opinions")),
    }


@pytest.fixture(scope="module")
def synth_run(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            first: dict[str, Any] = {}
            try:
                with transaction.atomic():
                    synthesize(provinces=1, years=1, records=RECORDS, seed=SEED, last_year=YEAR)
                    first = fingerprint()
                    raise _RollBack
            except _RollBack:
                pass
            counts = synthesize(provinces=1, years=1, records=RECORDS, seed=SEED, last_year=YEAR)
            yield {"first": first, "second": fingerprint(), "counts": counts}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


class _RollBack(Exception):
    pass


@pytest.fixture
def synth(synth_run: dict[str, Any], db: None) -> dict[str, Any]:
    return synth_run


def province() -> AdministrativeArea:
    return AdministrativeArea.objects.get(
        level=AreaLevel.PROVINCE, code="42", valid_until__isnull=True, valid_from__isnull=False
    )


def test_it_creates_records_of_every_kind(synth: dict[str, Any]) -> None:
    for model in RECORD_MODELS:
        assert model._default_manager.exists(), model._meta.label
    assert (
        Unit.objects.filter(code__startswith="SY42-").values("force__code").distinct().count() == 3
    )


def test_it_writes_about_the_requested_number_of_records(synth: dict[str, Any]) -> None:
    made = sum(model._default_manager.count() for model in RECORD_MODELS)
    assert abs(made - RECORDS) <= RECORDS * 0.05


def test_it_is_deterministic_for_a_seed(synth: dict[str, Any]) -> None:
    assert synth["first"]["cases"]
    assert synth["first"] == synth["second"]


def test_records_fall_in_the_requested_year(synth: dict[str, Any]) -> None:
    assert set(Case.objects.values_list("year", flat=True)) == {YEAR}
    assert set(InformationItem.objects.values_list("year", flat=True)) == {YEAR}
    assert {d.year for d in Forum.objects.values_list("start_date", flat=True)} == {YEAR}
    assert set(Submission.objects.values_list("period_key", flat=True)) <= {
        f"{YEAR}-Q{q}" for q in range(1, 5)
    }


def test_seized_and_handed_in_quantities_equal_their_conversions(synth: dict[str, Any]) -> None:
    rows = [
        *SeizedItem.objects.select_related("item"),
        *HandedInItem.objects.select_related("item"),
    ]
    assert rows
    for row in rows:
        assert row.entered_unit in row.item.input_units
        assert row.quantity == convert(
            row.entered_quantity, row.entered_unit, row.item.canonical_unit
        )
        assert row.quantity > 0
        if MEASURES[row.entered_unit].is_count:
            assert row.entered_quantity == row.entered_quantity.to_integral_value()


def test_numbers_run_from_one_per_unit_and_year_in_time_order(synth: dict[str, Any]) -> None:
    for model, moment in ((Case, "detected_at"), (InformationItem, "sent_at")):
        numbers: dict[tuple[int, int], list[tuple[Any, int]]] = defaultdict(list)
        for owner, year, number, at in model.objects.values_list(
            "owner_unit_id", "year", "number", moment
        ):
            numbers[owner, year].append((at, number))
        for rows in numbers.values():
            in_time = [number for _at, number in sorted(rows)]
            assert in_time == list(range(1, len(rows) + 1))


def test_forums_never_hold_more_topics_or_opinions_than_their_total(synth: dict[str, Any]) -> None:
    topics = Counter[int]()
    for forum_id, n in ForumTopicCount.objects.values_list("forum_id", "count"):
        topics[forum_id] += n
    opinions = Counter(Opinion.objects.values_list("forum_id", flat=True))
    for forum in Forum.objects.all():
        assert topics[forum.pk] <= forum.opinions
        assert opinions[forum.pk] <= forum.opinions


def test_cases_have_their_lead_unit_and_share_with_cooperating_units(synth: dict[str, Any]) -> None:
    ctype = ContentType.objects.get_for_model(Case)
    shared = set(
        Distribution.objects.filter(content_type=ctype).values_list("object_id", "unit_id")
    )
    leads = dict(CaseUnit.objects.filter(role="lead").values_list("case_id", "unit_id"))
    for case_id, owner_id in Case.objects.values_list("pk", "owner_unit_id"):
        assert leads[case_id] == owner_id
    for case_id, unit_id in CaseUnit.objects.filter(role="cooperating").values_list(
        "case_id", "unit_id"
    ):
        assert (case_id, unit_id) in shared
    assert not Case.objects.exclude(lead_force=F("owner_unit__force")).exists()
    assert not Case.objects.exclude(outcome="administrative").exclude(fine_amount=None).exists()


def test_receipts_and_participants_outside_the_owner_tree_are_distributed(
    synth: dict[str, Any],
) -> None:
    item_type = ContentType.objects.get_for_model(InformationItem)
    shared = set(
        Distribution.objects.filter(content_type=item_type).values_list("object_id", "unit_id")
    )
    for item_id, unit_id in Receipt.objects.values_list("item_id", "unit_id"):
        assert (item_id, unit_id) in shared
    paths = dict(Unit.objects.values_list("pk", "path"))
    for model in (Protection, Checkpoint, ProtectedZone, Patrol, Rescue, Exercise):
        ctype = ContentType.objects.get_for_model(model)
        owners = dict(model.objects.values_list("pk", "owner_unit_id"))
        distributed = set(
            Distribution.objects.filter(content_type=ctype).values_list("object_id", "unit_id")
        )
        for record_id, unit_id in OperationUnit.objects.filter(content_type=ctype).values_list(
            "object_id", "unit_id"
        ):
            outside = not paths[unit_id].startswith(paths[owners[record_id]])
            assert ((record_id, unit_id) in distributed) == outside
        assert set(
            OperationUnit.objects.filter(content_type=ctype, role="lead").values_list(
                "object_id", "unit_id"
            )
        ) == set(owners.items())


def test_every_record_is_visible_to_its_owner_unit(synth: dict[str, Any]) -> None:
    units = list(Unit.objects.filter(code__startswith="SY42-").order_by("code"))
    codes = {u.pk: u.code for u in units}
    officers = {u.unit_id: u for u in User.objects.filter(unit__in=units)}
    for model in SCOPED_MODELS:
        owners = Counter(model.objects.values_list("owner_unit_id", flat=True))
        ranked = owners.most_common()
        # The busiest owner, the least busy one and a commune-level one (its code has an X).
        sample = {ranked[0][0], ranked[-1][0]}
        sample |= set(
            sorted((pk for pk in owners if "X" in codes[pk]), key=lambda pk: codes[pk])[:1]
        )
        for owner_id in sample:
            mine = visible(model, officers[owner_id]).filter(owner_unit_id=owner_id)
            assert mine.count() == owners[owner_id], model._meta.label
    commune_police = next(u for u in units if "-CAX" in u.code)
    officer = officers[commune_police.pk]
    listed = set(case_list(actor=officer).values_list("pk", flat=True))
    assert (
        set(Case.objects.filter(owner_unit=commune_police).values_list("pk", flat=True)) <= listed
    )


def test_selector_figures_equal_simple_recounts(synth: dict[str, Any]) -> None:
    area = province()
    start, end = dt.date(YEAR, 7, 1), dt.date(YEAR, 9, 30)
    figures = case_figures(cases_in(case_list(actor=OPERATOR), start=start, end=end, area=area))
    cases = [
        c
        for c in Case.objects.filter(province=area)
        if start <= c.detected_at.astimezone(_zone()).date() <= end
    ]
    assert figures.cases == len(cases) > 0
    ids = {c.pk for c in cases}
    offenders = [
        s for s in Subject.objects.filter(case_id__in=ids) if s.role in ("suspect", "arrested")
    ]
    persons = {(s.case_id, s.citizen_id) for s in offenders if s.kind == "person" and s.citizen_id}
    persons_without_id = [s for s in offenders if s.kind == "person" and not s.citizen_id]
    assert figures.persons == len(persons) + len(persons_without_id)
    assert figures.organisations == sum(1 for s in offenders if s.kind == "organisation")
    assert figures.by_category == dict(Counter(c.category for c in cases))
    seized: dict[str, Decimal] = defaultdict(Decimal)
    for row in SeizedItem.objects.filter(case_id__in=ids).select_related("item"):
        seized[row.item.code] += row.quantity
    assert {t.item.code: t.quantity for t in figures.seized} == dict(seized)

    forums = forum_figures(
        mobilisation_in(forum_list(actor=OPERATOR), start=start, end=end, area=area)
    )
    held = [f for f in Forum.objects.filter(province=area) if start <= f.start_date <= end]
    assert forums.forums == len(held) > 0
    assert forums.opinions == sum(f.opinions for f in held)
    assert forums.attendees == sum(f.attendees for f in held)


def _zone() -> Any:
    from django.utils import timezone

    return timezone.get_default_timezone()


def test_submissions_follow_their_form_and_deadline(synth: dict[str, Any]) -> None:
    for submission in Submission.objects.select_related("form", "owner_unit__level"):
        assert submission.owner_unit.level_id == submission.form.level_id
        assert submission.deadline == submission.period_end + dt.timedelta(
            days=submission.form.deadline_days
        )
        assert (submission.status == "draft") == (submission.first_submitted_at is None)
    keys = Counter(Submission.objects.values_list("form_id", "owner_unit_id", "period_key"))
    assert max(keys.values()) == 1


@pytest.mark.django_db
def test_it_refuses_production_mode() -> None:
    before = Unit.all_objects.count(), AdministrativeArea.objects.count()
    with override_settings(MODE="production"):
        with pytest.raises(SynthRefused):
            synthesize(provinces=1, years=1, records=100, seed=1, last_year=YEAR)
        with pytest.raises(CommandError, match="PHOIHOP_MODE"):
            call_command("synth", "--records", "100", "--last-year", str(YEAR))
    assert (Unit.all_objects.count(), AdministrativeArea.objects.count()) == before


@pytest.mark.django_db
def test_it_refuses_a_year_not_yet_over() -> None:
    from django.utils import timezone

    before = Unit.all_objects.count()
    with pytest.raises(SynthRefused):
        synthesize(provinces=1, years=1, records=100, last_year=timezone.localdate().year)
    assert Unit.all_objects.count() == before
