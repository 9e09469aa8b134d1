"""Writes of notifications.

Notifications are messages of the system to one user, not records of the coordination work:
the event that causes one (an escalation, for instance) is what the caller audits.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core.errors import DomainError, NotFound
from phoihop.core.text import clean_text
from phoihop.notifications.enums import NotificationKind
from phoihop.notifications.models import Notification
from phoihop.org.models import User


@transaction.atomic
def notification_create(
    *,
    recipient: User,
    title: str,
    body: str = "",
    kind: str = NotificationKind.OTHER,
    link: str = "",
    related: Model | None = None,
) -> Notification:
    """Leave a message for `recipient`. `link` must be a path of this site (`/…`)."""
    link = (link or "").strip()
    if link and (not link.startswith("/") or link.startswith("//")):
        message = _("Đường dẫn phải là một trang của hệ thống (bắt đầu bằng “/”).")
        raise DomainError(message, code="invalid", fields={"link": [message]})
    notification = Notification(
        recipient=recipient,
        kind=kind,
        title=clean_text(title),
        body=(body or "").strip(),
        link=link,
    )
    if related is not None:
        notification.related_type = ContentType.objects.get_for_model(related)
        notification.related_id = str(getattr(related, "public_id", None) or related.pk)
    try:
        notification.full_clean()
    except ValidationError as exc:
        raise DomainError.from_validation_error(exc) from exc
    notification.save()
    return notification


@transaction.atomic
def notification_mark_read(*, actor: Any, notification: Notification) -> Notification:
    """Mark one of the actor's notifications read; reading it again keeps the first time."""
    locked = Notification.objects.select_for_update().filter(pk=notification.pk).first()
    if locked is None or actor is None or locked.recipient_id != actor.pk:
        raise NotFound()
    if locked.read_at is None:
        locked.read_at = timezone.now()
        locked.save(update_fields=["read_at", "updated_at"])
    return locked


@transaction.atomic
def notification_mark_all_read(*, actor: Any) -> int:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
