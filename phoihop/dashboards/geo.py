"""Province boundaries for the offline map: the 2025 GeoJSON matched to official province codes.

The file (`data/vn-provinces-2025.geojson`, MIT, see the licence next to it) names each province
(`ten_tinh`: "TP Hà Nội", "Khánh Hoà", "TP HCM") and numbers them VN01…VN34, which are not the
official codes. Features are matched by name to the current provinces in `AdministrativeArea`
(loaded from `vietnam-provinces`); a name that matches no province or two is an error, never a
guess.

The raw file is 3,9 MB. For the web it is simplified as one coverage (shapely's
`coverage_simplify`), so two neighbours keep one shared, simplified border instead of two that
drift apart, then rounded to 4 decimals (about 11 m). The result is computed once per process.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape

from phoihop.core.text import fold
from phoihop.org.enums import AreaLevel
from phoihop.org.models import AdministrativeArea

BOUNDARIES_FILE = Path(__file__).resolve().parent / "data" / "vn-provinces-2025.geojson"

# About 220 m: a screen pixel or so when one province fills the map; the 34 provinces come to
# about 0,6 MB of GeoJSON instead of 3,9 MB.
SIMPLIFY_TOLERANCE = 0.002
# Neighbouring provinces in the file meet within a few micro-degrees; snapping to a 1 m grid
# makes their shared borders identical, which coverage simplification needs to keep them shared.
SNAP_GRID = 0.00001
DECIMALS = 4

_PREFIXES = ("thanh pho ", "tinh ", "tp ")
_ALIASES = {"hcm": "ho chi minh"}
_PUNCTUATION = re.compile(r"[^\w\s]")


class BoundaryMatchError(LookupError):
    """A boundary feature that names no current province, or more than one."""


@dataclass(frozen=True)
class Boundary:
    """One province of the file, ready for the web."""

    name: str  # as the file spells it
    geometry: dict[str, Any]  # GeoJSON geometry; coordinates are nested tuples (read-only)
    bbox: tuple[float, float, float, float]  # west, south, east, north of the simplified shape


def province_name_key(name: str) -> str:
    """The key two spellings of one province share: "TP HCM", "Thành phố Hồ Chí Minh" → "ho chi
    minh"; "Khánh Hoà", "Tỉnh Khánh Hòa" → "khanh hoa"."""
    key = " ".join(_PUNCTUATION.sub(" ", fold(name)).split())
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix) :]
            break
    return _ALIASES.get(key, key)


def current_provinces() -> list[AdministrativeArea]:
    return list(
        AdministrativeArea.objects.filter(level=AreaLevel.PROVINCE, valid_until__isnull=True)
    )


def _matches(name: str, provinces: Sequence[AdministrativeArea]) -> list[AdministrativeArea]:
    key = province_name_key(name)
    return [p for p in provinces if province_name_key(p.name) == key]


def _ambiguous(name: str, found: Sequence[AdministrativeArea]) -> BoundaryMatchError:
    names = ", ".join(f"{p.code} {p.name}" for p in found)
    return BoundaryMatchError(
        f"Boundary feature {name!r} matches more than one current province: {names}"
    )


def province_for_name(
    name: str, provinces: Sequence[AdministrativeArea] | None = None
) -> AdministrativeArea:
    """The one current province a boundary name stands for; BoundaryMatchError otherwise."""
    found = _matches(name, current_provinces() if provinces is None else provinces)
    if not found:
        raise BoundaryMatchError(f"Boundary feature {name!r} matches no current province")
    if len(found) > 1:
        raise _ambiguous(name, found)
    return found[0]


def province_code_by_feature() -> dict[str, str]:
    """The official province code of every feature of the file, by the feature's name.

    Every feature must match exactly one current province, and no two features the same one.
    """
    provinces = current_provinces()
    codes: dict[str, str] = {}
    for boundary in _boundaries(BOUNDARIES_FILE):
        codes[boundary.name] = province_for_name(boundary.name, provinces).code
    _check_distinct(codes)
    return codes


def province_geojson(codes: Iterable[str] | None = None) -> dict[str, Any]:
    """A FeatureCollection of the given current provinces (default: every current province),
    with properties `code` (official) and `name` (official), simplified for the web.

    Raises BoundaryMatchError when a wanted province has no boundary, when a feature matches two
    provinces, or when a code is not a current province. Features of provinces that are not in
    the database (a test database with a few provinces) are left out.
    """
    provinces = current_provinces()
    by_code = {p.code: p for p in provinces}
    wanted = list(dict.fromkeys(codes)) if codes is not None else sorted(by_code)
    unknown = [code for code in wanted if code not in by_code]
    if unknown:
        raise BoundaryMatchError(f"Not current province codes: {', '.join(unknown)}")
    matched: dict[str, str] = {}
    unmatched: list[str] = []
    for boundary in _boundaries(BOUNDARIES_FILE):
        found = _matches(boundary.name, provinces)
        if len(found) > 1:
            raise _ambiguous(boundary.name, found)
        if found:
            matched[boundary.name] = found[0].code
        else:
            unmatched.append(boundary.name)
    _check_distinct(matched)
    boundary_by_code = {
        matched[b.name]: b for b in _boundaries(BOUNDARIES_FILE) if b.name in matched
    }
    missing = [code for code in wanted if code not in boundary_by_code]
    if missing:
        raise BoundaryMatchError(
            "No boundary for "
            + ", ".join(f"{code} {by_code[code].name}" for code in missing)
            + "; features that match no province: "
            + (", ".join(repr(name) for name in unmatched) or "none")
        )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "bbox": boundary_by_code[code].bbox,
                "properties": {"code": code, "name": by_code[code].name},
                "geometry": boundary_by_code[code].geometry,
            }
            for code in wanted
        ],
    }


def _check_distinct(codes: dict[str, str]) -> None:
    names_by_code: dict[str, list[str]] = {}
    for name, code in codes.items():
        names_by_code.setdefault(code, []).append(name)
    for code, names in names_by_code.items():
        if len(names) > 1:
            raise BoundaryMatchError(
                f"Boundary features {', '.join(map(repr, names))} all match province {code}"
            )


@functools.cache
def _boundaries(path: Path) -> tuple[Boundary, ...]:
    """The file's provinces, simplified together and rounded; read once per process."""
    with path.open(encoding="utf-8") as handle:
        raw = json.load(handle)
    names = [str(feature["properties"]["ten_tinh"]) for feature in raw["features"]]
    shapes = [
        shapely.set_precision(shape(feature["geometry"]), SNAP_GRID) for feature in raw["features"]
    ]
    simplified = shapely.coverage_simplify(shapes, SIMPLIFY_TOLERANCE)
    boundaries = []
    for name, geom in zip(names, simplified, strict=True):
        geometry = mapping(geom)
        west, south, east, north = (round(v, DECIMALS) for v in geom.bounds)
        boundaries.append(
            Boundary(
                name=name,
                geometry={
                    "type": geometry["type"],
                    "coordinates": _rounded(geometry["coordinates"]),
                },
                bbox=(west, south, east, north),
            )
        )
    return tuple(boundaries)


def _rounded(coordinates: Any) -> Any:
    if isinstance(coordinates[0], float | int):
        return (round(coordinates[0], DECIMALS), round(coordinates[1], DECIMALS))
    return tuple(_rounded(part) for part in coordinates)
