"""API tokens: axes-aware, audited, second factor for Mật and above, expiring."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from phoihop.audit.models import AuditEntry
from phoihop.core.enums import Classification
from phoihop.org.models import User
from tests import factories
from tests.api.conftest import ERROR_KEYS
from tests.factories import OrgWorld

URL = "/api/v1/auth/token/"


def _token_for(device: TOTPDevice) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


@pytest.fixture
def secret_user(world: OrgWorld) -> User:
    return factories.user(
        world.u("ca_province"), roles=("commander",), clearance=Classification.MAT
    )


@pytest.fixture
def device(secret_user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=secret_user, name="app", confirmed=True)


def test_a_user_gets_a_token_that_opens_the_api(client: Client, officer: User) -> None:
    response = client.post(URL, {"username": officer.username, "password": factories.PASSWORD})

    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(user=officer).key == key
    assert response.json()["expires_at"]
    me = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {key}")
    assert me.status_code == 200
    assert me.json()["username"] == officer.username
    login = AuditEntry.objects.filter(action="login", actor_username=officer.username)
    assert login.count() == 1


def test_a_new_token_replaces_the_old_one(client: Client, officer: User) -> None:
    data = {"username": officer.username, "password": factories.PASSWORD}
    first = client.post(URL, data).json()["token"]
    second = client.post(URL, data).json()["token"]

    assert first != second
    assert list(Token.objects.filter(user=officer).values_list("key", flat=True)) == [second]
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {first}").status_code == 401


def test_a_wrong_password_is_refused_counted_by_axes_and_audited(
    client: Client, officer: User
) -> None:
    response = client.post(URL, {"username": officer.username, "password": "sai-mat-khau"})

    assert response.status_code == 400
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["code"] == "invalid_credentials"
    assert "password" in body["fields"]
    assert not Token.objects.exists()
    assert AccessAttempt.objects.get(username=officer.username).failures_since_start == 1
    failed = AuditEntry.objects.filter(action="login_failed", actor_username=officer.username)
    assert failed.count() == 1


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(
    client: Client, officer: User
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(URL, {"username": officer.username, "password": "sai-mat-khau"})

    response = client.post(URL, {"username": officer.username, "password": factories.PASSWORD})

    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert set(response.json()) == ERROR_KEYS
    assert not Token.objects.exists()


def test_a_missing_field_is_named(client: Client, officer: User) -> None:
    response = client.post(URL, {"username": officer.username})

    assert response.status_code == 400
    assert response.json()["fields"] == {"password": ["Hãy nhập mật khẩu."]}
    assert not Token.objects.exists()
    assert not AccessAttempt.objects.exists()


def test_a_secret_cleared_user_needs_the_second_factor(
    client: Client, secret_user: User, device: TOTPDevice
) -> None:
    data = {"username": secret_user.username, "password": factories.PASSWORD}

    response = client.post(URL, data)

    assert response.status_code == 400
    assert response.json()["code"] == "second_factor_required"
    assert list(response.json()["fields"]) == ["otp_token"]
    assert not Token.objects.exists()


def test_a_wrong_second_factor_is_refused_and_counted_as_a_failed_login(
    client: Client, secret_user: User, device: TOTPDevice
) -> None:
    right = _token_for(device)
    wrong = f"{(int(right) + 1) % 10**device.digits:0{device.digits}d}"

    response = client.post(
        URL, {"username": secret_user.username, "password": factories.PASSWORD, "otp_token": wrong}
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_second_factor"
    assert list(response.json()["fields"]) == ["otp_token"]
    assert not Token.objects.exists()
    assert AccessAttempt.objects.get(username=secret_user.username).failures_since_start == 1
    assert AuditEntry.objects.filter(
        action="login_failed", actor_username=secret_user.username
    ).exists()


def test_the_right_second_factor_gives_a_token(
    client: Client, secret_user: User, device: TOTPDevice
) -> None:
    response = client.post(
        URL,
        {
            "username": secret_user.username,
            "password": factories.PASSWORD,
            "otp_token": _token_for(device),
        },
    )

    assert response.status_code == 200
    key = response.json()["token"]
    me = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {key}")
    assert me.status_code == 200
    assert me.json()["clearance"]["label"] == "Mật"


def test_a_secret_cleared_user_without_a_device_is_sent_to_set_one_up(
    client: Client, secret_user: User
) -> None:
    response = client.post(
        URL,
        {"username": secret_user.username, "password": factories.PASSWORD, "otp_token": "123456"},
    )

    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_setup_required"
    assert not Token.objects.exists()


def test_a_token_expires(client: Client, officer: User) -> None:
    key = client.post(URL, {"username": officer.username, "password": factories.PASSWORD}).json()[
        "token"
    ]
    later = dt.datetime.now(tz=dt.UTC) + dt.timedelta(
        hours=settings.PHOIHOP_API_TOKEN_HOURS, minutes=1
    )

    with time_machine.travel(later):
        response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"
    assert not Token.objects.exists()


def test_an_unknown_token_is_refused_in_vietnamese(db: None) -> None:
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION="Token khong-ton-tai")

    assert response.status_code == 401
    assert response.json() == {
        "message": "Mã truy cập (token) không hợp lệ.",
        "code": "invalid_token",
        "fields": {},
    }


def test_a_user_revokes_their_token(client: Client, officer: User) -> None:
    key = client.post(URL, {"username": officer.username, "password": factories.PASSWORD}).json()[
        "token"
    ]
    token_client = Client(HTTP_AUTHORIZATION=f"Token {key}")

    assert token_client.delete(URL).status_code == 204
    assert not Token.objects.exists()
    assert token_client.get("/api/v1/me").status_code == 401
    assert AuditEntry.objects.filter(action="logout", actor_username=officer.username).exists()
