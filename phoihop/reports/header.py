"""What heads and closes a province's coordination report: the forces it names, the issuing
agency, the recipients, the place before the date and the document symbol after the number.

Each value comes from the first of:
1. the province's own report settings (`ReportSettings`, edited by its administrators on the
   report settings page);
2. the installation's setting (`PHOIHOP_REPORT_ISSUER`, `PHOIHOP_REPORT_RECIPIENTS`), when set;
3. what the province gives: its forces (`org.forces.province_forces`) for the issuer line
   ("BAN CHỈ ĐẠO PHỐI HỢP / CÔNG AN - QUÂN SỰ - BIÊN PHÒNG"), and its kind for the recipients
   (a centrally-run city reports to the Thành ủy and the city's People's Committee, a province to
   the Tỉnh ủy and the province's). The place left blank is the province's bare name
   (`assembly._place`).

A report of a commune is headed as its province's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from phoihop.org.enums import AreaKind
from phoihop.org.forces import province_forces
from phoihop.org.models import AdministrativeArea, ProvinceForce
from phoihop.reports.models import ReportSettings


@dataclass(frozen=True)
class Header:
    province: AdministrativeArea
    forces: list[ProvinceForce]
    issuer: str
    recipients: list[str]
    place: str = ""  # blank: the province's bare name
    document_symbol: str = ""
    stored: ReportSettings | None = field(default=None, compare=False)


def names_in_words(names: Sequence[str]) -> str:
    """ "Công an, Quân sự và Bộ đội Biên phòng"."""
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s và %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def forces_phrase(forces: Sequence[ProvinceForce]) -> str:
    return names_in_words([f.title_name for f in forces])


def default_issuer(forces: Sequence[ProvinceForce]) -> str:
    return "\n".join([_("BAN CHỈ ĐẠO PHỐI HỢP"), " - ".join(f.issuer_name.upper() for f in forces)])


def default_recipients(province: AdministrativeArea) -> list[str]:
    if province.kind == AreaKind.THANH_PHO_TW:
        authorities = _("Thường trực Thành ủy và UBND thành phố (để b/c)")
    else:
        authorities = _("Thường trực Tỉnh ủy và UBND tỉnh (để b/c)")
    return [authorities, _("Các lực lượng phối hợp"), _("Lưu: VT")]


def short_area_name(name: str) -> str:
    """ "Tỉnh Hà Tĩnh" → "Hà Tĩnh", "Thành phố Đà Nẵng" → "Đà Nẵng": the place before a date."""
    for prefix in ("Tỉnh ", "Thành phố ", "tỉnh ", "thành phố "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def stored_settings(province: AdministrativeArea) -> ReportSettings | None:
    return ReportSettings.objects.filter(province=province).first()


def header_for(area: AdministrativeArea) -> Header:
    province = area.province
    forces = province_forces(province)
    stored = stored_settings(province)
    issuer = (stored.issuer.strip() if stored else "") or (
        settings.PHOIHOP_REPORT_ISSUER.strip() or default_issuer(forces)
    )
    recipients = (stored.recipient_lines() if stored else []) or (
        [str(r) for r in settings.PHOIHOP_REPORT_RECIPIENTS if str(r).strip()]
        or default_recipients(province)
    )
    return Header(
        province=province,
        forces=forces,
        issuer=issuer,
        recipients=recipients,
        place=stored.place.strip() if stored else "",
        document_symbol=stored.document_symbol.strip() if stored else "",
        stored=stored,
    )
