"""Any number of forces: the forces taking part in a province are data, and the report's title,
issuer, opening sentence, tasks and signature blocks (with each force's head title) follow them,
in the report and in the DOCX opened back."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone
from docx import Document

from phoihop.access.rules import OPERATOR
from phoihop.audit.models import AuditEntry
from phoihop.cases.services import case_create
from phoihop.core.errors import DomainError, PermissionDenied
from phoihop.org.forces import province_force_add, province_force_remove, province_forces
from phoihop.org.models import Force, ProvinceForce, User
from phoihop.org.reference import HEAD_TITLES
from phoihop.reports.assembly import build_report
from phoihop.reports.docx import render_docx
from tests.factories import OrgWorld, unit, user

pytestmark = pytest.mark.django_db

PERIOD = "2024-Q3"
COAST_GUARD = {"code": "CSB", "name": "Cảnh sát biển", "short_name": "Cảnh sát biển"}


def _commander(unit_: Any, name: str, rank_title: str) -> User:
    person = user(unit_, roles=["commander"])
    User.objects.filter(pk=person.pk).update(full_name=name, rank_title=rank_title)
    return person


def _administrator(world: OrgWorld) -> User:
    return user(world.u("ca_province"), roles=["administrator"])


def _coast_guard(world: OrgWorld) -> Force:
    """The Coast Guard as a partner force with its region command in the province."""
    force = Force.objects.create(**COAST_GUARD, is_partner=True, order=9)
    command = unit(force.code, "BTL-V1", "Bộ Tư lệnh Vùng Cảnh sát biển 1", prov=world.province)
    _commander(command, "Lê Văn Hải", "Thiếu tướng, Tư lệnh")
    return force


def _a_case(world: OrgWorld) -> None:
    """One record in the quarter, so that the report has its opening section."""
    officer = user(world.u("ca_commune_a"), roles=["officer"])
    case_create(
        actor=officer,
        title="Vận chuyển trái phép chất ma túy",
        category="drugs",
        domain="land_border",
        commune=world.commune_a,
        detected_at=timezone.make_aware(dt.datetime(2024, 8, 1, 9)),
    )


def _four_forces(world: OrgWorld) -> list[str]:
    for key, name in (("ca_province", "A"), ("qs_province", "B"), ("bp_province", "C")):
        _commander(world.u(key), f"Nguyễn Văn {name}", "Đại tá, Chỉ huy")
    force = _coast_guard(world)
    province_force_add(
        actor=_administrator(world), province=world.province, code="csb", head_title="Tư lệnh"
    )
    return [f.code for f in Force.objects.filter(is_partner=False)] + [force.code]


def _texts(document: Any) -> list[str]:
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts.append(cell.text)
    return texts


def test_a_province_without_settings_has_the_standard_forces_with_their_head_titles(
    world: OrgWorld,
) -> None:
    forces = province_forces(world.province)
    standard = list(Force.objects.filter(is_partner=False).order_by("order", "code"))
    assert [f.force for f in forces] == standard
    assert [f.head_title for f in forces] == [HEAD_TITLES[f.code] for f in standard]
    assert all(f.pk is None for f in forces)  # nothing written until an administrator acts
    report = build_report(area_code=world.province.code, period_key=PERIOD, actor=OPERATOR)
    names = [f.name for f in standard]
    assert report.title.startswith(
        f"Kết quả công tác phối hợp giữa lực lượng {', '.join(names[:-1])} và {names[-1]} "
    )
    assert report.issuer.splitlines()[-1] == " - ".join(f.short_name.upper() for f in standard)


def test_a_fourth_force_is_named_in_title_issuer_opening_tasks_and_signatures(
    world: OrgWorld,
) -> None:
    codes = _four_forces(world)
    _a_case(world)
    forces = province_forces(world.province)
    assert [f.code for f in forces] == codes
    names = [f.title_name for f in forces]
    joined = f"{', '.join(names[:-1])} và {names[-1]}"

    report = build_report(area_code=world.province.code, period_key=PERIOD, actor=OPERATOR)

    assert f"giữa lực lượng {joined} quý III năm 2024" in report.title
    assert report.issuer.splitlines()[-1] == " - ".join(f.issuer_name.upper() for f in forces)
    opening = next(s for s in report.sections if s.key == "overview").paragraphs[0].text
    assert f"lực lượng {joined} trên địa bàn" in opening
    tasks = next(s for s in report.sections if s.key == "tasks").paragraphs[0].text
    assert "giữa bốn lực lượng" in tasks
    assert [s.title for s in report.signers][-1] == "TƯ LỆNH"
    assert len(report.signers) == len(forces)

    document = Document(io.BytesIO(render_docx(report, with_charts=False)))
    texts = _texts(document)
    assert any(joined in text for text in texts), "the abstract names the four forces"
    assert any(opening in text for text in texts)
    assert any("giữa bốn lực lượng" in text for text in texts)
    issuer_cell = document.tables[0].cell(0, 0).text
    assert " - ".join(f.issuer_name.upper() for f in forces) in issuer_cell
    signatures = [t for t in document.tables if "LÊ VĂN HẢI" in t._tbl.xml.upper()]
    assert signatures, "the Coast Guard commander signs"
    blocks = {
        lines[0]: lines[1:]
        for row in signatures[0].rows
        for cell in row.cells
        if (lines := cell.text.split("\n"))[0]
    }
    for signer in report.signers:
        assert blocks[signer.agency] == [signer.title], signer
    assert blocks["BỘ TƯ LỆNH VÙNG CẢNH SÁT BIỂN 1"] == ["TƯ LỆNH"]
    assert blocks[world.u("ca_province").name.upper()] == [HEAD_TITLES["CA"]]


def test_adding_a_force_twice_is_refused_naming_code_and_nothing_is_saved(
    world: OrgWorld,
) -> None:
    _four_forces(world)
    admin = _administrator(world)
    rows, entries = ProvinceForce.objects.count(), AuditEntry.objects.count()
    with pytest.raises(DomainError) as refused:
        province_force_add(actor=admin, province=world.province, code="CSB", head_title="X")
    assert "code" in refused.value.fields
    with pytest.raises(DomainError) as unknown:
        province_force_add(actor=admin, province=world.province, code="KHONG")
    assert "code" in unknown.value.fields
    assert ProvinceForce.objects.count() == rows
    assert AuditEntry.objects.count() == entries


def test_only_an_administrator_of_the_province_changes_its_forces(world: OrgWorld) -> None:
    _coast_guard(world)
    commander = user(world.u("ca_province"), roles=["commander"])
    other = user(world.u("ca_other_province"), roles=["administrator"])
    for actor in (commander, other):
        with pytest.raises(PermissionDenied):
            province_force_add(actor=actor, province=world.province, code="CSB", head_title="TL")
    assert not ProvinceForce.objects.exists()


def test_the_first_change_writes_the_defaults_down_and_is_audited(world: OrgWorld) -> None:
    defaults = [f.code for f in province_forces(world.province)]
    admin = _administrator(world)
    before = AuditEntry.objects.count()
    province_force_remove(actor=admin, province=world.province, code=defaults[-1])
    assert [f.code for f in province_forces(world.province)] == defaults[:-1]
    # The defaults written, then the removal: one entry each.
    assert AuditEntry.objects.count() == before + len(defaults) + 1
    for code in defaults[:-2]:
        province_force_remove(actor=admin, province=world.province, code=code)
    with pytest.raises(DomainError) as last:
        province_force_remove(actor=admin, province=world.province, code=defaults[-2])
    assert "code" in last.value.fields
    assert [f.code for f in province_forces(world.province)] == [defaults[-2]]


def test_the_dashboard_filters_by_the_forces_of_the_users_province(world: OrgWorld) -> None:
    from phoihop.dashboards.forms import DashboardFilterForm
    from phoihop.org.models import AdministrativeArea

    def force_field(province: Any) -> Any:
        areas = AdministrativeArea.objects.filter(pk__in=[province.pk, world.commune_a.pk])
        return DashboardFilterForm(areas=areas).fields["force"]

    standard = list(Force.objects.filter(is_partner=False))
    before = force_field(world.province)
    assert list(before.queryset) == standard
    assert before.empty_label == "Cả ba lực lượng"
    codes = _four_forces(world)
    after = force_field(world.province)
    assert [f.code for f in after.queryset] == codes
    assert after.empty_label == "Cả bốn lực lượng"
    # The other province keeps its own (default) forces.
    assert [f.code for f in force_field(world.other_province).queryset] == [
        f.code for f in standard
    ]
    everywhere = DashboardFilterForm(areas=AdministrativeArea.objects.filter(level="province"))
    assert getattr(everywhere.fields["force"], "empty_label", None) == "Tất cả lực lượng"
