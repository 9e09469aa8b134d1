"""Issue 5's mobilisation journey in a real browser: a commune police officer records a forum
"Công an lắng nghe ý kiến Nhân dân" with its opinions by topic (adding a topic row with htmx),
records one opinion individually, and sees the totals on the list and the landing page."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from phoihop.mobilisation.models import Forum
from tests import factories
from tests.browser.conftest import RecordedPage

pytestmark = pytest.mark.browser


def log_in(page: Page, base_url: str, username: str, path: str) -> None:
    page.goto(f"{base_url}{path}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base_url}{path}")


def test_an_officer_records_a_forum_with_its_opinions_and_sees_the_totals(
    reference_data: None, live_server, browser_page: RecordedPage, screenshot_dir: Path
) -> None:
    world = factories.build_world()
    factories.user(world.u("ca_commune_a"), roles=("officer",), username="canbo.cax")
    base = live_server.url
    page = browser_page.page

    # 1. The form: date, commune, attendees, total opinions, and opinions by topic.
    log_in(page, base, "canbo.cax", "/mobilisation/forums/new/")
    expect(page.get_by_role("link", name="Dân vận")).to_be_visible()
    page.get_by_label("Ngày tổ chức").fill("10/07/2024")
    page.get_by_label("Xã, phường").select_option(label="Xã Sơn Kim 1")
    page.get_by_label("Số người tham dự").fill("1508")
    page.get_by_label("Tổng số ý kiến").fill("27")
    page.locator('select[name="topics-0-topic"]').select_option(label="An ninh, trật tự")
    page.locator('input[name="topics-0-count"]').fill("12")
    page.locator('select[name="topics-1-topic"]').select_option(label="Trật tự an toàn giao thông")
    page.locator('input[name="topics-1-count"]').fill("9")
    # A third topic row, added in place by htmx.
    page.get_by_test_id("add-topic").click()
    third = page.locator('select[name="topics-2-topic"]')
    expect(third).to_be_visible()
    expect(page.locator("#id_topics-TOTAL_FORMS")).to_have_value("3")
    third.select_option(label="Lừa đảo, tín dụng đen, tội phạm mạng")
    page.locator('input[name="topics-2-count"]').fill("4")
    page.get_by_label("Đơn vị phối hợp").select_option(label="Ban Chỉ huy Quân sự xã Sơn Kim 1")
    page.screenshot(path=screenshot_dir / "mobilisation-1-forum-form.png", full_page=True)

    # A breakdown above the total is refused, naming the field; nothing is saved.
    page.get_by_label("Tổng số ý kiến").fill("20")
    page.get_by_role("button", name="Lưu diễn đàn").click()
    expect(page.get_by_text("vượt quá tổng số ý kiến (20)")).to_be_visible()
    assert not Forum.objects.exists()
    page.screenshot(path=screenshot_dir / "mobilisation-2-refused.png", full_page=True)
    page.get_by_label("Tổng số ý kiến").fill("27")
    page.get_by_role("button", name="Lưu diễn đàn").click()

    # 2. The detail: the breakdown, the unclassified rest, and one opinion recorded alone.
    expect(page.get_by_text("Đã ghi nhận diễn đàn.")).to_be_visible()
    expect(page.get_by_test_id("forum-figures")).to_contain_text("1.508 người tham dự, 27 ý kiến")
    expect(page.get_by_role("row", name="Chưa phân lĩnh vực 2")).to_be_visible()
    opinion_form = page.locator("form", has=page.get_by_role("button", name="Ghi ý kiến"))
    opinion_form.get_by_label("Lĩnh vực").select_option(label="Trật tự an toàn giao thông")
    opinion_form.get_by_label("Nội dung ý kiến").fill(
        "Đề nghị lắp gờ giảm tốc trước cổng trường tiểu học."
    )
    opinion_form.get_by_label("Đơn vị giải quyết").select_option(label="Công an xã Sơn Kim 1")
    opinion_form.get_by_role("button", name="Ghi ý kiến").click()
    expect(page.get_by_text("Đã ghi ý kiến.")).to_be_visible()
    expect(page.get_by_test_id("opinion")).to_contain_text("Đề nghị lắp gờ giảm tốc")
    expect(page.get_by_test_id("opinion-status")).to_have_text("Chưa trả lời")
    page.screenshot(path=screenshot_dir / "mobilisation-3-forum-detail.png", full_page=True)

    # 3. The list shows the totals of the filtered forums.
    page.get_by_role("link", name="Diễn đàn lắng nghe ý kiến").click()
    page.get_by_label("Từ ngày").fill("15/06/2024")
    page.get_by_label("Đến ngày").fill("14/09/2024")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_test_id("forum-row")).to_have_count(1)
    expect(page.get_by_test_id("total-forums")).to_have_text("01")
    expect(page.get_by_test_id("total-attendees")).to_have_text("1.508")
    expect(page.get_by_test_id("total-opinions")).to_have_text("27")
    expect(page.get_by_test_id("total-by-topic")).to_contain_text("An ninh, trật tự: 12")
    page.screenshot(path=screenshot_dir / "mobilisation-4-forum-list.png", full_page=True)

    # 4. The landing page of quý III/2024.
    page.goto(f"{base}/mobilisation/?start=15/06/2024&end=14/09/2024")
    expect(page.get_by_test_id("card-forums")).to_contain_text(
        "01 diễn đàn, 1.508 người tham dự, 27 ý kiến."
    )
    page.screenshot(path=screenshot_dir / "mobilisation-5-landing.png", full_page=True)

    forum = Forum.objects.get()
    assert dict(forum.topic_counts.values_list("topic", "count")) == {
        "security": 12,
        "traffic": 9,
        "fraud": 4,
    }
    assert browser_page.foreign_requests(urlsplit(base).netloc) == []
    assert browser_page.failures == []
