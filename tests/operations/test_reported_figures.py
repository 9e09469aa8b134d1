"""Figures provinces actually report: qualified counts ("trên 120 khu phong tỏa"), the catalogue
of zone kinds, destruction of explosives and weapons, rescue means by force, patrol sorties and
personnel — entered through the services and the API, and read back from the report."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from phoihop.access.rules import OPERATOR
from phoihop.audit.models import AuditEntry
from phoihop.cases.catalogue import catalogue_item_by_code
from phoihop.core import formats
from phoihop.core.errors import DomainError
from phoihop.core.qualifiers import Qualifier, combined, phrase
from phoihop.core.versioning import soft_delete
from phoihop.operations import selectors, services
from phoihop.operations.models import (
    Checkpoint,
    Destruction,
    OperationUnit,
    Patrol,
    ProtectedZone,
    Rescue,
    ZoneCategory,
)
from phoihop.operations.services import UnitPart
from phoihop.org.models import User
from phoihop.reports.assembly import build_report
from phoihop.reports.render_text import render_text
from tests import factories
from tests.factories import OrgWorld
from tests.operations.conftest import d, make_rescue

pytestmark = pytest.mark.django_db

PERIOD = "2025-Q4"  # 15/09/2025–14/12/2025 under Nghị định 09, after the 2025 reform


def _report_text() -> str:
    return render_text(build_report(area_code="42", period_key=PERIOD, actor=OPERATOR))


def _figures(key_prefix: str) -> dict[str, Any]:
    report = build_report(area_code="42", period_key=PERIOD, actor=OPERATOR)
    return {f.key: f for f in report.figures() if f.key.startswith(key_prefix)}


def _zone(actor: User, world: OrgWorld, **overrides: Any) -> ProtectedZone:
    values: dict[str, Any] = {
        "title": "Phong tỏa khu dân cư",
        "zone_kind": "lockdown",
        "start_date": d("01/10/2025"),
        "end_date": d("20/10/2025"),
        "communes": [world.commune_a],
    }
    values.update(overrides)
    return services.zone_create(actor=actor, **values)


def _api(user: User) -> Client:
    client = Client()
    factories.login(client, user)
    return client


def _post(client: Client, kind: str, body: dict[str, Any]) -> Any:
    return client.post(
        f"/api/v1/operations/{kind}/",
        {"title": "Bản ghi thử", "start_date": "2025-10-01", **body},
        content_type="application/json",
    )


# --- the qualifier rule --------------------------------------------------------------------

QUALIFIERS = st.sampled_from(Qualifier.values)


@given(st.lists(QUALIFIERS, max_size=6))
def test_a_sum_is_exact_only_when_every_part_is(parts: list[str]) -> None:
    assert (combined(parts) == Qualifier.EXACT) == all(p == "" for p in parts)


@given(st.lists(QUALIFIERS, min_size=1, max_size=6))
def test_lower_bounds_stay_lower_bounds_and_khoang_absorbs_everything(parts: list[str]) -> None:
    given_ = set(parts) - {""}
    result = combined(parts)
    if Qualifier.ABOUT in given_ or (
        given_ & {Qualifier.OVER, Qualifier.MORE_THAN} and Qualifier.NEARLY in given_
    ):
        assert result == Qualifier.ABOUT
    elif given_ and given_ <= {Qualifier.OVER, Qualifier.MORE_THAN}:
        assert result in (Qualifier.OVER, Qualifier.MORE_THAN)
    elif given_ == {Qualifier.NEARLY}:
        assert result == Qualifier.NEARLY
    # The order of the parts never matters.
    assert combined(reversed(parts)) == result


def test_a_qualifier_is_written_before_the_number() -> None:
    assert phrase("tren", "120 khu phong tỏa") == "trên 120 khu phong tỏa"
    assert phrase("", "120 khu phong tỏa") == "120 khu phong tỏa"


# --- zones: counts with qualifiers, the catalogue of kinds -----------------------------------


def test_zones_of_one_record_each_are_counted_as_before_and_stay_exact(
    world: OrgWorld, officer: User
) -> None:
    for day in ("01/10/2025", "05/10/2025"):
        _zone(officer, world, start_date=d(day))
    zones = _figures("zones.")
    assert zones["zones.lockdown"].value == ProtectedZone.objects.count()
    assert zones["zones.lockdown"].qualifier == ""
    assert f"- Khu vực phong tỏa: {formats.count(2)} khu phong tỏa" in _report_text()


def test_an_approximate_count_of_zones_is_carried_into_the_report(
    world: OrgWorld, officer: User
) -> None:
    _zone(officer, world, zone_count=120, zone_count_qualifier="tren")
    _zone(officer, world, zone_count=5)
    _zone(officer, world, zone_kind="quarantine", zone_count=250, zone_count_qualifier="hon")
    expected = sum(
        ProtectedZone.objects.filter(zone_kind="lockdown").values_list("zone_count", flat=True)
    )

    zones = _figures("zones.")
    assert (zones["zones.lockdown"].value, zones["zones.lockdown"].qualifier) == (expected, "tren")
    text = _report_text()
    assert f"trên {formats.count(expected)} khu phong tỏa" in text
    assert "hơn 250 khu cách ly" in text
    # An approximate figure is not compared with other periods in the text.
    line = next(li for li in text.splitlines() if "khu phong tỏa" in li)
    assert "so với" not in line


def test_every_zone_kind_of_the_catalogue_has_its_own_line(world: OrgWorld, officer: User) -> None:
    ZoneCategory.objects.create(
        code="field_hospital", name="Bệnh viện dã chiến", report_phrase="bệnh viện dã chiến"
    )
    for code in ("treatment", "enhanced_treatment", "field_hospital"):
        _zone(officer, world, zone_kind=code, zone_count=3)
    text = _report_text()
    for category in ZoneCategory.objects.filter(
        code__in=["treatment", "enhanced_treatment", "field_hospital"]
    ):
        assert f"- {category.name}: {formats.count(3)} {category.report_phrase}" in text


def test_a_zone_kind_outside_the_catalogue_or_retired_is_refused_on_its_field(
    world: OrgWorld, officer: User
) -> None:
    ZoneCategory.objects.filter(code="quarantine").update(is_active=False)
    for code in ("khong-co", "quarantine"):
        with pytest.raises(DomainError) as exc:
            _zone(officer, world, zone_kind=code)
        assert exc.value.code == "unknown_zone_kind"
        assert list(exc.value.fields) == ["zone_kind"]
    assert ProtectedZone.all_objects.count() == 0


def test_the_zone_kinds_of_existing_records_are_rows_of_the_catalogue() -> None:
    codes = set(ZoneCategory.objects.values_list("code", flat=True))
    assert {"lockdown", "quarantine", "treatment", "enhanced_treatment", "key_target"} <= codes


def test_the_api_takes_the_catalogue_code_and_names_the_kind(
    world: OrgWorld, officer: User
) -> None:
    response = _post(
        _api(officer),
        "zones",
        {"zone_kind": "enhanced_treatment", "zone_count": 4, "zone_count_qualifier": "gan"},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    name = ZoneCategory.objects.get(code="enhanced_treatment").name
    assert (body["zone_kind"], body["zone_kind_label"]) == ("enhanced_treatment", name)
    assert (body["zone_count"], body["zone_count_qualifier"]) == (4, "gan")


# --- bad input: a qualifier where none belongs ---------------------------------------------


@pytest.mark.parametrize(
    ("kind", "body", "field"),
    [
        # A checkpoint's vehicles are summed from its daily counts: the system computes them.
        (
            "checkpoints",
            {"purpose": "traffic", "place": "QL1A", "vehicles_qualifier": "tren"},
            "vehicles_qualifier",
        ),
        ("patrols", {"route": "sea", "violations_qualifier": "khoang"}, "violations_qualifier"),
        ("zones", {"zone_kind": "lockdown", "units_qualifier": "tren"}, "units_qualifier"),
        (
            "rescues",
            {
                "incident_kind": "storm",
                "units": [{"unit": "CAT", "personnel": 3, "personnel_qualifier": "tren"}],
            },
            "units.0.personnel_qualifier",
        ),
    ],
)
def test_a_qualifier_on_a_computed_figure_is_refused_naming_the_field(
    world: OrgWorld, officer: User, kind: str, body: dict[str, Any], field: str
) -> None:
    response = _post(_api(officer), kind, body)
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "qualifier_on_computed"
    assert list(response.json()["fields"]) == [field]
    for model in (Checkpoint, Patrol, ProtectedZone, Rescue):
        assert model.all_objects.count() == 0
    assert OperationUnit.objects.count() == 0


def test_a_qualifier_without_a_count_or_outside_the_list_is_refused(
    world: OrgWorld, officer: User
) -> None:
    client = _api(officer)
    no_people = _post(client, "zones", {"zone_kind": "lockdown", "people_qualifier": "khoang"})
    unknown = _post(
        client, "patrols", {"route": "sea", "sorties": 9, "sorties_qualifier": "xap-xi"}
    )
    assert no_people.status_code == 400 and list(no_people.json()["fields"]) == ["people_qualifier"]
    assert unknown.status_code == 400 and list(unknown.json()["fields"]) == ["sorties_qualifier"]
    assert ProtectedZone.all_objects.count() == 0 and Patrol.all_objects.count() == 0


# --- destruction of explosives, ordnance and weapons -----------------------------------------


def test_explosives_destroyed_have_their_own_line_and_are_never_handed_in(
    world: OrgWorld, officer: User
) -> None:
    client = _api(officer)
    created = _post(
        client,
        "destructions",
        {"item": "thuoc-no", "entered_quantity": "500", "entered_unit": "kg"},
    )
    assert created.status_code == 201, created.json()
    second = _post(
        client,
        "destructions",
        {"item": "thuoc-no", "entered_quantity": "0.5", "entered_unit": "kg"},
    )
    assert second.status_code == 201, second.json()
    item = catalogue_item_by_code("thuoc-no")
    total = sum(Destruction.objects.values_list("quantity", flat=True), Decimal(0))

    destroyed = _figures("destruction.")
    assert destroyed["destruction.items.thuoc-no"].value == total
    assert destroyed["destruction.count"].value == Destruction.objects.count()
    text = _report_text()
    shown = f"{formats.number(total, max_decimals=6)} {item.report_phrase}"
    assert f"Đã tiêu hủy {shown}." in text
    assert "giao nộp" not in text


def test_a_destruction_refuses_an_item_that_is_no_explosive_or_weapon_and_a_bad_unit(
    world: OrgWorld, officer: User
) -> None:
    client = _api(officer)
    drug = _post(client, "destructions", {"item": "heroin", "entered_quantity": "5"})
    unit = _post(
        client,
        "destructions",
        {"item": "thuoc-no", "entered_quantity": "5", "entered_unit": "viên"},
    )
    assert drug.status_code == 400 and list(drug.json()["fields"]) == ["item"]
    assert unit.status_code == 400 and list(unit.json()["fields"]) == ["entered_unit"]
    assert Destruction.all_objects.count() == 0
    assert not AuditEntry.objects.filter(object_type__startswith="operations.").exists()


def test_an_approximate_quantity_destroyed_keeps_its_qualifier(
    world: OrgWorld, officer: User
) -> None:
    services.destruction_create(
        actor=officer,
        title="Tiêu hủy vật liệu nổ thu hồi",
        item="thuoc-no",
        entered_quantity="1,5",
        entered_unit="tấn",
        quantity_qualifier="khoang",
        start_date=d("05/10/2025"),
    )
    record = Destruction.objects.get()
    assert record.quantity == Decimal("1500")
    item = catalogue_item_by_code("thuoc-no")
    assert f"Đã tiêu hủy khoảng {formats.number(record.quantity)} {item.report_phrase}." in (
        _report_text()
    )


# --- rescue means by force, the population's means -----------------------------------------


def test_each_force_has_its_rescue_line_and_the_population_means_are_reported(
    world: OrgWorld, officer: User
) -> None:
    make_rescue(
        officer,
        world,
        start_date=d("10/10/2025"),
        civilian_vessels=40,
        civilian_vessels_qualifier="tren",
    )
    make_rescue(
        officer,
        world,
        start_date=d("12/10/2025"),
        civilian_people=300,
        units=[UnitPart(world.u("qs_province"), personnel=25, vessels=3)],
    )
    rows = OperationUnit.objects.select_related("force")
    by_force: dict[str, list[int]] = {}
    for row in rows:
        totals = by_force.setdefault(row.force.code, [0, 0])
        totals[0] += row.personnel
        totals[1] += row.vehicles + row.vessels

    text = _report_text()
    assert "Lực lượng tham gia:" in text
    for code, (personnel, means) in by_force.items():
        force = rows.filter(force__code=code).first().force  # type: ignore[union-attr]
        line = f"- {force.name}: {formats.count(personnel)} lượt cán bộ, chiến sĩ"
        assert line in text
        if means:
            assert f"{line}, {formats.count(means)} lượt phương tiện, tàu xuồng" in text
    assert "- Lượt tàu, thuyền của Nhân dân được huy động: trên 40 lượt tàu, thuyền" in text
    assert "- Lượt người dân được huy động: 300 lượt người" in text


# --- patrols: sorties and personnel --------------------------------------------------------


def test_a_patrol_of_thousands_of_sorties_reads_as_such(world: OrgWorld, officer: User) -> None:
    services.patrol_create(
        actor=officer,
        title="Tuần tra, kiểm soát cao điểm trên biển",
        route="sea",
        start_date=d("01/10/2025"),
        sorties=2400,
        sorties_qualifier="hon",
        units=[
            UnitPart(world.u("ca_province"), personnel=1800),
            UnitPart(world.u("bp_post_a"), personnel=950),
        ],
    )
    personnel = sum(OperationUnit.objects.values_list("personnel", flat=True))
    figures = selectors.patrol_figures(selectors.patrol_list(actor=OPERATOR), actor=OPERATOR)

    text = _report_text()
    assert f"Tổng số lượt tuần tra, kiểm soát: hơn {formats.count(figures.sorties)} lượt." in text
    assert f"tuần tra, kiểm soát: {formats.count(personnel)} lượt cán bộ, chiến sĩ" in text


def test_zones_of_a_retired_kind_stay_in_the_report(world: OrgWorld, officer: User) -> None:
    _zone(officer, world, zone_kind="quarantine", zone_count=7)
    ZoneCategory.objects.filter(code="quarantine").update(is_active=False)
    category = ZoneCategory.all_objects.get(code="quarantine")
    soft_delete(category, expected_version=category.version)  # as the admin deletes
    assert f"- {category.name}: {formats.count(7)} {category.report_phrase}" in _report_text()
