"""The page shell: Vietnamese layout, navigation, who-and-where header, language and logout."""

from __future__ import annotations

import re
from html import escape

import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.urls import reverse

from phoihop.core.templatetags.phoihop_ui import MODULES
from tests import factories
from tests.ui.conftest import password_login

pytestmark = pytest.mark.django_db

MODULE_LABELS = [
    "Trao đổi thông tin",
    "Vụ việc",
    "Hoạt động phối hợp",
    "Dân vận",
    "Chỉ tiêu & báo cáo",
    "Báo cáo sơ kết",
    "Bản đồ",
]


def _home(client: Client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_layout_is_vietnamese_and_fits_a_phone(officer_client: Client) -> None:
    html = _home(officer_client)

    assert '<html lang="vi">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert 'class="navbar-toggler"' in html
    assert 'data-bs-target="#main-nav"' in html
    assert 'class="collapse navbar-collapse" id="main-nav"' in html


def test_header_always_shows_unit_clearance_and_installation_ceiling(
    officer_client: Client,
) -> None:
    html = _home(officer_client)
    header = html[html.index('class="identity-bar') : html.index("</header>")]

    # Outside the collapsed menu, so that it stays visible on a phone.
    assert "navbar-collapse" not in header
    assert "Công an xã Sơn Kim 1" in header
    assert "Mức: Thường" in header
    assert "Hệ thống được lưu đến mức: Thường" in header


@override_settings(PHOIHOP_MAX_CLASSIFICATION="mat")
def test_header_shows_the_configured_ceiling(officer_client: Client) -> None:
    assert "Hệ thống được lưu đến mức: Mật" in _home(officer_client)


def test_every_module_is_a_link_once_its_app_is_built(officer_client: Client) -> None:
    html = _home(officer_client)

    assert [str(entry.label) for entry in MODULES] == MODULE_LABELS
    for label in MODULE_LABELS:
        shown = escape(label, quote=False)
        assert re.search(r"<a [^>]*>\s*" + re.escape(shown), html), label
        assert "sắp có" not in html


@override_settings(ROOT_URLCONF="tests.ui.urls_without_dashboards")
def test_a_module_whose_app_is_absent_is_disabled_with_a_hint_not_a_dead_link(
    officer_client: Client,
) -> None:
    html = officer_client.get(reverse("exchange:index")).content.decode()

    assert re.search(
        r'<span class="nav-link disabled" aria-disabled="true"[^>]*>Bản đồ'
        r' <span class="badge[^"]*">sắp có</span>',
        html,
    )
    assert not re.search(r"<a [^>]*>\s*Bản đồ", html)


def test_the_map_entry_is_the_active_link_on_the_map_page(officer_client: Client) -> None:
    url = reverse("dashboards:map")
    html = officer_client.get(url).content.decode()

    assert f'<a class="nav-link active" href="{url}" aria-current="page">Bản đồ</a>' in html


def test_language_switch_posts_to_set_language(officer_client: Client) -> None:
    html = _home(officer_client)
    form = html[html.index(f'action="{reverse("set_language")}"') :]
    form = form[: form.index("</form>")]

    assert 'method="post"' in form
    assert "csrfmiddlewaretoken" in form
    assert 'name="next" value="/"' in form
    assert 'name="language" value="vi"' in form
    assert 'name="language" value="en"' in form


def test_logout_is_a_post_form_button(officer_client: Client) -> None:
    html = _home(officer_client)

    assert re.search(
        r'<form action="/logout/" method="post"[^>]*>\s*<input type="hidden" '
        r'name="csrfmiddlewaretoken"[^>]*>\s*<button type="submit"[^>]*>Đăng xuất</button>',
        html,
    )
    assert 'href="/logout/"' not in html


def test_officer_sees_no_admin_link(officer_client: Client) -> None:
    assert 'href="/admin/"' not in _home(officer_client)


@pytest.mark.parametrize("kind", ["administrator_role", "staff"])
def test_administrators_and_staff_see_the_admin_link(world, client: Client, kind: str) -> None:
    roles = ("administrator",) if kind == "administrator_role" else ("officer",)
    admin = factories.user(world.u("ca_province"), roles=roles, username=f"qt.{kind}")
    if kind == "staff":
        admin.is_staff = True
        admin.save(update_fields=["is_staff"])
    password_login(client, admin)

    assert '<a class="btn btn-sm btn-outline-light" href="/admin/">Quản trị</a>' in _home(client)


def test_messages_are_shown_as_bootstrap_alerts(rf, officer) -> None:  # type: ignore[no-untyped-def]
    request = rf.get("/")
    request.user = officer
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    messages.error(request, "Có lỗi xảy ra.")
    messages.success(request, "Đã lưu.")

    html = render_to_string("base.html", request=request)

    assert '<div class="alert alert-danger alert-dismissible fade show" role="alert">' in html
    assert '<div class="alert alert-success alert-dismissible fade show" role="alert">' in html
    assert "Có lỗi xảy ra." in html


def test_login_page_shows_no_navigation_for_anonymous_visitors(client: Client) -> None:
    html = client.get(reverse("login")).content.decode()

    assert "sắp có" not in html
    assert "identity-bar" not in html
    assert 'name="language" value="en"' in html
