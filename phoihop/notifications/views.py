"""The user's notifications: a list, and marking them read (one, or all)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from phoihop.core.errors import NotFound
from phoihop.notifications.selectors import (
    notification_get,
    notification_list,
    notification_unread_count,
)
from phoihop.notifications.services import notification_mark_all_read, notification_mark_read

PAGE_SIZE = 30


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    notifications = notification_list(actor=request.user, unread_only=unread_only)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/index.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread_count": notification_unread_count(actor=request.user),
        },
    )


def _safe_next(request: HttpRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("notifications:index")


@require_POST
@login_required
def mark_read(request: HttpRequest, public_id: str) -> HttpResponse:
    """Mark read; with `open=1` go on to the notification's page, else back to the list."""
    try:
        notification = notification_mark_read(
            actor=request.user,
            notification=notification_get(actor=request.user, public_id=public_id),
        )
    except NotFound as exc:
        raise Http404 from exc
    if getattr(request, "htmx", False) and request.POST.get("open") != "1":
        return render(request, "notifications/_row.html", {"notification": notification})
    if request.POST.get("open") == "1" and notification.link:
        return HttpResponseRedirect(_safe_next(request, notification.link))
    return redirect(_safe_next(request, request.POST.get("next", "")))


@require_POST
@login_required
def mark_all_read(request: HttpRequest) -> HttpResponse:
    notification_mark_all_read(actor=request.user)
    return redirect(_safe_next(request, request.POST.get("next", "")))
