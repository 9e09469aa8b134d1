"""Areas through time: the pre-2025 communes with their dates and successors, lookups by the
record's date, picker labels that never read the same, and the place of a record checked once.

Expected values are re-derived from the `vietnam-provinces` package itself, never typed in."""

from __future__ import annotations

import datetime as dt

import pytest
from vietnam_provinces import Province, ProvinceCode, Ward
from vietnam_provinces.legacy import District as LegacyDistrict
from vietnam_provinces.legacy import Ward as LegacyWard

from phoihop.core.errors import DomainError
from phoihop.org.areas import LEGACY_UNTIL, load_areas
from phoihop.org.enums import AreaLevel
from phoihop.org.models import AdministrativeArea
from phoihop.org.refs import (
    area_by_code,
    area_by_code_or_error,
    area_label,
    check_commune_in,
    check_place,
    commune_by_code,
    province_communes,
)
from tests.factories import unit, user

BEFORE = dt.date(2023, 8, 1)
AFTER = dt.date(2026, 1, 5)


def _legacy_sources(new_province: int) -> set[int]:
    return {
        p.code.value for p in Province.from_code(ProvinceCode(new_province)).get_legacy_sources()
    }


def _legacy_wards(old_provinces: set[int]) -> dict[str, LegacyWard]:
    districts = {
        d.code.value for d in LegacyDistrict.iter_all() if d.province_code.value in old_provinces
    }
    return {
        f"{w.code.value:05d}": w
        for w in LegacyWard.iter_all()
        if w.district_code.value in districts
    }


def _new_wards(new_province: int) -> dict[str, Ward]:
    code = Province.from_code(ProvinceCode(new_province)).code
    return {f"{w.code.value:05d}": w for w in Ward.iter_by_province(code)}


def _old(level: str, code: str) -> AdministrativeArea:
    return AdministrativeArea.objects.get(level=level, code=code, valid_until=LEGACY_UNTIL)


def _new(level: str, code: str) -> AdministrativeArea:
    return AdministrativeArea.objects.get(level=level, code=code, valid_until__isnull=True)


@pytest.fixture
def da_nang(db: None) -> AdministrativeArea:
    """Đà Nẵng (48) since 1/7/2025: the old Đà Nẵng (48) and Quảng Nam (49)."""
    load_areas(provinces=["48"])
    return _new(AreaLevel.PROVINCE, "48")


def test_a_province_brings_the_old_communes_of_the_provinces_it_was_formed_from(da_nang):
    old_provinces = _legacy_sources(48)
    assert old_provinces == {48, 49}
    expected = _legacy_wards(old_provinces)
    loaded = AdministrativeArea.objects.filter(level=AreaLevel.COMMUNE, valid_until=LEGACY_UNTIL)
    assert {a.code: a.name for a in loaded} == {code: w.name for code, w in expected.items()}
    for area in loaded.select_related("parent__parent"):
        ward = expected[area.code]
        district = area.parent
        assert area.valid_from is None and district is not None and district.parent is not None
        assert district.level == AreaLevel.DISTRICT
        assert district.code == f"{ward.district_code.value:03d}"
        assert district.parent.code in {"48", "49"}
        assert district.parent.valid_until == LEGACY_UNTIL
    # No other province's old communes came with it.
    assert not AdministrativeArea.objects.filter(
        level=AreaLevel.COMMUNE, valid_until__isnull=False
    ).exclude(parent__parent__code__in=["48", "49"])


def test_each_old_commune_points_at_the_2025_communes_formed_from_it(da_nang):
    expected: set[tuple[str, str]] = set()
    for code, ward in _new_wards(48).items():
        expected |= {(f"{old.code.value:05d}", code) for old in ward.get_legacy_sources()}
    links = set(
        AdministrativeArea.successors.through.objects.filter(
            from_administrativearea__level=AreaLevel.COMMUNE
        ).values_list("from_administrativearea__code", "to_administrativearea__code")
    )
    assert links == expected and links


def test_loading_again_or_another_province_changes_nothing_already_there(da_nang):
    before = AdministrativeArea.objects.count()
    links = AdministrativeArea.successors.through.objects.count()
    again = load_areas(provinces=["48"])
    assert (again.created, again.updated) == (0, 0)
    assert AdministrativeArea.objects.count() == before
    assert AdministrativeArea.successors.through.objects.count() == links
    other = load_areas(provinces=["46"])  # Huế: formed from Thừa Thiên Huế alone
    assert other.updated == 0
    assert other.created == AdministrativeArea.objects.count() - before


def _shared_code() -> str:
    """A commune code that names a 2025 commune of Đà Nẵng and an old commune of 48/49."""
    shared = sorted(set(_new_wards(48)) & set(_legacy_wards({48, 49})))
    assert shared
    return shared[0]


def test_a_code_names_the_commune_in_force_on_the_records_date(da_nang):
    code = _shared_code()
    old = commune_by_code(code, on=BEFORE)
    new = commune_by_code(code, on=AFTER)
    assert old.valid_until == LEGACY_UNTIL and old.name == _legacy_wards({48, 49})[code].name
    assert new.valid_until is None and new.name == _new_wards(48)[code].name
    assert commune_by_code(code) == new  # without a date: the current one
    assert area_by_code(code, on=BEFORE) == old and area_by_code(code, on=AFTER) == new
    assert area_by_code("49", on=BEFORE) == _old(AreaLevel.PROVINCE, "49")
    assert area_by_code("49", on=AFTER) is None


