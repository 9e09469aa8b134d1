"""The item catalogue in the admin: administrators edit it; a used canonical unit is fixed."""

from __future__ import annotations

import pytest

from phoihop.audit.models import AuditEntry
from phoihop.cases.models import CatalogueItem
from phoihop.cases.services import SeizedData
from tests.cases.conftest import make_case
from tests.factories import login, user

pytestmark = pytest.mark.django_db


def _form(item: CatalogueItem, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": item.name,
        "category": item.category,
        "canonical_unit": item.canonical_unit,
        "allowed_units": list(item.allowed_units),
        "report_phrase": item.report_phrase,
        "order": item.order,
        "is_active": "on",
        "expected_version": item.version,
    }
    data.update(changes)
    return data


def test_the_seeded_catalogue_is_listed_for_administrators(admin_site, world) -> None:  # type: ignore[no-untyped-def]
    page = admin_site.get("/admin/cases/catalogueitem/").content.decode()
    assert "Heroin" in page
    assert "gam heroin" in page


def test_an_administrator_adds_units_and_it_is_audited(admin_site, world) -> None:  # type: ignore[no-untyped-def]
    item = CatalogueItem.objects.get(code="go")
    response = admin_site.post(
        f"/admin/cases/catalogueitem/{item.pk}/change/", _form(item, allowed_units=["lít"])
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.input_units == ["m3", "lít"]
    assert AuditEntry.objects.filter(object_type="cases.catalogueitem", action="update").exists()


def test_a_unit_of_another_dimension_is_refused(admin_site, world) -> None:  # type: ignore[no-untyped-def]
    item = CatalogueItem.objects.get(code="heroin")
    response = admin_site.post(
        f"/admin/cases/catalogueitem/{item.pk}/change/", _form(item, allowed_units=["lít"])
    )
    assert response.status_code == 200
    assert "không quy đổi được" in response.content.decode()
    item.refresh_from_db()
    assert "lít" not in item.allowed_units


def test_the_canonical_unit_of_an_item_in_use_cannot_change(admin_site, world) -> None:  # type: ignore[no-untyped-def]
    officer = user(world.u("ca_commune_a"))
    make_case(officer, world, seized=[SeizedData(item="heroin", quantity="1", unit="gam")])
    item = CatalogueItem.objects.get(code="heroin")
    response = admin_site.post(
        f"/admin/cases/catalogueitem/{item.pk}/change/",
        _form(item, canonical_unit="kg", allowed_units=["gam"]),
    )
    assert response.status_code == 200
    assert "không đổi được đơn vị chuẩn" in response.content.decode()
    assert CatalogueItem.objects.get(code="heroin").canonical_unit == "gam"


def test_officers_cannot_open_the_catalogue_admin(client, world) -> None:  # type: ignore[no-untyped-def]
    login(client, user(world.u("ca_commune_a")))
    response = client.get("/admin/cases/catalogueitem/")
    assert response.status_code in (302, 403)
