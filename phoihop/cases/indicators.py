"""Derived indicators of the case registry (found by `phoihop.indicators` at start-up).

Every figure starts from `case_list` (the access rule) and follows the counting rules of
`phoihop.cases.selectors`: cases by detection date within the period, owned (led) by the unit of
the scope or a unit below it; subjects under the counting rule; seized goods summed exactly in
the catalogue item's canonical unit.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet

from phoihop.cases.models import Case, SeizedItem
from phoihop.cases.selectors import case_list, cases_in, subject_counts, wanted_arrested
from phoihop.core.aggregates import exact_sum
from phoihop.indicators.registry import Scope, derived, page_link


def _cases(scope: Scope) -> QuerySet[Case]:
    return cases_in(
        scope.within(case_list(actor=scope.actor)),
        start=scope.start,
        end=scope.end,
        area=scope.area,
    )


def _cases_page(scope: Scope) -> str:
    return page_link(
        "cases:index",
        detected_from=scope.start.strftime("%d/%m/%Y"),
        detected_to=scope.end.strftime("%d/%m/%Y"),
        area=scope.area.code if scope.area is not None else "",
    )


@derived(
    "cases.count",
    name="Số vụ việc, vụ án phát hiện",
    unit="vụ",
    description="Vụ việc do đơn vị (hoặc đơn vị cấp dưới) chủ trì, phát hiện trong kỳ.",
    order=100,
    link=_cases_page,
)
def cases_count(scope: Scope) -> int:
    return _cases(scope).count()


@derived(
    "cases.persons",
    name="Số đối tượng (cá nhân) bắt giữ, xử lý",
    unit="đối tượng",
    description="Nghi phạm, người bị bắt giữ trong các vụ việc của kỳ; một người tính một lần "
    "trong mỗi vụ.",
    order=110,
    link=_cases_page,
)
def cases_persons(scope: Scope) -> int:
    return subject_counts(_cases(scope))[0]


@derived(
    "cases.organisations",
    name="Số tổ chức vi phạm",
    unit="tổ chức",
    order=120,
    link=_cases_page,
)
def cases_organisations(scope: Scope) -> int:
    return subject_counts(_cases(scope))[1]


@derived(
    "cases.wanted_arrested",
    name="Số đối tượng truy nã bị bắt, đầu thú",
    unit="đối tượng",
    description="Đối tượng truy nã bị bắt hoặc đầu thú trong kỳ, do đơn vị (hoặc cấp dưới) bắt.",
    order=130,
)
def cases_wanted_arrested(scope: Scope) -> int:
    arrested = wanted_arrested(actor=scope.actor, start=scope.start, end=scope.end, area=scope.area)
    return scope.within(arrested, field="arresting_unit").count()


# Seized goods reported in the periodic forms: catalogue code, indicator name, canonical unit.
SEIZED: list[tuple[str, str, str]] = [
    ("heroin", "Heroin thu giữ", "gam"),
    ("ma-tuy-da", "Ma túy đá thu giữ", "gam"),
    ("ma-tuy-tong-hop", "Ma túy tổng hợp thu giữ", "viên"),
    ("phao-no", "Pháo nổ thu giữ", "kg"),
    ("thuoc-no", "Thuốc nổ thu giữ", "kg"),
    ("go", "Gỗ các loại thu giữ", "m3"),
]


def _seized_total(item_code: str, scope: Scope) -> Decimal:
    rows = SeizedItem.objects.filter(case__in=_cases(scope).values("pk"), item__code=item_code)
    return exact_sum(rows, value="quantity")


def _register_seized(item_code: str, name: str, unit: str, order: int) -> None:
    def compute(scope: Scope) -> Decimal:
        return _seized_total(item_code, scope)

    compute.__name__ = f"seized_{item_code.replace('-', '_')}"
    count_unit = unit in ("viên",)
    derived(
        f"cases.seized.{item_code}",
        name=name,
        unit=unit,
        value_kind="count" if count_unit else "decimal",
        description=f"Tổng số lượng thu giữ trong các vụ việc của kỳ, tính bằng {unit}.",
        order=order,
        link=_cases_page,
    )(compute)


for _position, (_code, _name, _unit) in enumerate(SEIZED):
    _register_seized(_code, _name, _unit, 200 + _position * 10)
