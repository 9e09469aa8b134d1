"""Lifting a django-axes login lockout before its cool-off ends, audited.

django-axes locks a username (with the address it is used from) after repeated failed logins, and
lifts the lock by itself after `AXES_COOLOFF_HOURS`. An administrator who has checked who is
asking may lift it sooner; the failed attempts stay in the audit log.
"""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.audit.models import AuditAction
from phoihop.audit.services import audit_record
from phoihop.core.errors import PermissionDenied
from phoihop.org.models import User


def login_lockout_reset(*, actor: User, user: User) -> int:
    """Forget the failed logins of `user` (from every address); the number of records cleared."""
    if user.is_superuser and not actor.is_superuser:
        raise PermissionDenied(_("Không được mở khóa đăng nhập của tài khoản quản trị kỹ thuật."))
    with transaction.atomic():
        cleared = axes_reset(username=user.get_username())
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=user,
            changes={"event": "login_unlock", "lockout_records_cleared": cleared},
        )
    return cleared
