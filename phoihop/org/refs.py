"""References to the organisation from input: units, communes, provinces — resolved one way.

The rules, the same in every module, page and API:
- A unit is named by its code (`CAX-SK1`) or by its public id (a UUID); both name the same unit,
  and a list may mix them. A unit that is unknown (or deleted) is refused with `unknown_unit`
  on the field, naming every reference that was not found. Duplicates are dropped, order kept.
- Areas have validity dates (the 2025 generation from 1/7/2025, the pre-2025 provinces,
  districts and communes until 30/6/2025), and a code may name an area of each generation
  (2025 commune codes reuse old ones). Given the record's date (`on=`), a code names the area
  in force on that day, or, if none was then, the one that followed (a 2025 commune for an
  earlier record when no old commune had its code); a code whose areas had all ended by that
  day is refused with `area_not_in_force` naming the field and the area's dates. Without a
  date: the current area first, then the most recently ended. Unknown → `unknown_commune` /
  `unknown_area`.
- A commune must lie in the record's province: the province itself, the 2025 province an old
  one became, or an old province the commune's own province was formed from. So a unit placed
  on an old province record may name that province's old communes, and the 2025 communes of
  its successor (`commune_outside_province` otherwise).
- A record's place is checked once, `check_place(province=, commune=, on=)`: the commune
  (`check_commune_in`: not ended by the record's date) and that some report counts it —
  before 1/7/2025 a 2025 province formed from several old ones is reported as those old
  provinces, so a record of that time needs a commune lying in one of them (an old commune,
  or a 2025 commune formed within one old province; `place_not_countable` otherwise), never
  accepted and then missing from every report.
- Pickers label an area with its validity when it has ended ("Tỉnh Quảng Bình (đến
  30/06/2025)"), and an old commune with its district, so no two choices read the same
  (`area_label`).

Which records a report or filter over an area counts (`area_q`), from what records carry — the
owner unit's `province` and, for most kinds, a `commune`:
- a current commune: records in it or in the old communes merged into it;
- a current province: records whose province is it, or one of the old provinces it was formed
  from (a unit placed on the old province record: its records are never lost);
- an old province (ended 30/6/2025): records whose province is it; records in its old
  communes (its districts' communes); records in a 2025 commune formed only from its old
  communes; and, when it became a 2025 province alone (Hà Tĩnh), every record of that province.
  A 2025 commune formed from old communes of several old provinces counts in neither old
  province (it cannot be split), only in the 2025 province;
- an old district or commune: records in its old communes and in 2025 communes formed only
  from them.
The period of a report decides which area a code names (`reports.figures.resolve_area`).
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from phoihop.core import formats
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


def in_force_q(start: dt.date, end: dt.date | None = None, *, prefix: str = "") -> Q:
    """Areas in force on `start`, or at some time between `start` and `end`."""
    end = start if end is None else end
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": end})) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": start})
    )


def area_validity(area: AdministrativeArea) -> str:
    """ "đến 30/06/2025", "từ 01/07/2025", "01/01/2020 – 30/06/2025"; empty when open."""
    if area.valid_until is None:
        return ""
    if area.valid_from is None:
        return _("đến %(until)s") % {"until": formats.date(area.valid_until)}
    return f"{formats.date(area.valid_from)} – {formats.date(area.valid_until)}"


def area_label(area: AdministrativeArea) -> str:
    """A picker's label: the name, an old commune's district, and the dates of an area that
    has ended — "Xã Sơn Kim 1, Huyện Hương Sơn (đến 30/06/2025)"; a current area by its name."""
    name = area.name
    if area.valid_until is not None and area.level == AreaLevel.COMMUNE and area.parent:
        name = f"{name}, {area.parent.name}"
    validity = area_validity(area)
    return f"{name} ({validity})" if validity else name


def _not_in_force(field: str, area: AdministrativeArea, on: dt.date) -> Exception:
    return invalid(
        field,
        _("%(area)s, mã %(code)s, không có hiệu lực vào ngày %(day)s.")
        % {"area": area_label(area), "code": area.code, "day": formats.date(on)},
        code="area_not_in_force",
    )


def _on(found: QuerySet[AdministrativeArea], on: dt.date) -> QuerySet[AdministrativeArea]:
    """Of areas sharing a code, the one in force on `on`; or, none being in force then, the
    one that followed (a 2025 area names the same ground for an earlier day when no older one
    was loaded with the code). Empty when every one had ended by `on`."""
    in_force = found.filter(in_force_q(on))
    return in_force if in_force.exists() else found.filter(valid_from__gt=on)


def _by_code(
    qs: QuerySet[AdministrativeArea], code: str, on: dt.date | None, field: str
) -> AdministrativeArea | None:
    """The area of `qs` with this code on `on` (`_on`; without a date: current first); None
    when there is none; refused when every one had ended by that day."""
    found = qs.filter(code=code).select_related("parent").order_by(_CURRENT_FIRST, "-valid_from")
    if on is None:
        return found.first()
    chosen = _on(found, on).first()
    if chosen is None and (other := found.first()) is not None:
        raise _not_in_force(field, other, on)
    return chosen


def commune_by_code(
    code: Any,
    *,
    province: AdministrativeArea | None = None,
    field: str = "commune",
    on: dt.date | None = None,
) -> AdministrativeArea:
    """A commune by its official code, in force on `on` (without a date: current ones first),
    or an error naming `field`. With `province`, the commune must lie in it (`check_commune_in`)."""
    cleaned = str(code or "").strip()
    found = _by_code(AdministrativeArea.objects.filter(level=AreaLevel.COMMUNE), cleaned, on, field)
    if found is None:
        raise invalid(
            field,
            _("Không có xã, phường mã “%(code)s”.") % {"code": code},
            code="unknown_commune",
        )
    if province is not None:
        check_commune_in(found, province, field=field)
    return found


def communes_by_code(
    codes: Iterable[Any], *, field: str = "communes", on: dt.date | None = None
) -> list[AdministrativeArea]:
    """Several communes by code, each once, in the order given."""
    wanted = dict.fromkeys(str(c).strip() for c in codes if c is not None and str(c).strip())
    return [commune_by_code(code, field=field, on=on) for code in wanted]


def check_commune_in(
    commune: AdministrativeArea,
    province: AdministrativeArea,
    *,
    field: str = "commune",
    on: dt.date | None = None,
) -> None:
    """The one check of a record's commune: it is a commune, lies in `province` (or in the
    province it became, or in one it was formed from) and, given the record's date, had not
    ended by that day (a 2025 commune for an earlier day: `check_place` decides)."""
    if commune.level != AreaLevel.COMMUNE:
        raise invalid(
            field,
            _("“%(name)s” không phải đơn vị hành chính cấp xã.") % {"name": commune.name},
            code="unknown_commune",
        )
    if on is not None and commune.valid_until is not None and on > commune.valid_until:
        raise _not_in_force(field, commune, on)
    home = commune.province
    related = AdministrativeArea.objects.filter(
        Q(pk=home.pk, successors=province) | Q(pk=province.pk, successors=home)
    )
    if home.pk != province.pk and not related.exists():
        raise invalid(
            field,
            _("%(name)s không thuộc %(province)s.")
            % {"name": area_label(commune), "province": area_label(province)},
            code="commune_outside_province",
        )


def _old_provinces_of(commune: AdministrativeArea) -> set[int]:
    """The old provinces a 2025 commune was formed from (ids), through its old communes."""
    return set(
        AdministrativeArea.objects.filter(
            level=AreaLevel.PROVINCE, children__children__successors=commune
        ).values_list("pk", flat=True)
    )


def check_place(
    *,
    province: AdministrativeArea,
    commune: AdministrativeArea | None,
    on: dt.date,
    field: str = "commune",
    without_commune: str = "",
) -> None:
    """The one rule that a record's place (the owner's province, the commune) on its date is
    counted in some report (module docstring), or a refusal naming `field`. A kind that has no
    commune (an information item) gives its own message, `without_commune`, with the same
    placeholders (%(day)s, %(province)s, %(old)s).

    Besides `check_commune_in`: before 1/7/2025 a 2025 province formed from several old
    provinces is reported as those old provinces, so a record of that time needs a commune
    that lies in one of them — an old commune, or a 2025 commune formed within one old province.
    """
    if commune is not None:
        check_commune_in(commune, province, field=field, on=on)
    if province.valid_from is None or on >= province.valid_from:
        return  # counted in the province's report (or in its successor's, after its end)
    if commune is not None and commune.valid_until is not None:
        return  # an old commune: counted in its old province's report
    formed_from = list(AdministrativeArea.objects.filter(successors=province))
    if len(formed_from) <= 1:
        return  # within one old province (or no old generation loaded): counted there
    if commune is not None and len(_old_provinces_of(commune)) == 1:
        return
    names = ", ".join(area_label(p) for p in formed_from)
    if commune is None:
        message = without_commune or _(
            "Trước ngày %(day)s, %(province)s là địa bàn của %(old)s: phải ghi xã, phường (cũ) "
            "nơi diễn ra để số liệu được tính vào báo cáo của tỉnh khi đó."
        )
    else:
        message = _(
            "%(commune)s được lập từ xã, phường của nhiều tỉnh cũ (%(old)s): với ngày trước "
            "%(day)s, hãy chọn xã, phường cũ nơi diễn ra."
        )
    raise invalid(
        field,
        message
        % {
            "day": formats.date(province.valid_from),
            "province": area_label(province),
            "old": names,
            "commune": area_label(commune) if commune is not None else "",
        },
        code="place_not_countable",
    )


def area_by_code(code: Any, *, on: dt.date | None = None) -> AdministrativeArea | None:
    """The area a filter names by its official code: in force on `on` (without a date: current
    first), the province before a commune of the same code; None for a blank or unknown code."""
    cleaned = str(code or "").strip()
    if not cleaned:
        return None
    found = AdministrativeArea.objects.filter(code=cleaned)
    if on is not None:
        found = _on(found, on)
    return found.order_by(_CURRENT_FIRST, "-valid_from", "level").first()


def area_by_code_or_error(
    code: Any, *, field: str = "area", on: dt.date | None = None
) -> AdministrativeArea:
    found = area_by_code(code, on=on)
    if found is None and on is not None and (other := area_by_code(code)) is not None:
        raise _not_in_force(field, other, on)
    if found is None:
        raise invalid(
            field,
            _("Không có địa bàn hành chính mã %(code)s.") % {"code": code},
            code="unknown_area",
        )
    return found


def _old_communes(area: AdministrativeArea) -> QuerySet[AdministrativeArea]:
    """The pre-2025 communes of an ended province, district or commune."""
    communes = AdministrativeArea.objects.filter(level=AreaLevel.COMMUNE, valid_until__isnull=False)
    if area.level == AreaLevel.PROVINCE:
        return communes.filter(parent__parent=area)
    if area.level == AreaLevel.DISTRICT:
        return communes.filter(parent=area)
    return communes.filter(pk=area.pk)


def _formed_only_from(old: list[int]) -> list[int]:
    """The areas all of whose predecessors are among `old` (ids): they lie wholly inside."""
    link = AdministrativeArea.successors.through
    touched = link.objects.filter(from_administrativearea_id__in=old).values(
        "to_administrativearea_id"
    )
    sources: dict[int, set[int]] = defaultdict(set)
    for new, source in link.objects.filter(to_administrativearea_id__in=touched).values_list(
        "to_administrativearea_id", "from_administrativearea_id"
    ):
        sources[new].add(source)
    inside = set(old)
    return sorted(new for new, came_from in sources.items() if came_from <= inside)


def _province_part(area: AdministrativeArea, prefix: str) -> Q | None:
    """The records an area counts by the owner's province; None for a commune or district."""
    if area.level != AreaLevel.PROVINCE:
        return None
    if area.valid_until is None:
        formed_from = AdministrativeArea.objects.filter(successors=area).values("pk")
        return Q(**{f"{prefix}province": area}) | Q(**{f"{prefix}province__in": formed_from})
    # A 2025 province formed from this one alone covers the same ground.
    alone = _formed_only_from([area.pk])
    return Q(**{f"{prefix}province": area}) | Q(**{f"{prefix}province__in": alone})


