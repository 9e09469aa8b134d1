"""`load_demo` on an empty database: loading, the demo password, and bad scenario data."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

import phoihop_dev.demo.management.commands.load_demo as command
from phoihop.audit.models import AuditEntry
from phoihop.org.models import Unit, User
from phoihop_dev.demo.builder import DemoDataError, build, ensure_areas
from phoihop_dev.demo.data import DEFAULT
from phoihop_dev.demo.scenario import CommuneSpec
from tests.demo.support import run_load_demo

pytestmark = pytest.mark.django_db


def test_print_logins_on_an_empty_database_says_how_to_load() -> None:
    output = run_load_demo("--print-logins")
    assert "manage.py load_demo" in output
    assert not Unit.objects.exists()


def test_the_demo_password_can_come_from_the_environment(monkeypatch, client: Client) -> None:
    # A cut-down scenario: one unit and one user are enough to see which password they got.
    small = dataclasses.replace(
        DEFAULT,
        units=tuple(u for u in DEFAULT.units if u.key in {"ca.tinh", "ca.pv01"}),
        moves=(),
        users=tuple(u for u in DEFAULT.users if u.username == "ca.tinh.canbo"),
    )
    monkeypatch.setattr(command, "DEFAULT", small)
    monkeypatch.setenv("PHOIHOP_DEMO_PASSWORD", "Mat-khau-trinh-dien-rieng")
    output = run_load_demo()
    assert "mật khẩu chung: Mat-khau-trinh-dien-rieng" in output
    response = client.post(
        reverse("login"), {"username": "ca.tinh.canbo", "password": "Mat-khau-trinh-dien-rieng"}
    )
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize(
    ("code", "expected"),
    [("99999", "không tồn tại"), ("18229", "là Xã Đức Thọ thuộc Tỉnh Hà Tĩnh")],
)
def test_a_wrong_commune_code_fails_clearly_and_saves_nothing(code: str, expected: str) -> None:
    ensure_areas(DEFAULT)
    broken = dataclasses.replace(
        DEFAULT,
        communes=tuple(
            CommuneSpec(c.key, code, c.name, c.border, c.coast) if c.key == "son-kim-1" else c
            for c in DEFAULT.communes
        ),
    )
    audit_before = AuditEntry.objects.count()
    with pytest.raises(DemoDataError) as err:
        build(broken)
    assert code in err.value.message and "Xã Sơn Kim 1" in err.value.message
    assert expected in err.value.message
    assert "area" in err.value.fields
    assert not Unit.all_objects.exists() and not User.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_the_command_reports_a_wrong_code_as_a_command_error(monkeypatch) -> None:
    broken = dataclasses.replace(
        DEFAULT, communes=(CommuneSpec("x", "99999", "Xã Không Có"), *DEFAULT.communes)
    )
    monkeypatch.setattr(command, "DEFAULT", broken)
    with pytest.raises(CommandError, match="99999"):
        run_load_demo()
    assert not Unit.all_objects.exists()
