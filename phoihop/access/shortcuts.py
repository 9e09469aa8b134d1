"""Fetching scoped records for pages and the API: the rule, 404 for invisible, audit of views."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import QuerySet
from django.http import Http404

from phoihop.access.models import ScopedModel
from phoihop.access.rules import Action, get_visible, require
from phoihop.audit.models import AuditAction
from phoihop.audit.services import audit_record
from phoihop.core.enums import Classification
from phoihop.core.errors import NotFound

if TYPE_CHECKING:
    from phoihop.org.models import User

S = TypeVar("S", bound=ScopedModel)


def record_for(
    model_or_qs: type[S] | QuerySet[S],
    actor: User | Any,
    *,
    public_id: Any,
    action: Action | str = Action.VIEW,
) -> S:
    """The record behind a URL: invisible or missing → NotFound; visible but not allowed → 403.

    Viewing a classified (Mật and above) record is written to the audit log.
    """
    record = get_visible(model_or_qs, actor, public_id=public_id)
    require(actor, action, record)
    if action == Action.VIEW and record.classification >= Classification.MAT:
        audit_record(
            actor=actor,
            action=AuditAction.VIEW_CLASSIFIED,
            obj=record,
            changes={"classification": int(record.classification)},
        )
    return record


def record_or_404(
    model_or_qs: type[S] | QuerySet[S],
    actor: User | Any,
    *,
    public_id: Any,
    action: Action | str = Action.VIEW,
) -> S:
    """`record_for` for template views, where the missing answer is Django's Http404."""
    try:
        return record_for(model_or_qs, actor, public_id=public_id, action=action)
    except NotFound as exc:
        raise Http404 from exc