def _commune_part(area: AdministrativeArea, prefix: str) -> Q | None:
    """The records an area counts by their commune; None for a current province."""
    if area.valid_until is None:
        if area.level == AreaLevel.PROVINCE:
            return None
        if area.level == AreaLevel.COMMUNE:
            merged = AdministrativeArea.objects.filter(successors=area).values("pk")
            return Q(**{f"{prefix}commune": area}) | Q(**{f"{prefix}commune__in": merged})
        return Q(**{f"{prefix}commune__parent": area})
    # Ids, not subqueries: an old province has a few hundred communes, and a report filters by
    # them many times. 2025 communes formed only from them lie wholly inside the area.
    old = list(_old_communes(area).values_list("pk", flat=True))
    return Q(**{f"{prefix}commune__in": old + _formed_only_from(old)})


def area_q(
    area: AdministrativeArea | None,
    *,
    prefix: str = "",
    by_province: bool = True,
    by_commune: bool = True,
) -> Q:
    """The records an area counts (module docstring), over the records' `province` and
    `commune`. A kind whose communes are in other rows (an operation's places) filters its
    records `by_commune=False` and those rows `by_province=False`, and joins the two with OR;
    a part that does not apply matches nothing."""
    if area is None:
        return Q()
    parts = [
        part
        for wanted, part in (
            (by_province, _province_part(area, prefix)),
            (by_commune, _commune_part(area, prefix)),
        )
        if wanted and part is not None
    ]
    if not parts:
        return Q(pk__in=[])
    return functools.reduce(operator.or_, parts)


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


