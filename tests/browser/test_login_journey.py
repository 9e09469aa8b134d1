"""A commune officer logs in, sees their unit on the home page, and logs out — in a real browser."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import RecordedPage

pytestmark = pytest.mark.browser

UNIT_NAME = "Công an xã Sơn Kim 1"


def test_officer_logs_in_sees_their_unit_and_logs_out(
    reference_data: None, live_server, browser_page: RecordedPage, screenshot_dir: Path
) -> None:
    world = factories.build_world()
    officer = factories.user(world.u("ca_commune_a"), roles=("officer",), username="canbo.sonkim1")
    assert officer.unit is not None
    assert officer.unit.name == UNIT_NAME
    page = browser_page.page

    page.goto(f"{live_server.url}/")
    expect(page.locator("#id_username")).to_be_visible()
    page.locator("#id_username").fill("canbo.sonkim1")
    page.locator("#id_password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_text(UNIT_NAME).first).to_be_visible()
    page.screenshot(path=screenshot_dir / "login-home.png", full_page=True)

    page.get_by_role("button", name="Đăng xuất").click()

    expect(page.locator("#id_username")).to_be_visible()
    expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible()
    assert urlsplit(page.url).path.rstrip("/").endswith("login")
    page.screenshot(path=screenshot_dir / "logged-out.png", full_page=True)

    assert browser_page.requests, "the browser recorded no request at all"
    assert browser_page.foreign_requests(urlsplit(live_server.url).netloc) == []
    # Every page, style sheet and script came from the server itself, none missing.
    assert browser_page.failures == []
