"""The figure set of the coordination report: every figure the report shows, for one area and
period, as one actor sees them.

The figures are the registry's (`phoihop.core.figures`) declared with `report=True` by the
modules that own the records; nothing is counted here. Every one starts from the owning module's
selectors, which start from the access rule, so a report made for a user counts only the
records that user may see — no total leaks an invisible record. Each figure carries its value
for the period, for the previous period and for the same period of the previous year, and its
provenance: the public ids of the records behind the period's value and the module's list page
filtered to them.

The area is the one its code named during the period (`resolve_area`): `--area 49 --period
2023-Q3` is the old Quảng Nam (ended 30/6/2025), titled with its name as it was; a code kept
through the 2025 reform by a merged province (48, Đà Nẵng) names the old province for periods
before 1/7/2025 and the current one from then; a province that kept its code and its ground
(42, Hà Tĩnh) is reported as the current one throughout. Which records an area counts — an
old province counts the records placed on it, in its old districts and communes, and in 2025
communes formed only from them — is one rule, `org.refs.area_q`, which every module's figures
apply.

The registry computes the figures of a module together, each group in a fixed number of
queries whatever the volume of records, and reads the provenance of the period (not of the
periods compared with) in one more query per group.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from phoihop.core import figures as registry
from phoihop.core.errors import DomainError
from phoihop.exchange.figures import OverdueUnit, overdue_units
from phoihop.indicators.periods import Period, active_rule
from phoihop.org.enums import AreaLevel
from phoihop.org.models import AdministrativeArea
from phoihop.org.refs import area_label, in_force_q
from phoihop.reports.document import Figure, FigureKind, Number, Provenance

# A unit that let acknowledgements or verifications run past their due time.
Overdue = OverdueUnit


@dataclass
class LateSubmission:
    unit: str
    form: str
    deadline: dt.date
    missing: bool  # not received at all (else received after the deadline)


@dataclass
class FigureSet:
    """Every figure of one area and period, as one actor sees them, and the measured facts the
    limitations are written from."""

    area: AdministrativeArea
    period: Period
    rule: str
    start: dt.date
    end: dt.date
    figures: dict[str, Figure] = field(default_factory=dict)
    overdue: list[Overdue] = field(default_factory=list)
    late_submissions: list[LateSubmission] = field(default_factory=list)
    submissions_expected: int = 0

    def get(self, key: str) -> Figure | None:
        return self.figures.get(key)

    def value(self, key: str) -> Number:
        figure = self.figures.get(key)
        return 0 if figure is None else figure.value

    def starting(self, prefix: str) -> list[Figure]:
        return [f for k, f in self.figures.items() if k.startswith(prefix)]


# --- areas and periods --------------------------------------------------------------------------


def resolve_area(
    code: str, *, start: dt.date | None = None, end: dt.date | None = None
) -> AdministrativeArea:
    """The province or commune with this official code whose validity overlaps the period
    `start`–`end` (a 2023 report of code 49 is the old Quảng Nam's): when two do (a code kept
    through the 2025 reform, a period across 1/7/2025), the one in force at the period's end;
    when none was loaded for the period (`load_areas --no-legacy`), the one that followed; an
    old area that became the current one of its code alone and whole is reported as that one.
    Without a period, the current one. A clear error otherwise (an old province after its end)."""
    cleaned = (code or "").strip()
    areas = AdministrativeArea.objects.filter(
        code=cleaned, level__in=[AreaLevel.PROVINCE, AreaLevel.COMMUNE]
    ).select_related("parent")
    if start is None or end is None:
        candidates = areas.filter(valid_until__isnull=True)
    else:
        during = areas.filter(in_force_q(start, end))
        candidates = during if during.exists() else areas.filter(valid_from__gt=end)
    # In force at the end first (no end date, then the latest end), then the latest start.
    area = (
        candidates.order_by(F("valid_until").desc(nulls_first=True), F("valid_from").desc()).first()
        if cleaned
        else None
    )
    if area is None:
        raise _no_area(code, areas.order_by(F("valid_until").desc(nulls_first=True)).first())
    return _same_ground(area)


def _same_ground(area: AdministrativeArea) -> AdministrativeArea:
    """An old area that became, alone and whole, the current area of the same code (Hà Tĩnh):
    that current area, the same ground under the record its units and settings are placed on."""
    if area.valid_until is None:
        return area
    successors = list(area.successors.all()[:2])
    if len(successors) != 1:
        return area
    successor = successors[0]
    alone = not successor.predecessors.exclude(pk=area.pk).exists()
    same = successor.code == area.code and successor.level == area.level
    return successor if alone and same and successor.valid_until is None else area


def _no_area(code: str, other: AdministrativeArea | None) -> DomainError:
    if other is None:
        message = _(
            "Không có tỉnh hoặc xã nào mang mã “%(code)s”. Dùng mã hành chính chính thức: 2 chữ "
            "số cho tỉnh (ví dụ 42), 5 chữ số cho xã."
        ) % {"code": code}
    else:
        message = _(
            "%(area)s, mã %(code)s, không có hiệu lực trong kỳ báo cáo; chọn kỳ trong thời gian "
            "địa bàn có hiệu lực hoặc mã của địa bàn kế thừa."
        ) % {"area": area_label(other), "code": code}
    return DomainError(message, code="invalid_area", fields={"area": [message]})


# --- the figure set -----------------------------------------------------------------------------

_SUBMISSIONS = ("submissions.due", "submissions.late")


def _other(measured: registry.Measure | None, kind: FigureKind, zero: Number) -> Number | None:
    """A comparison period's value: nothing recorded is zero, but a share is then unknown."""
    if measured is not None:
        return measured.value
    return None if kind is FigureKind.PERCENT else zero


