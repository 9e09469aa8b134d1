"""Idle sessions expire, weak passwords are refused in Vietnamese, production hashes with Argon2."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher, make_password
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from phoihop.core.errors import DomainError
from phoihop.org.models import User
from phoihop.org.services import user_create
from tests import factories

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def _login(client: Client, user: User) -> None:
    response = client.post(
        reverse("login"), {"username": user.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 302


def test_settings_expire_sessions_on_inactivity() -> None:
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert 0 < settings.SESSION_COOKIE_AGE <= 8 * 60 * 60


def test_idle_session_expires_and_the_next_request_goes_to_login(world, client: Client) -> None:
    officer = factories.user(world.u("ca_commune_a"))
    with time_machine.travel(START, tick=False) as traveller:
        _login(client, officer)
        assert client.get(reverse("home")).status_code == 200

        traveller.shift(dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))
        response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_activity_keeps_the_session_alive(world, client: Client) -> None:
    officer = factories.user(world.u("ca_commune_a"))
    almost = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    with time_machine.travel(START, tick=False) as traveller:
        _login(client, officer)
        for _ in range(3):
            traveller.shift(almost)
            assert client.get(reverse("home")).status_code == 200


def test_weak_password_is_refused_in_vietnamese_and_no_user_is_saved(world) -> None:
    with translation.override("vi"), pytest.raises(DomainError) as refused:
        user_create(
            actor=None,
            username="yeu.matkhau",
            password="123456",
            unit=world.u("ca_commune_a"),
            full_name="Cán bộ mật khẩu yếu",
        )

    assert refused.value.message == "Mật khẩu không đạt yêu cầu."
    messages = refused.value.fields["password"]
    assert "Mật khẩu quá ngắn. Nó phải chứa ít nhất 10 ký tự." in messages
    assert "Mật khẩu này quá phổ biến." in messages
    assert "Mật khẩu này hoàn toàn là số." in messages
    assert not User.objects.filter(username="yeu.matkhau").exists()


def test_password_like_the_username_is_refused(world) -> None:
    with translation.override("vi"), pytest.raises(DomainError) as refused:
        user_create(
            actor=None,
            username="nguyenvanhung",
            password="nguyenvanhung1",
            unit=world.u("ca_commune_a"),
        )

    assert any(m.startswith("Mật khẩu quá giống với") for m in refused.value.fields["password"])
    assert not User.objects.filter(username="nguyenvanhung").exists()


def test_production_settings_hash_passwords_with_argon2() -> None:
    # The test settings swap in MD5 for speed; config.settings is what production runs.
    production = importlib.import_module("config.settings")

    assert "Argon2" in production.PASSWORD_HASHERS[0]
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        assert identify_hasher(make_password(factories.PASSWORD)).algorithm == "argon2"
