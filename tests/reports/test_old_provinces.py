"""Reports of the provinces that ended on 30/6/2025, for their own periods: `phoihop report
--area 49 --period 2023-Q3` (Quảng Nam, now part of Đà Nẵng) and `--area 95 --period 2021` (Bạc
Liêu, now part of Cà Mau) are titled with the old province and count its records.

Which records belong to the old province is re-derived here from the `vietnam-provinces`
package (an old commune's district and province; a 2025 commune's old communes), not from the
rule under test (`org.refs.area_q`)."""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from vietnam_provinces import Ward, WardCode
from vietnam_provinces.legacy import District as LegacyDistrict
from vietnam_provinces.legacy import DistrictCode as LegacyDistrictCode
from vietnam_provinces.legacy import Ward as LegacyWard
from vietnam_provinces.legacy import WardCode as LegacyWardCode

from phoihop.indicators.periods import Period
from phoihop.org.areas import LEGACY_UNTIL, load_areas
from phoihop.org.enums import AreaLevel
from phoihop.org.models import AdministrativeArea, Unit
from phoihop.reports.figures import resolve_area
from tests.cases.conftest import at, make_case
from tests.factories import OrgWorld, unit, user


def report(area: str, period: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command(
        "report",
        "--area",
        area,
        "--period",
        period,
        "--format",
        "json",
        stdout=out,
        stderr=io.StringIO(),
    )
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


def text_report(area: str, period: str) -> str:
    out = io.StringIO()
    call_command("report", "--area", area, "--period", period, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def figure(data: dict[str, Any], key: str) -> dict[str, Any]:
    found = {f["key"]: f for s in data["sections"] for f in s["figures"]}
    return found[key]


def old_province_of(commune: AdministrativeArea) -> set[int]:
    """The old province(s) a commune lay in, from the package."""
    if commune.valid_until is not None:
        ward = LegacyWard.from_code(LegacyWardCode(int(commune.code)))
        district = LegacyDistrict.from_code(LegacyDistrictCode(ward.district_code.value))
        return {district.province_code.value}
    sources = Ward.from_code(WardCode(int(commune.code))).get_legacy_sources()
    return {
        LegacyDistrict.from_code(LegacyDistrictCode(w.district_code.value)).province_code.value
        for w in sources
    }


@dataclass
class Made:
    case: Any
    day: dt.date
    commune: AdministrativeArea
    on_old_province: int | None  # the old province the owner unit is placed on, if any


def counted(made: list[Made], old: int, period: Period) -> set[str]:
    """The public ids of the records the old province's report of `period` counts."""
    start, end = period.window()
    return {
        str(m.case.public_id)
        for m in made
        if start <= m.day <= end
        and (m.on_old_province == old or old_province_of(m.commune) == {old})
    }


def expected(made: list[Made], old: int, period: Period) -> int:
    return len(counted(made, old, period))


def make(actor: Any, world: OrgWorld, commune: AdministrativeArea, day: str) -> Made:
    case = make_case(actor, world, commune=commune, detected_at=at(day))
    return Made(
        case,
        dt.datetime.strptime(day, "%d/%m/%Y").date(),
        commune,
        int(province.code) if (province := actor.unit.province).valid_until else None,
    )


def old_communes(old_code: str) -> list[AdministrativeArea]:
    return list(
        AdministrativeArea.objects.filter(
            level=AreaLevel.COMMUNE, parent__parent__code=old_code, valid_until=LEGACY_UNTIL
        ).order_by("code")[:3]
    )


def only_from(new_province: AdministrativeArea, old: int) -> AdministrativeArea:
    """A 2025 commune formed only from communes of one old province (from the package)."""
    for commune in new_province.children.filter(level=AreaLevel.COMMUNE).order_by("code"):
        if old_province_of(commune) == {old}:
            return commune
    raise AssertionError("no such commune")


@dataclass
class Place:
    new: AdministrativeArea
    old: AdministrativeArea
    staff: Any  # a unit placed on the 2025 province
    old_staff: Any  # a unit still placed on the old province record


def place(new_code: str, old_code: str) -> Place:
    load_areas(provinces=[new_code])
    new = AdministrativeArea.objects.get(
        level=AreaLevel.PROVINCE, code=new_code, valid_until__isnull=True
    )
    old = AdministrativeArea.objects.get(
        level=AreaLevel.PROVINCE, code=old_code, valid_until=LEGACY_UNTIL
    )
    staff = user(unit("CA", f"CAT-{new_code}", f"Công an {new.name}", prov=new))
    old_staff = user(unit("CA", f"CAT-{old_code}-CU", f"Công an {old.name}", prov=old))
    return Place(new, old, staff, old_staff)


@pytest.mark.parametrize(
    ("new_code", "old_code", "name", "period_key", "inside", "outside"),
    [
        # Quảng Nam, now part of Đà Nẵng; the quarter is 15/6–14/9 (Nghị định 09).
        ("48", "49", "Tỉnh Quảng Nam", "2023-Q3", ["01/08/2023", "10/09/2023"], "20/09/2023"),
        # Bạc Liêu, now part of Cà Mau; the year is 15/12/2020–14/12/2021.
        ("96", "95", "Tỉnh Bạc Liêu", "2021", ["01/03/2021", "01/11/2021"], "20/12/2021"),
    ],
)
def test_an_old_province_is_reported_under_its_old_name_with_its_records(
    world: OrgWorld,
    new_code: str,
    old_code: str,
    name: str,
    period_key: str,
    inside: list[str],
    outside: str,
) -> None:
    p = place(new_code, old_code)
    own, other = old_communes(old_code), old_communes(new_code)
    period = Period.parse(period_key)
    earlier = period.previous.window()[0].strftime("%d/%m/%Y")
    last_year = period.same_period_last_year.window()[0].strftime("%d/%m/%Y")
    made = [
        make(p.staff, world, own[0], inside[0]),
        make(p.staff, world, own[1], inside[1]),
        make(p.staff, world, other[0], inside[0]),  # the other old province: not this one's
        make(p.staff, world, only_from(p.new, int(old_code)), inside[1]),  # a 2025 commune in it
        make(p.staff, world, only_from(p.new, int(new_code)), inside[0]),
        make(p.old_staff, world, own[2], inside[0]),  # a unit on the old province record
        make(p.staff, world, own[0], outside),  # after the period's last day
        make(p.staff, world, own[1], earlier),
        make(p.staff, world, own[2], last_year),
    ]
    data = report(old_code, period_key)
    assert data["area"] == {"code": old_code, "name": name} and name == p.old.name
    count = figure(data, "cases.count")
    assert count["value"] == expected(made, int(old_code), period) > 0
    assert count["previous"] == expected(made, int(old_code), period.previous) > 0
    assert count["last_year"] == expected(made, int(old_code), period.same_period_last_year) > 0
    assert set(count["provenance"][0]["ids"]) == counted(made, int(old_code), period)
    text = text_report(old_code, period_key)
    assert name in text and p.new.name not in text
    # The code of the 2025 province names, for that period, the old province of the same code.
    old_other = figure(report(new_code, period_key), "cases.count")
    assert old_other["value"] == expected(made, int(new_code), period) > 0


def test_a_kept_code_names_the_province_in_force_during_the_period(db):
    load_areas(provinces=["48"])  # Đà Nẵng kept its code and took in Quảng Nam
    before = resolve_area("48", start=dt.date(2024, 6, 15), end=dt.date(2024, 9, 14))
    across = resolve_area("48", start=dt.date(2025, 6, 15), end=dt.date(2025, 9, 14))
    assert before.valid_until == LEGACY_UNTIL and across.valid_until is None
    assert resolve_area("48") == across
    # A province that ended is still reported for a period it overlapped.
    assert resolve_area("49", start=dt.date(2025, 6, 15), end=dt.date(2025, 9, 14)).code == "49"
    # Hà Tĩnh kept its code and its ground: the current record, for earlier periods too.
    load_areas(provinces=["42"])
    current = AdministrativeArea.objects.get(
        level=AreaLevel.PROVINCE, code="42", valid_until__isnull=True
    )
    assert resolve_area("42", start=dt.date(2024, 6, 15), end=dt.date(2024, 9, 14)) == current


def test_an_old_province_after_its_end_is_refused_naming_it(world: OrgWorld):
    load_areas(provinces=["48"])
    with pytest.raises(CommandError) as refused:
        report("49", "2025-Q4")
    assert "Tỉnh Quảng Nam (đến 30/06/2025)" in str(refused.value)
    assert "không có hiệu lực trong kỳ báo cáo" in str(refused.value)


def test_records_of_a_unit_on_an_old_province_are_in_its_successors_report(world: OrgWorld):
    p = place("48", "49")
    # After 30/6/2025 its old communes have ended: it names a 2025 commune of the successor.
    made = make(p.old_staff, world, only_from(p.new, 49), "01/08/2025")
    count = figure(report("48", "2025-Q3"), "cases.count")
    assert count["provenance"][0]["ids"] == [str(made.case.public_id)]
    assert Unit.objects.get(pk=p.old_staff.unit.pk).province == p.old
