"""The admin's area pickers of a unit: the areas in force first, and an area that has ended
labelled with its dates, so that a province that kept its name (and its code) through the 2025
reform never shows twice under the same name."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client

from phoihop.org.areas import load_areas
from phoihop.org.enums import AreaLevel
from phoihop.org.models import AdministrativeArea
from tests.factories import OrgWorld, login, user


@pytest.fixture
def admin_site(world: OrgWorld) -> Client:
    client = Client()
    login(client, user(world.u("ca_province"), roles=("administrator",), username="qt.dia.ban"))
    return client


def _options(page: str, field: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{field}"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None
    return [unescape(label) for label in re.findall(r"<option[^>]*>([^<]*)</option>", select[1])]


def test_a_units_province_and_areas_show_which_were_in_force(admin_site: Client, world):
    load_areas(provinces=["42"])
    old = AdministrativeArea.objects.get(
        level=AreaLevel.PROVINCE, code="42", valid_until__isnull=False
    )
    unit = world.u("ca_province")
    unit.province = old
    unit.save()
    district = AdministrativeArea.objects.filter(level=AreaLevel.DISTRICT, parent=old).first()
    assert district is not None
    unit.areas.add(district, world.commune_a)
    page = admin_site.get(f"/admin/org/unit/{unit.pk}/change/").content.decode()
    # The selected options (the autocomplete widget renders only those).
    assert _options(page, "province") == [f"{old.name} (đến 30/06/2025)"]
    areas = _options(page, "areas")
    assert f"{district.name} (đến 30/06/2025)" in areas and world.commune_a.name in areas
    assert len(set(areas)) == len(areas)


def test_the_area_search_offers_the_areas_in_force_first(admin_site: Client, world):
    load_areas(provinces=["42"])
    found = admin_site.get(
        "/admin/autocomplete/",
        {"app_label": "org", "model_name": "unit", "field_name": "province", "term": "ha tinh"},
    ).json()
    ids = [int(r["id"]) for r in found["results"]]
    provinces = {a.pk: a for a in AdministrativeArea.objects.filter(pk__in=ids)}
    assert len(ids) == 2
    assert provinces[ids[0]].valid_until is None and provinces[ids[1]].valid_until is not None


def test_the_autocomplete_never_lists_two_provinces_under_the_same_name(admin_site: Client):
    """Django's autocomplete (and every ModelChoiceField) labels an area with `str(area)`."""
    load_areas(provinces=["42"])
    answer = admin_site.get(
        "/admin/autocomplete/",
        {
            "term": "Hà Tĩnh",
            "app_label": "org",
            "model_name": "unit",
            "field_name": "province",
        },
    )
    assert answer.status_code == 200, answer.content
    labels = [row["text"] for row in answer.json()["results"]]
    same_code = AdministrativeArea.objects.filter(level=AreaLevel.PROVINCE, code="42")
    assert same_code.count() == 2
    assert len(labels) == len(set(labels)) >= 2
    assert any("(đến 30/06/2025)" in label for label in labels)