def test_a_code_whose_areas_had_ended_that_day_is_refused_naming_the_field(da_nang):
    only_old = sorted(set(_legacy_wards({49})) - set(_new_wards(48)))[0]
    with pytest.raises(DomainError) as late:
        commune_by_code(only_old, on=AFTER, field="commune")
    assert late.value.code == "area_not_in_force"
    message = late.value.fields["commune"][0]
    assert "đến 30/06/2025" in message and "05/01/2026" in message
    # A code that no old commune had names the 2025 commune for an earlier day too.
    only_new = sorted(set(_new_wards(48)) - set(_legacy_wards({48, 49})))[0]
    assert commune_by_code(only_new, on=BEFORE) == _new(AreaLevel.COMMUNE, only_new)
    with pytest.raises(DomainError) as province:
        area_by_code_or_error("49", field="area", on=AFTER)
    assert "Tỉnh Quảng Nam (đến 30/06/2025)" in province.value.fields["area"][0]


def test_labels_tell_apart_areas_of_the_same_name(db):
    load_areas(provinces=["42"])  # Hà Tĩnh kept its code and its name through the reform
    old, new = _old(AreaLevel.PROVINCE, "42"), _new(AreaLevel.PROVINCE, "42")
    assert old.name == new.name
    assert area_label(new) == new.name
    assert area_label(old) == f"{old.name} (đến 30/06/2025)"
    commune = AdministrativeArea.objects.filter(
        level=AreaLevel.COMMUNE, valid_until=LEGACY_UNTIL
    ).first()
    assert commune is not None and commune.parent is not None
    assert area_label(commune) == f"{commune.name}, {commune.parent.name} (đến 30/06/2025)"


def test_a_unit_on_an_old_province_names_its_old_communes_and_its_successors(da_nang):
    quang_nam = _old(AreaLevel.PROVINCE, "49")
    in_quang_nam = AdministrativeArea.objects.filter(parent__parent=quang_nam).first()
    in_old_da_nang = AdministrativeArea.objects.filter(
        parent__parent=_old(AreaLevel.PROVINCE, "48")
    ).first()
    current = AdministrativeArea.objects.filter(parent=da_nang).first()
    assert in_quang_nam and in_old_da_nang and current
    check_commune_in(in_quang_nam, quang_nam, on=BEFORE)
    check_commune_in(current, quang_nam, on=AFTER)
    check_commune_in(in_quang_nam, da_nang, on=BEFORE)
    with pytest.raises(DomainError) as outside:
        check_commune_in(in_old_da_nang, quang_nam, field="commune")
    assert outside.value.code == "commune_outside_province"
    assert "(đến 30/06/2025)" in outside.value.fields["commune"][0]
    with pytest.raises(DomainError) as ended:
        check_commune_in(in_quang_nam, quang_nam, on=AFTER, field="commune")
    assert ended.value.code == "area_not_in_force"


def test_the_commune_picker_offers_the_communes_in_force_on_the_date(da_nang):
    officer = user(unit("CA", "CAT-DN", "Công an thành phố Đà Nẵng", prov=da_nang))
    current = set(province_communes(officer))
    assert current == set(da_nang.children.filter(level=AreaLevel.COMMUNE))
    then = list(province_communes(officer, on=BEFORE))
    assert {a.code for a in then} == set(_legacy_wards({48, 49}))
    everything = list(province_communes(officer, past=True))
    assert len(everything) == len(current) + len(then)
    labels = [area_label(a) for a in everything]
    assert len(set(labels)) == len(labels)


def _spanning(province_code: str, old: set[int]) -> tuple[AdministrativeArea, AdministrativeArea]:
    """A 2025 commune formed within one old province, from the package (and one that is not,
    if any)."""
    within = None
    for code, ward in sorted(_new_wards(int(province_code)).items()):
        sources = {
            LegacyDistrict.from_code(w.district_code).province_code.value
            for w in ward.get_legacy_sources()
        }
        if len(sources) == 1 and sources <= old:
            within = _new(AreaLevel.COMMUNE, code)
            break
    assert within is not None
    return within, _new(AreaLevel.PROVINCE, province_code)


def test_a_place_no_report_would_count_is_refused_naming_the_field(da_nang):
    within, _province = _spanning("48", {48, 49})
    old_commune = AdministrativeArea.objects.filter(parent__parent__code="49").first()
    assert old_commune is not None
    # Before 1/7/2025 Đà Nẵng was two provinces: a record of then without a commune would be in
    # neither's report.
    with pytest.raises(DomainError) as refused:
        check_place(province=da_nang, commune=None, on=BEFORE, field="commune")
    assert refused.value.code == "place_not_countable"
    message = refused.value.fields["commune"][0]
    assert "Tỉnh Quảng Nam (đến 30/06/2025)" in message and "01/07/2025" in message
    # With a commune lying in one old province, or after the reform, it counts.
    check_place(province=da_nang, commune=old_commune, on=BEFORE)
    check_place(province=da_nang, commune=within, on=BEFORE)
    check_place(province=da_nang, commune=None, on=AFTER)
    # A unit still placed on the old province: counted in the old province, then in Đà Nẵng.
    quang_nam = _old(AreaLevel.PROVINCE, "49")
    check_place(province=quang_nam, commune=None, on=BEFORE)
    check_place(province=quang_nam, commune=None, on=AFTER)
    with pytest.raises(DomainError) as ended:
        check_place(province=quang_nam, commune=old_commune, on=AFTER, field="commune")
    assert ended.value.code == "area_not_in_force"


def test_a_province_that_was_one_old_province_needs_no_commune(db):
    load_areas(provinces=["42"])
    check_place(province=_new(AreaLevel.PROVINCE, "42"), commune=None, on=BEFORE)
