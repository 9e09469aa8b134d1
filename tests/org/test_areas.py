import datetime as dt

from phoihop.org.areas import load_areas
from phoihop.org.enums import AreaLevel
from phoihop.org.models import AdministrativeArea


def test_loading_a_province_gives_its_2025_communes_and_the_legacy_areas_it_came_from(db):
    first = load_areas(provinces=["42"])
    province = AdministrativeArea.objects.get(
        level=AreaLevel.PROVINCE, code="42", valid_until__isnull=True
    )
    assert province.name == "Tỉnh Hà Tĩnh"
    assert province.valid_from == dt.date(2025, 7, 1)
    communes = province.children.filter(level=AreaLevel.COMMUNE)
    assert communes.count() == 69
    assert set(communes.values_list("kind", flat=True)) == {"xa", "phuong"}
    assert communes.get(code="18196").name == "Xã Sơn Kim 1"
    legacy = AdministrativeArea.objects.get(
        level=AreaLevel.PROVINCE, code="42", valid_until__isnull=False
    )
    assert legacy.valid_until == dt.date(2025, 6, 30)
    assert list(legacy.successors.all()) == [province]
    districts = legacy.children.filter(level=AreaLevel.DISTRICT)
    assert districts.filter(name="Huyện Hương Sơn").exists()
    assert all(d.valid_until == dt.date(2025, 6, 30) for d in districts)
    assert first.created == AdministrativeArea.objects.count()

    again = load_areas(provinces=["42"])
    assert (again.created, again.updated) == (0, 0)


def test_a_merged_province_lists_all_its_predecessors(db):
    load_areas(provinces=["44"])  # Quảng Trị absorbed Quảng Bình on 1/7/2025
    quang_tri = AdministrativeArea.objects.get(
        level=AreaLevel.PROVINCE, code="44", valid_until__isnull=True
    )
    assert sorted(quang_tri.predecessors.values_list("name", flat=True)) == [
        "Tỉnh Quảng Bình",
        "Tỉnh Quảng Trị",
    ]


def test_search_key_ignores_diacritics(db):
    load_areas(provinces=["42"], legacy=False)
    assert AdministrativeArea.objects.filter(name_folded__contains="son kim").count() == 2
