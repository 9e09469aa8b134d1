"""Loading administrative areas from the maintained `vietnam-provinces` package.

2025 generation (in force since 1/7/2025): 34 provinces, 3.321 communes (xã, phường, đặc khu).
Legacy generation (ended 30/6/2025): the 63 old provinces, their 696 districts and their
10.051 communes (xã, phường, thị trấn), so that historic records can name them. Each legacy
area carries `valid_until` 30/6/2025 and no `valid_from` (the package holds the divisions as
they stood on the eve of the reform, not the earlier mergers); an old commune's parent is its
district, whose parent is its old province. Successors, from the package's conversion tables:
an old province points at the 2025 province(s) formed from it, an old commune at the 2025
commune(s) it became part of (a commune split between several keeps them all).

Loading is per 2025 province: a province brings its communes, the old provinces it was formed
from with their districts and communes, and the successor links whose two ends are loaded (a
link to a province loaded later is made when that one is). It is idempotent: a second run
changes nothing. Rows are written in bulk so that loading one province stays cheap (tests
load areas per province).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from vietnam_provinces import Province, ProvinceCode, VietNamDivisionType, Ward, WardCode
from vietnam_provinces.legacy import District as LegacyDistrict
from vietnam_provinces.legacy import Province as LegacyProvince
from vietnam_provinces.legacy import ProvinceCode as LegacyProvinceCode
from vietnam_provinces.legacy import Ward as LegacyWard

from phoihop.core.text import fold
from phoihop.org.enums import AreaKind, AreaLevel
from phoihop.org.models import REFORM_2025, AdministrativeArea

LEGACY_UNTIL = REFORM_2025 - dt.timedelta(days=1)

_KINDS = {
    "tỉnh": AreaKind.TINH,
    "thành phố trung ương": AreaKind.THANH_PHO_TW,
    "xã": AreaKind.XA,
    "phường": AreaKind.PHUONG,
    "đặc khu": AreaKind.DAC_KHU,
    "huyện": AreaKind.HUYEN,
    "quận": AreaKind.QUAN,
    "thị xã": AreaKind.THI_XA,
    "thành phố": AreaKind.THANH_PHO,
    "thị trấn": AreaKind.THI_TRAN,
}


def _kind(division_type: VietNamDivisionType | str) -> str:
    return _KINDS[str(getattr(division_type, "value", division_type))]


def province_code(value: int) -> str:
    return f"{int(value):02d}"


def district_code(value: int) -> str:
    return f"{int(value):03d}"


def commune_code(value: int) -> str:
    return f"{int(value):05d}"


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0

    def add(self, created: bool, changed: bool) -> None:
        if created:
            self.created += 1
        elif changed:
            self.updated += 1


def _upsert(
    result: LoadResult, *, level: str, code: str, valid_from: dt.date | None, **fields: object
) -> AdministrativeArea:
    area = AdministrativeArea.objects.filter(level=level, code=code, valid_from=valid_from).first()
    if area is None:
        area = AdministrativeArea(level=level, code=code, valid_from=valid_from, **fields)
        area.save()
        result.add(True, False)
        return area
    changed = False
    for name, value in fields.items():
        if getattr(area, name) != value:
            setattr(area, name, value)
            changed = True
    if changed:
        area.save()
    result.add(False, changed)
    return area


@dataclass(frozen=True)
class _Row:
    """One area as the package gives it."""

    code: str
    name: str
    kind: str
    parent: AdministrativeArea


def _sync(
    result: LoadResult,
    level: str,
    rows: list[_Row],
    *,
    valid_from: dt.date | None,
    valid_until: dt.date | None,
) -> dict[str, AdministrativeArea]:
    """Create or update the areas of one level and generation in bulk: {code: area}."""
    existing = {
        a.code: a
        for a in AdministrativeArea.objects.filter(
            level=level, valid_from=valid_from, code__in=[r.code for r in rows]
        )
    }
    to_create: list[AdministrativeArea] = []
    for row in rows:
        area = existing.get(row.code)
        if area is None:
            area = AdministrativeArea(
                level=level,
                code=row.code,
                name=row.name,
                # bulk_create skips save(): fill the search key here.
                name_folded=fold(row.name)[:120],
                kind=row.kind,
                parent=row.parent,
                valid_from=valid_from,
                valid_until=valid_until,
            )
            to_create.append(area)
            existing[row.code] = area
        elif (area.name, area.kind, area.parent_id, area.valid_until) != (
            row.name,
            row.kind,
            row.parent.pk,
            valid_until,
        ):
            area.name, area.kind, area.parent = row.name, row.kind, row.parent
            area.valid_until = valid_until
            area.save()
            result.updated += 1
    AdministrativeArea.objects.bulk_create(to_create, batch_size=500)
    result.created += len(to_create)
    return existing


@transaction.atomic
def load_areas(*, provinces: Iterable[str] | None = None, legacy: bool = True) -> LoadResult:
    """Load the 2025 areas (all, or the given province codes) and, if asked, the legacy ones."""
    wanted = {province_code(int(c)) for c in provinces} if provinces else None
    result = LoadResult()
    new_provinces: dict[str, AdministrativeArea] = {}
    for p in Province.iter_all():
        code = province_code(p.code.value)
        if wanted is not None and code not in wanted:
            continue
        new_provinces[code] = _upsert(
            result,
            level=AreaLevel.PROVINCE,
            code=code,
            valid_from=REFORM_2025,
            name=p.name,
            kind=_kind(p.division_type),
            parent=None,
            valid_until=None,
        )
    rows = [
        _Row(commune_code(w.code.value), w.name, _kind(w.division_type), parent)
        for code, parent in new_provinces.items()
        for w in Ward.iter_by_province(Province.from_code(ProvinceCode(int(code))).code)
    ]
    new_communes = _sync(result, AreaLevel.COMMUNE, rows, valid_from=REFORM_2025, valid_until=None)
    if legacy:
        _load_legacy(result, new_provinces, new_communes)
    return result


@functools.cache
def _legacy_wards() -> dict[int, list[LegacyWard]]:
    """{old province code: its communes}, read once (the package scans every ward per query)."""
    by_province: dict[int, list[LegacyWard]] = defaultdict(list)
    for district in LegacyDistrict.iter_all():
        by_province[district.province_code.value]
    district_province = {d.code.value: d.province_code.value for d in LegacyDistrict.iter_all()}
    for ward in LegacyWard.iter_all():
        by_province[district_province[ward.district_code.value]].append(ward)
    return dict(by_province)


def _load_legacy(
    result: LoadResult,
    new_provinces: dict[str, AdministrativeArea],
    new_communes: dict[str, AdministrativeArea],
) -> None:
    # Which old provinces each 2025 province was formed from.
    successors: dict[str, list[AdministrativeArea]] = {}
    for code, area in new_provinces.items():
        for old in Province.from_code(ProvinceCode(int(code))).get_legacy_sources():
            successors.setdefault(province_code(old.code.value), []).append(area)
    district_rows: list[_Row] = []
    old_provinces: list[int] = []
    for code in sorted(successors):
        p = LegacyProvince.from_code(LegacyProvinceCode(int(code)))
        old_area = _upsert(
            result,
            level=AreaLevel.PROVINCE,
            code=code,
            valid_from=None,
            name=p.name,
            kind=_kind(p.division_type),
            parent=None,
            valid_until=LEGACY_UNTIL,
        )
        old_area.successors.add(*successors[code])
        old_provinces.append(p.code.value)
        district_rows += [
            _Row(district_code(d.code.value), d.name, _kind(d.division_type), old_area)
            for d in LegacyDistrict.iter_by_province(p.code)
        ]
    districts = _sync(
        result, AreaLevel.DISTRICT, district_rows, valid_from=None, valid_until=LEGACY_UNTIL
    )
    commune_rows = [
        _Row(
            commune_code(w.code.value),
            w.name,
            _kind(w.division_type),
            districts[district_code(w.district_code.value)],
        )
        for code in old_provinces
        for w in _legacy_wards().get(code, [])
    ]
    old_communes = _sync(
        result, AreaLevel.COMMUNE, commune_rows, valid_from=None, valid_until=LEGACY_UNTIL
    )
    _link_commune_successors(new_communes, old_communes)


def _link_commune_successors(
    new_communes: dict[str, AdministrativeArea], old_communes: dict[str, AdministrativeArea]
) -> None:
    """Point each old commune at the 2025 communes formed from it, both ends loaded."""
    link = AdministrativeArea.successors.through
    wanted: set[tuple[int, int]] = set()
    for code, new in new_communes.items():
        for old in Ward.from_code(WardCode(int(code))).get_legacy_sources():
            found = old_communes.get(commune_code(old.code.value))
            if found is not None:
                wanted.add((found.pk, new.pk))
    present = set(
        link.objects.filter(to_administrativearea_id__in={new for _old, new in wanted}).values_list(
            "from_administrativearea_id", "to_administrativearea_id"
        )
    )
    link.objects.bulk_create(
        [
            link(from_administrativearea_id=old, to_administrativearea_id=new)
            for old, new in sorted(wanted - present)
        ],
        batch_size=500,
    )
