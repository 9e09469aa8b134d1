"""Reads for the demo: the table of demo logins printed by `load_demo` and `phoihop demo`."""

from __future__ import annotations

from dataclasses import dataclass

from phoihop.core.enums import Classification
from phoihop.org.enums import RoleCode
from phoihop.org.models import User
from phoihop_dev.demo.scenario import Scenario

_ROLE_ORDER = [code for code, _label in RoleCode.choices]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    full_name: str
    rank_title: str
    unit: str
    roles: str
    clearance: str
    needs_second_factor: bool


def demo_logins(scenario: Scenario, *, password: str) -> list[DemoLogin]:
    """The scenario's users that exist, in scenario order, with their Vietnamese labels."""
    wanted = [spec.username for spec in scenario.users]
    found = {
        u.username: u
        for u in User.objects.filter(username__in=wanted)
        .select_related("unit")
        .prefetch_related("roles")
    }
    rows = []
    for username in wanted:
        user = found.get(username)
        if user is None:
            continue
        codes = sorted((r.code for r in user.roles.all()), key=_ROLE_ORDER.index)
        rows.append(
            DemoLogin(
                username=user.username,
                password=password,
                full_name=user.full_name,
                rank_title=user.rank_title,
                unit=(user.unit.short_name or user.unit.name) if user.unit else "",
                roles=", ".join(str(RoleCode(code).label) for code in codes),
                clearance=str(Classification(user.clearance).label),
                needs_second_factor=user.needs_second_factor,
            )
        )
    return rows
