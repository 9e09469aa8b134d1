"""The Vietnamese login page, wrong passwords, the django-axes lockout and logout."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from phoihop.audit.models import AuditAction, AuditEntry
from phoihop.core.templatetags.vi import vi_duration
from tests import factories

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_page_is_vietnamese_with_the_standard_field_ids(client: Client) -> None:
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert 'id="id_username"' in html
    assert 'id="id_password"' in html
    assert "Tên đăng nhập" in html
    assert "Mật khẩu" in html
    assert '<button type="submit" class="btn btn-primary w-100">Đăng nhập</button>' in html


def test_anonymous_visitor_is_sent_to_login(client: Client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_correct_password_opens_the_home_page_with_the_unit(world, client: Client) -> None:
    officer = factories.user(world.u("ca_commune_a"), username="canbo.sk1")

    response = _login(client, "canbo.sk1", factories.PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("home")
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert "Công an xã Sơn Kim 1" in home.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN, actor=officer).exists()


def test_wrong_password_shows_a_vietnamese_error_and_opens_no_session(
    world, client: Client
) -> None:
    factories.user(world.u("ca_commune_a"), username="canbo.sk1")

    response = _login(client, "canbo.sk1", "sai-mat-khau-roi")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in html
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302
    assert AuditEntry.objects.filter(
        action=AuditAction.LOGIN_FAILED, actor_username="canbo.sk1"
    ).exists()


def test_repeated_failures_lock_the_account_with_a_vietnamese_page(world, client: Client) -> None:
    factories.user(world.u("ca_commune_a"), username="canbo.sk1")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "canbo.sk1", "sai-mat-khau-roi").status_code == 200

    locked = _login(client, "canbo.sk1", "sai-mat-khau-roi")

    html = locked.content.decode()
    assert locked.status_code == 429
    assert "Tài khoản tạm khóa" in html
    assert f"Đăng nhập sai {settings.AXES_FAILURE_LIMIT} lần liên tiếp" in html
    cooloff = vi_duration(dt.timedelta(hours=settings.AXES_COOLOFF_TIME))
    assert f"Vui lòng thử lại sau {cooloff}." in html
    # Even the right password is refused while the lock holds.
    again = _login(client, "canbo.sk1", factories.PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_logout_needs_a_post_and_ends_the_session(world, client: Client) -> None:
    officer = factories.user(world.u("ca_commune_a"), username="canbo.sk1")
    _login(client, "canbo.sk1", factories.PASSWORD)

    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("home")).status_code == 200

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert client.get(reverse("home")).status_code == 302
    assert AuditEntry.objects.filter(action=AuditAction.LOGOUT, actor=officer).exists()


def test_logged_in_user_visiting_login_goes_home(world, client: Client) -> None:
    factories.user(world.u("ca_commune_a"), username="canbo.sk1")
    _login(client, "canbo.sk1", factories.PASSWORD)

    response = client.get(reverse("login"))

    assert response.status_code == 302
    assert response.url == reverse("home")
