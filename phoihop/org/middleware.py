"""Users cleared for Mật or above must pass a TOTP second factor before using the system."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Pages a user who has not yet passed the second factor may still reach.
_OPEN_PREFIXES = ("/static/", "/i18n/")
_OPEN_NAMES = ("login", "logout", "otp_setup", "otp_verify", "set_language")


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "needs_second_factor", False)
            and not user.is_verified()  # type: ignore[union-attr]
            and not request.path.startswith(_OPEN_PREFIXES)
            and not self._is_open(request)
        ):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse(
                    {
                        "message": "Tài khoản có mức tiếp cận Mật trở lên phải xác thực hai lớp.",
                        "code": "second_factor_required",
                        "fields": {},
                    },
                    status=403,
                )
            return redirect("otp_verify")
        return self.get_response(request)

    @staticmethod
    def _is_open(request: HttpRequest) -> bool:
        for name in _OPEN_NAMES:
            try:
                if request.path == reverse(name):
                    return True
            except Exception:
                continue
        return False
