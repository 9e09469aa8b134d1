"""Record history (django-simple-history): view it, revert to an earlier version, audited."""

from __future__ import annotations

from phoihop.audit.models import AuditAction, AuditEntry
from phoihop.audit.selectors import audit_chain_verify
from phoihop.org.models import Force, Unit, User
from tests.admin.forms import form_data
from tests.factories import user

ORIGINAL = "Phòng Cảnh sát điều tra tội phạm về ma túy"


def rename(client, unit: Unit, name: str) -> None:  # type: ignore[no-untyped-def]
    url = f"/admin/org/unit/{unit.pk}/change/"
    response = client.post(url, form_data(client.get(url), name=name))
    assert response.status_code == 302


def test_reverting_a_unit_to_its_first_version_restores_the_name_and_is_audited(
    admin_site, world, administrator
):
    unit = world.u("ca_pc04")
    rename(admin_site, unit, "Phòng PC04 (tên tạm)")
    rename(admin_site, unit, "Phòng PC04 (tên thứ hai)")

    history = admin_site.get(f"/admin/org/unit/{unit.pk}/history/")
    assert history.status_code == 200
    page = history.content.decode()
    assert "Phòng PC04 (tên thứ hai)" in page
    first = unit.history.earliest("history_date")
    revert_url = f"/admin/org/unit/{unit.pk}/history/{first.history_id}/"
    assert revert_url in page

    form = admin_site.get(revert_url)
    assert form.status_code == 200
    assert form.context["adminform"].form.initial["name"] == ORIGINAL
    response = admin_site.post(revert_url, form_data(form))
    assert response.status_code == 302

    unit.refresh_from_db()
    assert unit.name == ORIGINAL
    assert unit.version == 4
    assert unit.path == world.u("ca_pc04").path  # not in the history: kept as stored
    assert unit.parent == world.u("ca_province")
    entry = AuditEntry.objects.filter(action=AuditAction.RESTORE).get()
    assert entry.actor_id == administrator.pk
    assert entry.object_id == str(unit.public_id)
    assert entry.changes["name"] == ["Phòng PC04 (tên thứ hai)", ORIGINAL]
    assert entry.changes["restored_from_history_id"] == str(first.history_id)
    latest = unit.history.latest("history_date")
    assert latest.name == ORIGINAL
    assert latest.history_user == administrator
    assert audit_chain_verify().ok


def test_a_revert_made_stale_by_a_later_edit_is_refused(admin_site, world):
    unit = world.u("ca_pc04")
    rename(admin_site, unit, "Tên thứ hai")
    first = unit.history.earliest("history_date")
    revert_url = f"/admin/org/unit/{unit.pk}/history/{first.history_id}/"
    form = form_data(admin_site.get(revert_url))
    rename(admin_site, unit, "Tên thứ ba")
    response = admin_site.post(revert_url, form)
    assert response.status_code == 200
    unit.refresh_from_db()
    assert unit.name == "Tên thứ ba"
    assert not AuditEntry.objects.filter(action=AuditAction.RESTORE).exists()


def test_reverting_a_user_keeps_their_password(admin_site, world):
    officer = user(world.u("ca_pc04"), username="doiten")
    url = f"/admin/org/user/{officer.pk}/change/"
    admin_site.post(url, form_data(admin_site.get(url), full_name="Tên mới"))
    first = officer.history.earliest("history_date")
    revert_url = f"/admin/org/user/{officer.pk}/history/{first.history_id}/"
    response = admin_site.post(revert_url, form_data(admin_site.get(revert_url)))
    assert response.status_code == 302
    officer = User.objects.get(pk=officer.pk)
    assert officer.full_name == "Cán bộ doiten"
    from tests.factories import PASSWORD

    assert officer.check_password(PASSWORD)
    assert AuditEntry.objects.filter(
        action=AuditAction.RESTORE, object_id=str(officer.public_id)
    ).exists()


def test_force_history_shows_what_changed_and_who_changed_it(admin_site, administrator):
    force = Force.objects.get(code="BP")
    url = f"/admin/org/force/{force.pk}/change/"
    for short_name in ("BĐBP", "Biên phòng tỉnh"):
        admin_site.post(url, form_data(admin_site.get(url), short_name=short_name))
    page = admin_site.get(f"/admin/org/force/{force.pk}/history/").content.decode()
    assert "BĐBP" in page
    assert "Biên phòng tỉnh" in page
    assert str(administrator) in page
