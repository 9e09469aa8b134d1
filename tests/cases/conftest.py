from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from phoihop.cases.services import SeizedData, SubjectData, case_create
from tests.factories import OrgWorld, user


def at(day: str, hour: int = 9) -> dt.datetime:
    """An aware local time on `day` (dd/mm/yyyy)."""
    d = dt.datetime.strptime(day, "%d/%m/%Y").replace(hour=hour)
    return timezone.make_aware(d)


def make_case(actor: Any, world: OrgWorld, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "title": "Vận chuyển trái phép chất ma túy",
        "category": "drugs",
        "domain": "land_border",
        "commune": world.commune_a,
        "detected_at": at("01/08/2024"),
    }
    values.update(overrides)
    return case_create(actor=actor, **values)


@pytest.fixture
def officer(world: OrgWorld) -> Any:
    return user(world.u("ca_commune_a"), roles=["officer"])


@pytest.fixture
def two_subjects() -> list[SubjectData]:
    return [
        SubjectData(name="Nguyễn Văn A", birth_year=1990, sex="male", citizen_id="042090001234"),
        SubjectData(name="Trần Thị B", birth_date=dt.date(2001, 3, 5), sex="female"),
    ]


@pytest.fixture
def heroin_in_two_units() -> list[SeizedData]:
    return [
        SeizedData(item="heroin", quantity="0,01", unit="kg"),
        SeizedData(item="heroin", quantity=Decimal("1.09"), unit="gam"),
    ]
