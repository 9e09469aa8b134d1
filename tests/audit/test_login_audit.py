"""Logins, failed logins and logouts are written to the audit log, with where they came from."""

from __future__ import annotations

from phoihop.audit.models import AuditAction, AuditEntry
from phoihop.audit.selectors import audit_chain_verify
from tests.factories import PASSWORD, user

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chromium/140"


def test_a_login_is_audited_with_ip_unit_and_browser(world, client):
    officer = user(world.u("ca_pc04"), username="canbo.dangnhap")
    response = client.post(
        "/login/",
        {"username": "canbo.dangnhap", "password": PASSWORD},
        REMOTE_ADDR="10.42.0.17",
        HTTP_USER_AGENT=BROWSER,
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN)
    assert entry.actor_id == officer.pk
    assert entry.actor_username == "canbo.dangnhap"
    assert entry.actor_unit == "PC04"
    assert entry.ip == "10.42.0.17"
    assert entry.user_agent == BROWSER
    assert (entry.object_type, entry.object_id) == ("org.user", str(officer.public_id))
    assert audit_chain_verify().ok


def test_a_failed_login_is_audited_with_the_username_tried(world, client):
    response = client.post(
        "/login/",
        {"username": "khong.ton.tai", "password": "doan-mo-mat-khau"},
        REMOTE_ADDR="10.42.0.99",
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert entry.actor_id is None
    assert entry.actor_username == "khong.ton.tai"
    assert entry.ip == "10.42.0.99"
    assert "doan-mo-mat-khau" not in str(entry.changes)
    assert not AuditEntry.objects.filter(action=AuditAction.LOGIN).exists()


def test_a_wrong_password_for_a_real_account_is_audited_without_logging_in(world, client):
    user(world.u("bp_post_a"), username="bienphong.sk")
    client.post("/login/", {"username": "bienphong.sk", "password": "sai"})
    assert AuditEntry.objects.filter(
        action=AuditAction.LOGIN_FAILED, actor_username="bienphong.sk"
    ).exists()
    assert "_auth_user_id" not in client.session


def test_a_logout_is_audited(world, client):
    officer = user(world.u("qs_commune_a"), username="quansu.sk1")
    client.post("/login/", {"username": "quansu.sk1", "password": PASSWORD})
    response = client.post("/logout/", REMOTE_ADDR="10.42.0.5")
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=AuditAction.LOGOUT)
    assert entry.actor_id == officer.pk
    assert entry.actor_unit == "BCHQSX-SK1"
    assert entry.ip == "10.42.0.5"
    actions = list(
        AuditEntry.objects.filter(actor_username="quansu.sk1")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == [AuditAction.LOGIN, AuditAction.LOGOUT]


def test_a_logout_without_a_session_writes_nothing(world, client):
    before = AuditEntry.objects.count()
    client.post("/logout/")
    assert AuditEntry.objects.count() == before
