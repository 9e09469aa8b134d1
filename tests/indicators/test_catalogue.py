"""The catalogue: derived indicators registered by the modules, entered ones kept by
administrators in the admin, and the derived figures computed from the records."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from phoihop.audit.models import AuditEntry
from phoihop.cases.services import SeizedData, SubjectData
from phoihop.exchange.services import info_item_acknowledge, info_item_create
from phoihop.indicators import registry
from phoihop.indicators.models import Indicator
from tests.cases.conftest import make_case
from tests.factories import login, user
from tests.indicators.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_site(world) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, user(world.u("ca_province"), roles=("administrator",)))
    return client


def test_the_modules_register_their_derived_indicators_and_they_are_in_the_catalogue(db):
    codes = set(registry.registered())
    assert {
        "cases.count",
        "cases.persons",
        "cases.organisations",
        "cases.wanted_arrested",
        "cases.seized.heroin",
        "exchange.items_sent",
        "exchange.items_received",
        "exchange.acknowledged_on_time",
    } <= codes
    stored = dict(Indicator.objects.filter(code__in=codes).values_list("code", "kind"))
    assert stored == {code: "derived" for code in codes}
    heroin = Indicator.objects.get(code="cases.seized.heroin")
    assert (heroin.unit, heroin.value_kind) == ("gam", "decimal")


def test_syncing_brings_a_derived_row_back_in_line_with_its_registration(db):
    Indicator.objects.filter(code="cases.count").update(name="Sửa tay", order=5)
    out = io.StringIO()
    call_command("sync_indicators", stdout=out)
    assert out.getvalue().startswith("derived indicators:")
    row = Indicator.objects.get(code="cases.count")
    assert row.name == "Số vụ việc, vụ án phát hiện"
    assert row.order == 5  # the administrators' order is kept


def test_the_seeded_entered_indicators_and_rule_exist(db):
    from phoihop.indicators.models import ConsistencyRule

    assert Indicator.objects.get(code="tt.tuan-tra").kind == "entered"
    assert str(ConsistencyRule.objects.get()) == "tt.doi-tuong-xu-ly ≥ tt.truy-na-bat"


def test_case_figures_for_a_unit_and_period(world):
    officer = user(world.u("ca_commune_a"))
    make_case(
        officer,
        world,
        detected_at=at("01/08/2024"),
        subjects=[
            SubjectData(name="Nguyễn Văn A", citizen_id="042090001234"),
            SubjectData(name="Công ty X", kind="organisation"),
        ],
        seized=[SeizedData(item="heroin", quantity="11,09", unit="gam")],
    )
    make_case(officer, world, detected_at=at("01/10/2024"))  # next quarter
    province = user(world.u("ca_province"))
    scope = registry.Scope(
        actor=province,
        unit=world.u("ca_commune_a"),
        start=dt.date(2024, 6, 15),
        end=dt.date(2024, 9, 14),
    )
    values = {
        code: registry.get(code).value(scope)  # type: ignore[union-attr]
        for code in ("cases.count", "cases.persons", "cases.organisations", "cases.seized.heroin")
    }
    assert values == {
        "cases.count": 1,
        "cases.persons": 1,
        "cases.organisations": 1,
        "cases.seized.heroin": Decimal("11.09"),
    }
    # Another commune's scope holds none of it.
    other = registry.Scope(
        actor=province, unit=world.u("ca_commune_b"), start=scope.start, end=scope.end
    )
    assert registry.get("cases.count").value(other) == 0  # type: ignore[union-attr]
    # Nor does what the actor may not see count.
    outsider = registry.Scope(
        actor=user(world.u("qs_province")), unit=None, start=scope.start, end=scope.end
    )
    assert registry.get("cases.count").value(outsider) == 0  # type: ignore[union-attr]


def test_exchange_figures_for_a_unit_and_period(world):
    import time_machine

    sender = user(world.u("bp_post_a"))
    police = user(world.u("ca_commune_a"))
    with time_machine.travel(at("01/08/2024"), tick=False):
        item = info_item_create(
            actor=sender,
            title="Đối tượng lạ",
            content="Nội dung",
            topic="border",
            recipients=[world.u("ca_commune_a"), world.u("qs_commune_a")],
        )
    info_item_acknowledge(actor=police, item=item, at=at("01/08/2024", hour=10))
    start, end = dt.date(2024, 6, 15), dt.date(2024, 9, 14)

    def value(code: str, actor, unit) -> Decimal:  # type: ignore[no-untyped-def]
        scope = registry.Scope(actor=actor, unit=unit, start=start, end=end)
        return registry.get(code).value(scope)  # type: ignore[union-attr]

    assert value("exchange.items_sent", sender, world.u("bp_post_a")) == 1
    assert value("exchange.items_received", police, world.u("ca_commune_a")) == 1
    assert value("exchange.acknowledged_on_time", police, world.u("ca_commune_a")) == 1
    assert value("exchange.acknowledged_on_time_share", police, world.u("ca_commune_a")) == 100
    qs_user = user(world.u("qs_commune_a"))
    assert value("exchange.acknowledged_on_time", qs_user, world.u("qs_commune_a")) == 0
    assert value("exchange.acknowledged_on_time_share", qs_user, world.u("qs_commune_a")) == 0


def test_an_administrator_edits_an_entered_indicator_and_it_is_audited(admin_site):
    indicator = Indicator.objects.get(code="tt.tuan-tra")
    response = admin_site.post(
        f"/admin/indicators/indicator/{indicator.pk}/change/",
        {
            "name": "Số lượt tuần tra, kiểm soát chung",
            "unit": "lượt",
            "value_kind": "count",
            "aggregation": "sum",
            "description": "",
            "order": 1010,
            "is_active": "on",
            "expected_version": indicator.version,
        },
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.name == "Số lượt tuần tra, kiểm soát chung"
    assert AuditEntry.objects.filter(object_type="indicators.indicator", action="update").exists()


def test_an_administrator_adds_only_entered_indicators(admin_site):
    response = admin_site.post(
        "/admin/indicators/indicator/add/",
        {
            "code": "tt.hop-giao-ban",
            "name": "Số cuộc họp giao ban",
            "unit": "cuộc",
            "value_kind": "count",
            "aggregation": "sum",
            "order": 2000,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Indicator.objects.get(code="tt.hop-giao-ban").kind == "entered"


def test_a_derived_indicator_is_read_only_but_for_order_and_use(admin_site):
    indicator = Indicator.objects.get(code="cases.count")
    page = admin_site.get(f"/admin/indicators/indicator/{indicator.pk}/change/").content.decode()
    assert 'name="name"' not in page
    assert 'name="order"' in page


def test_report_forms_are_listed_in_the_admin(admin_site, db):
    from tests.indicators.conftest import build_regime

    build_regime()
    page = admin_site.get("/admin/indicators/reportform/").content.decode()
    assert "Báo cáo quý của Công an xã" in page
    change = admin_site.get("/admin/indicators/reportform/")
    assert change.status_code == 200


def test_an_administrator_opens_a_form_with_its_indicators(admin_site, db):
    from phoihop.indicators.models import ReportForm
    from tests.indicators.conftest import build_regime

    build_regime()
    form = ReportForm.objects.get(code="t-ca-xa-quy")
    page = admin_site.get(f"/admin/indicators/reportform/{form.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Số lượt tuần tra" in html and "lines-TOTAL_FORMS" in html
