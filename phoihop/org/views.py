"""Login, logout and the TOTP second factor."""

from __future__ import annotations

from typing import cast
from urllib.parse import urlencode

import django_otp
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from phoihop.core.errors import DomainError
from phoihop.org import second_factor
from phoihop.org.forms import LoginForm, TokenForm
from phoihop.org.models import User


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        url = super().get_success_url()
        user = self.request.user
        if getattr(user, "needs_second_factor", False) and not _is_verified(self.request):
            return _with_next(reverse("otp_verify"), url)
        return url


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default): a link cannot log anyone out."""


def _is_verified(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


def _complete(request: HttpRequest, device: object) -> HttpResponse:
    # A new session key once the second factor is passed, as after the password.
    request.session.cycle_key()
    django_otp.login(request, device)
    messages.success(request, _("Đã xác thực hai lớp."))
    return redirect(_next_url(request))


@sensitive_post_parameters("token")
@never_cache
@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if _is_verified(request):
        return redirect(_next_url(request))
    if second_factor.confirmed_totp_device(user) is None:
        return redirect(_with_next(reverse("otp_setup"), request.GET.get("next", "")))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = second_factor.second_factor_verify(
                actor=user, token=form.cleaned_data["token"]
            )
        except DomainError as exc:
            form.add_error("token", exc.fields.get("token") or exc.message)
        else:
            return _complete(request, device)
    return render(request, "otp/verify.html", {"form": form, "next": _next_url(request)})


@sensitive_post_parameters("token")
@never_cache
@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if second_factor.confirmed_totp_device(user) is not None:
        return redirect(_with_next(reverse("otp_verify"), request.GET.get("next", "")))
    device = second_factor.totp_device_prepare(actor=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            second_factor.totp_device_confirm(
                actor=user, device=device, token=form.cleaned_data["token"]
            )
        except DomainError as exc:
            form.add_error("token", exc.fields.get("token") or exc.message)
        else:
            return _complete(request, device)
    return render(
        request,
        "otp/setup.html",
        {
            "form": form,
            "next": _next_url(request),
            "qr_data_uri": second_factor.totp_qr_data_uri(device),
            "secret": second_factor.totp_secret(device),
        },
    )
