"""References to the organisation from input: units, communes, provinces — resolved one way.

The rules, the same in every module, page and API:
- A unit is named by its code (`CAX-SK1`) or by its public id (a UUID); both name the same unit,
  and a list may mix them. A unit that is unknown (or deleted) is refused with `unknown_unit`
  on the field, naming every reference that was not found. Duplicates are dropped, order kept.
- A commune is named by its official 5-digit code; current communes come first, then the
  pre-2025 ones (records of earlier years name them). Unknown → `unknown_commune`.
- An area (province, district or commune) by its official code: current first, a province before
  a commune of the same code. `area_q` turns one into the filter over records' places.
- The choices pages offer (`province_units`, `own_units`, `province_communes`) are the actor's
  province's, in tree order, force by force.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from phoihop.core.errors import invalid
from phoihop.org.enums import AreaLevel
from phoihop.org.models import AdministrativeArea, Unit, User
from phoihop.org.selectors import area_list, unit_list

# Areas still in force (no end date) first, then the most recently ended: NULL sorts last in
# PostgreSQL and first in SQLite, so say it.
_CURRENT_FIRST = F("valid_until").desc(nulls_first=True)


def _as_uuid(ref: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(ref)
    except ValueError:
        return None


def units_by_ref(actor: User, refs: Iterable[Any], *, field: str) -> list[Unit]:
    """The units named by code or public id, in the order given, each once; unknown → 400."""
    wanted = list(dict.fromkeys(str(r).strip() for r in refs if r is not None and str(r).strip()))
    if not wanted:
        return []
    ids = {ref: parsed for ref in wanted if (parsed := _as_uuid(ref)) is not None}
    codes = [ref for ref in wanted if ref not in ids]
    found = list(unit_list(actor=actor).filter(Q(public_id__in=ids.values()) | Q(code__in=codes)))
    by_id = {u.public_id: u for u in found}
    by_code = {u.code: u for u in found}
    units: dict[int, Unit] = {}
    missing: list[str] = []
    for ref in wanted:
        unit = by_id.get(ids[ref]) if ref in ids else by_code.get(ref)
        if unit is None:
            missing.append(ref)
        else:
            units.setdefault(unit.pk, unit)
    if missing:
        raise invalid(
            field,
            _("Không có đơn vị mã %(refs)s.") % {"refs": ", ".join(missing)},
            code="unknown_unit",
        )
    return list(units.values())


def unit_by_ref(actor: User, ref: Any, *, field: str, required: bool = False) -> Unit | None:
    """One unit by code or public id; None for a blank reference unless `required`."""
    units = units_by_ref(actor, [ref], field=field)
    if not units and required:
        raise invalid(field, _("Phải chọn đơn vị."), code="required")
    return units[0] if units else None


def partner_units(owner: Unit, units: Iterable[Unit], *, field: str) -> list[Unit]:
    """The units working with `owner` on a record (cooperating, participating): each once, in
    the order given, `owner` left out; a unit that has ended (or was deleted) is refused with
    `inactive_unit` on `field`."""
    chosen: dict[int, Unit] = {}
    for unit in units:
        if unit.deleted_at is not None or unit.valid_until is not None:
            raise invalid(
                field,
                _("Đơn vị %(unit)s đã kết thúc hoạt động.") % {"unit": unit.name},
                code="inactive_unit",
            )
        if unit.pk != owner.pk:
            chosen.setdefault(unit.pk, unit)
    return list(chosen.values())


def commune_by_code(
    code: Any, *, province: AdministrativeArea | None = None, field: str = "commune"
) -> AdministrativeArea:
    """A commune by its official code (current ones first), or an error naming `field`.

    With `province`, the commune must lie in it (or in a province merged into it)."""
    found = (
        AdministrativeArea.objects.filter(level=AreaLevel.COMMUNE, code=str(code or "").strip())
        .order_by(_CURRENT_FIRST, "-valid_from")
        .first()
    )
    if found is None:
        raise invalid(
            field,
            _("Không có xã, phường mã “%(code)s”.") % {"code": code},
            code="unknown_commune",
        )
    if province is not None:
        check_commune_in(found, province, field=field)
    return found


def communes_by_code(codes: Iterable[Any], *, field: str = "communes") -> list[AdministrativeArea]:
    """Several communes by code, each once, in the order given."""
    wanted = dict.fromkeys(str(c).strip() for c in codes if c is not None and str(c).strip())
    return [commune_by_code(code, field=field) for code in wanted]


def check_commune_in(
    commune: AdministrativeArea, province: AdministrativeArea, *, field: str = "commune"
) -> None:
    if commune.level != AreaLevel.COMMUNE:
        raise invalid(
            field,
            _("“%(name)s” không phải đơn vị hành chính cấp xã.") % {"name": commune.name},
            code="unknown_commune",
        )
    home = commune.province
    if home.pk != province.pk and not home.successors.filter(pk=province.pk).exists():
        raise invalid(
            field,
            _("%(name)s không thuộc %(province)s.")
            % {"name": commune.name, "province": province.name},
            code="commune_outside_province",
        )


def area_by_code(code: Any) -> AdministrativeArea | None:
    """The area a filter names by its official code (current first, the province before a
    commune of the same code); None for a blank or unknown code."""
    cleaned = str(code or "").strip()
    if not cleaned:
        return None
    return (
        AdministrativeArea.objects.filter(code=cleaned)
        .order_by(_CURRENT_FIRST, "-valid_from", "level")
        .first()
    )


def area_by_code_or_error(code: Any, *, field: str = "area") -> AdministrativeArea:
    found = area_by_code(code)
    if found is None:
        raise invalid(
            field,
            _("Không có địa bàn hành chính mã %(code)s.") % {"code": code},
            code="unknown_area",
        )
    return found


def area_q(area: AdministrativeArea | None, *, prefix: str = "") -> Q:
    """Records of a province (by the owner's province) or of a commune (and of the pre-2025
    communes merged into it), or of a pre-2025 district (its communes)."""
    if area is None:
        return Q()
    if area.level == AreaLevel.PROVINCE:
        return Q(**{f"{prefix}province": area})
    if area.level == AreaLevel.COMMUNE:
        merged = AdministrativeArea.objects.filter(successors=area).values("pk")
        return Q(**{f"{prefix}commune": area}) | Q(**{f"{prefix}commune__in": merged})
    return Q(**{f"{prefix}commune__parent": area})


# --- what pages offer ---------------------------------------------------------------------------


def province_units(
    actor: User, *, include_own: bool = True, include_past: bool = False
) -> QuerySet[Unit]:
    """Units of the actor's province, force by force in tree order: the active ones, or every
    one with `include_past`; without the actor's own unit when `include_own` is False (the
    recipients of what the actor sends)."""
    unit = actor.unit
    if unit is None:
        return Unit.objects.none()
    units = unit_list(actor=actor).filter(province_id=unit.province_id)
    if not include_past:
        units = units.filter(valid_until__isnull=True)
    if not include_own:
        units = units.exclude(pk=unit.pk)
    return units.order_by("force__order", "force__code", "path")


def own_units(actor: User) -> QuerySet[Unit]:
    """The actor's unit and the active units below it: whom the actor may record for."""
    unit = actor.unit
    if unit is None:
        return Unit.objects.none()
    return (
        unit_list(actor=actor)
        .filter(path__startswith=unit.path, valid_until__isnull=True)
        .order_by("path")
    )


