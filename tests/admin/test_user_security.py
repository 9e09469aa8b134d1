"""Administrators reset a lost second factor, lift a login lockout, and stale API tokens go."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from phoihop.audit.models import AuditAction, AuditEntry
from phoihop.core.enums import Classification
from phoihop.org.models import Role, User
from phoihop.org.tokens import api_token_issue
from tests.admin.forms import form_data
from tests.factories import PASSWORD, user

REASON = "Mất điện thoại, đã xác minh qua chỉ huy đơn vị"


def _mat_user_with_devices(world) -> User:  # type: ignore[no-untyped-def]
    mat = user(world.u("ca_pc04"), clearance=Classification.MAT, username="mat.pc04")
    TOTPDevice.objects.create(user=mat, name="điện thoại", confirmed=True)
    StaticDevice.objects.create(user=mat, name="mã dự phòng", confirmed=True)
    return mat


def _devices(u: User) -> int:
    return TOTPDevice.objects.filter(user=u).count() + StaticDevice.objects.filter(user=u).count()


def _login(client: Client, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(reverse("login"), {"username": username, "password": password})


# --- second factor reset --------------------------------------------------------------------


def test_an_administrator_resets_a_lost_second_factor_and_the_user_enrols_again(
    admin_site, world, administrator
):
    assert not administrator.is_superuser
    mat = _mat_user_with_devices(world)
    url = f"/admin/org/user/{mat.pk}/second-factor-reset/"
    change_page = admin_site.get(f"/admin/org/user/{mat.pk}/change/").content.decode()
    assert url in change_page
    assert "Đặt lại xác thực hai lớp" in admin_site.get(url).content.decode()

    response = admin_site.post(url, {"reason": REASON})

    assert response.status_code == 302
    assert _devices(mat) == 0
    entry = AuditEntry.objects.filter(action=AuditAction.SECOND_FACTOR).latest("seq")
    assert entry.actor_id == administrator.pk
    assert entry.object_id == str(mat.public_id)
    assert entry.changes == {
        "event": "reset",
        "reason": REASON,
        "devices": ["mã dự phòng", "điện thoại"],
    }
    client = Client()
    login = _login(client, "mat.pc04")
    assert login.status_code == 302
    verify = client.get(login.url)
    assert verify.status_code == 302
    assert verify.url.startswith(reverse("otp_setup"))


def test_a_second_factor_reset_without_a_reason_is_refused_and_keeps_the_devices(admin_site, world):
    mat = _mat_user_with_devices(world)
    before = AuditEntry.objects.count()

    response = admin_site.post(f"/admin/org/user/{mat.pk}/second-factor-reset/", {"reason": "   "})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Hãy nhập lý do đặt lại xác thực hai lớp."]
    assert "Hãy nhập lý do đặt lại xác thực hai lớp." in response.content.decode()
    assert _devices(mat) == 2
    assert AuditEntry.objects.count() == before


def test_an_administrator_cannot_reset_a_superusers_second_factor(admin_site, world):
    root = User.objects.create_superuser(username="root", password=PASSWORD)
    TOTPDevice.objects.create(user=root, name="điện thoại", confirmed=True)

    response = admin_site.post(f"/admin/org/user/{root.pk}/second-factor-reset/", {"reason": "x"})

    assert response.status_code == 403
    assert _devices(root) == 1


# --- login lockout --------------------------------------------------------------------------


def _lock_out(username: str) -> None:
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, username, "sai-mat-khau-roi")
    assert _login(client, username).status_code == 429


def test_unlocking_from_the_change_page_lets_a_locked_user_log_in_again(
    admin_site, world, administrator
):
    officer = user(world.u("ca_commune_a"), username="canbo.sk1")
    _lock_out("canbo.sk1")
    url = f"/admin/org/user/{officer.pk}/unlock/"
    assert url in admin_site.get(f"/admin/org/user/{officer.pk}/change/").content.decode()

    response = admin_site.post(url)

    assert response.status_code == 302
    assert _login(Client(), "canbo.sk1").status_code == 302
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE).latest("seq")
    assert entry.actor_id == administrator.pk
    assert entry.object_id == str(officer.public_id)
    assert entry.changes["event"] == "login_unlock"
    assert entry.changes["lockout_records_cleared"] >= 1


def test_the_unlock_action_of_the_user_list_lifts_the_lockout(admin_site, world):
    officer = user(world.u("ca_commune_a"), username="canbo.sk1")
    _lock_out("canbo.sk1")

    response = admin_site.post(
        "/admin/org/user/",
        {"action": "unlock_logins", "_selected_action": [officer.pk]},
    )

    assert response.status_code == 302
    assert _login(Client(), "canbo.sk1").status_code == 302
    assert AuditEntry.objects.filter(
        action=AuditAction.UPDATE,
        object_id=str(officer.public_id),
        changes__event="login_unlock",
    ).exists()


# --- API tokens follow the user's rights ----------------------------------------------------


def test_changing_clearance_in_the_admin_revokes_the_users_api_token(
    admin_site, world, administrator
):
    officer = user(world.u("ca_pc04"), username="trinhsat")
    api_token_issue(user=officer)
    url = f"/admin/org/user/{officer.pk}/change/"

    response = admin_site.post(
        url, form_data(admin_site.get(url), clearance=str(int(Classification.MAT)))
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not Token.objects.filter(user=officer).exists()
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE).latest("seq")
    assert entry.actor_id == administrator.pk
    assert entry.changes == {"api_token": "revoked", "because": ["clearance"]}


def test_changing_roles_or_deactivating_revokes_the_token(admin_site, world):
    officer = user(world.u("ca_pc04"), username="trinhsat")
    url = f"/admin/org/user/{officer.pk}/change/"
    api_token_issue(user=officer)
    admin_site.post(
        url,
        form_data(admin_site.get(url), roles=[Role.objects.get(code="commander").pk]),
    )
    assert not Token.objects.filter(user=officer).exists()

    api_token_issue(user=officer)
    admin_site.post(url, form_data(admin_site.get(url), is_active=False))
    assert not User.objects.get(pk=officer.pk).is_active
    assert not Token.objects.filter(user=officer).exists()


def test_editing_only_the_name_keeps_the_token(admin_site, world):
    officer = user(world.u("ca_pc04"), username="trinhsat")
    token = api_token_issue(user=officer)
    url = f"/admin/org/user/{officer.pk}/change/"

    response = admin_site.post(url, form_data(admin_site.get(url), full_name="Trần Văn Bình"))

    assert response.status_code == 302
    assert Token.objects.filter(pk=token.pk).exists()
