"""Template helpers of the operation pages: `{% load operations_ui %}`."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import TextChoices

from phoihop.core import formats
from phoihop.core.qualifiers import phrase
from phoihop.operations import enums
from phoihop.operations.selectors import Commitment, ForceShare, zone_categories
from phoihop.org.models import Force

register = template.Library()

_CHOICES: dict[str, type[TextChoices]] = {
    "target": enums.ProtectionTarget,
    "delegation_level": enums.DelegationLevel,
    "event_category": enums.EventCategory,
    "purpose": enums.CheckpointPurpose,
    "route": enums.PatrolRoute,
    "incident_kind": enums.IncidentKind,
    "exercise_kind": enums.ExerciseKind,
}


def _choices(field: str) -> list[tuple[str, Any]]:
    if field == "zone_kind":  # a catalogue edited by administrators
        return [(c.code, c.name) for c in zone_categories(active=False)]
    return list(_CHOICES[field].choices)


@register.filter
def labelled(counts: dict[str, Any] | None, field: str) -> list[tuple[str, Any]]:
    """`{"sport": 2}` of the field `event_category` → `[("Thể thao", 2)]`, in the choices' order."""
    counts = counts or {}
    return [(str(label), counts[value]) for value, label in _choices(field) if value in counts]


@register.filter
def qualified(value: Any, qualifier: str) -> str:
    """A count with its qualifier, the Vietnamese way: `120|qualified:"tren"` → "trên 120"."""
    return phrase(qualifier or "", formats.number(value or 0, max_decimals=6))


@register.filter
def force_rows(commitment: Commitment | None) -> list[tuple[Force, ForceShare]]:
    """The forces that took part, in the forces' order, with what each committed."""
    by_force = getattr(commitment, "by_force", None)
    if not by_force:
        return []
    forces = Force.objects.filter(code__in=list(by_force)).order_by("order", "code")
    return [(force, by_force[force.code]) for force in forces]


@register.filter
def route_label(value: str) -> str:
    return str(enums.PatrolRoute(value).label) if value in enums.PatrolRoute.values else value
