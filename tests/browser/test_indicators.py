"""Issue 6's journey in a real browser: a commune police officer fills in the quarterly report and
sends it (explaining a figure that jumped against the previous quarter); the provincial commander
returns it with a reason; it is corrected and sent again, and approved; the completeness page
shows the report missing before and approved after."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from phoihop.indicators.models import Submission
from phoihop.indicators.periods import Period, PeriodKind
from phoihop.indicators.services import (
    submission_approve,
    submission_create,
    submission_submit,
    submission_values_set,
)
from tests import factories
from tests.browser.conftest import RecordedPage
from tests.indicators.conftest import build_regime

pytestmark = pytest.mark.browser

REASON = "Số đối tượng bắt giữ chưa khớp với sổ theo dõi của đơn vị, đề nghị kiểm tra lại."
EXPLANATION = "Tháng 10 đơn vị mở đợt cao điểm tấn công trấn áp tội phạm nên tăng tuần tra."


def at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def log_in(page: Page, base_url: str, username: str, target: str) -> None:
    page.goto(f"{base_url}{target}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base_url}{target}")


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.locator("#id_username")).to_be_visible()


def test_a_commune_report_is_sent_returned_resent_and_approved(
    reference_data: None, live_server, browser_page: RecordedPage, screenshot_dir: Path
) -> None:
    world = factories.build_world()
    regime = build_regime()
    officer = factories.user(world.u("ca_commune_a"), roles=("officer",), username="canbo.sk1")
    commander = factories.user(world.u("ca_province"), roles=("commander",), username="chihuy.cat")
    # The current quarter (its window has begun; its deadline is ahead) and the one before it,
    # already approved: the soft rule compares against it.
    current = Period.containing(timezone.localdate(), PeriodKind.QUARTER)
    previous = current.previous
    before = submission_create(
        actor=officer, form=regime.commune_form, period=previous, at=at(previous.end, 8)
    )
    submission_values_set(
        actor=officer,
        submission=before,
        values={"t.patrols": "12", "t.subjects": "3", "t.wanted": "1", "t.budget": "2,5"},
        localized=True,
    )
    submission_submit(actor=officer, submission=before, at=at(previous.end, 10))
    submission_approve(actor=commander, submission=before, at=at(previous.end, 15))
    base = live_server.url
    page = browser_page.page
    completeness_url = f"/indicators/completeness/?period={current.key}&form=t-ca-xa-quy"

    # 1. Before: the commander sees the commune's report missing.
    log_in(page, base, "chihuy.cat", completeness_url)
    expect(
        page.get_by_role("heading", name=f"Tình hình gửi báo cáo – {current.label}")
    ).to_be_visible()
    expect(page.locator('[data-testid="late-row"][data-unit="CAX-SK1"]')).to_contain_text(
        "chưa gửi"
    )
    expect(page.get_by_test_id("tally-total")).to_contain_text("0,0%")
    page.screenshot(path=screenshot_dir / "indicators-1-completeness-before.png", full_page=True)
    log_out(page)

    # 2. The commune officer opens the report from the module's page and fills it in.
    log_in(page, base, "canbo.sk1", "/indicators/")
    page.get_by_role("link", name="Chỉ tiêu & báo cáo").click()
    duty = page.locator(f'[data-testid="duty"][data-period="{current.key}"]')
    expect(duty).to_contain_text(current.title)
    duty.get_by_role("button", name="Lập báo cáo").click()
    expect(page.get_by_text("Đã lập báo cáo (bản nháp).")).to_be_visible()
    expect(
        page.get_by_role("heading", name=f"Báo cáo quý của Công an xã – {current.title}")
    ).to_be_visible()
    page.get_by_label("Số lượt tuần tra", exact=True).fill("60")
    page.get_by_label("Số đối tượng bắt giữ, xử lý", exact=True).fill("4")
    page.get_by_label("Số đối tượng truy nã bắt được", exact=True).fill("1")
    page.get_by_label("Kinh phí phối hợp", exact=True).fill("3,5")
    derived = page.locator('[data-testid="sheet-row"][data-code="cases.count"]')
    expect(derived).to_contain_text("Tính từ dữ liệu")
    page.screenshot(path=screenshot_dir / "indicators-2-filled.png", full_page=True)
    page.get_by_role("button", name="Gửi báo cáo").click()

    # The jump against the previous quarter (12 → 60) must be explained first.
    warning = page.locator(
        '[data-testid="sheet-row"][data-code="t.patrols"] [data-testid="soft-warning"]'
    )
    expect(warning).to_contain_text("gấp hơn 3 lần")
    expect(page.get_by_test_id("form-errors")).to_contain_text("cần giải trình")
    page.screenshot(path=screenshot_dir / "indicators-3-explain.png", full_page=True)
    page.get_by_label("Giải trình: Số lượt tuần tra").fill(EXPLANATION)
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_text("Đã gửi báo cáo lên Công an tỉnh Hà Tĩnh.")).to_be_visible()
    expect(page.get_by_test_id("submission-status")).to_have_text("Đã gửi, chờ duyệt")
    expect(page.get_by_test_id("explanation")).to_have_text(EXPLANATION)
    page.screenshot(path=screenshot_dir / "indicators-4-sent.png", full_page=True)
    log_out(page)

    # 3. The provincial commander returns it from the approval queue, with a reason.
    log_in(page, base, "chihuy.cat", "/indicators/queue/")
    row = page.locator('[data-testid="queue-row"][data-unit="CAX-SK1"]')
    expect(row).to_contain_text(current.key)
    row.get_by_role("link", name="Công an xã Sơn Kim 1").click()
    page.get_by_label("Lý do trả lại").fill(REASON)
    page.screenshot(path=screenshot_dir / "indicators-5-return.png", full_page=True)
    page.get_by_role("button", name="Trả lại").click()
    expect(page.get_by_text("Đã trả lại báo cáo cho đơn vị.")).to_be_visible()
    expect(page.get_by_test_id("submission-status")).to_have_text("Bị trả lại")
    log_out(page)

    # 4. The officer reads the reason, corrects the figure and sends it again.
    log_in(page, base, "canbo.sk1", "/indicators/")
    page.locator(f'[data-testid="duty"][data-period="{current.key}"]').get_by_role(
        "link", name="Mở báo cáo"
    ).click()
    expect(page.get_by_test_id("return-reason")).to_contain_text(REASON)
    page.get_by_label("Số đối tượng bắt giữ, xử lý", exact=True).fill("5")
    page.screenshot(path=screenshot_dir / "indicators-6-correct.png", full_page=True)
    page.get_by_role("button", name="Gửi lại báo cáo").click()
    expect(page.get_by_text("Đã gửi báo cáo lên Công an tỉnh Hà Tĩnh.")).to_be_visible()
    log_out(page)

    # 5. The commander approves it: it is locked, and the completeness page shows the change.
    log_in(page, base, "chihuy.cat", "/indicators/queue/")
    page.locator('[data-testid="queue-row"][data-unit="CAX-SK1"]').get_by_role(
        "link", name="Công an xã Sơn Kim 1"
    ).click()
    page.get_by_role("button", name="Duyệt báo cáo").click()
    expect(page.get_by_text("Đã duyệt báo cáo. Báo cáo đã được khóa.")).to_be_visible()
    expect(page.get_by_test_id("submission-status")).to_have_text("Đã duyệt")
    expect(page.get_by_text("Đã khóa")).to_be_visible()
    log = page.get_by_test_id("transition")
    expect(log).to_have_count(5)
    page.screenshot(path=screenshot_dir / "indicators-7-approved.png", full_page=True)

    page.goto(f"{base}{completeness_url}")
    expect(page.locator('[data-testid="late-row"][data-unit="CAX-SK1"]')).to_have_count(0)
    unit_row = page.locator('[data-testid="unit-row"][data-unit="CAX-SK1"]')
    expect(unit_row).to_contain_text("Đã duyệt")
    expect(page.get_by_test_id("tally-total")).to_contain_text("50,0%")
    page.screenshot(path=screenshot_dir / "indicators-8-completeness-after.png", full_page=True)

    submission = Submission.objects.get(period_key=current.key)
    assert submission.status == "approved"
    assert browser_page.foreign_requests(live_server.url.split("//", 1)[1]) == []
