"""The TOTP second factor (django-otp): enrolling a device and checking a token, both audited.

Users cleared for Mật or above must pass it after their password (see
`phoihop.org.middleware.SecondFactorRequiredMiddleware`). These are the only writes to OTP
devices: a user enrols and confirms their own device; an administrator resets the second factor of
a user who lost their phone (`second_factor_reset`), and the user enrols again at the next login.
"""

from __future__ import annotations

import base64
from typing import Any

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_totp.models import TOTPDevice

from phoihop.audit.models import AuditAction
from phoihop.audit.services import audit_record
from phoihop.core.errors import DomainError, PermissionDenied
from phoihop.org.models import User

DEVICE_NAME = "PhốiHợp TOTP"


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


@transaction.atomic
def totp_device_prepare(*, actor: User) -> TOTPDevice:
    """The user's pending (unconfirmed) device, created with a fresh secret if there is none."""
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice(user=actor, name=DEVICE_NAME, confirmed=False)
        device.full_clean()
        device.save()
    return device


def totp_device_confirm(*, actor: User, device: TOTPDevice, token: str) -> TOTPDevice:
    """Confirm a pending device with the first token the user's app shows."""
    if device.user_id != actor.pk or device.confirmed:
        raise DomainError(
            _("Thiết bị xác thực không hợp lệ."),
            code="invalid",
            fields={"token": [_("Thiết bị xác thực không hợp lệ.")]},
        )
    _check_token(actor=actor, device=device, token=token, event="setup")
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(
            actor=actor,
            action=AuditAction.SECOND_FACTOR,
            obj=actor,
            changes={"event": "setup", "result": "ok", "device": device.name},
        )
    return device


def second_factor_verify(*, actor: User, token: str) -> TOTPDevice:
    """Check a token against the user's confirmed device; the device on success."""
    device = confirmed_totp_device(actor)
    if device is None:
        raise DomainError(
            _("Tài khoản chưa đăng ký ứng dụng xác thực."),
            code="second_factor_not_set_up",
            fields={"token": [_("Tài khoản chưa đăng ký ứng dụng xác thực.")]},
        )
    _check_token(actor=actor, device=device, token=token, event="verify")
    audit_record(
        actor=actor,
        action=AuditAction.SECOND_FACTOR,
        obj=actor,
        changes={"event": "verify", "result": "ok", "device": device.name},
    )
    return device


def second_factor_reset(*, actor: User, user: User, reason: str) -> list[str]:
    """Remove every OTP device of `user` (TOTP and backup codes); the names of those removed.

    For a lost or replaced phone: the user is asked to enrol a new device at their next login (and
    a session that passed the second factor with a removed device is asked again). Only a
    superuser may reset a superuser's second factor.
    """
    reason = " ".join((reason or "").split())
    if not reason:
        message = _("Hãy nhập lý do đặt lại xác thực hai lớp.")
        raise DomainError(message, code="required", fields={"reason": [message]})
    if user.is_superuser and not actor.is_superuser:
        raise PermissionDenied(
            _("Không được đặt lại xác thực hai lớp của tài khoản quản trị kỹ thuật.")
        )
    with transaction.atomic():
        # Lock the user's row: two administrators resetting at once remove the devices once.
        User.objects.select_for_update().filter(pk=user.pk).first()
        devices = list(devices_for_user(user, confirmed=None))
        for device in devices:
            device.delete()
        names = sorted(str(device.name) for device in devices)
        audit_record(
            actor=actor,
            action=AuditAction.SECOND_FACTOR,
            obj=user,
            changes={"event": "reset", "reason": reason, "devices": names},
        )
    return names


def _check_token(*, actor: User, device: TOTPDevice, token: str, event: str) -> None:
    # Not inside the caller's transaction: a failed attempt must stay counted (throttling) and
    # audited even though the caller then reports an error.
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, info = locked.verify_is_allowed()
        verified = allowed and locked.verify_token(token.strip().replace(" ", ""))
    if not allowed:
        audit_record(
            actor=actor,
            action=AuditAction.SECOND_FACTOR,
            obj=actor,
            changes={"event": event, "result": "throttled", "device": device.name},
        )
        message = _throttled_message(info or {})
        raise DomainError(message, code="throttled", fields={"token": [message]})
    if not verified:
        audit_record(
            actor=actor,
            action=AuditAction.SECOND_FACTOR,
            obj=actor,
            changes={"event": event, "result": "failed", "device": device.name},
        )
        message = _("Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã đang hiện trên ứng dụng.")
        raise DomainError(message, code="invalid_token", fields={"token": [message]})
    device.refresh_from_db()


def _throttled_message(info: dict[str, Any]) -> str:
    if info.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS and info.get("locked_until"):
        seconds = max(1, int((info["locked_until"] - timezone.now()).total_seconds()))
        return _("Nhập sai quá nhiều lần. Vui lòng thử lại sau %(seconds)d giây.") % {
            "seconds": seconds
        }
    return _("Tạm thời không thể xác thực. Vui lòng thử lại sau.")


def totp_secret(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    raw = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def totp_qr_data_uri(device: TOTPDevice) -> str:
    """The provisioning QR code as an SVG data URI, drawn here: no external service."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
