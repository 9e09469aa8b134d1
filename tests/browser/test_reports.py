"""Issue 7's journey in a real browser: a provincial police officer opens the report preview,
sees the figures with links to their records and follows one, then records a conference task
and adds a progress note with htmx; the open task appears in the next quarter's report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from phoihop.mobilisation.services import forum_create
from phoihop.reports.models import ConferenceTask
from tests import factories
from tests.browser.conftest import RecordedPage

pytestmark = pytest.mark.browser


def log_in(page: Page, base_url: str, username: str, path: str) -> None:
    page.goto(f"{base_url}{path}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base_url}{path}")


def test_an_officer_reads_the_report_follows_a_figure_and_records_a_task(
    reference_data: None, live_server, browser_page: RecordedPage, screenshot_dir: Path
) -> None:
    world = factories.build_world()
    officer = factories.user(world.u("ca_province"), roles=("officer",), username="canbo.cat")
    for day, commune in (
        (dt.date(2024, 7, 2), world.commune_a),
        (dt.date(2024, 8, 9), world.commune_b),
    ):
        forum_create(
            actor=officer,
            start_date=day,
            commune=commune,
            attendees=60,
            opinions=9,
            title="Diễn đàn",
        )
    base = live_server.url
    page = browser_page.page

    # 1. The preview of quý III/2024: the forums figure links to the forums behind it.
    log_in(page, base, "canbo.cat", "/reports/?area=42&period=2024-Q3")
    expect(page.get_by_role("link", name="Báo cáo sơ kết")).to_be_visible()
    forums = page.locator('[data-testid="figure"][data-key="mobilisation.forums"]')
    link = forums.get_by_test_id("figure-link")
    expect(link).to_have_text("02 diễn đàn")
    page.screenshot(path=screenshot_dir / "reports-1-preview.png", full_page=True)
    link.click()
    page.wait_for_url("**/mobilisation/forums/**")
    expect(page.get_by_test_id("forum-row")).to_have_count(2)
    page.screenshot(path=screenshot_dir / "reports-2-figure-records.png", full_page=True)

    # A bad period gets a clear message on the page.
    page.goto(f"{base}/reports/?area=42&period=2024-Q9")
    expect(page.get_by_test_id("report-error")).to_contain_text(
        "Kỳ báo cáo “2024-Q9” không hợp lệ."
    )

    # 2. A conference task from the quý III conference; a deadline before it is refused.
    page.goto(f"{base}/reports/tasks/new/")
    page.get_by_label("Kỳ báo cáo của hội nghị").fill("2024-Q3")
    page.get_by_label("Địa bàn").select_option(label="Tỉnh Hà Tĩnh")
    page.get_by_label("Ngày hội nghị").fill("10/10/2024")
    page.get_by_label("Nội dung nhiệm vụ").fill(
        "Duy trì diễn đàn lắng nghe ý kiến Nhân dân tại các xã biên giới"
    )
    page.get_by_label("Lực lượng chủ trì").select_option(label="Công an")
    page.get_by_label("Bộ đội Biên phòng").check()
    page.get_by_label("Thời hạn").fill("01/10/2024")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Thời hạn không được trước ngày hội nghị.")).to_be_visible()
    assert not ConferenceTask.all_objects.exists()
    page.get_by_label("Thời hạn").fill("30/11/2024")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã ghi nhận nhiệm vụ.")).to_be_visible()
    expect(page.get_by_test_id("task-status")).to_have_text("Mới giao")

    # 3. A progress note, added in place by htmx.
    detail_url = page.url
    page.get_by_label("Kết quả thực hiện").fill("Đã tổ chức 02 diễn đàn tại xã Sơn Kim 1")
    page.get_by_role("button", name="Ghi kết quả").click()
    expect(page.get_by_test_id("note")).to_contain_text("Đã tổ chức 02 diễn đàn tại xã Sơn Kim 1")
    assert page.url == detail_url
    page.get_by_role("button", name="Chuyển sang “Đang thực hiện”").click()
    expect(page.get_by_test_id("task-status")).to_have_text("Đang thực hiện")
    page.screenshot(path=screenshot_dir / "reports-3-task.png", full_page=True)

    # 4. The open, overdue task is carried into the next quarter's report.
    page.goto(f"{base}/reports/?area=42&period=2024-Q4")
    tasks = page.locator('[data-testid="section"][data-key="tasks"]')
    expect(tasks).to_contain_text("Duy trì diễn đàn lắng nghe ý kiến Nhân dân")
    expect(tasks).to_contain_text("đã quá hạn")
    page.screenshot(path=screenshot_dir / "reports-4-next-quarter.png", full_page=True)

    task = ConferenceTask.objects.get()
    assert task.notes.count() == 1 and task.status == "in_progress"
    assert browser_page.foreign_requests(urlsplit(base).netloc) == []
    assert browser_page.failures == []
