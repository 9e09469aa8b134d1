"""API authentication: DRF tokens that expire.

Kept apart from the API views: DRF imports the authentication classes named in settings while
`rest_framework.views` itself is loading, so this module may import nothing of the views.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.request import Request


def token_lifetime() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "PHOIHOP_API_TOKEN_HOURS", 12))


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, refused once the token is older than its lifetime."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed as exc:
            if exc.get_codes() == exceptions.AuthenticationFailed.default_code:
                # DRF's own texts ("Invalid token.") have no Vietnamese translation.
                raise exceptions.AuthenticationFailed(
                    _("Mã truy cập (token) không hợp lệ."), code="invalid_token"
                ) from exc
            raise

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        if token.created < timezone.now() - token_lifetime():
            token.delete()
            raise exceptions.AuthenticationFailed(
                _("Mã truy cập (token) đã hết hạn. Hãy lấy mã mới."), code="token_expired"
            )
        return user, token
