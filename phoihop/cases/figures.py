"""The figures of the case registry, declared once (see `phoihop.core.figures`): what the
indicators, the coordination report and the dashboard count of cases and wanted persons.

The counting rules are those of `phoihop.cases.selectors`: a case counts in the period of its
detection and in the commune it happened in (or a pre-2025 commune merged into it), once in
joint figures however many forces took part; a scope's unit counts the cases it or a unit below
it owns (leads); persons are the suspects and arrested under the counting rule, organisations
apart; seized goods are summed exactly in the catalogue item's canonical unit; a wanted person
counts in the period of the arrest or surrender, for the arresting unit. The dashboard's force
filter keeps the cases that force took part in; its category and domain filters apply here only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.cases.enums import CaseCategory, CaseDomain, CaseOutcome, SubjectKind
from phoihop.cases.models import Case, CaseUnit, SeizedItem, Subject, WantedPerson
from phoihop.cases.selectors import (
    OFFENDER_ROLES,
    case_list,
    cases_in,
    seized_totals,
    subject_counts,
    wanted_arrested,
)
from phoihop.core import formats
from phoihop.core.figures import (
    Derived,
    FigureKind,
    RecordRow,
    Results,
    Scope,
    Source,
    lazy,
    page_link,
    summed,
)
from phoihop.org.models import Force

# --- the records --------------------------------------------------------------------------------


def _cases(scope: Scope) -> QuerySet[Case]:
    qs = scope.narrow(case_list(actor=scope.actor), cases_in)
    if scope.force is not None:
        qs = qs.filter(pk__in=CaseUnit.objects.filter(force=scope.force).values("case_id"))
    if scope.category:
        qs = qs.filter(category=scope.category)
    if scope.domain:
        qs = qs.filter(domain=scope.domain)
    return qs.order_by()


def _cases_page(scope: Scope, **query: str) -> str:
    """The case list filtered to the scope (ISO dates: the filters read them in any language)."""
    filters = {
        "detected_from": scope.start.isoformat(),
        "detected_to": scope.end.isoformat(),
        "area": scope.area.code if scope.area is not None else "",
        "force": scope.force.code if scope.force is not None else "",
        "category": scope.category,
        "domain": scope.domain,
    }
    return page_link("cases:index", **(filters | query))


def _case_row(case: Case) -> RecordRow:
    return RecordRow(
        f"{case.display_number} · {case.title}",
        reverse("cases:detail", args=[case.public_id]),
        formats.date(timezone.localtime(case.detected_at).date()),
        case.commune.name if case.commune_id else "",
    )


def _forces() -> Iterable[tuple[str, str]]:
    return Force.objects.order_by("order", "code").values_list("code", "name")


CASES = Source(
    "cases",
    label=gettext_lazy("Vụ việc"),
    select=_cases,
    row=_case_row,
    page=_cases_page,
    related=("owner_unit", "commune"),
    newest=("-detected_at", "pk"),
    dated="detected_at",
    instant=True,
    communes="commune_id",
    province="province__code",
    forces="participants__force__code",
    position=("latitude", "longitude"),
)

# --- the figures --------------------------------------------------------------------------------

COUNT = CASES.figure(
    "cases.count",
    gettext_lazy("Vụ việc phát hiện, bắt giữ, xử lý"),
    unit=gettext_lazy("vụ"),
    order=100,
    report=True,
    derived=Derived(
        "Số vụ việc, vụ án phát hiện",
        "vụ",
        description="Vụ việc do đơn vị (hoặc đơn vị cấp dưới) chủ trì, phát hiện trong kỳ.",
    ),
)
PERSONS = CASES.figure(
    "cases.persons",
    gettext_lazy("Đối tượng bị bắt giữ, xử lý"),
    unit=gettext_lazy("đối tượng"),
    order=110,
    report=True,
    derived=Derived(
        "Số đối tượng (cá nhân) bắt giữ, xử lý",
        "đối tượng",
        description="Nghi phạm, người bị bắt giữ trong các vụ việc của kỳ; một người tính một "
        "lần trong mỗi vụ.",
    ),
)
ORGANISATIONS = CASES.figure(
    "cases.organisations",
    gettext_lazy("Tổ chức vi phạm bị xử lý"),
    unit=gettext_lazy("tổ chức"),
    order=120,
    report=True,
    derived=Derived("Số tổ chức vi phạm", "tổ chức"),
)
CATEGORY = CASES.family(
    "cases.category",
    by="category",
    values=lambda: CaseCategory.choices,
    unit=gettext_lazy("vụ"),
    order=140,
    report=True,
    query="category",
)
DOMAIN = CASES.family(
    "cases.domain",
    by="domain",
    values=lambda: CaseDomain.choices,
    label=lambda name: _("Địa bàn %(domain)s") % {"domain": str(name).lower()},
    unit=gettext_lazy("vụ"),
    order=150,
    report=True,
    query="domain",
)
LEAD_FORCE = CASES.family(
    "cases.lead_force",
    by="lead_force__code",
    values=_forces,
    label=lambda name: _("Vụ do %(force)s chủ trì") % {"force": name},
    unit=gettext_lazy("vụ"),
    order=160,
    report=True,
    query="lead_force",
)
FORCE = CASES.family(
    "cases.force",
    label=lambda name: _("Vụ có %(force)s tham gia") % {"force": name},
    unit=gettext_lazy("vụ"),
    order=170,
    report=True,
    query="force",
)
PROSECUTED = CASES.figure(
    "cases.prosecuted",
    gettext_lazy("Vụ khởi tố hình sự"),
    unit=gettext_lazy("vụ"),
    where=Q(outcome=CaseOutcome.PROSECUTION),
    emit="nonzero",
    order=180,
    report=True,
)
SANCTIONED = CASES.figure(
    "cases.sanctioned",
    gettext_lazy("Vụ xử phạt vi phạm hành chính"),
    unit=gettext_lazy("vụ"),
    where=Q(outcome=CaseOutcome.ADMINISTRATIVE),
    emit="nonzero",
    order=185,
    report=True,
)
FINES = CASES.figure(
    "cases.fines",
    gettext_lazy("Tiền phạt vi phạm hành chính"),
    unit=gettext_lazy("đồng"),
    kind=FigureKind.AMOUNT,
    order=190,
    report=True,
)
SEIZED = CASES.family("cases.seized", kind=FigureKind.QUANTITY, order=200, report=True)

# Seized goods the periodic forms ask for: catalogue code, indicator name, canonical unit.
SEIZED.derive_quantities(
    [
        ("heroin", "Heroin thu giữ", "gam"),
        ("ma-tuy-da", "Ma túy đá thu giữ", "gam"),
        ("ma-tuy-tong-hop", "Ma túy tổng hợp thu giữ", "viên"),
        ("phao-no", "Pháo nổ thu giữ", "kg"),
        ("thuoc-no", "Thuốc nổ thu giữ", "kg"),
        ("go", "Gỗ các loại thu giữ", "m3"),
    ],
    whole=["viên"],
    order=200,
    description="Tổng số lượng thu giữ trong các vụ việc của kỳ, tính bằng {unit}.",
)


@CASES.provider(PERSONS, ORGANISATIONS)
def _subjects(records: QuerySet[Case], scope: Scope, out: Results) -> None:
    persons, organisations = subject_counts(records)
    offenders = Subject.objects.filter(case__in=records.values("pk"), role__in=OFFENDER_ROLES)

    @lazy
    def holders() -> dict[str, set[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for kind, public_id in offenders.order_by().values_list("kind", "case__public_id"):
            found[kind].add(str(public_id))
        return found

    def ids_of(kind: str) -> Callable[[], tuple[str, ...]]:
        return lambda: tuple(sorted(holders()[kind]))

    for figure, value, kind in (
        (PERSONS, persons, SubjectKind.PERSON),
        (ORGANISATIONS, organisations, SubjectKind.ORGANISATION),
    ):
        with_them = records.filter(pk__in=offenders.filter(kind=kind).values("case_id"))
        out.add(figure, value, with_them, ids=ids_of(kind))


@CASES.provider(FORCE)
def _participation(records: QuerySet[Case], scope: Scope, out: Results) -> None:
    """A case counts once for every force that took part in it (lead or cooperating)."""
    taking_part = CaseUnit.objects.filter(case__in=records.values("pk"))
    cases_of: dict[str, set[str]] = defaultdict(set)
    for code, public_id in taking_part.order_by().values_list("force__code", "case__public_id"):
        cases_of[code].add(str(public_id))
    for code, name in _forces():
        if cases_of[code]:
            out.add(
                FORCE.member(code, name),
                len(cases_of[code]),
                records.filter(pk__in=taking_part.filter(force__code=code).values("case_id")),
                ids=cases_of[code],
            )


@CASES.provider(FINES)
def _fines(records: QuerySet[Case], scope: Scope, out: Results) -> None:
    sanctioned = records.filter(outcome=CaseOutcome.ADMINISTRATIVE)
    fines, ids = summed(sanctioned, "fine_amount")
    if fines:
        out.add(FINES, fines, sanctioned, ids=ids)


@CASES.provider(SEIZED)
def _seized(records: QuerySet[Case], scope: Scope, out: Results) -> None:
    seized = SeizedItem.objects.filter(case__in=records.values("pk"))
    holders: dict[str, set[str]] = defaultdict(set)
    for code, public_id in seized.order_by().values_list("item__code", "case__public_id"):
        holders[code].add(str(public_id))
    for total in seized_totals(records):
        code = total.item.code
        out.add(
            SEIZED.member(code, label=total.item.name, unit=total.item.report_phrase),
            total.quantity,
            records.filter(pk__in=seized.filter(item__code=code).values("case_id")),
            ids=holders[code],
        )


# --- wanted persons -----------------------------------------------------------------------------


def _wanted(scope: Scope) -> QuerySet[WantedPerson]:
    caught = wanted_arrested(actor=scope.actor, start=scope.start, end=scope.end, area=scope.area)
    return scope.within(caught, field="arresting_unit").order_by()


def _wanted_row(person: WantedPerson) -> RecordRow:
    arrested = timezone.localtime(person.arrested_at).date() if person.arrested_at else None
    return RecordRow(
        person.full_name,
        reverse("cases:wanted"),
        formats.date(arrested) if arrested else "",
        person.arresting_unit.name if person.arresting_unit is not None else "",
    )


def _wanted_page(scope: Scope, **query: Any) -> str:
    return page_link("cases:wanted")


WANTED = Source(
    "wanted",
    label=gettext_lazy("Đối tượng truy nã"),
    select=_wanted,
    row=_wanted_row,
    page=_wanted_page,
    related=("arresting_unit",),
    newest=("-arrested_at", "pk"),
    dated="arrested_at",
    instant=True,
)
ARRESTED = WANTED.figure(
    "wanted.arrested",
    gettext_lazy("Đối tượng truy nã bị bắt, đầu thú"),
    unit=gettext_lazy("đối tượng truy nã"),
    order=130,
    report=True,
    derived=Derived(
        "Số đối tượng truy nã bị bắt, đầu thú",
        "đối tượng",
        code="cases.wanted_arrested",
        description="Đối tượng truy nã bị bắt hoặc đầu thú trong kỳ, do đơn vị (hoặc cấp dưới) "
        "bắt.",
    ),
)
