"""A small reporting regime on top of the test province: indicators, two forms, people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from phoihop.indicators.models import ConsistencyRule, Indicator, ReportForm
from phoihop.indicators.services import report_form_set_lines
from phoihop.org.models import Force, UnitLevel, User
from tests.factories import OrgWorld, user


def at(day: str, hour: int = 9) -> dt.datetime:
    """An aware local time on `day` (dd/mm/yyyy)."""
    return timezone.make_aware(dt.datetime.strptime(day, "%d/%m/%Y").replace(hour=hour))


def indicator(code: str, name: str, unit: str = "lượt", **extra: Any) -> Indicator:
    return Indicator.objects.create(code=code, name=name, unit=unit, **extra)


@dataclass
class Regime:
    patrols: Indicator
    subjects: Indicator
    wanted: Indicator
    budget: Indicator
    commune_form: ReportForm  # CA communes, quarterly
    province_form: ReportForm  # every force's provincial command, quarterly


def build_regime() -> Regime:
    patrols = indicator("t.patrols", "Số lượt tuần tra", order=1)
    subjects = indicator("t.subjects", "Số đối tượng bắt giữ, xử lý", "đối tượng", order=2)
    wanted = indicator("t.wanted", "Số đối tượng truy nã bắt được", "đối tượng", order=3)
    budget = indicator("t.budget", "Kinh phí phối hợp", "triệu đồng", value_kind="decimal", order=4)
    ConsistencyRule.objects.create(left=subjects, comparison="gte", right=wanted)
    commune_form = ReportForm.objects.create(
        code="t-ca-xa-quy",
        name="Báo cáo quý của Công an xã",
        force=Force.objects.get(code="CA"),
        level=UnitLevel.objects.get(code="xa"),
        period_kind="quarter",
        deadline_days=5,
    )
    report_form_set_lines(
        actor=None,
        form=commune_form,
        codes=["t.patrols", "t.subjects", "t.wanted", "t.budget", "cases.count"],
    )
    province_form = ReportForm.objects.create(
        code="t-tinh-quy",
        name="Báo cáo quý cấp tỉnh",
        force=None,
        level=UnitLevel.objects.get(code="tinh"),
        period_kind="quarter",
        deadline_days=10,
        rise_factor=Decimal(2),
    )
    report_form_set_lines(actor=None, form=province_form, codes=["t.patrols", "cases.count"])
    return Regime(patrols, subjects, wanted, budget, commune_form, province_form)


@pytest.fixture
def regime(world: OrgWorld) -> Regime:
    return build_regime()


@dataclass
class People:
    officer: User  # Công an xã Sơn Kim 1
    commune_commander: User
    other_commune_officer: User  # Công an xã Thiên Cầm
    commander: User  # Công an tỉnh: the next level up of the communes
    province_officer: User
    pc04_commander: User  # a sibling of the communes, not above them
    qs_commander: User
    qs_joint: User  # joint staff at the Military Command
    other_province_joint: User


@pytest.fixture
def people(world: OrgWorld) -> People:
    return People(
        officer=user(world.u("ca_commune_a"), roles=["officer"], username="canbo.sk1"),
        commune_commander=user(world.u("ca_commune_a"), roles=["commander"]),
        other_commune_officer=user(world.u("ca_commune_b"), roles=["officer"]),
        commander=user(world.u("ca_province"), roles=["commander"], username="chihuy.cat"),
        province_officer=user(world.u("ca_province"), roles=["officer"]),
        pc04_commander=user(world.u("ca_pc04"), roles=["commander"]),
        qs_commander=user(world.u("qs_province"), roles=["commander"]),
        qs_joint=user(world.u("qs_province"), roles=["joint_staff"]),
        other_province_joint=user(world.u("ca_other_province"), roles=["joint_staff"]),
    )
