"""The synthetic provinces: their 2025 areas, and the three forces' units and officers made
through the org services (a provincial command of each force, a commune police and a commune
military command in every commune, a border post for every six communes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from phoihop_dev.synth import SynthRefused

FIRST_PROVINCE = "42"  # Hà Tĩnh, the demo province
COMMUNES_PER_POST = 6
UNIT_PREFIX = "SY"


@dataclass
class Place:
    """One province: its communes and the synthetic units of the three forces."""

    area: Any
    communes: list[Any]
    tops: dict[str, Any] = field(default_factory=dict)  # force code → provincial command
    commune_units: dict[str, list[Any]] = field(default_factory=dict)  # force → per commune
    posts: list[Any] = field(default_factory=list)  # border posts
    post_communes: dict[int, list[Any]] = field(default_factory=dict)
    users: dict[int, Any] = field(default_factory=dict)  # unit pk → officer

    @property
    def units(self) -> list[Any]:
        units = list(self.tops.values()) + self.posts
        for group in self.commune_units.values():
            units += group
        return units

    def commune_of(self, unit: Any) -> Any:
        """The commune of a commune-level unit; a commune of its area for the others."""
        for group in self.commune_units.values():
            if unit in group:
                return self.communes[group.index(unit)]
        if unit in self.posts:
            return self.post_communes[unit.pk][0]
        return None


def province_codes(count: int) -> list[str]:
    from vietnam_provinces import Province

    from phoihop.org.areas import province_code

    codes = sorted(province_code(p.code.value) for p in Province.iter_all())
    ordered = [FIRST_PROVINCE] + [c for c in codes if c != FIRST_PROVINCE]
    if not 1 <= count <= len(ordered):
        raise SynthRefused(
            _("Số tỉnh phải từ 1 đến %(max)s.") % {"max": len(ordered)},
            code="invalid_provinces",
            fields={"provinces": [str(count)]},
        )
    return ordered[:count]


def build_place(code: str) -> Place:
    """Load the province's areas and create its synthetic units and officers (services)."""
    from phoihop.org.areas import load_areas
    from phoihop.org.enums import AreaLevel
    from phoihop.org.models import AdministrativeArea, Force, Unit, UnitLevel
    from phoihop.org.services import unit_create, user_create

    load_areas(provinces=[code], legacy=False)
    area = AdministrativeArea.objects.get(
        level=AreaLevel.PROVINCE, code=code, valid_until__isnull=True, valid_from__isnull=False
    )
    prefix = f"{UNIT_PREFIX}{code}"
    if Unit.all_objects.filter(code__startswith=f"{prefix}-").exists():
        raise SynthRefused(
            _("Đã có dữ liệu tổng hợp của %(name)s trong cơ sở dữ liệu.") % {"name": area.name},
            code="already_generated",
            fields={"provinces": [code]},
        )
    communes = list(
        AdministrativeArea.objects.filter(
            level=AreaLevel.COMMUNE, parent=area, valid_until__isnull=True
        ).order_by("code")
    )
    forces = {f.code: f for f in Force.objects.all()}
    levels = {lv.code: lv for lv in UnitLevel.objects.all()}
    place = Place(area=area, communes=communes)
    short = area.name.removeprefix("Tỉnh ").removeprefix("Thành phố ")
    tops = {
        "CA": ("CAT", f"Công an {area.name.lower()}"),
        "QS": ("BCHQS", f"Bộ Chỉ huy Quân sự {area.name.lower()}"),
        "BP": ("BCHBP", f"Bộ Chỉ huy Bộ đội Biên phòng {area.name.lower()}"),
    }
    for force, (suffix, name) in tops.items():
        place.tops[force] = unit_create(
            actor=None,
            force=forces[force],
            code=f"{prefix}-{suffix}",
            name=name,
            short_name=f"{suffix} {short}",
            level=levels["tinh"],
            province=area,
            areas=[area],
        )
    for force, label, suffix in (("CA", "Công an", "CAX"), ("QS", "Ban Chỉ huy Quân sự", "QSX")):
        place.commune_units[force] = [
            unit_create(
                actor=None,
                force=forces[force],
                code=f"{prefix}-{suffix}{i + 1}",
                name=f"{label} {commune.name.lower()}",
                level=levels["xa"],
                parent=place.tops[force],
                areas=[commune],
            )
            for i, commune in enumerate(communes)
        ]
    for i in range(0, len(communes), COMMUNES_PER_POST):
        covered = communes[i : i + COMMUNES_PER_POST]
        post = unit_create(
            actor=None,
            force=forces["BP"],
            code=f"{prefix}-DBP{i // COMMUNES_PER_POST + 1}",
            name=f"Đồn Biên phòng {covered[0].name}",
            level=levels["xa"],
            parent=place.tops["BP"],
            areas=covered,
        )
        place.posts.append(post)
        place.post_communes[post.pk] = covered
    for unit in place.units:
        place.users[unit.pk] = user_create(
            actor=None,
            username=f"synth.{unit.code.lower()}",
            password=None,
            unit=unit,
            full_name=f"Cán bộ {unit.name}",
            roles=("officer",),
        )
    return place
