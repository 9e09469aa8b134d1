"""Issue 4's journey in a real browser: a commune police officer records a case with two
subjects and two seized items entered in different units (0,01 kg and 1,09 gam of heroin),
adding the rows with htmx, and sees the totals on the list page in canonical units."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from phoihop.cases.models import Case
from tests import factories
from tests.browser.conftest import RecordedPage

pytestmark = pytest.mark.browser

TITLE = "Vận chuyển trái phép heroin qua khu vực mốc 420"


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/cases/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base_url}/cases/")


def fill_seized(row: Locator, *, item: str, quantity: str, unit: str) -> None:
    # A row just added by htmx listens for changes only once htmx has settled it; choosing the
    # item before that would fire no request (seen once in CI).
    busy = ".htmx-added, .htmx-settling, .htmx-swapping, .htmx-request"
    row.page.wait_for_function(f"() => !document.querySelector('{busy}')")
    row.get_by_label("Mặt hàng").select_option(label=item)
    # htmx replaces the unit options with the item's own units.
    unit_select = row.get_by_label("Đơn vị tính")
    expect(unit_select.locator("option")).to_have_text(["gam", "mg", "kg"])
    unit_select.select_option(value=unit)
    row.get_by_label("Số lượng").fill(quantity)


def test_officer_records_a_case_with_inline_rows_and_sees_the_totals(
    reference_data: None, live_server, browser_page: RecordedPage, screenshot_dir: Path
) -> None:
    world = factories.build_world()
    factories.user(world.u("ca_commune_a"), roles=("officer",), username="canbo.sonkim")
    base = live_server.url
    page = browser_page.page

    log_in(page, base, "canbo.sonkim")
    expect(page.get_by_role("link", name="Vụ việc", exact=True)).to_be_visible()
    page.get_by_role("link", name="+ Ghi nhận vụ việc").click()

    page.get_by_label("Tên vụ việc").fill(TITLE)
    page.get_by_label("Tóm tắt").fill("Bắt quả tang hai đối tượng cất giấu heroin trong xe máy.")
    page.get_by_label("Loại vụ việc").select_option(label="Ma túy")
    page.get_by_label("Địa bàn xảy ra").select_option(label="Biên giới đất liền")
    page.get_by_label("Xã, phường").select_option(label="Xã Sơn Kim 1")

    # Two subjects: the first row is there, the second is added with htmx.
    subjects = page.get_by_test_id("subject-row")
    first = subjects.nth(0)
    first.get_by_label("Họ tên / tên tổ chức").fill("Nguyễn Văn A")
    first.get_by_label("Số định danh cá nhân").fill("042090001234")
    first.get_by_label("Năm sinh").fill("1990")
    first.get_by_label("Vai trò").select_option(label="Bị bắt giữ")
    page.get_by_role("button", name="+ Thêm đối tượng").click()
    expect(subjects).to_have_count(2)
    second = subjects.nth(1)
    second.get_by_label("Họ tên / tên tổ chức").fill("Trần Thị B")
    second.get_by_label("Giới tính").select_option(label="Nữ")
    # A row added by mistake is taken away again.
    page.get_by_role("button", name="+ Thêm đối tượng").click()
    expect(subjects).to_have_count(3)
    subjects.nth(2).get_by_role("button", name="Bỏ dòng").click()
    expect(subjects).to_have_count(2)

    # Two seized items of heroin, in kilograms and in grams.
    seized = page.get_by_test_id("seized-row")
    fill_seized(seized.nth(0), item="Heroin", quantity="0,01", unit="kg")
    page.get_by_role("button", name="+ Thêm tang vật").click()
    expect(seized).to_have_count(2)
    fill_seized(seized.nth(1), item="Heroin", quantity="1,09", unit="gam")
    page.screenshot(path=screenshot_dir / "cases-1-create.png", full_page=True)
    page.get_by_role("button", name="Ghi nhận vụ việc", exact=True).click()

    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_text("Đã ghi nhận vụ việc số 01/VV-CAX-SK1.")).to_be_visible()
    expect(page.get_by_test_id("subject")).to_have_count(2)
    expect(page.get_by_test_id("seized-entered")).to_have_text(["0,01 kg", "1,09 gam"])
    expect(page.get_by_test_id("seized-canonical")).to_have_text(["10 gam", "1,09 gam"])
    page.screenshot(path=screenshot_dir / "cases-2-detail.png", full_page=True)

    # The edit page shows the rows as they were entered.
    page.get_by_role("link", name="Sửa vụ việc").click()
    edited = page.get_by_test_id("seized-row")
    expect(edited.nth(0).get_by_label("Số lượng")).to_have_value("0,01")
    expect(edited.nth(0).get_by_label("Đơn vị tính")).to_have_value("kg")
    expect(page.get_by_test_id("subject-row")).to_have_count(2)
    page.screenshot(path=screenshot_dir / "cases-3-edit.png", full_page=True)
    page.get_by_role("link", name="Hủy").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()

    page.get_by_role("link", name="Danh sách vụ việc").click()
    expect(page.get_by_test_id("case-row")).to_have_count(1)
    expect(page.get_by_test_id("total-cases")).to_have_text("01")
    expect(page.get_by_test_id("total-persons")).to_have_text("02")
    expect(page.get_by_test_id("total-organisations")).to_have_text("0")
    expect(page.get_by_test_id("seized-total")).to_have_text(["11,09 gam heroin"])
    expect(page.get_by_test_id("total-by-lead-force")).to_contain_text("Công an: 01 vụ")
    page.screenshot(path=screenshot_dir / "cases-4-list-totals.png", full_page=True)

    # The same list on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.screenshot(path=screenshot_dir / "cases-5-phone.png", full_page=True)

    case = Case.objects.get()
    assert sorted(s.name for s in case.subjects.all()) == ["Nguyễn Văn A", "Trần Thị B"]
    assert sorted(s.quantity for s in case.seized_items.all()) == [Decimal("1.09"), Decimal(10)]
    assert browser_page.foreign_requests(urlsplit(base).netloc) == []
    assert browser_page.failures == []
