"""Optimistic locking and soft deletion, shared by every service."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from phoihop.core.errors import DomainError, StaleVersion
from phoihop.core.models import BaseModel

M = TypeVar("M", bound=BaseModel)


def apply_changes(
    instance: M, *, expected_version: int | None, changes: Mapping[str, Any]
) -> list[str]:
    """Validate `changes` on `instance` and save them only if nobody saved in between.

    The UPDATE is conditional on the version the editor started from, so two editors never
    overwrite each other silently: the second gets StaleVersion. Returns the changed fields.
    """
    from django.core.exceptions import ValidationError

    with transaction.atomic():
        model = type(instance)
        # Lock the row (a no-op on SQLite, whose IMMEDIATE transactions already serialise writers)
        # and compare against the version the editor started from.
        current = model.all_objects.select_for_update().only("version").get(pk=instance.pk)
        base = instance.version if expected_version is None else expected_version
        if current.version != base or instance.version != base:
            raise StaleVersion(expected=base, actual=current.version)
        changed = [name for name, value in changes.items() if getattr(instance, name) != value]
        for name in changed:
            setattr(instance, name, changes[name])
        try:
            instance.full_clean()
        except ValidationError as exc:
            raise DomainError.from_validation_error(exc) from exc
        if not changed:
            return []
        instance.version = base + 1
        # save() writes the fields and the simple-history row in the same transaction.
        instance.save(update_fields=[*changed, "version", "updated_at"])
    return changed


def audit_changes(*, actor: Any, instance: BaseModel, changed: list[str], **extra: Any) -> None:
    """Write the UPDATE audit entry of the fields `apply_changes` changed; none, no entry."""
    from phoihop.audit.models import AuditAction
    from phoihop.audit.services import audit_record

    if changed:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=instance,
            changes={name: str(getattr(instance, name, "")) for name in changed} | extra,
        )


def soft_delete(instance: BaseModel, *, expected_version: int | None = None) -> None:
    if expected_version is not None and expected_version != instance.version:
        raise StaleVersion(expected=expected_version, actual=instance.version)
    instance.deleted_at = timezone.now()
    instance.version += 1
    instance.save(update_fields=["deleted_at", "version", "updated_at"])
