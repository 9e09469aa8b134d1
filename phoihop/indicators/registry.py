"""Derived indicators: the figures of the registry (`phoihop.core.figures`) that the modules
declare with `derived=Derived(...)`, as the catalogue knows them.

A module declares such a figure once, in its own `figures.py`, with the catalogue's code
(the figure's key unless `Derived.code` says otherwise), name, unit, value kind and aggregation;
its value for a `Scope` — who asks (`actor`: every read starts from the access rule), whose
records count (`unit`: the unit and the units below it; None for everything the actor sees),
the period's first and last day (inclusive) and an optional area — is the figure's, and `link`
the page listing the records behind it.

Registered indicators are written into the catalogue (`Indicator`, kind "derived") after every
`migrate` and by `manage.py sync_indicators`; the catalogue row is what forms and submissions
point at, the registry is how the value is computed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from phoihop.core import figures
from phoihop.core.figures import Scope, page_link

__all__ = ["DerivedIndicator", "Scope", "get", "page_link", "registered", "sync_catalogue"]


@dataclass(frozen=True)
class DerivedIndicator:
    code: str
    key: str  # the registry's figure computing it
    name: str
    unit: str
    aggregation: str
    value_kind: str
    description: str
    order: int

    def value(self, scope: Scope) -> Decimal:
        return _decimal(figures.value(self.key, scope))

    def link_for(self, scope: Scope) -> str:
        figure = figures.figure(self.key)
        return figure.link(scope) if figure is not None else ""


def _decimal(value: int | Decimal) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(int(value))


def registered() -> dict[str, DerivedIndicator]:
    found = []
    for code, (derived, key) in figures.derived().items():
        figure = figures.figure(key)
        assert figure is not None, key
        found.append(
            DerivedIndicator(
                code=code,
                key=key,
                name=derived.name,
                unit=derived.unit,
                aggregation=derived.aggregation,
                value_kind=derived.value_kind,
                description=derived.description,
                order=figure.order if derived.order is None else derived.order,
            )
        )
    return {item.code: item for item in sorted(found, key=lambda i: (i.order, i.code))}


def get(code: str) -> DerivedIndicator | None:
    return registered().get(code)


def values(codes: Iterable[str], scope: Scope) -> dict[str, Decimal | None]:
    """The values of several derived indicators over one scope, each figure group computed once
    (None for a code the registry does not know)."""
    known = registered()
    chosen = [known[code] for code in codes if code in known]
    measured = figures.measures(scope, keys=[item.key for item in chosen])
    out: dict[str, Decimal | None] = {code: None for code in codes}
    for item in chosen:
        found = measured.get(item.key)
        out[item.code] = _decimal(found.value) if found is not None else Decimal(0)
    return out


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
    with translation.override("vi"):
        return _sync(Indicator)


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