def province_communes(
    actor: User, *, also: AdministrativeArea | None = None
) -> QuerySet[AdministrativeArea]:
    """The current communes of the actor's province, and `also` (an old commune a record was
    made in stays selectable on its edit page)."""
    unit = actor.unit
    if unit is None:
        return AdministrativeArea.objects.none()
    current = Q(level=AreaLevel.COMMUNE, parent_id=unit.province_id, valid_until__isnull=True)
    if also is not None:
        current |= Q(pk=also.pk)
    return area_list(actor=actor).filter(current).order_by("name")


def grouped_unit_choices(units: Iterable[Unit]) -> list[tuple[str, list[tuple[str, str]]]]:
    """`[(force name, [(public id, unit name), …]), …]` for a select with one group per force."""
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for unit in units:
        indent = "\u2003" * max(0, unit.depth - 1)
        groups[unit.force.name].append((str(unit.public_id), f"{indent}{unit.name}"))
    return list(groups.items())


def units_by_public_id(units: QuerySet[Unit], values: Iterable[Any]) -> list[Unit]:
    """The units of `units` (a page's choices) chosen by public id, in the order chosen."""
    wanted = [str(v) for v in values if v]
    found = {str(u.public_id): u for u in units.filter(public_id__in=wanted)}
    return [found[v] for v in wanted if v in found]
