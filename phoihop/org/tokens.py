"""API tokens: issuing and revoking them, audited.

Kept apart from the API views so that the admin (an administrator changes a user's clearance, unit,
roles or active flag) revokes tokens with the same code as a user signing out of the API, without
importing the views. A token stands in for the password and carries the user's rights as they
were when it was issued; when those rights change, the token goes.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from rest_framework.authtoken.models import Token

from phoihop.audit.models import AuditAction
from phoihop.audit.services import audit_record
from phoihop.org.models import User


def _delete_tokens(user: User) -> int:
    deleted, _counts = Token.objects.filter(user=user).delete()
    return deleted


def api_token_issue(*, user: User) -> Token:
    """A fresh token for `user`, replacing any earlier one."""
    with transaction.atomic():
        _delete_tokens(user)
        return Token.objects.create(user=user)


def api_token_revoke(*, actor: User, user: User | None = None, causes: Iterable[str] = ()) -> int:
    """Delete the API token of `user` (default: the actor's own); the number of tokens deleted.

    A user revoking their own token signs out of the API (audited as a logout, token or not). An
    administrator revoking someone else's is audited as an update of that user, naming `causes`
    (the fields whose change made the token stale), and only when there was a token.
    """
    target = user if user is not None else actor
    with transaction.atomic():
        deleted = _delete_tokens(target)
        if user is None:
            audit_record(
                actor=actor,
                action=AuditAction.LOGOUT,
                obj=actor,
                changes={"api_token": "revoked" if deleted else "none"},
            )
        elif deleted:
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=target,
                changes={"api_token": "revoked", "because": sorted(causes)},
            )
    return deleted
