"""A catalogue entry named by its code in a request or a file (a report form, an indicator, a law):
found, or refused with the one error shape naming the field that gave the code.

The code is compared after trimming white space; what counts as "in the catalogue" (active only,
say) is the queryset the caller passes.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from phoihop.core.errors import invalid

M = TypeVar("M", bound=Model)


def by_code(queryset: QuerySet[M], code: Any, *, field: str, unknown: str, error_code: str) -> M:
    """The entry of `queryset` whose code is `code`; else a refusal of `field` whose message is
    `unknown` with `%(code)s` filled in."""
    found = queryset.filter(code=str(code or "").strip()).first()
    if found is None:
        raise invalid(field, unknown % {"code": code}, code=error_code)
    return found
