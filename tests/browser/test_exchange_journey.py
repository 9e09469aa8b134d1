"""Issue 3's journey in a real browser: a Border Guard post sends a Khẩn item to the Police and
the Military Command with a verification request; the Police acknowledge it and answer the
verification; the sender sees both receipts and the result."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from phoihop.exchange.models import Receipt, VerificationRequest
from tests import factories
from tests.browser.conftest import RecordedPage

pytestmark = pytest.mark.browser

TITLE = "Đối tượng Nguyễn Văn Hùng nghi vận chuyển ma túy qua cửa khẩu"
POLICE = "Công an tỉnh Hà Tĩnh"
MILITARY = "Bộ Chỉ huy Quân sự tỉnh Hà Tĩnh"
FINDINGS = "Đã xác minh: đối tượng cư trú tại xã Sơn Kim 1, có tiền án về ma túy."


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/exchange/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base_url}/exchange/")


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.locator("#id_username")).to_be_visible()


def test_border_post_sends_police_acknowledges_and_verifies_sender_sees_the_result(
    reference_data: None, live_server, browser_page: RecordedPage, screenshot_dir: Path
) -> None:
    world = factories.build_world()
    factories.user(world.u("bp_post_a"), roles=("officer",), username="canbo.donsonkim")
    police = factories.user(world.u("ca_province"), roles=("officer",), username="canbo.cat")
    base = live_server.url
    page = browser_page.page

    # 1. The Border Guard officer composes a Khẩn item with a verification request.
    log_in(page, base, "canbo.donsonkim")
    expect(page.get_by_role("link", name="Trao đổi thông tin")).to_be_visible()
    page.get_by_role("link", name="+ Gửi thông tin").click()
    page.get_by_label("Trích yếu").fill(TITLE)
    page.get_by_role("textbox", name="Nội dung", exact=True).fill(
        "Qua nắm tình hình, đối tượng thường xuyên qua lại khu vực mốc 420 vào ban đêm."
    )
    page.get_by_label("Lĩnh vực").select_option(label="Ma túy")
    page.get_by_label("Độ khẩn").select_option(label="Khẩn")
    page.get_by_label("Độ tin cậy của nguồn").select_option(value="B")
    page.get_by_label("Mức xác thực của thông tin").select_option(value="2")
    page.get_by_label("Địa bàn").select_option(label="Xã Sơn Kim 1")
    page.get_by_label("Đơn vị nhận", exact=True).select_option(label=[POLICE, MILITARY])
    page.get_by_label("Đơn vị xác minh", exact=True).select_option(label=POLICE)
    page.get_by_label("Nội dung cần xác minh").fill("Xác minh nhân thân, nơi cư trú của đối tượng.")
    page.screenshot(path=screenshot_dir / "exchange-1-compose.png", full_page=True)
    page.get_by_role("button", name="Gửi thông tin").click()

    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_text("Đã gửi thông tin số 01/TT-DBP-SK.")).to_be_visible()
    expect(page.get_by_test_id("receipt")).to_have_count(2)
    page.screenshot(path=screenshot_dir / "exchange-2-sent.png", full_page=True)
    log_out(page)

    # 2. The Police officer sees it in the inbox, opens it, acknowledges it, answers.
    log_in(page, base, "canbo.cat")
    first = page.get_by_test_id("inbox-item").first
    expect(first).to_contain_text(TITLE)
    expect(first.locator(".urgency-badge")).to_have_text("Khẩn")
    expect(first.locator(".due-countdown")).to_contain_text("còn")
    page.screenshot(path=screenshot_dir / "exchange-3-inbox.png", full_page=True)
    first.get_by_role("link", name=TITLE).click()

    expect(page.get_by_test_id("evaluation-code")).to_have_text("B2")
    page.get_by_role("button", name="Xác nhận đã nhận").click()
    ack = page.locator(".ack-block")
    expect(ack).to_contain_text("Đã xác nhận")
    expect(ack).to_contain_text("đúng hạn")
    # htmx swapped the block in place (the plain-POST fallback would redirect with a message)
    # and refreshed the receipts table beside it.
    expect(page.get_by_text("Đã xác nhận thông tin số")).to_have_count(0)
    expect(page.locator('[data-testid="receipt"][data-unit="CAT"]')).to_contain_text("Đã xác nhận")
    page.screenshot(path=screenshot_dir / "exchange-4-acknowledged.png", full_page=True)

    verification = page.get_by_test_id("verification")
    verification.get_by_role("combobox", name="Kết quả", exact=True).select_option(
        label="Xác minh đúng"
    )
    verification.get_by_label("Kết quả xác minh cụ thể").fill(FINDINGS)
    verification.get_by_role("button", name="Gửi kết quả xác minh").click()
    expect(page.get_by_text("Đã trả lời yêu cầu xác minh.")).to_be_visible()
    expect(page.get_by_test_id("verification-result")).to_have_text("Xác minh đúng")
    page.screenshot(path=screenshot_dir / "exchange-5-verified.png", full_page=True)
    log_out(page)

    # 3. The sender sees both receipts (one acknowledged) and the verification result.
    log_in(page, base, "canbo.donsonkim")
    page.get_by_role("link", name="Thông tin đã gửi").click()
    item = page.get_by_test_id("outbox-item").first
    police_row = item.locator('[data-testid="receipt"][data-unit="CAT"]')
    military_row = item.locator('[data-testid="receipt"][data-unit="BCHQS"]')
    expect(police_row).to_contain_text("Đã xác nhận")
    expect(police_row).to_contain_text(str(police))
    expect(military_row).to_contain_text("Chưa xác nhận")
    page.screenshot(path=screenshot_dir / "exchange-6-outbox.png", full_page=True)

    item.get_by_role("link", name=TITLE).click()
    expect(page.get_by_test_id("verification-result")).to_have_text("Xác minh đúng")
    expect(page.get_by_test_id("verification-findings")).to_contain_text(FINDINGS)
    expect(page.get_by_role("button", name="Kết thúc xác minh")).to_be_visible()
    page.screenshot(path=screenshot_dir / "exchange-7-result.png", full_page=True)

    # The same detail on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.screenshot(path=screenshot_dir / "exchange-8-phone.png", full_page=True)

    receipts = {r.unit.code: r for r in Receipt.objects.select_related("unit")}
    assert receipts["CAT"].acknowledged_by == police
    assert receipts["BCHQS"].acknowledged_at is None
    assert VerificationRequest.objects.get().result == "confirmed"
    assert browser_page.foreign_requests(urlsplit(base).netloc) == []
    assert browser_page.failures == []
