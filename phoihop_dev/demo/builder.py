"""Turns a demo scenario (data) into records, through the same services as everyone else.

The build is idempotent: every step looks for what it would create (a unit by its code, a user
by username, a move by its effective day) and leaves existing records alone, so a second run
changes nothing and the demo database may be edited between runs.

Later modules add their records to the demo by appending a step to `STEPS`: a function taking
the `DemoContext`, which holds the province, the communes, units and users by scenario key, and
counting what it creates in `ctx.counts`.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.core.errors import DomainError
from phoihop.org.areas import LEGACY_UNTIL, load_areas
from phoihop.org.enums import AreaLevel
from phoihop.org.models import AdministrativeArea, Force, Unit, UnitLevel, User
from phoihop.org.services import (
    area_by_code,
    unit_close,
    unit_create,
    unit_move,
    unit_update,
    user_create,
)
from phoihop_dev.demo.cases import build_cases
from phoihop_dev.demo.exchange import build_exchange
from phoihop_dev.demo.indicators import build_indicators
from phoihop_dev.demo.mobilisation import build_mobilisation
from phoihop_dev.demo.operations import build_operations
from phoihop_dev.demo.scenario import PROVINCE, Scenario, UnitSpec

# Shown on screen by `phoihop demo`: a demo on a laptop, not a secret. It passes the password
# validators of config/settings.py. PHOIHOP_DEMO_PASSWORD overrides it.
DEFAULT_PASSWORD = "Demo-PhoiHop-2025"


def demo_password() -> str:
    return os.environ.get("PHOIHOP_DEMO_PASSWORD", "").strip() or DEFAULT_PASSWORD


class DemoDataError(DomainError):
    """The scenario data does not match the database (a missing or wrong area code)."""


@dataclass
class DemoContext:
    scenario: Scenario
    password: str
    province: AdministrativeArea
    communes: dict[str, AdministrativeArea]
    units: dict[str, Unit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)


Step = Callable[[DemoContext], None]


def ensure_areas(scenario: Scenario) -> int:
    """Load the scenario's province (2025 communes, legacy districts) if any of it is missing."""
    province = AdministrativeArea.objects.filter(
        level=AreaLevel.PROVINCE, code=scenario.province_code, valid_until__isnull=True
    ).first()
    communes = {c.code for c in scenario.communes}
    districts = {code for u in scenario.units for code in u.legacy_districts}
    present = (
        province is not None
        and AdministrativeArea.objects.filter(
            level=AreaLevel.COMMUNE, code__in=communes, valid_until__isnull=True
        ).count()
        == len(communes)
        and AdministrativeArea.objects.filter(
            level=AreaLevel.DISTRICT, code__in=districts, valid_until=LEGACY_UNTIL
        ).count()
        == len(districts)
    )
    if present:
        return 0
    return load_areas(provinces=[scenario.province_code]).created


def _resolve_areas(scenario: Scenario) -> tuple[AdministrativeArea, dict[str, AdministrativeArea]]:
    try:
        province = area_by_code(scenario.province_code, level=AreaLevel.PROVINCE)
    except DomainError as exc:
        raise DemoDataError(
            _("Kịch bản trình diễn: không có tỉnh mã %(code)s (%(name)s) trong cơ sở dữ liệu.")
            % {"code": scenario.province_code, "name": scenario.province_name},
            code="unknown_area",
            fields={"province": [exc.message]},
        ) from exc
    communes: dict[str, AdministrativeArea] = {}
    for spec in scenario.communes:
        area = AdministrativeArea.objects.filter(
            level=AreaLevel.COMMUNE, code=spec.code, valid_until__isnull=True
        ).first()
        if area is None or area.parent_id != province.pk or area.name != spec.name:
            found = (
                _("không tồn tại")
                if area is None
                else _("là %(name)s thuộc %(province)s")
                % {"name": area.name, "province": area.province.name}
            )
            raise DemoDataError(
                _(
                    "Kịch bản trình diễn: mã xã/phường %(code)s (%(name)s, %(province)s) "
                    "%(found)s. Hãy sửa mã trong dữ liệu kịch bản hoặc nạp lại địa giới hành chính."
                )
                % {
                    "code": spec.code,
                    "name": spec.name,
                    "province": province.name,
                    "found": found,
                },
                code="unknown_area",
                fields={"area": [_("Mã địa bàn %(code)s không hợp lệ.") % {"code": spec.code}]},
            )
        communes[spec.key] = area
    return province, communes


