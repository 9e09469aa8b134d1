from __future__ import annotations

from typing import Any

from phoihop.org.selectors import unit_ancestors, unit_list, user_profile


def profile_context(actor: Any) -> dict[str, Any]:
    """Who the user is and where their unit stands in the tree (the home page's side panel)."""
    profile = user_profile(actor=actor)
    context: dict[str, Any] = {"profile": profile, "roles": list(profile.roles.all())}
    unit = profile.unit
    if unit is not None:
        below = (
            unit_list(actor=actor).filter(path__startswith=unit.path).exclude(pk=unit.pk)
            if unit.path
            else []
        )
        context.update(
            unit=unit,
            units_above=unit_ancestors(unit),
            units_below=[
                {"unit": child, "indent": child.depth - unit.depth - 1} for child in below
            ],
        )
    return context
