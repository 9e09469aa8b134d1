"""The notification link of the navigation bar, with the unread count.

`{% load notifications_ui %}{% notification_badge %}`.

A template tag rather than a context processor, so that the unread count is queried only on
pages that show the bar.
"""

from __future__ import annotations

from typing import Any

from django import template

from phoihop.notifications.selectors import notification_unread_count

register = template.Library()


@register.inclusion_tag("notifications/_badge.html", takes_context=True)
def notification_badge(context: template.Context) -> dict[str, Any]:
    user = context.get("user")
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return {
        "count": notification_unread_count(actor=user)
        if user is not None and user.is_authenticated
        else 0,
        "active": match is not None and match.namespace == "notifications",
    }
