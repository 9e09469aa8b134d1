"""Province boundaries: matched to official codes by name, lightened for the web."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from phoihop.dashboards.geo import (
    BOUNDARIES_FILE,
    BoundaryMatchError,
    province_code_by_feature,
    province_for_name,
    province_geojson,
)
from phoihop.org.areas import load_areas
from phoihop.org.enums import AreaLevel
from phoihop.org.models import AdministrativeArea
from tests import factories


@pytest.fixture
def provinces(db: Any) -> None:
    load_areas(legacy=False)


def _raw() -> dict[str, Any]:
    return json.loads(BOUNDARIES_FILE.read_text(encoding="utf-8"))


def _points(coordinates: Any) -> Iterator[tuple[float, float]]:
    if isinstance(coordinates[0], int | float):
        yield (coordinates[0], coordinates[1])
        return
    for part in coordinates:
        yield from _points(part)


def _bbox(geometry: dict[str, Any]) -> tuple[float, float, float, float]:
    xs, ys = zip(*_points(geometry["coordinates"]), strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def _rings(geometry: dict[str, Any]) -> list[Any]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    assert geometry["type"] == "MultiPolygon"
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def test_every_feature_matches_a_distinct_current_province(provinces: None) -> None:
    codes = province_code_by_feature()

    assert len(codes) == 34
    assert len(set(codes.values())) == 34
    current = AdministrativeArea.objects.filter(level=AreaLevel.PROVINCE, valid_until=None)
    assert set(codes.values()) == set(current.values_list("code", flat=True))


def test_ha_tinh_is_province_42(provinces: None) -> None:
    assert province_code_by_feature()["Hà Tĩnh"] == "42"


def test_provinces_that_ended_in_2025_do_not_match(db: Any) -> None:
    # The pre-2025 Hà Tĩnh (42) and Quảng Bình, now part of Quảng Trị, are loaded too.
    load_areas(provinces=["42", "44"], legacy=True)

    assert province_for_name("Hà Tĩnh").valid_until is None
    with pytest.raises(BoundaryMatchError, match="Quảng Bình"):
        province_for_name("Quảng Bình")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Khánh Hoà", "56"),
        ("Khánh Hòa", "56"),
        ("Tỉnh Khánh Hòa", "56"),
        ("Thanh Hoá", "38"),
        ("TP HCM", "79"),
        ("Thành phố Hồ Chí Minh", "79"),
        ("TP Hà Nội", "01"),
        ("TP. Đà Nẵng", "48"),
    ],
)
def test_spellings_of_one_province_resolve_alike(provinces: None, name: str, code: str) -> None:
    assert province_for_name(name).code == code


def test_an_unknown_name_is_refused_with_the_name(provinces: None) -> None:
    with pytest.raises(BoundaryMatchError, match="Tỉnh Không Có"):
        province_for_name("Tỉnh Không Có")


def test_a_name_matching_two_provinces_is_refused_with_the_name(db: Any) -> None:
    factories.province("42", "Tỉnh Hà Tĩnh")
    factories.province("99", "Thành phố Hà Tĩnh")

    with pytest.raises(BoundaryMatchError, match="Hà Tĩnh"):
        province_for_name("Hà Tĩnh")


def test_all_features_must_match_when_codes_are_listed_by_feature(db: Any) -> None:
    factories.province("42", "Tỉnh Hà Tĩnh")

    with pytest.raises(BoundaryMatchError, match="An Giang"):
        province_code_by_feature()


def test_the_collection_carries_official_codes_and_names(provinces: None) -> None:
    collection = province_geojson(["42"])

    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    assert feature["properties"] == {"code": "42", "name": "Tỉnh Hà Tĩnh"}


def test_without_codes_every_current_province_is_drawn(provinces: None) -> None:
    codes = [f["properties"]["code"] for f in province_geojson()["features"]]

    assert len(codes) == 34
    assert len(set(codes)) == 34


def test_a_database_with_one_province_gets_that_province(db: Any) -> None:
    factories.province("42", "Tỉnh Hà Tĩnh")

    [feature] = province_geojson()["features"]

    assert feature["properties"]["code"] == "42"


def test_a_code_that_is_not_a_current_province_is_refused(provinces: None) -> None:
    with pytest.raises(BoundaryMatchError, match="99"):
        province_geojson(["42", "99"])


def test_a_province_without_a_boundary_is_refused_with_its_name(db: Any) -> None:
    factories.province("42", "Tỉnh Hà Tĩnh")
    factories.province("77", "Tỉnh Bà Rịa - Vũng Tàu")

    with pytest.raises(BoundaryMatchError, match="Bà Rịa - Vũng Tàu"):
        province_geojson()


def test_the_simplified_collection_is_valid_geojson(provinces: None) -> None:
    # Round-trip through JSON: what the browser receives.
    collection = json.loads(json.dumps(province_geojson()))

    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        rings = _rings(feature["geometry"])
        assert rings
        for ring in rings:
            assert len(ring) >= 4
            assert ring[0] == ring[-1]
            assert all(len(point) == 2 for point in ring)


def test_the_simplified_collection_is_much_smaller_than_the_file(provinces: None) -> None:
    size = len(json.dumps(province_geojson(), separators=(",", ":")).encode())

    assert size < BOUNDARIES_FILE.stat().st_size / 4
    assert size < 1_000_000


def test_coordinates_are_rounded_to_four_decimals(provinces: None) -> None:
    [feature] = province_geojson(["42"])["features"]

    for x, y in _points(feature["geometry"]["coordinates"]):
        assert round(x, 4) == x
        assert round(y, 4) == y


def test_every_province_keeps_its_extent(provinces: None) -> None:
    raw = {f["properties"]["ten_tinh"]: _bbox(f["geometry"]) for f in _raw()["features"]}
    name_by_code = {code: name for name, code in province_code_by_feature().items()}

    for feature in province_geojson()["features"]:
        before = raw[name_by_code[feature["properties"]["code"]]]
        after = _bbox(feature["geometry"])
        assert all(abs(a - b) <= 0.01 for a, b in zip(before, after, strict=True))
        assert feature["bbox"] == pytest.approx(after)
