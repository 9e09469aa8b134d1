"""Template helpers of the bulk import of operation records: `{% load record_import_ui %}`."""

from __future__ import annotations

from typing import Any

from django import template

from phoihop.operations.record_imports import IMPORT_KINDS

register = template.Library()


@register.filter
def importable(kind: Any) -> bool:
    """Whether records of `kind` (a `Kind`) are imported in bulk from a file."""
    return getattr(kind, "slug", None) in IMPORT_KINDS
