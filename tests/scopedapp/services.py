from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from phoihop.access.policy import check_classification
from phoihop.access.rules import Action, require
from phoihop.audit.services import audit_record
from phoihop.core.errors import DomainError
from phoihop.core.versioning import apply_changes
from tests.scopedapp.models import Memo


@transaction.atomic
def memo_create(*, actor: Any, title: str, classification: int = 0, is_joint: bool = False) -> Memo:
    check_classification(classification)
    memo = Memo(
        title=title,
        classification=classification,
        is_joint=is_joint,
        owner_unit=actor.unit,
        province=actor.unit.province,
    )
    try:
        memo.full_clean()
    except ValidationError as exc:
        raise DomainError.from_validation_error(exc) from exc
    memo.save()
    audit_record(actor=actor, action="create", obj=memo)
    return memo


@transaction.atomic
def memo_update(*, actor: Any, memo: Memo, version: int | None, title: str) -> Memo:
    require(actor, Action.CHANGE, memo)
    changed = apply_changes(memo, expected_version=version, changes={"title": title})
    if changed:
        audit_record(actor=actor, action="update", obj=memo, changes={"fields": changed})
    return memo
