"""Login, logout and failed logins are only observable through Django's auth signals."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from phoihop.audit.models import AuditAction
from phoihop.audit.services import audit_record


@receiver(user_logged_in, dispatch_uid="audit_login")
def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action=AuditAction.LOGIN, obj=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action=AuditAction.LOGOUT, obj=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    audit_record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        username=str(credentials.get("username", ""))[:150],
        object_type="org.user",
    )
