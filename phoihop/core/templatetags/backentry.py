"""`{% load backentry %}`: who entered a back-entered record and when (rule: core.backentry)."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model

from phoihop.core.backentry import EnteredLater, RealDate
from phoihop.core.backentry import entered_later as _entered_later

register = template.Library()


@register.simple_tag
def entered_later(record: Any, real: RealDate | None) -> EnteredLater | None:
    """Nothing for a page without a record (a template rendered on its own, a blank context)."""
    if not isinstance(record, Model):
        return None
    return _entered_later(record, real)
