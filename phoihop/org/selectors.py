"""Reads of the organisation: forces, units, administrative areas, users and the current user.

Units and areas are organisation data that every authenticated member may read (they are not
scoped records: the access rule decides who sees the records that units own, not the units).
Accounts are listed to administrators only.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from phoihop.core.errors import NotFound, invalid
from phoihop.core.text import fold
from phoihop.org.enums import AreaLevel
from phoihop.org.models import AdministrativeArea, Force, Role, Unit, UnitLevel, User


def _is_member(actor: Any) -> bool:
    return bool(actor is not None and actor.is_authenticated and actor.is_active)


def _parse_uuid(value: str | uuid.UUID) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


# --- units ----------------------------------------------------------------------------------


def unit_list(*, actor: Any) -> QuerySet[Unit]:
    """All units (alive), in tree order, with what a listing shows loaded up front."""
    if not _is_member(actor):
        return Unit.objects.none()
    return Unit.objects.select_related("force", "level", "parent", "province").prefetch_related(
        Prefetch("areas", queryset=AdministrativeArea.objects.only("id", "code"))
    )


def unit_get(*, actor: Any, public_id: str | uuid.UUID) -> Unit:
    """One unit by its public id; a malformed id is as unknown as a missing one."""
    parsed = _parse_uuid(public_id)
    unit = unit_list(actor=actor).filter(public_id=parsed).first() if parsed else None
    if unit is None:
        raise NotFound()
    return unit


def unit_ids_matching(units: QuerySet[Unit], query: str) -> list[int]:
    """Ids of the units whose name, short name or code contains `query`, ignoring diacritics.

    Units number in the hundreds, so folding in Python is cheaper than a stored search column.
    """
    needle = fold(query)
    if not needle:
        return list(units.values_list("pk", flat=True))
    return [
        pk
        for pk, name, short_name, code in units.values_list("pk", "name", "short_name", "code")
        if needle in fold(name) or needle in fold(short_name) or needle in fold(code)
    ]


def units_by_id(ids: Iterable[int]) -> dict[int, Unit]:
    """The units with these ids (deleted ones too: a path may still name them), in one query."""
    wanted = set(ids)
    if not wanted:
        return {}
    return {
        u.pk: u
        for u in Unit.all_objects.filter(pk__in=wanted).only("id", "public_id", "code", "name")
    }


def unit_ancestors(unit: Unit, *, known: dict[int, Unit] | None = None) -> list[Unit]:
    """The units above `unit`, from the root down to its parent, read from its materialised path."""
    ids = unit.ancestor_ids()[:-1]
    found = known if known is not None else units_by_id(ids)
    missing = [i for i in ids if i not in found]
    if missing:
        found = {**found, **units_by_id(missing)}
    return [found[i] for i in ids if i in found]


# --- administrative areas -------------------------------------------------------------------


def area_list(*, actor: Any) -> QuerySet[AdministrativeArea]:
    if not _is_member(actor):
        return AdministrativeArea.objects.none()
    return AdministrativeArea.objects.select_related("parent").prefetch_related(
        Prefetch("successors", queryset=AdministrativeArea.objects.only("id", "code", "level"))
    )


def area_filter_by_name(
    areas: QuerySet[AdministrativeArea], query: str
) -> QuerySet[AdministrativeArea]:
    """Areas whose name contains `query` without diacritics (`Ha Tinh` finds `Tỉnh Hà Tĩnh`),
    or whose official code is `query`."""
    needle = fold(query)
    if not needle:
        return areas
    by_name = Q(name_folded__contains=needle)
    return areas.filter(by_name | Q(code=needle) if needle.isdigit() else by_name)


def area_get(*, actor: Any, level: str, code: str, on: dt.date | None = None) -> AdministrativeArea:
    """The area of this level and official code: the current one, or the one valid on `on`.

    A pre-2025 province may share its two digits with a 2025 one; without a date the current
    area wins, then the most recently ended.
    """
    if level not in AreaLevel.values:
        raise NotFound()
    candidates = list(area_list(actor=actor).filter(level=level, code=code))
    if on is not None:
        candidates = [a for a in candidates if a.is_valid_on(on)]
    if not candidates:
        raise NotFound()
    candidates.sort(key=lambda a: (a.valid_until is None, a.valid_until or dt.date.min))
    return candidates[-1]


# --- users ----------------------------------------------------------------------------------


def user_profile(*, actor: Any) -> User:
    """The signed-in user with unit, force and roles loaded."""
    if not _is_member(actor):
        raise NotFound()
    return (
        User.objects.select_related("unit__force", "unit__level")
        .prefetch_related(Prefetch("roles", queryset=Role.objects.order_by("code")))
        .get(pk=actor.pk)
    )


# --- references in administrators' input ----------------------------------------------------


def force_by_code(code: str, *, field: str = "force") -> Force:
    """A force by its code (case ignored); unknown → `unknown_force` naming `field`."""
    found = Force.objects.filter(code__iexact=str(code or "").strip()).first()
    if found is None:
        raise invalid(
            field, _("Không có lực lượng mã “%(code)s”.") % {"code": code}, code="unknown_force"
        )
    return found


def level_by_code(code: str, *, field: str = "level") -> UnitLevel:
    """A unit level by its code; unknown → `unknown_level` naming `field` and the known ones."""
    found = UnitLevel.objects.filter(code=str(code or "").strip()).first()
    if found is None:
        known = ", ".join(UnitLevel.objects.values_list("code", flat=True))
        raise invalid(
            field,
            _("Không có cấp đơn vị mã “%(code)s” (các mã: %(known)s).")
            % {"code": code, "known": known},
            code="unknown_level",
        )
    return found


def force_list(*, actor: Any) -> QuerySet[Force]:
    if not _is_member(actor):
        return Force.objects.none()
    return Force.objects.all()


def force_get(*, actor: Any, public_id: str | uuid.UUID) -> Force:
    parsed = _parse_uuid(public_id)
    force = force_list(actor=actor).filter(public_id=parsed).first() if parsed else None
    if force is None:
        raise NotFound()
    return force


def user_list(*, actor: Any) -> QuerySet[User]:
    """Accounts, for administrators only (they hold personal data): those of the units of the
    administrator's province, or every one for the installation's superuser."""
    from phoihop.core.adminsite import is_administrator

    if not is_administrator(actor):
        return User.objects.none()
    users = User.objects.all()
    if not actor.is_superuser:
        users = (
            users.filter(unit__province_id=actor.unit.province_id) if actor.unit else users.none()
        )
    return (
        users.select_related("unit__force")
        .prefetch_related(Prefetch("roles", queryset=Role.objects.order_by("code")))
        .order_by("username")
    )


def user_get(*, actor: Any, public_id: str | uuid.UUID) -> User:
    parsed = _parse_uuid(public_id)
    user = user_list(actor=actor).filter(public_id=parsed).first() if parsed else None
    if user is None:
        raise NotFound()
    return user
