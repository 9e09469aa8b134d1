"""Users cleared for Mật or above must pass a TOTP second factor before using the system."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

# Pages a user who has not yet passed the second factor may still reach: the way through the
# second factor itself, logging out, and switching the language.
OPEN_URL_NAMES = frozenset({"login", "logout", "otp_setup", "otp_verify", "set_language"})


class SecondFactorRequiredMiddleware:
    """Place after AuthenticationMiddleware and django_otp's OTPMiddleware.

    It sees session logins only: DRF authenticates API tokens inside the view, so whatever issues
    tokens to Mật users must require the second factor itself.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._must_verify(request):
            return self._refuse(request)
        return self.get_response(request)

    def _must_verify(self, request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if not getattr(user, "needs_second_factor", False):
            return False
        is_verified = getattr(user, "is_verified", None)
        if is_verified is not None and is_verified():
            return False
        return not self._is_open(request)

    @staticmethod
    def _is_open(request: HttpRequest) -> bool:
        if settings.STATIC_URL and request.path_info.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            # Nothing to protect: the 404 page says nothing.
            return True
        return match.url_name in OPEN_URL_NAMES and not match.namespace

    @staticmethod
    def _refuse(request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {
                    "message": _(
                        "Tài khoản có mức tiếp cận Mật trở lên phải xác thực hai lớp trước khi "
                        "dùng hệ thống."
                    ),
                    "code": "second_factor_required",
                    "fields": {},
                },
                status=403,
            )
        url = reverse("otp_verify")
        if request.method == "GET":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return redirect(url)