def _provenance(measured: registry.Measure) -> list[Provenance]:
    return [Provenance(model=measured.model, ids=measured.public_ids(), url=measured.url)]


def _merge(
    now: dict[str, registry.Measure],
    before: dict[str, registry.Measure],
    last: dict[str, registry.Measure],
) -> dict[str, Figure]:
    """One figure per key measured in any of the three periods, in the period's order first."""
    keys = list(now)
    for other in (last, before):
        keys += [k for k in other if k not in now and k not in keys]
    merged: dict[str, Figure] = {}
    for key in keys:
        current = now.get(key)
        template = current or last.get(key) or before[key]
        if template.kind is FigureKind.PERCENT and current is None:
            continue  # a share with nothing to measure this period is no figure
        zero: Number = Decimal(0) if isinstance(template.value, Decimal) else 0
        merged[key] = Figure(
            key=key,
            label=template.label,
            value=current.value if current is not None else zero,
            kind=template.kind,
            unit=template.unit,
            previous=_other(before.get(key), template.kind, zero),
            last_year=_other(last.get(key), template.kind, zero),
            provenance=_provenance(current) if current is not None else [],
            qualifier=current.qualifier if current is not None else "",
        )
    return merged


def _late_submissions(scope: registry.Scope, result: FigureSet) -> None:
    """The periodic submissions owed in the area: how many, and those late or missing."""
    measured = registry.measures(scope, keys=_SUBMISSIONS)
    due, late = measured.get("submissions.due"), measured.get("submissions.late")
    result.submissions_expected = int(due.value) if due is not None else 0
    result.late_submissions = [
        LateSubmission(
            unit=owed.row.unit.name,
            form=owed.row.form.name,
            deadline=owed.row.deadline,
            missing=owed.row.missing,
        )
        for owed in (late.entries() if late is not None else [])
    ]


def build_figures(
    *,
    area_code: str,
    period_key: str,
    actor: Any,
    rule: str | None = None,
    area: AdministrativeArea | None = None,
    period: Period | None = None,
) -> FigureSet:
    """Every figure of the area and period within `actor`'s visibility (`OPERATOR`: all), each
    with the previous period and the same period last year, and the facts of the limitations."""
    period = period or Period.parse(period_key)
    chosen = str(rule or active_rule())
    start, end = period.window(chosen)
    area = area or resolve_area(area_code, start=start, end=end)

    def scope_of(of: Period) -> registry.Scope:
        start, end = of.window(chosen)
        return registry.Scope(actor=actor, start=start, end=end, area=area, period=of)

    scope = scope_of(period)
    now = registry.measures(scope, report=True)
    before = registry.measures(scope_of(period.previous), report=True)
    last = registry.measures(scope_of(period.same_period_last_year), report=True)
    result = FigureSet(
        area=area,
        period=period,
        rule=chosen,
        start=scope.start,
        end=scope.end,
        figures=_merge(now, before, last),
        overdue=overdue_units(scope),
    )
    _late_submissions(scope, result)
    return result
