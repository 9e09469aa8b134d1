"""Deleting a unit or a force in the admin is soft: the row stays, audited, and can come back."""

from __future__ import annotations

from phoihop.audit.models import AuditAction, AuditEntry
from phoihop.audit.selectors import audit_chain_verify
from phoihop.org.models import Force, Unit, UnitLevel
from tests.factories import user


def test_deleting_a_unit_keeps_the_row_with_deleted_at_and_audits_it(
    admin_site, world, administrator
):
    unit = world.u("ca_commune_b")
    confirm = admin_site.get(f"/admin/org/unit/{unit.pk}/delete/")
    assert confirm.status_code == 200
    assert not confirm.context["protected"]
    response = admin_site.post(f"/admin/org/unit/{unit.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    stored = Unit.all_objects.get(pk=unit.pk)
    assert stored.deleted_at is not None
    assert stored.version == unit.version + 1
    assert not Unit.objects.filter(pk=unit.pk).exists()
    assert stored.parentages.count() == 1  # nothing cascaded
    entry = AuditEntry.objects.get(action=AuditAction.DELETE)
    assert (entry.object_id, entry.actor_id) == (str(unit.public_id), administrator.pk)
    assert audit_chain_verify().ok


def test_deleted_units_leave_the_list_but_can_be_shown_and_restored(admin_site, world):
    unit = world.u("ca_commune_b")
    admin_site.post(f"/admin/org/unit/{unit.pk}/delete/", {"post": "yes"})
    listed = admin_site.get("/admin/org/unit/").context["cl"].result_list
    assert unit not in list(listed)
    deleted = admin_site.get("/admin/org/unit/?deleted=yes")
    assert [u.pk for u in deleted.context["cl"].result_list] == [unit.pk]
    assert "(đã xóa)" in deleted.content.decode()
    # A deleted unit is read-only until restored.
    view = admin_site.get(f"/admin/org/unit/{unit.pk}/change/")
    assert view.status_code == 200
    assert 'name="_save"' not in view.content.decode()

    response = admin_site.post(
        "/admin/org/unit/?deleted=yes",
        {"action": "restore_deleted", "_selected_action": [unit.pk]},
    )
    assert response.status_code == 302
    assert Unit.objects.get(pk=unit.pk).deleted_at is None
    entry = AuditEntry.objects.filter(action=AuditAction.RESTORE).get()
    assert entry.object_id == str(unit.public_id)


def test_a_unit_with_live_subunits_or_users_cannot_be_deleted(admin_site, world):
    cat = world.u("ca_province")
    pc04 = world.u("ca_pc04")
    user(pc04, username="canbo.pc04")
    before = AuditEntry.objects.count()
    for unit in (cat, pc04):
        confirm = admin_site.get(f"/admin/org/unit/{unit.pk}/delete/")
        assert confirm.context["protected"], unit
        admin_site.post(f"/admin/org/unit/{unit.pk}/delete/", {"post": "yes"})
        assert Unit.objects.filter(pk=unit.pk).exists()
    page = admin_site.get(f"/admin/org/unit/{pc04.pk}/delete/").content.decode()
    assert "tài khoản người dùng đang hoạt động" in page
    assert AuditEntry.objects.count() == before


def test_deleting_several_units_at_once_is_soft_too(admin_site, world):
    targets = [world.u("ca_commune_b"), world.u("bp_post_a")]
    response = admin_site.post(
        "/admin/org/unit/",
        {"action": "delete_selected", "_selected_action": [u.pk for u in targets], "post": "yes"},
    )
    assert response.status_code == 302
    assert (
        Unit.all_objects.filter(pk__in=[u.pk for u in targets], deleted_at__isnull=False).count()
        == 2
    )
    assert AuditEntry.objects.filter(action=AuditAction.DELETE).count() == 2


def test_deleting_a_force_is_soft_and_refused_while_it_has_units(admin_site, world):
    partner = Force.objects.create(code="HQ", name="Hải quan", short_name="Hải quan")
    busy = Force.objects.get(code="CA")
    assert admin_site.get(f"/admin/org/force/{busy.pk}/delete/").context["protected"]
    admin_site.post(f"/admin/org/force/{busy.pk}/delete/", {"post": "yes"})
    assert Force.objects.filter(pk=busy.pk).exists()

    assert (
        admin_site.post(f"/admin/org/force/{partner.pk}/delete/", {"post": "yes"}).status_code
        == 302
    )
    assert Force.all_objects.get(pk=partner.pk).deleted_at is not None
    assert AuditEntry.objects.filter(
        action=AuditAction.DELETE, object_id=str(partner.public_id)
    ).exists()


def test_a_unit_level_is_a_plain_record_deleted_for_real_when_unused(admin_site, world):
    level = UnitLevel.objects.create(code="doi", name="Cấp đội", rank=4)
    assert (
        admin_site.post(f"/admin/org/unitlevel/{level.pk}/delete/", {"post": "yes"}).status_code
        == 302
    )
    assert not UnitLevel.objects.filter(pk=level.pk).exists()
    entry = AuditEntry.objects.get(action=AuditAction.DELETE)
    assert entry.object_repr == "Cấp đội"
    assert entry.changes["code"] == "doi"
