"""The demo's case registry: quý III/2024 holds exactly the figures of the reference report
("200 vụ/226 đối tượng và 01 tổ chức, …"), earlier quarters other figures to compare with."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from phoihop.audit.models import AuditEntry
from phoihop.cases.enums import CaseStatus, SubjectKind, SubjectRole, WantedStatus
from phoihop.cases.measures import convert
from phoihop.cases.models import (
    Case,
    CaseTransition,
    CaseUnit,
    SeizedItem,
    Subject,
    WantedPerson,
)
from phoihop.cases.selectors import (
    OFFENDER_ROLES,
    CaseFigures,
    case_figures,
    case_list,
    cases_in,
    wanted_arrested,
)
from phoihop.core.identifiers import citizen_id_problem
from phoihop.org.enums import AreaLevel
from phoihop.org.models import AdministrativeArea, User
from phoihop_dev.demo.cases import QUARTERS, plan, split
from phoihop_dev.demo.data import DEFAULT
from phoihop_dev.demo.data.ha_tinh_exchange import QUARTERS as WINDOWS
from tests.demo.support import run_load_demo

JOINT_STAFF = ("ca.tmth", "qs.tmth", "bp.tmth")
WINDOW = {q.key: (q.start, q.end) for q in WINDOWS}
# The reference report of quý III năm 2024.
REPORT_SEIZED = {
    "heroin": Decimal("11.09"),
    "ma-tuy-da": Decimal("1.55"),
    "thuoc-phien": Decimal("10"),
    "ma-tuy-tong-hop": Decimal("1508"),
    "phao-no": Decimal("94.2"),
    "thuoc-no": Decimal("48"),
    "day-chay-cham": Decimal("2.5"),
    "kip-no": Decimal("50"),
    "go": Decimal("16.476"),
}


def province() -> AdministrativeArea:
    return AdministrativeArea.objects.get(
        level=AreaLevel.PROVINCE, code="42", valid_until__isnull=True
    )


def quarter_cases(key: str, actor: User | None = None):
    start, end = WINDOW[key]
    base = Case.objects.all() if actor is None else case_list(actor=actor)
    return cases_in(base, start=start, end=end, area=province())


def figures(key: str, actor: User | None = None) -> CaseFigures:
    return case_figures(quarter_cases(key, actor))


def caught(key: str, username: str = "ca.tmth") -> int:
    start, end = WINDOW[key]
    actor = User.objects.get(username=username)
    return wanted_arrested(actor=actor, start=start, end=end, area=province()).count()


def seized(f: CaseFigures) -> dict[str, Decimal]:
    return {t.item.code: t.quantity for t in f.seized}


def test_quarter_three_of_2024_holds_exactly_the_figures_of_the_report(demo):
    q3 = figures("2024-q3")
    assert (q3.cases, q3.persons, q3.organisations) == (200, 226, 1)
    assert seized(q3) == REPORT_SEIZED
    for username in JOINT_STAFF:
        assert caught("2024-q3", username) == 1, username
    start, end = WINDOW["2024-q3"]
    joint = User.objects.get(username="ca.tmth")
    arrested = wanted_arrested(actor=joint, start=start, end=end, area=province()).get()
    assert arrested.status == WantedStatus.ARRESTED and arrested.arrest_case is not None


def test_joint_staff_of_each_force_see_every_case_and_the_same_figures(demo):
    everything = figures("2024-q3")
    for username in JOINT_STAFF:
        actor = User.objects.get(username=username)
        assert figures("2024-q3", actor) == everything, username


def test_the_cases_are_spread_over_forces_categories_domains_communes_and_time(demo):
    q3 = figures("2024-q3")
    cases = quarter_cases("2024-q3")
    assert set(q3.by_lead_force) == {"CA", "QS", "BP"}
    assert min(q3.by_lead_force.values()) >= 5
    assert q3.by_lead_force["CA"] + q3.by_lead_force["BP"] > 150
    assert all(q3.by_participating_force[f] > q3.by_lead_force[f] for f in ("CA", "QS", "BP"))
    with_other_forces = (
        CaseUnit.objects.filter(case__in=cases)
        .exclude(force=F("case__lead_force"))
        .values("case")
        .distinct()
        .count()
    )
    assert 80 <= with_other_forces <= 160
    # Drugs, smuggling, weapons/explosives, forest products and administrative violations lead.
    dominant = {"drugs", "smuggling", "weapons", "forest", "administrative"}
    top = sorted(q3.by_category, key=q3.by_category.__getitem__, reverse=True)[:5]
    assert set(top) == dominant
    assert len(q3.by_category) >= 7
    assert sum(q3.by_category[c] for c in dominant) >= 160
    assert 0 < q3.by_domain["sea"] <= 10
    assert q3.by_domain["land_border"] > 50 and q3.by_domain["inland"] > 50
    assert cases.values("commune").distinct().count() == 15
    assert cases.values("owner_unit").distinct().count() >= 15
    moments = [timezone.localtime(d) for d in cases.values_list("detected_at", flat=True)]
    assert {m.month for m in moments} == {6, 7, 8, 9}
    assert len({m.date() for m in moments}) >= 60
    statuses = set(cases.values_list("status", flat=True))
    assert {CaseStatus.VERIFYING, CaseStatus.HANDLED, CaseStatus.TRANSFERRED} <= statuses
    assert CaseStatus.CLOSED in statuses
    assert q3.prosecuted >= 20 and q3.sanctioned >= 60 and q3.by_outcome["transferred"] >= 5
    assert q3.fines > Decimal("100000000")
    assert all(case.is_joint and case.classification == 0 for case in cases)


def test_witnesses_and_victims_are_recorded_but_not_counted(demo):
    subjects = Subject.objects.filter(case__in=quarter_cases("2024-q3"))
    assert subjects.filter(role=SubjectRole.WITNESS).count() >= 5
    assert subjects.filter(role=SubjectRole.VICTIM).count() >= 3
    offenders = subjects.filter(role__in=OFFENDER_ROLES, kind=SubjectKind.PERSON)
    assert offenders.count() == 226
    assert subjects.filter(kind=SubjectKind.PERSON).count() > 226
    assert offenders.filter(nationality="Lào").exists()
    # Some seizures had no owner to be found.
    assert quarter_cases("2024-q3").exclude(subjects__role__in=OFFENDER_ROLES).exists()


def test_some_quantities_were_typed_in_other_units_and_still_add_up(demo):
    items = SeizedItem.objects.filter(case__in=quarter_cases("2024-q3")).select_related("item")
    typed_otherwise = [s for s in items if s.entered_unit != s.item.canonical_unit]
    entered = {(s.item.code, s.entered_unit) for s in typed_otherwise}
    assert {("heroin", "kg"), ("phao-no", "gam"), ("thuoc-no", "gam")} <= entered
    assert 5 <= len(typed_otherwise) <= 15
    for s in typed_otherwise:
        assert convert(s.entered_quantity, s.entered_unit, s.item.canonical_unit) == s.quantity
    heroin = [s for s in typed_otherwise if s.item.code == "heroin"]
    assert all(s.entered_quantity < Decimal("0.1") for s in heroin)


def test_every_citizen_id_is_well_formed_and_matches_birth_year_and_sex(demo):
    people = Subject.objects.filter(kind=SubjectKind.PERSON)
    with_id = people.exclude(citizen_id="")
    assert with_id.count() >= 0.85 * people.count()
    for person in with_id:
        problem = citizen_id_problem(
            person.citizen_id, birth_year=person.birth_year, sex=person.sex
        )
        assert problem is None, (person.name, person.citizen_id, problem)
    from_ha_tinh = with_id.filter(citizen_id__startswith="042").count()
    assert 0.7 * with_id.count() < from_ha_tinh < with_id.count()
    for wanted in WantedPerson.objects.all():
        assert (
            citizen_id_problem(wanted.citizen_id, birth_year=wanted.birth_year, sex=wanted.sex)
            is None
        )


def test_earlier_quarters_hold_other_plausible_figures(demo):
    by_quarter = {q.key: figures(q.key) for q in QUARTERS}
    for q in QUARTERS:
        f = by_quarter[q.key]
        assert (f.cases, f.persons, f.organisations) == (q.cases, q.persons, q.organisations)
        assert f.by_domain["sea"] == q.at_sea
        assert seized(f) == {code: Decimal(total) for code, total, _parts in q.seized}
    older, q2, q3 = (by_quarter[k] for k in ("2023-q3", "2024-q2", "2024-q3"))
    for f in (older, q2):
        assert 150 <= f.cases < q3.cases and f.persons > f.cases
        assert seized(f) != seized(q3) and f.by_category != q3.by_category
    assert (older.cases, older.persons) != (q2.cases, q2.persons)
    # Fewer results at sea than a year before: the weakness the conference names.
    assert older.by_domain["sea"] > q3.by_domain["sea"]
    assert [caught(k) for k in ("2023-q3", "2024-q2", "2024-q3")] == [3, 2, 1]


def test_wanted_persons_are_caught_in_cases_of_their_quarter_and_a_handful_still_wanted(demo):
    still = WantedPerson.objects.filter(status=WantedStatus.WANTED)
    assert 3 <= still.count() <= 8
    assert not still.exclude(arrested_at=None).exists()
    caught_in_cases = WantedPerson.objects.filter(status=WantedStatus.ARRESTED)
    assert caught_in_cases.count() == 5
    for wanted in caught_in_cases.select_related("arrest_case"):
        case = wanted.arrest_case
        assert case is not None and case.detected_at == wanted.arrested_at
        assert wanted.arresting_unit_id == case.owner_unit_id
        assert case.subjects.filter(
            citizen_id=wanted.citizen_id, role=SubjectRole.ARRESTED
        ).exists()
        assert wanted.notice_date < wanted.arrested_at.date()
    assert WantedPerson.objects.filter(status=WantedStatus.SURRENDERED).count() == 1


def test_transitions_carry_the_times_of_the_story(demo):
    transitions = CaseTransition.objects.select_related("case")
    assert transitions.count() > 500
    for t in transitions:
        assert t.case.detected_at < t.at < dt.datetime(2025, 6, 1, tzinfo=dt.UTC), t.case
        assert 7 <= timezone.localtime(t.at).hour < 17
    handled = Case.objects.filter(outcome="administrative")
    assert handled.exists() and not handled.filter(fine_amount=None).exists()
    assert not Case.objects.filter(outcome="prosecution").exclude(fine_amount=None).exists()


def test_cases_are_numbered_in_the_order_they_were_detected(demo):
    cases = Case.objects.filter(owner_unit__code="DBP-CTR", year=2024)
    numbers = list(cases.order_by("detected_at").values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) > 20


def test_the_plan_is_the_same_every_time():
    assert plan(DEFAULT) == plan(DEFAULT)


@given(
    st.integers(min_value=1, max_value=100_000),
    st.sampled_from(["0.01", "0.1", "0.5", "1", "0.001", "10"]),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=0),
)
def test_a_total_is_split_into_whole_steps_that_add_up_exactly(steps, step, parts, seed):
    total = steps * Decimal(step)
    if steps < parts:
        return
    shares = split(total, Decimal(step), parts, random.Random(seed))
    assert len(shares) == parts and sum(shares) == total
    assert all(s > 0 and s % Decimal(step) == 0 for s in shares)


def test_a_total_that_is_not_whole_steps_is_refused():
    with pytest.raises(ValueError):
        split(Decimal("11.095"), Decimal("0.01"), 3, random.Random(1))


def test_a_second_run_creates_no_case_records(demo):
    def snapshot() -> tuple[int, ...]:
        return (
            Case.all_objects.count(),
            Subject.all_objects.count(),
            SeizedItem.all_objects.count(),
            CaseUnit.objects.count(),
            CaseTransition.objects.count(),
            WantedPerson.all_objects.count(),
            Case.history.count(),
            AuditEntry.objects.count(),
        )

    before = snapshot()
    output = run_load_demo()
    assert snapshot() == before
    assert "không thay đổi gì" in output
