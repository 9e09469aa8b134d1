"""Only administrators (the role) and superusers reach the admin; the audit log is read-only."""

from __future__ import annotations

import pytest
from django.test import Client

from phoihop.audit.models import AuditEntry
from phoihop.org.models import User
from tests.factories import PASSWORD, login, user


@pytest.mark.parametrize("roles", [("officer",), ("commander",), ("joint_staff",)])
def test_other_roles_get_no_admin_page(world, roles):
    client = Client()
    login(client, user(world.u("ca_province"), roles=roles))
    for url in ("/admin/", "/admin/org/unit/", "/admin/audit/auditentry/", "/admin/org/user/add/"):
        response = client.get(url, follow=True)
        assert response.status_code == 403, url
        assert response.redirect_chain[0][0].startswith("/admin/login/")


def test_an_officer_cannot_post_to_the_admin(world):
    client = Client()
    login(client, user(world.u("ca_province"), roles=("officer",)))
    unit = world.u("ca_pc04")
    response = client.post(f"/admin/org/unit/{unit.pk}/change/", {"name": "Đổi tên"})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "Phòng Cảnh sát điều tra tội phạm về ma túy"


def test_an_anonymous_visitor_is_sent_to_the_login_page(world):
    response = Client().get("/admin/org/unit/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/login/?next=")
    assert response.status_code == 200


def test_is_staff_alone_opens_nothing(world):
    staff = user(world.u("ca_province"), roles=("officer",))
    User.objects.filter(pk=staff.pk).update(is_staff=True)
    client = Client()
    login(client, User.objects.get(pk=staff.pk))
    assert client.get("/admin/", follow=True).status_code == 403


def test_an_administrator_logs_in_through_the_login_page_and_opens_the_admin(administrator):
    client = Client()
    response = client.get("/admin/", follow=True)
    login_url = response.redirect_chain[-1][0]
    response = client.post(
        login_url, {"username": administrator.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/admin/"
    assert response.status_code == 200
    assert "Quản trị PhốiHợp" in response.content.decode()


def test_an_inactive_administrator_is_refused(administrator):
    client = Client()
    login(client, administrator)
    User.objects.filter(pk=administrator.pk).update(is_active=False)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/login/")


def test_a_superuser_opens_the_admin(db):
    root = User.objects.create_superuser(username="root", password=PASSWORD)
    client = Client()
    login(client, root)
    assert client.get("/admin/").status_code == 200


def test_the_index_lists_the_organisation_and_the_audit_log_but_not_groups(admin_site):
    page = admin_site.get("/admin/").content.decode()
    for name in ("Đơn vị", "Người dùng", "Lực lượng", "Địa bàn hành chính", "Nhật ký kiểm tra"):
        assert name in page
    assert "/admin/auth/group/" not in page


@pytest.fixture
def superuser_client(db) -> Client:
    client = Client()
    login(client, User.objects.create_superuser(username="root", password=PASSWORD))
    return client


@pytest.mark.parametrize("who", ["admin_site", "superuser_client"])
def test_nobody_adds_changes_or_deletes_audit_entries(world, who, request):
    client = request.getfixturevalue(who)
    entry = AuditEntry.objects.order_by("seq").first()
    count = AuditEntry.objects.count()
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    assert client.post("/admin/audit/auditentry/add/", {"action": "login"}).status_code == 403
    assert (
        client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    response = client.post(
        "/admin/audit/auditentry/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    changed = client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"object_repr": "sửa"})
    assert changed.status_code == 403
    view = client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert view.status_code == 200
    assert 'name="_save"' not in view.content.decode()
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.object_repr, stored.hash) == (entry.object_repr, entry.hash)
    # Only the logins of the clients themselves were added.
    assert set(AuditEntry.objects.filter(seq__gt=count).values_list("action", flat=True)) <= {
        "login"
    }
