"""Loading administrative areas from the maintained `vietnam-provinces` package.

2025 generation (in force since 1/7/2025): 34 provinces, 3.321 communes (xã, phường, đặc khu).
Legacy generation (ended 30/6/2025): the 63 old provinces and their 696 districts, so that
historic records can name them; old provinces point at the 2025 provinces that succeeded them.
Loading is idempotent: a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from vietnam_provinces import Province, ProvinceCode, VietNamDivisionType, Ward
from vietnam_provinces.legacy.base import District as LegacyDistrict
from vietnam_provinces.legacy.base import Province as LegacyProvince

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
    for code, parent in new_provinces.items():
        existing = {
            a.code: a
            for a in AdministrativeArea.objects.filter(level=AreaLevel.COMMUNE, parent=parent)
        }
        to_create = []
        for w in Ward.iter_by_province(Province.from_code(ProvinceCode(int(code))).code):
            wcode = commune_code(w.code.value)
            area = existing.get(wcode)
            if area is None:
                to_create.append(
                    AdministrativeArea(
                        level=AreaLevel.COMMUNE,
                        code=wcode,
                        valid_from=REFORM_2025,
                        name=w.name,
                        kind=_kind(w.division_type),
                        parent=parent,
                    )
                )
            elif area.name != w.name or area.kind != _kind(w.division_type):
                area.name, area.kind = w.name, _kind(w.division_type)
                area.save()
                result.updated += 1
        for area in to_create:
            # bulk_create skips save(): fill the search key here.
            from phoihop.core.text import fold

            area.name_folded = fold(area.name)[:120]
        AdministrativeArea.objects.bulk_create(to_create, batch_size=500)
        result.created += len(to_create)
    if legacy:
        _load_legacy(result, new_provinces, wanted)
    return result


def _load_legacy(
    result: LoadResult, new_provinces: dict[str, AdministrativeArea], wanted: set[str] | None
) -> None:
    # Which old provinces each 2025 province was formed from.
    successors: dict[str, list[AdministrativeArea]] = {}
    for code, area in new_provinces.items():
        for old in Province.from_code(ProvinceCode(int(code))).get_legacy_sources():
            successors.setdefault(province_code(old.code.value), []).append(area)
    for p in LegacyProvince.iter_all():
        code = province_code(p.code.value)
        if wanted is not None and code not in successors:
            continue
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
        old_area.successors.add(*successors.get(code, []))
        for d in LegacyDistrict.iter_by_province(p.code):
            _upsert(
                result,
                level=AreaLevel.DISTRICT,
                code=district_code(d.code.value),
                valid_from=None,
                name=d.name,
                kind=_kind(d.division_type),
                parent=old_area,
                valid_until=LEGACY_UNTIL,
            )
