"""Case services: all-or-nothing creation, inline rows, transitions, bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from phoihop.audit.models import AuditEntry
from phoihop.cases.models import Case, CaseTransition, SeizedItem, Subject
from phoihop.cases.services import (
    SeizedData,
    SubjectData,
    case_close,
    case_handle,
    case_start_verification,
    case_transfer,
    case_update,
    seized_item_add,
    subject_add,
)
from phoihop.core.errors import DomainError, StaleVersion
from tests.cases.conftest import at, make_case
from tests.factories import OrgWorld

pytestmark = pytest.mark.django_db


def _nothing_saved() -> None:
    assert Case.all_objects.count() == 0
    assert Subject.all_objects.count() == 0
    assert SeizedItem.all_objects.count() == 0


def test_it_stores_quantities_in_the_canonical_unit_and_keeps_the_entered_one(
    world: OrgWorld, officer: Any, two_subjects: Any, heroin_in_two_units: Any
) -> None:
    case = make_case(officer, world, subjects=two_subjects, seized=heroin_in_two_units)
    rows = list(case.seized_items.order_by("id"))
    assert [r.quantity for r in rows] == [Decimal("10"), Decimal("1.09")]
    assert [(r.entered_quantity, r.entered_unit) for r in rows] == [
        (Decimal("0.01"), "kg"),
        (Decimal("1.09"), "gam"),
    ]
    assert case.display_number == "01/VV-CAX-SK1"
    assert case.lead_force.code == "CA"
    assert case.subjects.get(name="Trần Thị B").birth_year == 2001
    assert AuditEntry.objects.filter(object_type="cases.case").count() == 1


def test_numbers_restart_each_year_per_unit(world: OrgWorld, officer: Any) -> None:
    first = make_case(officer, world, detected_at=at("30/12/2023"))
    second = make_case(officer, world)
    third = make_case(officer, world)
    assert (first.number, first.year) == (1, 2023)
    assert [second.number, third.number] == [1, 2]


@pytest.mark.parametrize(
    ("subject", "seized", "field"),
    [
        ({"citizen_id": "04209000123"}, None, "subjects.0.citizen_id"),
        ({"citizen_id": "003090001234"}, None, "subjects.0.citizen_id"),
        ({"citizen_id": "042090001234", "birth_year": 1991}, None, "subjects.0.citizen_id"),
        ({"birth_date": dt.date(2999, 1, 1)}, None, "subjects.0.birth_date"),
        ({"name": "  "}, None, "subjects.0.name"),
        (None, {"quantity": "-1"}, "seized_items.0.quantity"),
        (None, {"quantity": "mười"}, "seized_items.0.quantity"),
        (None, {"quantity": "0"}, "seized_items.0.quantity"),
        (None, {"unit": "viên"}, "seized_items.0.unit"),
        (None, {"unit": "thúng"}, "seized_items.0.unit"),
        (None, {"item": "khong-co"}, "seized_items.0.item"),
        (None, {"item": "kip-no", "unit": "kíp", "quantity": "2,5"}, "seized_items.0.quantity"),
        (None, {"unit": "kg", "quantity": "0,0000001"}, "seized_items.0.quantity"),
    ],
)
def test_bad_rows_name_their_field_and_save_nothing(
    world: OrgWorld, officer: Any, subject: Any, seized: Any, field: str
) -> None:
    subjects = [SubjectData(**{"name": "Nguyễn Văn A", **subject})] if subject else []
    rows = (
        [SeizedData(**{"item": "heroin", "quantity": "1", "unit": "gam", **seized})]
        if seized
        else []
    )
    good = [SeizedData(item="heroin", quantity="1", unit="gam")]
    with pytest.raises(DomainError) as exc:
        make_case(officer, world, subjects=subjects, seized=rows or good)
    assert field in exc.value.fields
    _nothing_saved()


def test_an_unknown_or_foreign_commune_is_refused(world: OrgWorld, officer: Any) -> None:
    nghe_an_commune = world.other_province.children.create(
        code="16999", name="Xã Ngoài Tỉnh", kind="xa", level="commune"
    )
    with pytest.raises(DomainError) as exc:
        make_case(officer, world, commune=nghe_an_commune)
    assert "commune" in exc.value.fields
    _nothing_saved()


def test_cooperating_units_see_the_case_and_count_by_participation(
    world: OrgWorld, officer: Any
) -> None:
    from phoihop.access.rules import visible
    from tests.factories import user

    case = make_case(officer, world, cooperating_units=[world.u("bp_post_a")])
    border = user(world.u("bp_post_a"))
    military = user(world.u("qs_commune_a"))
    assert visible(Case, border).filter(pk=case.pk).exists()
    assert not visible(Case, military).filter(pk=case.pk).exists()


def test_transitions_follow_the_map_and_are_logged(world: OrgWorld, officer: Any) -> None:
    case = make_case(officer, world)
    with pytest.raises(DomainError) as exc:
        case_close(actor=officer, case=case)
    assert exc.value.code == "transition_not_allowed"
    case_start_verification(actor=officer, case=case)
    with pytest.raises(DomainError) as exc:
        case_handle(actor=officer, case=case, outcome="administrative")
    assert "fine_amount" in exc.value.fields
    case_handle(actor=officer, case=case, outcome="administrative", fine_amount=Decimal(7500000))
    case.refresh_from_db()
    assert (case.status, case.outcome, case.fine_amount) == ("handled", "administrative", 7500000)
    with pytest.raises(DomainError):
        case_transfer(actor=officer, case=case, transferred_to="Viện kiểm sát")
    case_close(actor=officer, case=case)
    assert list(CaseTransition.objects.values_list("from_status", "to_status")) == [
        ("detected", "verifying"),
        ("verifying", "handled"),
        ("handled", "closed"),
    ]


def test_a_stale_version_is_refused(world: OrgWorld, officer: Any) -> None:
    case = make_case(officer, world)
    stale = Case.objects.get(pk=case.pk)
    case_update(actor=officer, case=case, expected_version=1, changes={"title": "Tên mới"})
    with pytest.raises(StaleVersion):
        case_update(actor=officer, case=stale, expected_version=1, changes={"title": "Khác"})
    assert Case.objects.get(pk=case.pk).title == "Tên mới"


def test_inline_rows_move_the_case_version(world: OrgWorld, officer: Any) -> None:
    case = make_case(officer, world)
    subject_add(actor=officer, case=case, data=SubjectData(name="Lê Văn C"))
    seized_item_add(actor=officer, case=case, data=SeizedData(item="go", quantity="1,5", unit="m3"))
    assert Case.objects.get(pk=case.pk).version == 3


def test_a_cooperating_unit_that_has_ended_is_refused_and_nothing_is_saved(
    world: OrgWorld, officer: Any
) -> None:
    ended = world.u("bp_post_a")
    ended.valid_until = dt.date(2024, 1, 1)
    ended.save()

    with pytest.raises(DomainError) as refused:
        make_case(officer, world, cooperating_units=[world.u("qs_commune_a"), ended])

    assert refused.value.code == "inactive_unit"
    assert list(refused.value.fields) == ["cooperating_units"]
    _nothing_saved()


def test_cooperating_units_are_kept_once_and_never_the_lead_unit(
    world: OrgWorld, officer: Any
) -> None:
    partner = world.u("bp_post_a")
    case = make_case(officer, world, cooperating_units=[partner, world.u("ca_commune_a"), partner])
    assert [(p.unit.code, p.role) for p in case.participants.order_by("id")] == [
        ("CAX-SK1", "lead"),
        ("DBP-SK", "cooperating"),
    ]
