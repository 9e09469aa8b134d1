"""The demo province: Hà Tĩnh built by `manage.py load_demo` through the real services."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

from django.test import Client
from django.urls import reverse

from phoihop.audit.models import AuditEntry
from phoihop.core.enums import Classification
from phoihop.org.enums import AreaLevel, RoleCode
from phoihop.org.models import AdministrativeArea, Unit, UnitParentage, User
from phoihop_dev.demo.builder import DEFAULT_PASSWORD
from phoihop_dev.demo.data import DEFAULT
from tests.demo.support import printed_logins, run_load_demo

REFORM = dt.date(2025, 7, 1)


def _province_42() -> AdministrativeArea:
    return AdministrativeArea.objects.get(
        level=AreaLevel.PROVINCE, code="42", valid_until__isnull=True
    )


def test_it_builds_the_province_with_all_three_forces_at_province_level(demo: str) -> None:
    province = _province_42()
    top = Unit.objects.filter(level__code="tinh", province=province, areas=province)
    assert {"CA", "QS", "BP"} <= set(top.values_list("force__code", flat=True))
    assert Unit.objects.get(code="CAT").parent is None
    assert Unit.objects.get(code="BCHQS").parent is None
    assert "Đã nạp kịch bản trình diễn Tỉnh Hà Tĩnh" in demo


def test_it_covers_at_least_twelve_communes_with_units_of_each_force(demo: str) -> None:
    for force, level in (("CA", "xa"), ("QS", "xa"), ("BP", "xa")):
        communes = AdministrativeArea.objects.filter(
            level=AreaLevel.COMMUNE,
            responsible_units__force__code=force,
            responsible_units__level__code=level,
        ).distinct()
        assert communes.count() >= 12, force
        assert all(len(c.code) == 5 and c.code.isdigit() for c in communes)


def test_border_and_coast_communes_have_border_guard_posts(demo: str) -> None:
    posts = Unit.objects.filter(force__code="BP", level__code="xa")
    covered = set(posts.values_list("areas__code", flat=True))
    border = {c.code for c in DEFAULT.communes if c.border}
    coast = {c.code for c in DEFAULT.communes if c.coast}
    assert len(border) >= 5 and border <= covered
    assert len(coast) >= 5 and coast <= covered
    assert posts.filter(name="Đồn Biên phòng Cửa khẩu Quốc tế Cầu Treo").exists()
    assert Unit.objects.filter(force__code="BP", name__startswith="Hải đội Biên phòng").exists()


def test_every_unit_serves_areas_of_province_42_only(demo: str) -> None:
    province = _province_42()
    old_provinces = set(province.predecessors.values_list("pk", flat=True))
    for unit in Unit.objects.prefetch_related("areas"):
        assert unit.province_id == province.pk, unit.code
        assert unit.areas.exists(), unit.code
        for area in unit.areas.all():
            if area.level == AreaLevel.PROVINCE:
                assert area.pk == province.pk, unit.code
            elif area.level == AreaLevel.COMMUNE:
                assert area.parent_id == province.pk, unit.code
            else:  # a legacy district, for units that ended with the districts
                assert area.parent_id in old_provinces and unit.valid_until, unit.code


def test_every_role_and_clearance_is_represented(demo: str) -> None:
    users = User.objects.select_related("unit__level", "unit__force").prefetch_related("roles")
    assert {r.code for u in users for r in u.roles.all()} == set(RoleCode.values)
    assert {u.clearance for u in users} == {
        Classification.THUONG,
        Classification.MAT,
        Classification.TOI_MAT,
    }
    have: set[tuple[str, str, str]] = set()
    for u in users:
        assert u.unit is not None, u.username
        have |= {(u.unit.force.code, u.unit.level.code, r.code) for r in u.roles.all()}
    for force in ("CA", "QS", "BP"):
        for level, role in (
            ("tinh", "commander"),
            ("tinh", "officer"),
            ("tinh", "joint_staff"),
            ("xa", "officer"),
            ("xa", "commander"),
        ):
            assert (force, level, role) in have
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.has_role(RoleCode.ADMINISTRATOR)


def test_a_second_run_changes_nothing_and_says_so(demo: str) -> None:
    def snapshot() -> tuple[int, ...]:
        return (
            Unit.all_objects.count(),
            User.objects.count(),
            UnitParentage.objects.count(),
            AuditEntry.objects.count(),
            Unit.history.count(),
            User.history.count(),
            AdministrativeArea.objects.count(),
        )

    before = snapshot()
    output = run_load_demo()
    assert snapshot() == before
    assert "không thay đổi gì" in output
    assert printed_logins(output) == printed_logins(demo)


def test_the_border_guard_command_keeps_both_placements(demo: str) -> None:
    bp, qs = Unit.objects.get(code="BCHBP"), Unit.objects.get(code="BCHQS")
    placements = list(
        UnitParentage.objects.filter(unit=bp)
        .order_by("pk")
        .values_list("parent", "valid_from", "valid_until")
    )
    assert placements == [(None, None, REFORM - dt.timedelta(days=1)), (qs.pk, REFORM, None)]
    assert bp.parent == qs
    assert bp.name == "Ban Chỉ huy Bộ đội Biên phòng tỉnh Hà Tĩnh"
    names = set(bp.history.values_list("name", flat=True))
    assert "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Hà Tĩnh" in names
    # The posts moved with it.
    assert Unit.objects.get(code="DBP-CTR").is_within(qs)


def test_district_units_ended_with_the_reform_and_their_communes_moved_up(demo: str) -> None:
    police = Unit.objects.get(code="CAH-HSO")
    military = Unit.objects.get(code="BCHQS-HSO")
    assert (police.level.code, police.valid_until) == ("huyen", dt.date(2025, 2, 28))
    assert (military.level.code, military.valid_until) == ("huyen", dt.date(2025, 6, 30))
    district = military.areas.get()
    assert (district.level, district.code, district.name) == (
        AreaLevel.DISTRICT,
        "439",
        "Huyện Hương Sơn",
    )
    assert not police.children.exists() and not military.children.exists()
    commune_police = Unit.objects.get(code="CAX-SK1")
    assert list(
        commune_police.parentages.order_by("pk").values_list("parent__code", "valid_from")
    ) == [("CAH-HSO", None), ("CAT", dt.date(2025, 3, 1))]
    commune_military = Unit.objects.get(code="QSX-SK1")
    assert commune_military.parent.code == "PTKV-1"
    assert commune_military.parent.level.code == "khu_vuc"
    assert commune_military.parentages.filter(parent=military).exists()


def test_thuong_demo_logins_open_the_home_page(demo: str, client: Client) -> None:
    rows = [r for r in printed_logins(demo) if r[2] == "Thường"]
    assert len(rows) >= 15
    for username, password, _clearance in rows:
        client.logout()
        response = client.post(reverse("login"), {"username": username, "password": password})
        assert response.status_code == 302, username
        assert response["Location"] == reverse("home"), username
        home = client.get(reverse("home"))
        assert home.status_code == 200
        unit = User.objects.get(username=username).unit
        assert unit is not None and unit.name in home.content.decode()


def test_mat_and_toi_mat_demo_logins_are_sent_to_the_second_factor(
    demo: str, client: Client
) -> None:
    rows = [r for r in printed_logins(demo) if r[2] != "Thường"]
    assert {clearance for _u, _p, clearance in rows} == {"Mật (*)", "Tối mật (*)"}
    for username, password, _clearance in rows:
        client.logout()
        response = client.post(reverse("login"), {"username": username, "password": password})
        assert response.status_code == 302, username
        assert urlparse(response["Location"]).path == reverse("otp_verify"), username
        assert client.get(reverse("home")).status_code == 302


def test_print_logins_prints_only_the_table(demo: str) -> None:
    before = AuditEntry.objects.count()
    output = run_load_demo("--print-logins")
    assert "Đã nạp" not in output and "không thay đổi" not in output
    assert printed_logins(output) == printed_logins(demo)
    assert all(password == DEFAULT_PASSWORD for _u, password, _c in printed_logins(output))
    assert AuditEntry.objects.count() == before