def _unit_areas(ctx: DemoContext, spec: UnitSpec) -> list[AdministrativeArea]:
    areas = [ctx.province if key == PROVINCE else ctx.communes[key] for key in spec.areas]
    areas += [
        area_by_code(code, level=AreaLevel.DISTRICT, on=LEGACY_UNTIL)
        for code in spec.legacy_districts
    ]
    return areas


def build_units(ctx: DemoContext) -> None:
    forces = {f.code: f for f in Force.objects.all()}
    levels = {lv.code: lv for lv in UnitLevel.objects.all()}
    for spec in ctx.scenario.units:
        existing = Unit.all_objects.filter(code=spec.code).first()
        if existing is not None:
            ctx.units[spec.key] = existing
            continue
        ctx.units[spec.key] = unit_create(
            actor=None,
            force=forces[spec.force],
            code=spec.code,
            name=spec.name,
            short_name=spec.short_name,
            level=levels[spec.level],
            parent=ctx.units[spec.parent] if spec.parent else None,
            province=ctx.province,
            areas=_unit_areas(ctx, spec),
            valid_from=spec.valid_from,
        )
        ctx.counts["units"] += 1


def apply_moves(ctx: DemoContext) -> None:
    for move in ctx.scenario.moves:
        unit = ctx.units[move.unit]
        if unit.parentages.filter(valid_from=move.effective).exists():
            continue
        unit = unit_move(
            actor=None,
            unit=unit,
            new_parent=ctx.units[move.new_parent] if move.new_parent else None,
            effective=move.effective,
            reason=move.reason,
        )
        renamed = {
            name: value
            for name, value in (("name", move.new_name), ("short_name", move.new_short_name))
            if value
        }
        if renamed:
            unit_update(actor=None, unit=unit, version=unit.version, reason=move.reason, **renamed)
        ctx.counts["moves"] += 1
    # Moves re-root subtrees: reload the paths held in the context.
    for unit in ctx.units.values():
        unit.refresh_from_db()


def close_units(ctx: DemoContext) -> None:
    for spec in ctx.scenario.units:
        unit = ctx.units[spec.key]
        if spec.valid_until is None or unit.valid_until is not None:
            continue
        unit_close(actor=None, unit=unit, until=spec.valid_until, reason=spec.closing_reason)
        ctx.counts["closed_units"] += 1


def build_users(ctx: DemoContext) -> None:
    for spec in ctx.scenario.users:
        existing = User.objects.filter(username=spec.username).first()
        if existing is not None:
            ctx.users[spec.username] = existing
            continue
        user = user_create(
            actor=None,
            username=spec.username,
            password=ctx.password,
            unit=ctx.units[spec.unit],
            full_name=spec.full_name,
            rank_title=spec.rank_title,
            roles=spec.roles,
            clearance=spec.clearance,
            is_staff=spec.is_staff,
        )
        ctx.users[spec.username] = user
        ctx.counts["users"] += 1


# The order matters: units before the moves that reorganise them, users once units exist.
STEPS: list[Step] = [
    build_units,
    apply_moves,
    close_units,
    build_users,
    build_exchange,
    build_cases,
    build_operations,
    build_mobilisation,
    # Last: submissions snapshot the derived figures of every module above.
    build_indicators,
]


def build(
    scenario: Scenario, *, password: str | None = None, steps: Iterable[Step] | None = None
) -> Counter[str]:
    """Build the scenario in one transaction; return what was created, by kind."""
    with transaction.atomic():
        province, communes = _resolve_areas(scenario)
        ctx = DemoContext(
            scenario=scenario,
            password=password or demo_password(),
            province=province,
            communes=communes,
        )
        for step in STEPS if steps is None else steps:
            step(ctx)
    return ctx.counts
