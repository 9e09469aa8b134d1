"""Derived indicators, registered in code by the modules that own the records.

A module declares its indicators in its own `indicators.py` (found by `autodiscover_modules`
when the app registry is ready) with the `derived` decorator:

    from phoihop.indicators.registry import Scope, derived

    @derived("cases.count", name="Số vụ việc phát hiện", unit="vụ")
    def cases_count(scope: Scope) -> int:
        return cases_in(scope.within(case_list(actor=scope.actor)), start=scope.start,
                        end=scope.end, area=scope.area).count()

The function receives a `Scope` — who is asking (`actor`: every read starts from the access rule
for them), whose records count (`unit`: the unit and the units below it; None for everything the
actor sees), the period's first and last day (inclusive) and an optional area — and returns an
int or a Decimal. `link`, if given, returns the path of a page listing the records behind the
figure (or "" when that page does not exist yet).

Registered indicators are written into the catalogue (`Indicator`, kind "derived") after every
`migrate` and by `manage.py sync_indicators`; the catalogue row is what forms and submissions
point at, the registration is how the value is computed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse

from phoihop.indicators.enums import Aggregation, ValueKind

if TYPE_CHECKING:
    from phoihop.org.models import AdministrativeArea, Unit


@dataclass(frozen=True)
class Scope:
    actor: Any
    unit: Unit | None
    start: dt.date
    end: dt.date
    area: AdministrativeArea | None = None

    def within(self, qs: QuerySet[Any], field: str = "owner_unit") -> QuerySet[Any]:
        """`qs` narrowed to records whose `field` (a unit) is the scope's unit or below it."""
        if self.unit is None:
            return qs
        return qs.filter(**{f"{field}__path__startswith": self.unit.path})


Compute = Callable[[Scope], "int | Decimal"]
Link = Callable[[Scope], str]


@dataclass(frozen=True)
class DerivedIndicator:
    code: str
    name: str
    unit: str
    compute: Compute
    aggregation: str = Aggregation.SUM
    value_kind: str = ValueKind.COUNT
    description: str = ""
    order: int = 0
    link: Link | None = None

    def value(self, scope: Scope) -> Decimal:
        result = self.compute(scope)
        return result if isinstance(result, Decimal) else Decimal(int(result))

    def link_for(self, scope: Scope) -> str:
        if self.link is None:
            return ""
        try:
            return self.link(scope)
        except NoReverseMatch:
            return ""


_REGISTRY: dict[str, DerivedIndicator] = {}


def register(indicator: DerivedIndicator) -> DerivedIndicator:
    existing = _REGISTRY.get(indicator.code)
    if existing is not None and existing.compute is not indicator.compute:
        raise ValueError(f"Derived indicator {indicator.code!r} is registered twice")
    _REGISTRY[indicator.code] = indicator
    return indicator


def derived(
    code: str,
    *,
    name: str,
    unit: str,
    aggregation: str = Aggregation.SUM,
    value_kind: str = ValueKind.COUNT,
    description: str = "",
    order: int = 0,
    link: Link | None = None,
) -> Callable[[Compute], Compute]:
    """Register the decorated function as the computation of derived indicator `code`."""

    def decorate(compute: Compute) -> Compute:
        register(
            DerivedIndicator(
                code=code,
                name=name,
                unit=unit,
                compute=compute,
                aggregation=aggregation,
                value_kind=value_kind,
                description=description,
                order=order,
                link=link,
            )
        )
        return compute

    return decorate


def get(code: str) -> DerivedIndicator | None:
    return _REGISTRY.get(code)


def registered() -> dict[str, DerivedIndicator]:
    return dict(sorted(_REGISTRY.items(), key=lambda kv: (kv[1].order, kv[0])))


def page_link(url_name: str, **query: Any) -> str:
    """A page's path with a query string; "" if the page does not exist (yet)."""
    from urllib.parse import urlencode

    try:
        path = reverse(url_name)
    except NoReverseMatch:
        return ""
    cleaned = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{path}?{urlencode(cleaned)}" if cleaned else path


def sync_catalogue(apps: Any = None) -> int:
    """Write every registered indicator into the catalogue; returns how many rows changed.

    A derived row's definition belongs to the code: name, unit, aggregation and value kind are
    brought in line with the registration; administrators keep `order` and `is_active`.
    """
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    from django.utils import translation

    Indicator = apps.get_model("indicators", "Indicator")
    changed = 0
    with translation.override("vi"):
        changed = _sync(Indicator)
    return changed


def _sync(Indicator: Any) -> int:
    changed = 0
    for item in registered().values():
        fields = {
            "name": str(item.name),
            "unit": str(item.unit),
            "kind": "derived",
            "value_kind": str(item.value_kind),
            "aggregation": str(item.aggregation),
            "description": str(item.description),
        }
        row = Indicator._base_manager.filter(code=item.code).first()
        if row is None:
            Indicator._base_manager.create(code=item.code, order=item.order, **fields)
            changed += 1
            continue
        differing = {k: v for k, v in fields.items() if getattr(row, k) != v}
        if differing:
            for key, value in differing.items():
                setattr(row, key, value)
            row.version = (row.version or 0) + 1
            row.save(update_fields=[*differing, "version", "updated_at"])
            changed += 1
    return changed
