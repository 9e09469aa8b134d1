"""The shape of a demo scenario: plain, frozen data that the builder turns into records.

A scenario names everything by a short key (a commune "son-kim-1", a unit "ca.son-kim-1"), so
that data added by later modules (information items, cases, forums…) can refer to the units,
areas and users of the organisation part without knowing their database ids.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from phoihop.core.enums import Classification

# `UnitSpec.areas` may name the whole province instead of communes.
PROVINCE = "province"


@dataclass(frozen=True)
class CommuneSpec:
    """A 2025 commune, referenced by its official 5-digit code (QĐ 19/2025/QĐ-TTg)."""

    key: str
    code: str
    name: str  # the official name, checked against the loaded area so a wrong code shows
    border: bool = False  # on the land border with Laos
    coast: bool = False


@dataclass(frozen=True)
class UnitSpec:
    key: str
    force: str  # Force.code: CA, QS, BP
    code: str  # Unit.code, unique in the installation
    name: str
    level: str  # UnitLevel.code: tinh, khu_vuc, huyen, xa
    parent: str | None = None  # key of the parent unit at creation
    short_name: str = ""
    # Commune keys, or PROVINCE; legacy (pre-2025) district codes go in `legacy_districts`.
    areas: tuple[str, ...] = ()
    legacy_districts: tuple[str, ...] = ()
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None  # the unit ended: the day after this it no longer exists
    closing_reason: str = ""


@dataclass(frozen=True)
class MoveSpec:
    """A reorganisation: the unit is placed under `new_parent` from `effective` on."""

    unit: str
    new_parent: str | None
    effective: dt.date
    reason: str
    # A new name from the same day, if the reorganisation renamed the unit.
    new_name: str = ""
    new_short_name: str = ""


@dataclass(frozen=True)
class UserSpec:
    username: str
    unit: str
    full_name: str
    rank_title: str
    roles: tuple[str, ...]
    clearance: int = Classification.THUONG
    is_staff: bool = False


@dataclass(frozen=True)
class Scenario:
    province_code: str
    province_name: str
    communes: tuple[CommuneSpec, ...]
    units: tuple[UnitSpec, ...]
    moves: tuple[MoveSpec, ...]
    users: tuple[UserSpec, ...]

    def commune(self, key: str) -> CommuneSpec:
        return next(c for c in self.communes if c.key == key)
