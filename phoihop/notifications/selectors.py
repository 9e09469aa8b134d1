"""Reads of notifications: a user only ever sees their own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from phoihop.core.errors import NotFound
from phoihop.notifications.models import Notification


def notification_list(*, actor: Any, unread_only: bool = False) -> QuerySet[Notification]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient_id=actor.pk)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def notification_unread_count(*, actor: Any) -> int:
    return notification_list(actor=actor, unread_only=True).count()


def notification_get(*, actor: Any, public_id: Any) -> Notification:
    """One of the actor's notifications; someone else's is answered like a missing one."""
    try:
        return notification_list(actor=actor).get(public_id=public_id)
    except (Notification.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
