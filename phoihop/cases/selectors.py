"""Reads of the case registry, all starting from the access rule, and its counting rules.

Counting rules (used by list totals, the report and the dashboards):
- a case counts once in joint figures, however many forces took part; per force it is counted
  twice over, separately: by its lead force, and by every force that took part (lead or
  cooperating);
- subjects (đối tượng) are the persons involved as suspects or arrested — not witnesses or
  victims —, counted distinct within a case (the same citizen ID entered twice in one case is
  one person) and again in every case they are in (the press counts "lượt");
- organisations (tổ chức) are counted apart from persons;
- seized goods are summed per catalogue item in its canonical unit, exactly;
- everything is filtered by the detection date within the period, by area and by what the actor
  may see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from phoihop.access.rules import get_visible, visible
from phoihop.cases.enums import CaseOutcome, SubjectKind, SubjectRole, WantedStatus
from phoihop.cases.models import Case, CaseUnit, CatalogueItem, SeizedItem, Subject, WantedPerson
from phoihop.core.aggregates import exact_sum, exact_sums
from phoihop.org.enums import AreaLevel
from phoihop.org.models import AdministrativeArea
from phoihop.org.refs import area_q

OFFENDER_ROLES = (SubjectRole.SUSPECT, SubjectRole.ARRESTED)


def case_list(*, actor: Any) -> QuerySet[Case]:
    return (
        visible(Case, actor)
        .defer("summary", "search_text")
        .select_related("owner_unit", "owner_unit__force", "lead_force", "commune")
    )


def case_get(*, actor: Any, public_id: Any) -> Case:
    return get_visible(
        Case.objects.select_related(
            "owner_unit", "owner_unit__force", "lead_force", "commune", "detecting_unit"
        ),
        actor,
        public_id=public_id,
    )


def subject_list(*, actor: Any) -> QuerySet[Subject]:
    """A subject is seen by whoever sees its case."""
    return Subject.objects.filter(case__in=visible(Case, actor).values("pk")).select_related("case")


def seized_item_list(*, actor: Any) -> QuerySet[SeizedItem]:
    return SeizedItem.objects.filter(case__in=visible(Case, actor).values("pk")).select_related(
        "case", "item"
    )


def wanted_list(*, actor: Any) -> QuerySet[WantedPerson]:
    return visible(WantedPerson, actor).select_related(
        "owner_unit", "arresting_unit", "arrest_case", "arrest_case__owner_unit"
    )


def catalogue_items() -> QuerySet[CatalogueItem]:
    return CatalogueItem.objects.filter(is_active=True)


# --- periods and areas --------------------------------------------------------------------


def day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, day after end 00:00) in local time: the inclusive date range as instants."""
    zone = timezone.get_current_timezone()
    low = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return low, high


def cases_in(
    qs: QuerySet[Case],
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    area: AdministrativeArea | None = None,
) -> QuerySet[Case]:
    """Cases detected within [start, end] (dates, inclusive) and in the area."""
    if start is not None:
        qs = qs.filter(detected_at__gte=day_bounds(start, start)[0])
    if end is not None:
        qs = qs.filter(detected_at__lt=day_bounds(end, end)[1])
    return qs.filter(area_q(area))


# --- figures ------------------------------------------------------------------------------


@dataclass
class SeizedTotal:
    item: CatalogueItem
    quantity: Decimal


@dataclass
class CaseFigures:
    cases: int = 0
    persons: int = 0
    organisations: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    by_domain: dict[str, int] = field(default_factory=dict)
    by_lead_force: dict[str, int] = field(default_factory=dict)
    by_participating_force: dict[str, int] = field(default_factory=dict)
    by_outcome: dict[str, int] = field(default_factory=dict)
    fines: Decimal = Decimal(0)
    seized: list[SeizedTotal] = field(default_factory=list)

    @property
    def prosecuted(self) -> int:
        return self.by_outcome.get(CaseOutcome.PROSECUTION, 0)

    @property
    def sanctioned(self) -> int:
        return self.by_outcome.get(CaseOutcome.ADMINISTRATIVE, 0)

    def seized_of(self, code: str) -> Decimal:
        return next((t.quantity for t in self.seized if t.item.code == code), Decimal(0))


def _grouped(qs: QuerySet[Any], key: str) -> dict[str, int]:
    return {
        k: n for k, n in qs.order_by().values_list(key).annotate(n=Count("pk", distinct=True)) if k
    }


def subject_counts(cases: QuerySet[Case]) -> tuple[int, int]:
    """(persons, organisations) under the counting rule, over the given cases."""
    offenders = Subject.objects.filter(case__in=cases.values("pk"), role__in=OFFENDER_ROLES)
    persons = offenders.filter(kind=SubjectKind.PERSON)
    with_id = persons.exclude(citizen_id="").order_by().values("case_id", "citizen_id").distinct()
    organisations = offenders.filter(kind=SubjectKind.ORGANISATION).count()
    return with_id.count() + persons.filter(citizen_id="").count(), organisations


def seized_totals(cases: QuerySet[Case]) -> list[SeizedTotal]:
    rows = SeizedItem.objects.filter(case__in=cases.values("pk"))
    sums = exact_sums(rows, value="quantity", by="item_id")
    items = CatalogueItem.all_objects.in_bulk(list(sums))
    totals = [SeizedTotal(items[pk], qty) for pk, qty in sums.items() if qty]
    return sorted(totals, key=lambda t: (t.item.order, t.item.name))


def case_figures(cases: QuerySet[Case]) -> CaseFigures:
    """The figures of a (visible, filtered) set of cases. A bounded number of queries."""
    base = cases.order_by()
    participation = CaseUnit.objects.filter(case__in=base.values("pk"))
    persons, organisations = subject_counts(base)
    return CaseFigures(
        cases=base.count(),
        persons=persons,
        organisations=organisations,
        by_category=_grouped(base, "category"),
        by_domain=_grouped(base, "domain"),
        by_lead_force=_grouped(base, "lead_force__code"),
        by_participating_force=dict(
            participation.order_by()
            .values_list("force__code")
            .annotate(n=Count("case_id", distinct=True))
        ),
        by_outcome=_grouped(base, "outcome"),
        fines=exact_sum(base.filter(outcome=CaseOutcome.ADMINISTRATIVE), value="fine_amount"),
        seized=seized_totals(base),
    )


def wanted_arrested(
    *,
    actor: Any,
    start: dt.date,
    end: dt.date,
    area: AdministrativeArea | None = None,
) -> QuerySet[WantedPerson]:
    """Wanted persons caught (arrested or surrendered) within the period."""
    low, high = day_bounds(start, end)
    qs = wanted_list(actor=actor).filter(
        status__in=[WantedStatus.ARRESTED, WantedStatus.SURRENDERED],
        arrested_at__gte=low,
        arrested_at__lt=high,
    )
    if area is not None:
        if area.level == AreaLevel.PROVINCE:
            qs = qs.filter(province=area)
        else:
            qs = qs.filter(area_q(area, prefix="arrest_case__"))
    return qs
