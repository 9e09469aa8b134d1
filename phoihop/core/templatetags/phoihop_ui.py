"""Pieces of the page shell: `{% load phoihop_ui %}`.

The main navigation lists the modules of the product. A module appears as a link as soon as its
app defines the URL name given here (conventionally `<app>:index`); until then it is shown
disabled with a "sắp có" hint, never as a dead link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

register = template.Library()


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str


MODULES = (
    NavEntry(_("Trao đổi thông tin"), "exchange:index"),
    NavEntry(_("Vụ việc"), "cases:index"),
    NavEntry(_("Hoạt động phối hợp"), "operations:index"),
    NavEntry(_("Dân vận"), "mobilisation:index"),
    NavEntry(_("Chỉ tiêu & báo cáo"), "indicators:index"),
    NavEntry(_("Báo cáo sơ kết"), "reports:index"),
    NavEntry(_("Bản đồ"), "dashboards:map"),
)

# Django's message levels mapped to Bootstrap's alert colours.
_ALERT_CLASSES = {"debug": "secondary", "info": "info", "success": "success", "warning": "warning"}


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@register.inclusion_tag("includes/main_nav.html", takes_context=True)
def main_nav(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    current_namespace = match.namespace if match else ""
    entries = []
    for entry in MODULES:
        namespace = entry.url_name.partition(":")[0]
        entries.append(
            {
                "label": entry.label,
                "url": _url(entry.url_name),
                "active": bool(current_namespace) and current_namespace == namespace,
            }
        )
    return {"entries": entries, "request": request}


@register.simple_tag(takes_context=True)
def can_open_admin(context: template.Context) -> bool:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return False
    has_role = getattr(user, "has_role", None)
    return bool(user.is_staff or (has_role is not None and has_role("administrator")))


@register.simple_tag(takes_context=True)
def second_factor_pending(context: template.Context) -> bool:
    """Signed in with the password but not yet through the required second factor."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return False
    if not getattr(user, "needs_second_factor", False):
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (is_verified is not None and is_verified())


@register.filter
def alert_class(message_tags: str) -> str:
    """`error` → `danger`, and so on; unknown tags fall back to `info`."""
    for tag in str(message_tags).split():
        if tag == "error":
            return "danger"
        if tag in _ALERT_CLASSES:
            return _ALERT_CLASSES[tag]
    return "info"
