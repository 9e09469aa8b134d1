"""The operation pages: landing page, lists with totals, detail, create/edit, daily counts."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from phoihop.operations.models import CheckpointCount, Protection
from phoihop.operations.services import checkpoint_count_add
from phoihop.operations.views import quarter_window
from phoihop.org.models import User
from tests import factories
from tests.factories import OrgWorld
from tests.operations.conftest import d, make_checkpoint, make_protection, make_rescue

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def as_user(user: User) -> Client:
    client = Client()
    factories.login(client, user)
    return client


@pytest.fixture
def ca(officer: User) -> Client:
    return as_user(officer)


def page(client: Client, url: str, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.parametrize(
    ("day", "window"),
    [
        ("01/08/2024", ("15/06/2024", "14/09/2024")),
        ("15/06/2024", ("15/06/2024", "14/09/2024")),
        ("14/06/2024", ("15/03/2024", "14/06/2024")),
        ("20/12/2024", ("15/12/2024", "14/03/2025")),
        ("10/01/2025", ("15/12/2024", "14/03/2025")),
        ("01/11/2024", ("15/09/2024", "14/12/2024")),
    ],
)
def test_the_default_period_is_the_decree_09_quarter(day: str, window: tuple[str, str]) -> None:
    assert quarter_window(d(day)) == (d(window[0]), d(window[1]))


def test_the_landing_page_links_every_kind_with_its_period_totals(
    world: OrgWorld, officer: User, ca: Client
) -> None:
    make_protection(officer, world)
    make_rescue(officer, world)
    html = page(ca, reverse("operations:index"), start="2024-06-15", end="2024-09-14")
    for slug in ("protections", "checkpoints", "zones", "patrols", "rescues", "exercises"):
        assert reverse("operations:list", args=[slug]) in html
    assert 'data-testid="total-delegations">1<' in html
    assert 'data-testid="total-rescued">5<' in html
    assert "Số liệu từ 15/06/2024 đến 14/09/2024" in html
    other = page(ca, reverse("operations:index"), start="2023-06-15", end="2023-09-14")
    assert 'data-testid="total-delegations">0<' in other


def test_the_list_filters_and_totals_what_the_actor_sees(
    world: OrgWorld, officer: User, ca: Client
) -> None:
    make_protection(officer, world, title="Bảo vệ đoàn Bộ Quốc phòng")
    make_protection(
        officer,
        world,
        title="Bảo vệ lễ hội Thiên Cầm",
        target="event",
        delegation_level="",
        event_category="cultural",
        event_size=3429,
    )
    qs_officer = factories.user(world.u("qs_province"))
    make_protection(qs_officer, world, title="Đoàn của Quân khu 4", units=[])
    url = reverse("operations:list", args=["protections"])

    html = page(ca, url)
    assert "Bảo vệ đoàn Bộ Quốc phòng" in html and "Bảo vệ lễ hội Thiên Cầm" in html
    assert "Quân khu 4" not in html
    assert 'data-testid="total-delegations">1<' in html
    assert "3.429" in html
    filtered = page(ca, url, target="event")
    assert "Bộ Quốc phòng" not in filtered
    assert 'data-testid="total-events">1<' in filtered
    assert (
        as_user(factories.user(world.u("ca_province")))
        .get(reverse("operations:list", args=["khong-co"]))
        .status_code
        == 404
    )


def test_the_detail_is_seen_by_a_participant_and_hidden_from_others(
    world: OrgWorld, officer: User
) -> None:
    checkpoint = make_checkpoint(officer, world)
    url = reverse("operations:detail", args=["checkpoints", checkpoint.public_id])
    html = page(as_user(factories.user(world.u("bp_post_a"))), url)
    assert "Chốt kiểm soát dịch bệnh Cầu Treo" in html
    assert "Cộng" in html and 'data-force="BP"' in html
    military = as_user(factories.user(world.u("qs_province")))
    assert military.get(url).status_code == 404
    wrong_kind = reverse("operations:detail", args=["patrols", checkpoint.public_id])
    assert as_user(officer).get(wrong_kind).status_code == 404


def _form(world: OrgWorld, **extra: Any) -> dict[str, Any]:
    data = {
        "title": "Bảo vệ đoàn lãnh đạo Nhà nước",
        "start_date": "2024-08-10",
        "end_date": "2024-08-11",
        "target": "delegation",
        "delegation_level": "central_leaders",
        "event_category": "",
        "event_size": "",
        "incidents": "0",
        "place": "Thành phố Hà Tĩnh",
        "communes": ["18196"],
        "classification": "0",
        "outcome": "",
        "units-0-unit": str(world.u("ca_province").public_id),
        "units-0-personnel": "120",
        "units-0-vehicles": "15",
        "units-1-unit": str(world.u("qs_province").public_id),
        "units-1-personnel": "40",
        "units-2-unit": "",
    }
    data.update(extra)
    return data


def test_a_record_is_created_from_the_form_with_its_units(world: OrgWorld, ca: Client) -> None:
    response = ca.post(reverse("operations:create", args=["protections"]), _form(world))
    assert response.status_code == 302
    protection = Protection.objects.get()
    assert response["Location"] == reverse(
        "operations:detail", args=["protections", protection.public_id]
    )
    assert sorted(protection.participants.values_list("unit__code", "personnel")) == [
        ("BCHQS", 40),
        ("CAT", 120),
    ]
    html = page(ca, response["Location"])
    assert "Đoàn lãnh đạo Đảng, Nhà nước trung ương" in html


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"end_date": "2024-08-01"}, "Ngày kết thúc không được trước ngày bắt đầu."),
        ({"units-1-personnel": "-4"}, "Không được là số âm."),
        ({"incidents": "-1"}, "Không được là số âm."),
        ({"delegation_level": ""}, "Phải chọn cấp đoàn."),
    ],
)
def test_a_refused_form_shows_the_message_and_saves_nothing(
    world: OrgWorld, ca: Client, extra: dict[str, Any], message: str
) -> None:
    response = ca.post(reverse("operations:create", args=["protections"]), _form(world, **extra))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Protection.all_objects.count() == 0


def test_the_form_offers_a_blank_unit_row_through_htmx(ca: Client) -> None:
    response = ca.get(reverse("operations:unit_row"), {"units-next": "3"}, headers=HTMX)
    html = response.content.decode()
    assert 'name="units-3-unit"' in html
    assert 'id="units-next" name="units-next" value="4"' in html


def test_an_edit_keeps_the_rules_and_others_may_not_edit(
    world: OrgWorld, officer: User, ca: Client
) -> None:
    protection = make_protection(officer, world)
    url = reverse("operations:edit", args=["protections", protection.public_id])
    form = page(ca, url)
    assert 'value="Bảo vệ đoàn công tác của Bộ Công an"' in form
    data = _form(world, title="Bảo vệ đoàn công tác (đã sửa)", version="1")
    assert ca.post(url, data).status_code == 302
    protection.refresh_from_db()
    assert protection.title == "Bảo vệ đoàn công tác (đã sửa)"
    assert protection.version == 2
    stale = ca.post(url, _form(world, title="Cũ", version="1"))
    assert "Bản ghi đã được người khác sửa" in stale.content.decode()
    military = as_user(factories.user(world.u("qs_province")))
    assert military.get(url).status_code == 403  # it takes part since the edit: sees, not edits
    border = as_user(factories.user(world.u("bp_post_a")))
    assert border.get(url).status_code == 404


def test_a_participant_sees_the_record_but_gets_403_on_edit(world: OrgWorld, officer: User) -> None:
    checkpoint = make_checkpoint(officer, world)
    border = as_user(factories.user(world.u("bp_post_a")))
    edit = reverse("operations:edit", args=["checkpoints", checkpoint.public_id])
    assert border.get(edit).status_code == 403
    delete = reverse("operations:delete", args=["checkpoints", checkpoint.public_id])
    assert border.post(delete).status_code == 403


def test_a_day_of_counts_is_added_in_place_and_the_totals_follow(
    world: OrgWorld, officer: User, ca: Client
) -> None:
    checkpoint = make_checkpoint(officer, world)
    checkpoint_count_add(
        actor=officer, checkpoint=checkpoint, day=d("01/08/2021"), vehicles=1200, people=2229
    )
    add = reverse("operations:count_add", args=[checkpoint.public_id])
    response = ca.post(
        add, {"day": "2021-08-02", "vehicles": "310", "people": "1200"}, headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="checkpoint-counts"' in html
    assert 'data-testid="count-total-vehicles">1.510<' in html
    assert 'data-testid="count-total-people">3.429<' in html
    assert "Đã ghi số liệu ngày 02/08/2021." in html

    again = ca.post(add, {"day": "2021-08-02", "vehicles": "1", "people": "1"}, headers=HTMX)
    assert "Chốt đã có số liệu ngày 02/08/2021" in again.content.decode()
    outside = ca.post(add, {"day": "2021-10-01", "vehicles": "1", "people": "1"}, headers=HTMX)
    assert "nằm ngoài thời gian hoạt động của chốt" in outside.content.decode()
    negative = ca.post(add, {"day": "2021-08-05", "vehicles": "-1", "people": "1"}, headers=HTMX)
    assert "Không được là số âm." in negative.content.decode()
    assert CheckpointCount.objects.count() == 2

    plain = ca.post(add, {"day": "2021-08-03", "vehicles": "5", "people": "6"})
    assert plain.status_code == 302
    count = CheckpointCount.objects.get(day=d("03/08/2021"))
    removed = ca.post(reverse("operations:count_delete", args=[count.public_id]), headers=HTMX)
    assert 'data-testid="count-total-vehicles">1.510<' in removed.content.decode()
    assert CheckpointCount.objects.count() == 2


def test_a_unit_not_staffing_the_checkpoint_gets_no_count_form(
    world: OrgWorld, officer: User
) -> None:
    checkpoint = make_checkpoint(officer, world, is_joint=True)
    joint = as_user(factories.user(world.u("qs_province"), roles=["officer", "joint_staff"]))
    url = reverse("operations:detail", args=["checkpoints", checkpoint.public_id])
    assert "Ghi số liệu ngày" not in page(joint, url)
    add = reverse("operations:count_add", args=[checkpoint.public_id])
    response = joint.post(add, {"day": "2021-08-02", "vehicles": "1", "people": "1"}, headers=HTMX)
    assert response.status_code == 403
    assert CheckpointCount.objects.count() == 0


def _xlsx(rows: list[list[Any]]) -> io.BytesIO:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "Số liệu chốt"
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "chot.xlsx"
    return out


def test_the_import_page_lists_every_bad_cell_and_saves_nothing(
    world: OrgWorld, officer: User, ca: Client
) -> None:
    checkpoint = make_checkpoint(officer, world)
    url = reverse("operations:counts_import", args=[checkpoint.public_id])
    assert "Tải tệp mẫu" in page(ca, url)
    header = ["Ngày", "Lượt phương tiện", "Lượt người"]
    rows = [header, ["01/08/2021", 10, 20], ["31/12/2021", 5, 5], ["02/08/2021", "mười", 3]]
    html = ca.post(url, {"file": _xlsx(rows)}).content.decode()
    assert "Tệp có 2 lỗi, chưa lưu dữ liệu nào." in html
    assert "nằm ngoài thời gian hoạt động của chốt" in html
    assert "Phải là số nguyên, không âm." in html
    assert CheckpointCount.all_objects.count() == 0
    done = ca.post(url, {"file": _xlsx([header, ["01/08/2021", 10, 20], ["02/08/2021", 3, 4]])})
    assert done.status_code == 302
    assert CheckpointCount.objects.count() == 2


def test_the_import_template_reads_back(ca: Client) -> None:
    response = ca.get(reverse("operations:counts_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Hướng dẫn", "Số liệu chốt"]
    assert [c.value for c in book["Số liệu chốt"][1]] == [
        "Ngày",
        "Lượt phương tiện",
        "Lượt người",
        "Ghi chú",
    ]


def test_anonymous_visitors_are_sent_to_log_in(client: Client, db: None) -> None:
    response = client.get(reverse("operations:index"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def _queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("slug", ["checkpoints", "rescues", "protections"])
def test_a_list_page_takes_a_fixed_number_of_queries(
    world: OrgWorld, officer: User, ca: Client, slug: str
) -> None:
    makers = {
        "checkpoints": make_checkpoint,
        "rescues": make_rescue,
        "protections": make_protection,
    }
    url = reverse("operations:list", args=[slug])
    makers[slug](officer, world)
    few = _queries(ca, url)
    for _ in range(4):
        makers[slug](officer, world)
    assert _queries(ca, url) == few
