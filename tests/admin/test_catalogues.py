"""Administrative areas (loaded, read-only), forces and unit levels in the admin."""

from __future__ import annotations

import datetime as dt

from phoihop.audit.models import AuditAction, AuditEntry
from phoihop.org.enums import AreaKind, AreaLevel
from phoihop.org.models import AdministrativeArea, Force, UnitLevel


def legacy_district(world) -> AdministrativeArea:  # type: ignore[no-untyped-def]
    return AdministrativeArea.objects.create(
        code="436",
        name="Huyện Hương Sơn",
        kind=AreaKind.HUYEN,
        level=AreaLevel.DISTRICT,
        parent=world.province,
        valid_from=dt.date(1991, 8, 12),
        valid_until=dt.date(2025, 6, 30),
    )


def listed(client, query: dict[str, object]) -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get("/admin/org/administrativearea/", query)
    assert response.status_code == 200
    return [a.name for a in response.context["cl"].result_list]


def test_areas_are_listed_with_their_validity_dates_in_vietnamese(admin_site, world):
    legacy_district(world)
    page = admin_site.get("/admin/org/administrativearea/").content.decode()
    assert "Huyện Hương Sơn" in page
    assert "12/08/1991" in page
    assert "30/06/2025" in page
    assert "01/07/2025" in page


def test_areas_filter_by_level_kind_and_validity(admin_site, world):
    legacy_district(world)
    assert listed(admin_site, {"level__exact": AreaLevel.DISTRICT}) == ["Huyện Hương Sơn"]
    assert listed(admin_site, {"kind__exact": AreaKind.TINH}) == ["Tỉnh Nghệ An", "Tỉnh Hà Tĩnh"]
    assert listed(admin_site, {"current": "no"}) == ["Huyện Hương Sơn"]
    assert "Huyện Hương Sơn" not in listed(admin_site, {"current": "yes"})


def test_area_search_ignores_diacritics_and_matches_codes(admin_site, world):
    assert listed(admin_site, {"q": "thien cam"}) == ["Xã Thiên Cầm"]
    assert listed(admin_site, {"q": "Thiên Cầm"}) == ["Xã Thiên Cầm"]
    assert listed(admin_site, {"q": world.commune_a.code}) == ["Xã Sơn Kim 1"]


def test_areas_cannot_be_added_changed_or_deleted(admin_site, world):
    area = world.commune_a
    assert admin_site.get("/admin/org/administrativearea/add/").status_code == 403
    response = admin_site.post(
        f"/admin/org/administrativearea/{area.pk}/change/", {"name": "Đổi tên", "code": "1"}
    )
    assert response.status_code == 403
    assert (
        admin_site.post(
            f"/admin/org/administrativearea/{area.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    area.refresh_from_db()
    assert area.name == "Xã Sơn Kim 1"


def test_a_partner_agency_is_added_as_a_force_and_audited(admin_site, administrator):
    response = admin_site.post(
        "/admin/org/force/add/",
        {
            "code": "KL",
            "name": "Kiểm lâm",
            "short_name": "Kiểm lâm",
            "is_partner": "on",
            "order": 4,
        },
    )
    assert response.status_code == 302
    force = Force.objects.get(code="KL")
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_id=str(force.public_id))
    assert entry.actor_id == administrator.pk
    assert entry.changes["name"] == "Kiểm lâm"
    assert force.history.count() == 1


def test_a_force_with_a_taken_code_is_refused_and_nothing_is_saved(admin_site):
    before = AuditEntry.objects.count()
    response = admin_site.post(
        "/admin/org/force/add/", {"code": "CA", "name": "Trùng", "short_name": "x", "order": 9}
    )
    assert response.status_code == 200
    assert "code" in response.context["adminform"].form.errors
    assert Force.all_objects.filter(code="CA").count() == 1
    assert AuditEntry.objects.count() == before


def test_a_unit_level_change_is_audited(admin_site):
    level = UnitLevel.objects.get(code="khu_vuc")
    url = f"/admin/org/unitlevel/{level.pk}/change/"
    response = admin_site.post(
        url, {"code": "khu_vuc", "name": "Cấp khu vực (Ban CHPTKV)", "rank": 2}
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE).latest("seq")
    assert entry.changes == {"name": ["Cấp khu vực", "Cấp khu vực (Ban CHPTKV)"]}


def test_roles_are_listed_but_not_editable(admin_site):
    page = admin_site.get("/admin/org/role/").content.decode()
    assert "Quản trị viên" in page
    assert admin_site.get("/admin/org/role/add/").status_code == 403
