from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from phoihop.org.selectors import unit_ancestors, unit_list, user_profile


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Who the user is and where their unit stands in the tree; later issues add dashboards."""
    profile = user_profile(actor=request.user)
    context: dict[str, Any] = {"profile": profile, "roles": list(profile.roles.all())}
    unit = profile.unit
    if unit is not None:
        below = (
            unit_list(actor=request.user).filter(path__startswith=unit.path).exclude(pk=unit.pk)
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
    return render(request, "core/home.html", context)
