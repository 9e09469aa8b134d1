"""The administrators' site: Django's admin, open only to the administrator role.

Django opens its admin to `is_staff`; PhốiHợp has roles instead, so the site itself asks for the
administrator role (or a superuser, the installation's technical account). `is_staff` plays no
part. Logging in goes through the one login page of the application (lockout, second factor).

This module is imported while the app registry is loading (INSTALLED_APPS names the config
below), so it must not import models at module level.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _


def is_administrator(user: Any) -> bool:
    """Active superusers and active users holding the administrator role."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    from phoihop.org.enums import RoleCode

    has_role = getattr(user, "has_role", None)
    return bool(has_role and has_role(RoleCode.ADMINISTRATOR))


class PhoihopAdminSite(AdminSite):
    site_header = _("Quản trị PhốiHợp")
    site_title = _("Quản trị PhốiHợp")
    index_title = _("Quản trị hệ thống")

    def has_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request.user)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = reverse("admin:index", current_app=self.name)
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect(next_url)
            # Logged in, but not an administrator: refuse rather than offer another login.
            raise PermissionDenied
        from django.contrib.auth.views import redirect_to_login

        response: HttpResponse = redirect_to_login(next_url, reverse("login"))
        return response


class PhoihopAdminConfig(AdminConfig):
    default_site = "phoihop.core.adminsite.PhoihopAdminSite"
