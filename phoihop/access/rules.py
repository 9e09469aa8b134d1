"""THE visibility rule of product.md §2, written once, and the action predicates.

A user sees a record if their clearance covers its classification AND
  (it belongs to their unit or a unit below it,
   OR it was distributed to their unit — directly, or forwarded by a unit above that received it,
   OR they are joint staff of the record's province and the record is marked joint).
Everything else is invisible: lists, details, API, search, exports, reports and map counts all
start from `visible()`, so not even a count leaks.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet

from phoihop.access.models import Distribution, ScopedModel
from phoihop.core.errors import NotFound, PermissionDenied
from phoihop.org.enums import RoleCode

if TYPE_CHECKING:
    from phoihop.org.models import Unit, User

S = TypeVar("S", bound=ScopedModel)


class Action(enum.StrEnum):
    VIEW = "view"
    CHANGE = "change"
    DELETE = "delete"
    APPROVE = "approve"
    FORWARD = "forward"
    EXPORT = "export"
    # Writing new records, owned by the actor's unit (no record yet).
    CREATE = "create"
    # Entering figures on a record of the actor's own unit (checkpoint days, submission values).
    RECORD = "record"


class Operator:
    """The server's operator running a command (e.g. `phoihop report` without `--as`): sees every
    record of the installation. Never a web or API user — no request carries it."""

    is_authenticated = True
    is_active = True
    unit_id = None
    unit = None
    clearance = 3

    def __repr__(self) -> str:
        return "<Operator>"

    def has_role(self, code: Any) -> bool:
        return False


OPERATOR = Operator()


def _is_active_member(actor: Any) -> bool:
    return (
        actor is not None
        and not isinstance(actor, AnonymousUser)
        and actor.is_authenticated
        and actor.is_active
        and actor.unit_id is not None
    )


def visible_q(actor: User | AnonymousUser | None, model: type[ScopedModel]) -> Q:
    """The rule as a filter on `model`. Nothing for anyone outside the unit tree."""
    if actor is OPERATOR:
        return Q()
    if not _is_active_member(actor):
        return Q(pk__in=[])
    assert actor is not None and not isinstance(actor, AnonymousUser)
    unit = actor.unit
    assert unit is not None
    own_subtree = Q(owner_unit__path__startswith=unit.path)
    distributed = Exists(
        Distribution.objects.filter(
            content_type=ContentType.objects.get_for_model(model, for_concrete_model=True),
            object_id=OuterRef("pk"),
            unit_id=unit.pk,
        )
    )
    reach = own_subtree | Q(distributed)
    if actor.has_role(RoleCode.JOINT_STAFF):
        reach |= Q(is_joint=True, province_id=unit.province_id)
    return Q(classification__lte=actor.clearance) & reach


def visible(model_or_qs: type[S] | QuerySet[S], actor: User | AnonymousUser | None) -> QuerySet[S]:
    """Every read of a scoped model starts here."""
    if isinstance(model_or_qs, QuerySet):
        qs, model = model_or_qs, model_or_qs.model
    else:
        model = model_or_qs
        qs = model._default_manager.all()
    return qs.filter(visible_q(actor, model))


def get_visible(
    model_or_qs: type[S] | QuerySet[S], actor: User | AnonymousUser | None, **lookup: Any
) -> S:
    """One visible record, or NotFound — the same answer for missing and invisible."""
    qs = visible(model_or_qs, actor)
    try:
        return qs.get(**lookup)
    except (qs.model.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        # A malformed id is answered like a missing one.
        raise NotFound() from exc


def _writer(actor: Any) -> bool:
    return bool(actor.has_role(RoleCode.OFFICER) or actor.has_role(RoleCode.COMMANDER))


def _takes_part(record: ScopedModel, unit: Unit) -> bool:
    participants = getattr(record, "participants", None)
    return participants is not None and participants.filter(unit_id=unit.pk).exists()


def can(
    actor: User | AnonymousUser | None, action: Action | str, record: ScopedModel | None = None
) -> bool:
    """May `actor` do `action` on `record`? Assumes the record is visible to them.

    - create (no record): officers and commanders of a unit, for their unit or one below it;
    - view, export: anyone who sees it;
    - change, delete: officers and commanders of the owner unit, commanders of a unit above it;
    - record (figures on it): officers and commanders of the owner unit itself, or of a unit
      taking part in it (record kinds with `participants`, e.g. the units staffing a checkpoint);
    - approve: commanders of the owner unit or above;
    - forward: anyone who received it (distribution) and commanders of the owner subtree.
    """
    if not _is_active_member(actor):
        return False
    assert actor is not None and not isinstance(actor, AnonymousUser)
    action = Action(action)
    if action is Action.CREATE:
        return _writer(actor)
    if record is None:
        return False
    unit = actor.unit
    assert unit is not None
    if record.classification > actor.clearance:
        return False
    owner_path: str = record.owner_unit.path
    in_own_unit = record.owner_unit.pk == unit.pk
    above_owner = owner_path.startswith(unit.path)
    commander = actor.has_role(RoleCode.COMMANDER)
    if action in (Action.VIEW, Action.EXPORT):
        return visible(type(record), actor).filter(pk=record.pk).exists()
    if action in (Action.CHANGE, Action.DELETE):
        return (in_own_unit and _writer(actor)) or (above_owner and commander)
    if action is Action.RECORD:
        return _writer(actor) and (in_own_unit or _takes_part(record, unit))
    if action is Action.APPROVE:
        return above_owner and commander
    if action is Action.FORWARD:
        received = Distribution.objects.filter(
            content_type=ContentType.objects.get_for_model(type(record), for_concrete_model=True),
            object_id=record.pk,
            unit_id=unit.pk,
        ).exists()
        return received or (above_owner and commander)
    return False


def require(
    actor: User | AnonymousUser | None,
    action: Action | str,
    record: ScopedModel | None = None,
    *,
    message: str | None = None,
) -> None:
    """`can`, or PermissionDenied — with `message` (what the action needs) for a member of the
    unit tree, the plain refusal for anyone else."""
    if not can(actor, action, record):
        raise PermissionDenied(message if _is_active_member(actor) else None)


def author_unit(actor: User | AnonymousUser | None, *, message: str | None = None) -> Unit:
    """The unit a new record of `actor` belongs to, once the rule lets them create one."""
    require(actor, Action.CREATE, message=message)
    unit = getattr(actor, "unit", None)
    assert unit is not None
    return unit


def member_unit(actor: User | AnonymousUser | None, *, message: str | None = None) -> Unit:
    """The unit an active member of the unit tree acts for, on a record the service then checks
    that unit against (a recipient acknowledging, the assigned unit answering); PermissionDenied
    for anyone outside the tree."""
    if not _is_active_member(actor):
        raise PermissionDenied(message)
    unit = getattr(actor, "unit", None)
    assert unit is not None
    return unit
