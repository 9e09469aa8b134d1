"""Users in the admin: unit, roles, clearance; validation in Vietnamese; audited writes."""

from __future__ import annotations

from django.contrib.auth.hashers import identify_hasher
from django.test import Client

from phoihop.audit.models import AuditAction, AuditEntry
from phoihop.core.enums import Classification
from phoihop.org.models import Role, User
from tests.admin.forms import form_data
from tests.factories import PASSWORD, login, user

NEW_PASSWORD = "Mat-khau-moi-cua-ban-2026"


def add_form(world, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "username": "canbo.moi",
        "usable_password": "true",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "full_name": "  Nguyễn Văn  Đức ",
        "rank_title": "Thượng úy, cán bộ",
        "email": "",
        "unit": world.u("ca_commune_a").pk,
        "roles": [Role.objects.get(code="officer").pk, Role.objects.get(code="commander").pk],
        "clearance": str(int(Classification.THUONG)),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_adding_a_user_goes_through_the_service_and_is_audited(admin_site, world, administrator):
    response = admin_site.post("/admin/org/user/add/", add_form(world))
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = User.objects.get(username="canbo.moi")
    assert created.full_name == "Nguyễn Văn Đức"
    assert created.unit == world.u("ca_commune_a")
    assert created.role_codes == {"officer", "commander"}
    assert created.check_password(NEW_PASSWORD)
    assert not created.is_staff
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_id=str(created.public_id))
    assert entry.actor_id == administrator.pk
    assert NEW_PASSWORD not in str(entry.changes)


def test_a_user_without_a_unit_is_refused_on_the_unit_field(admin_site, world):
    before = AuditEntry.objects.count()
    response = admin_site.post("/admin/org/user/add/", add_form(world, unit=""))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["unit"] == ["Người dùng phải thuộc một đơn vị."]
    assert "Người dùng phải thuộc một đơn vị." in response.content.decode()
    assert not User.objects.filter(username="canbo.moi").exists()
    assert AuditEntry.objects.count() == before


def test_a_weak_password_is_refused_and_nothing_is_saved(admin_site, world):
    response = admin_site.post(
        "/admin/org/user/add/", add_form(world, password1="123", password2="123")
    )
    assert response.status_code == 200
    assert "password2" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="canbo.moi").exists()


def test_passwords_set_in_the_admin_are_hashed_with_argon2(admin_site, world, settings):
    # The test settings put a fast hasher first; production's list starts with Argon2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    admin_site.post("/admin/org/user/add/", add_form(world))
    stored = User.objects.get(username="canbo.moi").password
    assert identify_hasher(stored).algorithm == "argon2"


def test_changing_a_users_unit_roles_and_clearance_is_audited(admin_site, world):
    officer = user(world.u("ca_pc04"), username="trinhsat")
    url = f"/admin/org/user/{officer.pk}/change/"
    form = form_data(
        admin_site.get(url),
        unit=world.u("ca_province").pk,
        roles=[Role.objects.get(code="joint_staff").pk],
        clearance=str(int(Classification.MAT)),
    )
    response = admin_site.post(url, form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    officer = User.objects.get(pk=officer.pk)
    assert (officer.unit, officer.clearance) == (world.u("ca_province"), Classification.MAT)
    assert officer.role_codes == {"joint_staff"}
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE).latest("seq")
    assert entry.object_id == str(officer.public_id)
    assert entry.changes == {
        "clearance": [0, 1],
        "roles": [["Cán bộ"], ["Tham mưu tổng hợp"]],
        "unit": ["Phòng Cảnh sát điều tra tội phạm về ma túy", "Công an tỉnh Hà Tĩnh"],
    }
    assert officer.check_password(PASSWORD)


def test_removing_the_unit_of_a_user_is_refused(admin_site, world):
    officer = user(world.u("ca_pc04"), username="trinhsat")
    url = f"/admin/org/user/{officer.pk}/change/"
    response = admin_site.post(url, form_data(admin_site.get(url), unit=""))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["unit"] == [
        "Người dùng phải thuộc một đơn vị."
    ]
    assert User.objects.get(pk=officer.pk).unit == world.u("ca_pc04")


def test_a_password_set_by_the_administrator_works_and_is_audited(admin_site, world):
    officer = user(world.u("ca_pc04"), username="quenmatkhau")
    url = f"/admin/org/user/{officer.pk}/password/"
    assert admin_site.get(url).status_code == 200
    response = admin_site.post(
        url, {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=officer.pk).check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE).latest("seq")
    assert entry.object_id == str(officer.public_id)
    assert NEW_PASSWORD not in str(entry.changes)
    client = Client()
    response = client.post("/login/", {"username": "quenmatkhau", "password": NEW_PASSWORD})
    assert response.status_code == 302


def test_users_cannot_be_deleted_only_deactivated(admin_site, world):
    officer = user(world.u("ca_pc04"))
    response = admin_site.post(f"/admin/org/user/{officer.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert User.objects.filter(pk=officer.pk).exists()


def test_an_administrator_cannot_change_a_superuser_nor_grant_superuser(admin_site, world):
    root = User.objects.create_superuser(username="root", password=PASSWORD)
    assert admin_site.get(f"/admin/org/user/{root.pk}/password/").status_code == 403
    response = admin_site.post(
        f"/admin/org/user/{root.pk}/change/", {"username": "root", "is_superuser": "on"}
    )
    assert response.status_code == 403
    officer = user(world.u("ca_pc04"))
    url = f"/admin/org/user/{officer.pk}/change/"
    assert 'name="is_superuser"' not in admin_site.get(url).content.decode()
    admin_site.post(url, form_data(admin_site.get(url), is_superuser="on"))
    assert not User.objects.get(pk=officer.pk).is_superuser


def test_the_user_list_filters_by_force_role_and_clearance(admin_site, world):
    user(world.u("bp_post_a"), username="bienphong", clearance=Classification.MAT)

    def listed(query: dict[str, object]) -> set[str]:
        response = admin_site.get("/admin/org/user/", query)
        return {u.username for u in response.context["cl"].result_list}

    bp = world.u("bp_post_a").force
    assert listed({"unit__force__id__exact": bp.pk}) == {"bienphong"}
    assert listed({"clearance__exact": int(Classification.MAT)}) == {"bienphong"}
    admin_role = Role.objects.get(code="administrator")
    assert listed({"roles__id__exact": admin_role.pk}) == {"quantri.cat"}
    assert listed({"q": "bienphong"}) == {"bienphong"}


def test_a_new_administrator_can_open_the_admin(admin_site, world):
    form = add_form(world, roles=[Role.objects.get(code="administrator").pk])
    assert admin_site.post("/admin/org/user/add/", form).status_code == 302
    client = Client()
    login(client, User.objects.get(username="canbo.moi"))
    assert client.get("/admin/").status_code == 200
