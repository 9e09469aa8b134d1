"""TOTP second factor for users cleared for Mật and above, with real tokens from the device."""

from __future__ import annotations

import base64
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from phoihop.audit.models import AuditAction, AuditEntry
from phoihop.core.enums import Classification
from phoihop.org.models import User
from tests import factories

pytestmark = pytest.mark.django_db


def _token(device: TOTPDevice, *, offset: int = 0) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{(value + offset) % 10**device.digits:0{device.digits}d}"


def _password_login(client: Client, user: User, next_url: str = ""):  # type: ignore[no-untyped-def]
    url = reverse("login") + (f"?next={quote(next_url)}" if next_url else "")
    data = {"username": user.username, "password": factories.PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(url, data)


@pytest.fixture
def mat_user(world) -> User:  # type: ignore[no-untyped-def]
    return factories.user(
        world.u("ca_pc04"), roles=("officer",), clearance=Classification.MAT, username="mat.pc04"
    )


@pytest.fixture
def mat_device(mat_user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=mat_user, name="điện thoại", confirmed=True)


def _second_factor_entries(user: User) -> list[dict]:
    return [
        entry.changes
        for entry in AuditEntry.objects.filter(
            action=AuditAction.SECOND_FACTOR, actor=user
        ).order_by("seq")
    ]


def test_mat_user_cannot_reach_home_before_verifying(
    client: Client, mat_user: User, mat_device: TOTPDevice
) -> None:
    login = _password_login(client, mat_user)
    assert login.status_code == 302
    assert login.url.startswith(reverse("otp_verify"))

    home = client.get(reverse("home"))

    assert home.status_code == 302
    assert home.url == f"{reverse('otp_verify')}?next=%2F"
    verify = client.get(home.url)
    assert verify.status_code == 200
    html = verify.content.decode()
    assert "Xác thực hai lớp" in html
    # No module navigation until the second factor is passed; logging out stays possible.
    assert ">Bản đồ</a>" not in html and ">Vụ việc</a>" not in html
    assert ">Đăng xuất</button>" in html


def test_correct_token_opens_home_and_is_audited(
    client: Client, mat_user: User, mat_device: TOTPDevice
) -> None:
    _password_login(client, mat_user)

    response = client.post(reverse("otp_verify"), {"token": _token(mat_device), "next": "/"})

    assert response.status_code == 302
    assert response.url == reverse("home")
    home = client.get(reverse("home"))
    assert home.status_code == 200
    html = home.content.decode()
    assert "Phòng Cảnh sát điều tra tội phạm về ma túy" in html
    assert "Mức: Mật" in html
    assert "Đã xác thực hai lớp." in html
    assert ">Bản đồ</a>" in html  # the module navigation, now the second factor is passed
    assert _second_factor_entries(mat_user) == [
        {"event": "verify", "result": "ok", "device": "điện thoại"}
    ]


def test_wrong_token_shows_a_vietnamese_error_and_keeps_home_closed(
    client: Client, mat_user: User, mat_device: TOTPDevice
) -> None:
    _password_login(client, mat_user)

    response = client.post(reverse("otp_verify"), {"token": _token(mat_device, offset=7)})

    assert response.status_code == 200
    assert "Mã xác thực không đúng hoặc đã hết hạn" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    assert _second_factor_entries(mat_user) == [
        {"event": "verify", "result": "failed", "device": "điện thoại"}
    ]


def test_malformed_token_is_refused_in_vietnamese_without_touching_the_device(
    client: Client, mat_user: User, mat_device: TOTPDevice
) -> None:
    _password_login(client, mat_user)

    response = client.post(reverse("otp_verify"), {"token": "12ab"})

    assert "Mã xác thực gồm 6 chữ số." in response.content.decode()
    mat_device.refresh_from_db()
    assert mat_device.throttling_failure_count == 0
    assert _second_factor_entries(mat_user) == []


def test_repeated_wrong_tokens_are_throttled(
    client: Client, mat_user: User, mat_device: TOTPDevice
) -> None:
    _password_login(client, mat_user)
    client.post(reverse("otp_verify"), {"token": _token(mat_device, offset=3)})

    # Right after a failure even the correct token waits for the throttle delay.
    response = client.post(reverse("otp_verify"), {"token": _token(mat_device)})

    assert "Nhập sai quá nhiều lần. Vui lòng thử lại sau" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_mat_user_without_a_device_sets_one_up_from_a_local_qr_code(
    client: Client, mat_user: User
) -> None:
    login = _password_login(client, mat_user, next_url="/")
    verify = client.get(login.url)
    assert verify.status_code == 302
    assert verify.url.startswith(reverse("otp_setup"))

    setup = client.get(verify.url)

    html = setup.content.decode()
    device = TOTPDevice.objects.get(user=mat_user)
    assert setup.status_code == 200
    assert device.confirmed is False
    assert 'src="data:image/svg+xml;base64,' in html
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    # The page was drawn here: the QR code's SVG holds the provisioning URI, nothing external.
    start = html.index("data:image/svg+xml;base64,") + len("data:image/svg+xml;base64,")
    svg = base64.b64decode(html[start : html.index('"', start)]).decode()
    assert svg.startswith("<svg") and "<path" in svg
    assert client.get(reverse("home")).status_code == 302


def test_setup_confirms_the_device_on_a_correct_token(client: Client, mat_user: User) -> None:
    _password_login(client, mat_user)
    client.get(reverse("otp_setup"))
    device = TOTPDevice.objects.get(user=mat_user)

    response = client.post(reverse("otp_setup"), {"token": _token(device), "next": "/"})

    assert response.status_code == 302
    assert response.url == reverse("home")
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get(reverse("home")).status_code == 200
    assert _second_factor_entries(mat_user) == [
        {"event": "setup", "result": "ok", "device": "PhốiHợp TOTP"}
    ]
    # With a device confirmed, setup is closed: no second secret can be drawn.
    assert client.get(reverse("otp_setup")).url.startswith(reverse("otp_verify"))


def test_setup_with_a_wrong_token_leaves_the_device_unconfirmed(
    client: Client, mat_user: User
) -> None:
    _password_login(client, mat_user)
    client.get(reverse("otp_setup"))
    device = TOTPDevice.objects.get(user=mat_user)

    response = client.post(reverse("otp_setup"), {"token": _token(device, offset=1)})

    assert "Mã xác thực không đúng hoặc đã hết hạn" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    assert TOTPDevice.objects.filter(user=mat_user).count() == 1
    assert client.get(reverse("home")).status_code == 302


def test_unverified_mat_user_may_still_log_out_and_switch_language(
    client: Client, mat_user: User, mat_device: TOTPDevice
) -> None:
    _password_login(client, mat_user)

    assert client.post(reverse("set_language"), {"language": "vi", "next": "/"}).status_code == 302
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert "_auth_user_id" not in client.session


def test_htmx_requests_of_an_unverified_mat_user_are_redirected_by_htmx(
    client: Client, mat_user: User, mat_device: TOTPDevice
) -> None:
    _password_login(client, mat_user)

    response = client.get(reverse("home"), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{reverse('otp_verify')}?next=%2F"


def test_unverified_mat_user_gets_the_api_error_shape(
    client: Client, mat_user: User, mat_device: TOTPDevice
) -> None:
    _password_login(client, mat_user)

    response = client.get(reverse("api-schema"))

    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "second_factor_required"
    assert "xác thực hai lớp" in body["message"]
    assert body["fields"] == {}


def test_thuong_user_needs_no_second_factor(world, client: Client) -> None:
    officer = factories.user(world.u("ca_commune_a"), username="thuong.sk1")

    _password_login(client, officer)

    assert client.get(reverse("home")).status_code == 200
    assert not TOTPDevice.objects.filter(user=officer).exists()
