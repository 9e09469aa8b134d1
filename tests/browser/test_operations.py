"""Issue 5's checkpoint journey in a real browser: an officer of a unit staffing a COVID-time
checkpoint opens it, records a day of vehicles and people controlled, and sees the totals of the
checkpoint and of the period change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from phoihop.operations.models import CheckpointCount
from phoihop.operations.services import UnitPart, checkpoint_count_add, checkpoint_create
from tests import factories
from tests.browser.conftest import RecordedPage

pytestmark = pytest.mark.browser

TITLE = "Chốt kiểm soát phòng, chống dịch COVID-19 Cầu Treo"


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/operations/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base_url}/operations/")


def test_a_border_post_records_a_day_of_checkpoint_counts_and_sees_the_totals(
    reference_data: None, live_server, browser_page: RecordedPage, screenshot_dir: Path
) -> None:
    world = factories.build_world()
    police = factories.user(world.u("ca_province"), roles=("officer",), username="canbo.cat")
    factories.user(world.u("bp_post_a"), roles=("officer",), username="canbo.donsonkim")
    checkpoint = checkpoint_create(
        actor=police,
        title=TITLE,
        purpose="epidemic",
        place="Quốc lộ 8A, km 98, gần Cửa khẩu Quốc tế Cầu Treo",
        start_date=dt.date(2021, 8, 1),
        end_date=dt.date(2021, 9, 30),
        communes=[world.commune_a],
        units=[
            UnitPart(world.u("ca_province"), personnel=6, vehicles=1),
            UnitPart(world.u("bp_post_a"), personnel=4),
            UnitPart(world.u("qs_commune_a"), personnel=3),
        ],
    )
    checkpoint_count_add(
        actor=police, checkpoint=checkpoint, day=dt.date(2021, 8, 1), vehicles=1200, people=2229
    )
    base = live_server.url
    page = browser_page.page

    # 1. The Border Guard officer, whose post staffs the checkpoint, finds it in the list.
    log_in(page, base, "canbo.donsonkim")
    expect(page.get_by_role("heading", name="Hoạt động phối hợp")).to_be_visible()
    page.get_by_role("navigation", name="Hoạt động phối hợp").get_by_role(
        "link", name="Chốt kiểm soát"
    ).click()
    expect(page.get_by_role("heading", name="Chốt kiểm soát")).to_be_visible()
    row = page.get_by_test_id("record-row").filter(has_text=TITLE)
    expect(row).to_contain_text("1 ngày · 1.200 lượt phương tiện · 2.229 lượt người")
    page.screenshot(path=screenshot_dir / "operations-1-checkpoints.png", full_page=True)

    # 2. It opens the checkpoint: the units of the three forces and the first day.
    row.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_test_id("participants")).to_contain_text("Đồn Biên phòng Sơn Kim")
    expect(page.get_by_test_id("count-total-vehicles")).to_have_text("1.200")

    # 3. A day outside the checkpoint's period is refused, naming the field.
    counts = page.get_by_test_id("checkpoint-counts")
    counts.get_by_label("Ngày", exact=True).fill("01/10/2021")
    counts.get_by_label("Lượt phương tiện").fill("10")
    counts.get_by_label("Lượt người").fill("10")
    counts.get_by_role("button", name="Ghi số liệu ngày").click()
    expect(page.get_by_test_id("count-error")).to_contain_text(
        "nằm ngoài thời gian hoạt động của chốt (từ 01/08/2021 đến 30/09/2021)"
    )
    page.screenshot(path=screenshot_dir / "operations-2-refused-day.png", full_page=True)

    # 4. The next day is recorded in place; the totals follow.
    counts = page.get_by_test_id("checkpoint-counts")
    counts.get_by_label("Ngày", exact=True).fill("02/08/2021")
    counts.get_by_label("Lượt phương tiện").fill("310")
    counts.get_by_label("Lượt người").fill("1200")
    counts.get_by_label("Ghi chú").fill("Mưa lớn, lưu lượng giảm")
    counts.get_by_role("button", name="Ghi số liệu ngày").click()
    expect(page.get_by_text("Đã ghi số liệu ngày 02/08/2021.")).to_be_visible()
    expect(page.get_by_test_id("count-row")).to_have_count(2)
    expect(page.get_by_test_id("count-total-vehicles")).to_have_text("1.510")
    expect(page.get_by_test_id("count-total-people")).to_have_text("3.429")
    expect(page.get_by_test_id("count-totals")).to_contain_text("Tổng 2 ngày")
    page.screenshot(path=screenshot_dir / "operations-3-day-recorded.png", full_page=True)

    # 5. The landing page for quý III/2021 counts the new day too.
    page.goto(f"{base}/operations/?start=2021-06-15&end=2021-09-14")
    card = page.get_by_test_id("card-checkpoints")
    expect(card.get_by_test_id("total-vehicles")).to_have_text("1.510")
    expect(card.get_by_test_id("total-people")).to_have_text("3.429")
    expect(card.get_by_test_id("total-days")).to_have_text("2")
    page.screenshot(path=screenshot_dir / "operations-4-period-totals.png", full_page=True)

    assert CheckpointCount.objects.filter(checkpoint=checkpoint).count() == 2
    assert browser_page.foreign_requests(base.split("//", 1)[1]) == []
    assert browser_page.failures == []
