"""Login, logout, the TOTP second factor, setting one's password through a set-up link, and
the administrators' page importing a province's organisation.

A new account has no password that works: an administrator hands its holder a one-time link
(`services.password_setup_path`), Django's password-reset token, which stops working once the
password is set. No password ever travels in a request of the administrator or in a file.

The import page shows the new accounts' set-up links once, in the answer to the upload (to print
or hand over); they are kept nowhere, not even in the session.
"""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

import django_otp
from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from phoihop.core.adminsite import is_administrator
from phoihop.core.errors import DomainError
from phoihop.core.forms import BootstrapForm, place_domain_error
from phoihop.core.tabular import CellError, ImportFailed
from phoihop.org import imports, second_factor
from phoihop.org.api import import_answer, xlsx_download
from phoihop.org.forms import LoginForm, TokenForm
from phoihop.org.models import User
from phoihop.org.services import province_by_code, user_password_set


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


class PasswordSetupForm(SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Mật khẩu mới")
        self.fields["new_password2"].label = _("Nhập lại mật khẩu mới")
        self.error_messages["password_mismatch"] = _("Hai lần nhập mật khẩu không khớp.")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"


class PasswordSetupView(auth_views.PasswordResetConfirmView):
    """The page of a set-up link: the user chooses their password, then signs in."""

    form_class = PasswordSetupForm
    template_name = "org/password_setup.html"
    reset_url_token = "dat-mat-khau"

    def form_valid(self, form: Any) -> HttpResponse:
        assert self.user is not None
        user_password_set(user=self.user, password=form.cleaned_data["new_password1"])
        # As Django's own view does: the link's token leaves the session once used.
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, _("Đã đặt mật khẩu. Hãy đăng nhập bằng mật khẩu mới."))
        return redirect("login")


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


# --- the organisation import (administrators) -----------------------------------------------


class OrganisationImportForm(BootstrapForm):
    file = forms.FileField(
        label=_lazy("Tệp XLSX hoặc CSV"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}),
    )
    province = forms.CharField(
        label=_lazy("Mã tỉnh"),
        max_length=2,
        required=False,
        help_text=_lazy("Để trống: tỉnh của đơn vị bạn."),
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )
    dry_run = forms.BooleanField(label=_lazy("Chỉ kiểm tra, không lưu"), required=False)


def _administrator(request: HttpRequest) -> User:
    if not is_administrator(request.user):
        raise DjangoPermissionDenied
    return cast(User, request.user)


@never_cache
@login_required
def organisation_import(request: HttpRequest) -> HttpResponse:
    actor = _administrator(request)
    form = OrganisationImportForm(request.POST or None, request.FILES or None)
    errors: list[CellError] = []
    answer = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        code = form.cleaned_data["province"].strip()
        try:
            province = province_by_code(code) if code or actor.unit is None else actor.unit.province
            result = imports.organisation_import(
                actor=actor,
                province=province,
                content=upload.read(),
                filename=upload.name,
                commit=not form.cleaned_data["dry_run"],
            )
        except ImportFailed as failure:
            errors = failure.errors
        except DomainError as error:
            place_domain_error(form, error)
        else:
            answer = import_answer(
                request, result, province=province, dry_run=form.cleaned_data["dry_run"]
            )
    return render(
        request,
        "org/organisation_import.html",
        {"form": form, "errors": errors, "answer": answer},
    )


@never_cache
@login_required
def organisation_import_template(request: HttpRequest) -> HttpResponse:
    actor = _administrator(request)
    province = actor.unit.province if actor.unit else None
    return xlsx_download(imports.organisation_template(province), "mau-nhap-to-chuc.xlsx")
