"""The home page: who the user is, their unit, and the unit's place in the tree."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from phoihop.core.enums import Classification
from tests import factories
from tests.ui.conftest import password_login

pytestmark = pytest.mark.django_db


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def test_home_greets_the_user_with_unit_force_level_roles_and_clearance(
    officer_client: Client,
) -> None:
    html = officer_client.get(reverse("home")).content.decode()
    me = _section(html, "me-heading")

    assert "Xin chào, Cán bộ canbo.sk1" in html
    assert "Công an xã Sơn Kim 1" in me
    assert "Công an" in me
    assert "Cấp xã" in me
    assert "Tỉnh Hà Tĩnh" in me
    assert '<span class="badge text-bg-primary me-1">Cán bộ</span>' in me
    assert "Thường" in me


def test_commune_unit_shows_the_units_above_it(officer_client: Client) -> None:
    html = officer_client.get(reverse("home")).content.decode()
    tree = _section(html, "tree-heading")

    assert '<li class="breadcrumb-item">Công an tỉnh Hà Tĩnh</li>' in tree
    assert "Công an xã Sơn Kim 1</li>" in tree
    assert "Đơn vị không có đơn vị trực thuộc." in tree


def test_province_unit_lists_its_own_units_only(world, client: Client) -> None:
    commander = factories.user(
        world.u("ca_province"),
        roles=("commander", "joint_staff"),
        clearance=Classification.THUONG,
        username="chihuy.cat",
    )
    password_login(client, commander)

    html = client.get(reverse("home")).content.decode()
    me = _section(html, "me-heading")
    tree = _section(html, "tree-heading")

    assert "Chỉ huy" in me and "Tham mưu tổng hợp" in me
    for name in (
        "Phòng Cảnh sát điều tra tội phạm về ma túy",
        "Công an xã Sơn Kim 1",
        "Công an xã Thiên Cầm",
    ):
        assert name in tree
    for other in (
        "Bộ Chỉ huy Quân sự tỉnh Hà Tĩnh",
        "Đồn Biên phòng Sơn Kim",
        "Công an tỉnh Nghệ An",
    ):
        assert other not in tree


def test_user_without_unit_sees_a_plain_home(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    root = factories.user(None, username="root", is_superuser=True)
    password_login(client, root)

    html = client.get(reverse("home")).content.decode()

    assert "Không thuộc đơn vị" in html
    assert 'id="tree-heading"' not in html