def province_family(province: AdministrativeArea) -> QuerySet[AdministrativeArea]:
    """The province, the old provinces it was formed from and the 2025 ones it became."""
    return AdministrativeArea.objects.filter(
        Q(pk=province.pk) | Q(successors=province) | Q(predecessors=province)
    ).distinct()


def province_communes(
    actor: User,
    *,
    also: AdministrativeArea | None = None,
    on: dt.date | None = None,
    past: bool = False,
) -> QuerySet[AdministrativeArea]:
    """The communes of the actor's province (and of the old provinces it was formed from, or
    the 2025 one it became) in force on `on` — without a date the current ones, and with
    `past` the pre-2025 ones as well (label them with `area_label`) — and `also` (the commune a
    record was made in stays selectable on its edit page)."""
    unit = actor.unit
    if unit is None:
        return AdministrativeArea.objects.none()
    family = province_family(unit.province).values("pk")
    shown = Q(level=AreaLevel.COMMUNE) & (
        Q(parent__in=family, valid_until__isnull=True)
        | Q(parent__parent__in=family, valid_until__isnull=False)
    )
    if on is not None:
        shown &= in_force_q(on)
    elif not past:
        shown &= Q(valid_until__isnull=True)
    if also is not None:
        shown |= Q(pk=also.pk)
    return (
        area_list(actor=actor)
        .filter(shown)
        .select_related("parent")
        .order_by(_CURRENT_FIRST, "name", "parent__name")
    )


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
