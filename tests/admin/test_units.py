"""Units in the admin: the tree list, creation through unit_create, audited edits, moves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import F

from phoihop.audit.models import AuditAction, AuditEntry
from phoihop.audit.selectors import audit_chain_verify
from phoihop.org.models import Force, Unit, UnitLevel, UnitParentage
from tests.admin.forms import form_data


def change_url(unit: Unit) -> str:
    return f"/admin/org/unit/{unit.pk}/change/"


def test_the_list_is_the_tree_in_path_order_indented_by_depth(admin_site, world):
    response = admin_site.get("/admin/org/unit/")
    listed = list(response.context["cl"].result_list)
    assert [u.path for u in listed] == sorted(u.path for u in listed)
    cat, pc04 = world.u("ca_province"), world.u("ca_pc04")
    assert listed.index(cat) < listed.index(pc04)
    page = response.content.decode()
    assert '<span style="padding-left: 0em">Công an tỉnh Hà Tĩnh</span>' in page
    assert '<span style="padding-left: 1.5em">Công an xã Sơn Kim 1</span>' in page


def test_the_list_filters_by_force_level_and_province_and_searches(admin_site, world):
    def listed(query: dict[str, object]) -> set[str]:
        response = admin_site.get("/admin/org/unit/", query)
        return {u.code for u in response.context["cl"].result_list}

    bp = Force.objects.get(code="BP")
    assert listed({"force__id__exact": bp.pk}) == {"BCHBP", "DBP-SK"}
    xa = UnitLevel.objects.get(code="xa")
    assert "CAT" not in listed({"level__id__exact": xa.pk})
    assert listed({"province__id__exact": world.other_province.pk}) == {"CAT-NA"}
    assert listed({"q": "Sơn Kim"}) == {"CAX-SK1", "BCHQSX-SK1", "DBP-SK"}


def test_areas_are_chosen_by_autocomplete(admin_site, world):
    response = admin_site.get("/admin/org/unit/add/")
    page = response.content.decode()
    assert 'data-ajax--url="/admin/autocomplete/"' in page
    found = admin_site.get(
        "/admin/autocomplete/",
        {"app_label": "org", "model_name": "unit", "field_name": "areas", "term": "thien cam"},
    ).json()
    assert [r["text"] for r in found["results"]] == ["Xã Thiên Cầm"]
    provinces = admin_site.get(
        "/admin/autocomplete/",
        {"app_label": "org", "model_name": "unit", "field_name": "province", "term": "Sơn Kim"},
    ).json()
    assert provinces["results"] == []


def test_adding_a_unit_goes_through_the_service(admin_site, world, administrator):
    qs = world.u("qs_province")
    response = admin_site.post(
        "/admin/org/unit/add/",
        {
            "force": Force.objects.get(code="QS").pk,
            "code": "BCHPTKV-1",
            "name": "  Ban Chỉ huy Phòng thủ khu vực 1  ",
            "short_name": "",
            "level": UnitLevel.objects.get(code="khu_vuc").pk,
            "parent": qs.pk,
            "province": world.province.pk,
            "areas": [world.commune_a.pk],
            "valid_from": "01/07/2025",
            "reason": "Quyết định thành lập Ban CHPTKV",
            "parentages-TOTAL_FORMS": "0",
            "parentages-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    unit = Unit.objects.get(code="BCHPTKV-1")
    assert unit.name == "Ban Chỉ huy Phòng thủ khu vực 1"
    assert unit.path == f"{qs.path}{unit.pk}/"
    assert unit.valid_from == dt.date(2025, 7, 1)
    assert list(unit.areas.all()) == [world.commune_a]
    placement = UnitParentage.objects.get(unit=unit)
    assert (placement.parent, placement.reason) == (qs, "Quyết định thành lập Ban CHPTKV")
    created = AuditEntry.objects.filter(action=AuditAction.CREATE, object_id=str(unit.public_id))
    assert created.count() == 1
    assert created.get().actor_id == administrator.pk
    assert created.get().ip == "127.0.0.1"
    assert audit_chain_verify().ok


def test_a_unit_with_a_taken_code_is_refused_and_nothing_is_saved(admin_site, world):
    before = (Unit.all_objects.count(), AuditEntry.objects.filter(action="create").count())
    response = admin_site.post(
        "/admin/org/unit/add/",
        {
            "force": Force.objects.get(code="CA").pk,
            "code": "PC04",
            "name": "Trùng ký hiệu",
            "level": UnitLevel.objects.get(code="tinh").pk,
            "province": world.province.pk,
            "parentages-TOTAL_FORMS": "0",
            "parentages-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "code" in response.context["adminform"].form.errors
    assert (Unit.all_objects.count(), AuditEntry.objects.filter(action="create").count()) == before


def test_editing_a_unit_is_audited_with_what_changed_and_bumps_its_version(
    admin_site, world, administrator
):
    unit = world.u("ca_pc04")
    form = form_data(admin_site.get(change_url(unit)), short_name="PC04", areas=[world.province.pk])
    response = admin_site.post(change_url(unit), form)
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.short_name == "PC04"
    assert unit.version == 2
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE).latest("seq")
    assert entry.object_id == str(unit.public_id)
    assert entry.actor_id == administrator.pk
    assert entry.changes == {
        "short_name": ["", "PC04"],
        "areas": [[], ["Tỉnh Hà Tĩnh"]],
    }


def test_saving_without_changes_writes_no_audit_entry(admin_site, world):
    unit = world.u("ca_pc04")
    before = AuditEntry.objects.count()
    response = admin_site.post(change_url(unit), form_data(admin_site.get(change_url(unit))))
    assert response.status_code == 302
    assert AuditEntry.objects.count() == before
    unit.refresh_from_db()
    assert unit.version == 1


def test_an_edit_made_meanwhile_by_someone_else_is_not_overwritten(admin_site, world):
    unit = world.u("ca_pc04")
    stale = form_data(admin_site.get(change_url(unit)), name="Tên của người thứ hai")
    first = form_data(admin_site.get(change_url(unit)), name="Tên của người thứ nhất")
    assert admin_site.post(change_url(unit), first).status_code == 302
    response = admin_site.post(change_url(unit), stale)
    assert response.status_code == 200
    assert "Bản ghi đã được người khác sửa" in response.content.decode()
    unit.refresh_from_db()
    assert unit.name == "Tên của người thứ nhất"
    assert unit.version == 2


def test_the_parent_is_read_only_on_the_change_form(admin_site, world):
    unit, qs = world.u("ca_pc04"), world.u("qs_province")
    form = form_data(admin_site.get(change_url(unit)), parent=qs.pk)
    assert admin_site.post(change_url(unit), form).status_code == 302
    unit.refresh_from_db()
    assert unit.parent == world.u("ca_province")
    page = admin_site.get(change_url(unit)).content.decode()
    assert 'name="parent"' not in page
    assert f"/admin/org/unit/{unit.pk}/move/" in page


def test_moving_a_unit_uses_unit_move_and_keeps_the_history(admin_site, world, administrator):
    bp, qs, post = world.u("bp_province"), world.u("qs_province"), world.u("bp_post_a")
    response = admin_site.post(
        f"/admin/org/unit/{bp.pk}/move/",
        {
            "new_parent": qs.pk,
            "effective": "01/07/2025",
            "reason": "Sắp xếp BĐBP tỉnh trực thuộc Bộ CHQS tỉnh",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == change_url(bp)
    bp.refresh_from_db()
    post.refresh_from_db()
    assert bp.parent == qs
    assert post.is_within(qs)
    placements = list(
        UnitParentage.objects.filter(unit=bp)
        .order_by(F("valid_from").asc(nulls_first=True))
        .values_list("parent", "valid_until")
    )
    assert placements == [(None, dt.date(2025, 6, 30)), (qs.pk, None)]
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE).latest("seq")
    assert entry.actor_id == administrator.pk
    assert entry.changes["parent"] == [None, "BCHQS"]
    page = admin_site.get(change_url(bp)).content.decode()
    assert "Sắp xếp BĐBP tỉnh trực thuộc Bộ CHQS tỉnh" in page  # the placement history inline


def test_a_move_into_its_own_subtree_is_refused_on_the_field(admin_site, world):
    cat, pc04 = world.u("ca_province"), world.u("ca_pc04")
    before = (cat.path, UnitParentage.objects.count(), AuditEntry.objects.count())
    response = admin_site.post(
        f"/admin/org/unit/{cat.pk}/move/",
        {"new_parent": pc04.pk, "effective": "01/01/2026", "reason": "thử"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "cây đơn vị" in errors["new_parent"][0] or "chính nó" in errors["new_parent"][0]
    cat.refresh_from_db()
    assert (cat.path, UnitParentage.objects.count(), AuditEntry.objects.count()) == before


def test_a_move_needs_a_reason_and_a_vietnamese_date(admin_site, world):
    bp, qs = world.u("bp_province"), world.u("qs_province")
    response = admin_site.post(
        f"/admin/org/unit/{bp.pk}/move/",
        {"new_parent": qs.pk, "effective": "31/02/2025", "reason": ""},
    )
    errors = response.context["form"].errors
    assert set(errors) == {"effective", "reason"}
    bp.refresh_from_db()
    assert bp.parent is None


def test_a_move_to_the_same_parent_is_refused(admin_site, world):
    pc04 = world.u("ca_pc04")
    response = admin_site.post(
        f"/admin/org/unit/{pc04.pk}/move/",
        {"new_parent": world.u("ca_province").pk, "effective": "01/01/2026", "reason": "thử"},
    )
    assert response.context["form"].errors["new_parent"] == ["Đơn vị đang trực thuộc đơn vị này."]
    assert UnitParentage.objects.filter(unit=pc04).count() == 1


def test_a_change_and_its_audit_entry_are_one_transaction(admin_site, world, monkeypatch):
    import phoihop.core.admin as base

    def audit_unavailable(**kwargs: object) -> None:
        raise RuntimeError("audit log unavailable")

    unit = world.u("ca_pc04")
    versions = unit.history.count()
    form = form_data(admin_site.get(change_url(unit)), name="Không được lưu")
    monkeypatch.setattr(base, "audit_record", audit_unavailable)
    with pytest.raises(RuntimeError):
        admin_site.post(change_url(unit), form)
    with pytest.raises(RuntimeError):
        admin_site.post(f"/admin/org/unit/{world.u('ca_commune_b').pk}/delete/", {"post": "yes"})
    unit.refresh_from_db()
    assert (unit.name, unit.version) == ("Phòng Cảnh sát điều tra tội phạm về ma túy", 1)
    assert unit.history.count() == versions
    assert Unit.objects.filter(pk=world.u("ca_commune_b").pk).exists()


def test_closing_a_unit_uses_unit_close_and_ends_its_placement(admin_site, world, administrator):
    unit = world.u("ca_commune_b")
    assert f"/admin/org/unit/{unit.pk}/close/" in admin_site.get(change_url(unit)).content.decode()
    response = admin_site.post(
        f"/admin/org/unit/{unit.pk}/close/",
        {"until": "28/02/2025", "reason": "Kết thúc hoạt động Công an cấp huyện"},
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.valid_until == dt.date(2025, 2, 28)
    assert not UnitParentage.objects.filter(unit=unit, valid_until__isnull=True).exists()
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE).latest("seq")
    assert (entry.actor_id, entry.changes["valid_until"]) == (administrator.pk, "2025-02-28")
    # Closed: the form is no longer offered, and the end date is read-only on the change form.
    assert admin_site.get(f"/admin/org/unit/{unit.pk}/close/").status_code == 403
    assert 'name="valid_until"' not in admin_site.get(change_url(unit)).content.decode()


def test_closing_a_unit_needs_a_reason_and_nothing_is_saved_without_one(admin_site, world):
    unit = world.u("ca_commune_b")
    before = AuditEntry.objects.count()
    response = admin_site.post(
        f"/admin/org/unit/{unit.pk}/close/", {"until": "28/02/2025", "reason": "  "}
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    unit.refresh_from_db()
    assert unit.valid_until is None
    assert AuditEntry.objects.count() == before
