"""Pages of mass mobilisation: landing page, lists with totals, forms, detail, access."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from phoihop.mobilisation import services
from phoihop.mobilisation.models import (
    CampaignLaunch,
    Forum,
    HandedInItem,
    Opinion,
    PropagandaSession,
    SocialProgramme,
    SurrenderCampaign,
)
from phoihop.mobilisation.services import HandedInData, OpinionData
from phoihop.mobilisation.views import quarter_window
from tests import factories
from tests.mobilisation.conftest import (
    DAY,
    make_campaign,
    make_forum,
    make_programme,
    make_propaganda,
    snapshot,
)


def as_user(user) -> Client:
    client = Client()
    factories.login(client, user)
    return client


def page(client: Client, name: str, *args: Any, **query: Any) -> str:
    response = client.get(reverse(f"mobilisation:{name}", args=args), query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def forum_post(world, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "",
        "start_date": "10/07/2024",
        "end_date": "",
        "commune": world.commune_a.code,
        "attendees": "120",
        "opinions": "15",
        "classification": "0",
        "note": "",
        "topics-TOTAL_FORMS": "2",
        "topics-INITIAL_FORMS": "0",
        "topics-MIN_NUM_FORMS": "0",
        "topics-MAX_NUM_FORMS": "1000",
        "topics-0-topic": "security",
        "topics-0-count": "6",
        "topics-1-topic": "traffic",
        "topics-1-count": "4",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2024, 8, 1), (dt.date(2024, 6, 15), dt.date(2024, 9, 14), "quý III năm 2024")),
        (dt.date(2024, 6, 14), (dt.date(2024, 3, 15), dt.date(2024, 6, 14), "quý II năm 2024")),
        (dt.date(2024, 12, 20), (dt.date(2024, 12, 15), dt.date(2025, 3, 14), "quý I năm 2025")),
        (dt.date(2025, 1, 5), (dt.date(2024, 12, 15), dt.date(2025, 3, 14), "quý I năm 2025")),
        (dt.date(2024, 12, 14), (dt.date(2024, 9, 15), dt.date(2024, 12, 14), "quý IV năm 2024")),
    ],
)
def test_the_default_period_is_the_decree_09_quarter(day, expected):
    assert quarter_window(day) == expected


@time_machine.travel(dt.datetime(2024, 8, 20, 9, 0, tzinfo=dt.UTC), tick=False)
def test_the_landing_page_shows_the_quarters_totals_of_each_kind(world, people):
    make_forum(people["ca_prov"], world, attendees=1200, opinions=3429, topic_counts=[])
    make_forum(people["ca_prov"], world, start_date=dt.date(2024, 6, 1), attendees=7)
    make_propaganda(people["ca_prov"], sessions=12, attendees=1508)
    campaign = make_campaign(people["ca_prov"])
    services.campaign_launch(
        actor=people["ca_prov"], campaign=campaign, commune=world.commune_a, launched_on=DAY
    )
    services.handed_in_add(
        actor=people["ca_prov"],
        campaign=campaign,
        rows=[HandedInData(world.commune_a, DAY, "thuoc-no", "2,4", "kg")],
    )
    make_programme(people["ca_prov"], value=2_900_000, beneficiaries=15)
    html = page(as_user(people["ca_prov"]), "index")
    assert "Quý III năm 2024: từ 15/06/2024 đến 14/09/2024" in html
    assert "<strong>01</strong> diễn đàn, <strong>1.200</strong> người tham dự" in html
    assert "<strong>3.429</strong> ý kiến" in html
    assert "<strong>12</strong> buổi, <strong>1.508</strong> lượt người nghe" in html
    assert "Đã phát động tại <strong>1/2</strong> xã, phường (50,0%)" in html
    assert "<strong>2,4</strong> kg thuốc nổ" in html
    assert "trị giá <strong>2.900.000</strong> đồng" in html
    other = page(as_user(people["ca_prov"]), "index", start="01/06/2024", end="05/06/2024")
    assert "<strong>01</strong> diễn đàn, <strong>7</strong> người tham dự" in other


def test_the_forum_list_shows_totals_of_the_filtered_records(world, people):
    make_forum(people["ca_prov"], world, attendees=100, opinions=12)
    make_forum(
        people["ca_commune_b"],
        world,
        commune=world.commune_b,
        attendees=50,
        opinions=3,
        topic_counts=[],
    )
    make_forum(people["ca_prov"], world, start_date=dt.date(2024, 5, 1), attendees=1)
    client = as_user(people["ca_chief"])
    html = page(client, "forum_list", start="15/06/2024", end="14/09/2024")
    assert html.count('data-testid="forum-row"') == 2
    assert 'data-testid="total-attendees">150<' in html
    assert 'data-testid="total-opinions">15<' in html
    assert "An ninh, trật tự: <strong>6</strong>" in html
    one = page(client, "forum_list", area=world.commune_b.code)
    assert one.count('data-testid="forum-row"') == 1
    assert page(as_user(people["outsider"]), "forum_list").count('data-testid="forum-row"') == 0


def test_a_forum_is_recorded_through_the_form_with_its_topic_rows(world, people):
    client = as_user(people["ca_commune"])
    assert "Thêm lĩnh vực" in page(client, "forum_create")
    response = client.post(
        reverse("mobilisation:forum_create"),
        forum_post(world, participating_units=[str(world.u("qs_commune_a").public_id)]),
    )
    forum = Forum.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("mobilisation:forum_detail", args=[forum.public_id])
    assert dict(forum.topic_counts.values_list("topic", "count")) == {"security": 6, "traffic": 4}
    assert forum.owner_unit == world.u("ca_commune_a")
    html = page(client, "forum_detail", forum.public_id)
    assert "Chưa phân lĩnh vực" in html and "Trật tự an toàn giao thông" in html


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"attendees": "-5"}, "Số liệu không được âm."),
        ({"topics-0-count": "16"}, "vượt quá tổng số ý kiến"),
        ({"topics-1-count": "-1"}, "Số liệu không được âm."),
        ({"end_date": "01/07/2024"}, "Ngày kết thúc không được trước ngày bắt đầu."),
        ({"start_date": "32/07/2024"}, "Nhập một ngày hợp lệ"),
        ({"topics-1-topic": "security"}, "được nhập hai lần"),
    ],
)
def test_a_bad_forum_form_shows_the_error_and_saves_nothing(world, people, extra, message):
    client = as_user(people["ca_prov"])
    before = snapshot()
    response = client.post(reverse("mobilisation:forum_create"), forum_post(world, **extra))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "is-invalid" in html
    assert snapshot() == before


def test_the_topic_row_fragment_bumps_the_row_count_out_of_band(world, people):
    client = as_user(people["ca_prov"])
    response = client.get(
        reverse("mobilisation:topic_row"), {"topics-TOTAL_FORMS": "2"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert 'name="topics-2-topic"' in html
    assert 'name="topics-TOTAL_FORMS" value="3"' in html and 'hx-swap-oob="true"' in html


def test_editing_a_forum_keeps_its_rows_and_checks_the_version(world, people):
    forum = make_forum(people["ca_prov"], world)
    client = as_user(people["ca_prov"])
    html = page(client, "forum_edit", forum.public_id)
    assert 'name="topics-0-count"' in html and 'value="6"' in html
    data = forum_post(world, opinions="40", version="1")
    data["topics-0-count"] = "30"
    response = client.post(reverse("mobilisation:forum_edit", args=[forum.public_id]), data)
    assert response.status_code == 302, [
        line for line in response.content.decode().splitlines() if "invalid-feedback" in line
    ]
    forum.refresh_from_db()
    assert forum.opinions == 40 and forum.version == 2
    stale = client.post(reverse("mobilisation:forum_edit", args=[forum.public_id]), data)
    assert "Bản ghi đã được người khác sửa" in stale.content.decode()


def test_pages_of_a_record_follow_the_access_rule(world, people):
    forum = make_forum(people["ca_prov"], world, participating_units=[world.u("qs_province")])
    outsider = as_user(people["outsider"])
    assert (
        outsider.get(reverse("mobilisation:forum_detail", args=[forum.public_id])).status_code
        == 404
    )
    military = as_user(people["qs_prov"])
    assert (
        military.get(reverse("mobilisation:forum_detail", args=[forum.public_id])).status_code
        == 200
    )
    assert (
        military.get(reverse("mobilisation:forum_edit", args=[forum.public_id])).status_code == 403
    )
    response = military.post(reverse("mobilisation:forum_delete", args=[forum.public_id]))
    assert response.status_code == 302
    assert Forum.objects.filter(pk=forum.pk).exists()
    assert Client().get(reverse("mobilisation:index")).status_code == 302


def test_opinions_are_recorded_answered_and_closed_on_the_forum_page(world, people):
    forum = make_forum(people["ca_prov"], world)
    client = as_user(people["ca_prov"])
    response = client.post(
        reverse("mobilisation:opinion_add", args=[forum.public_id]),
        {
            "topic": "traffic",
            "content": "Đề nghị lắp biển báo tại ngã ba.",
            "raised_by": "Ông Nguyễn Văn A",
            "assigned_unit": str(world.u("bp_post_a").public_id),
        },
    )
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    border = as_user(people["bp_post"])
    html = page(border, "forum_detail", forum.public_id)
    assert "Đề nghị lắp biển báo" in html and "Trả lời" in html
    border.post(
        reverse("mobilisation:opinion_answer", args=[opinion.public_id]),
        {f"a{opinion.pk}-answer": "Đã phối hợp cắm biển."},
    )
    client.post(reverse("mobilisation:opinion_close", args=[opinion.public_id]))
    opinion.refresh_from_db()
    assert opinion.status == "closed"
    empty = client.post(
        reverse("mobilisation:opinion_add", args=[forum.public_id]),
        {"topic": "traffic", "content": ""},
    )
    assert (
        "Trường này là bắt buộc" in empty.content.decode() or "bắt buộc" in empty.content.decode()
    )


def test_propaganda_and_programmes_are_recorded_and_listed_with_totals(world, people):
    client = as_user(people["bp_post"])
    response = client.post(
        reverse("mobilisation:propaganda_create"),
        {
            "title": "Tuyên truyền Luật Biên phòng cho bà con bản Rào Tre",
            "start_date": "01/08/2024",
            "laws": ["bien-phong", "can-cuoc"],
            "sessions": "2",
            "attendees": "1508",
            "leaflets": "300",
            "classification": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    html = page(client, "propaganda_list")
    assert "<strong>1.508</strong> lượt người nghe" in html
    assert "Luật Biên phòng Việt Nam" in html
    response = client.post(
        reverse("mobilisation:programme_create"),
        {
            "kind": "foster",
            "name": "Nhận đỡ đầu 03 học sinh",
            "start_date": "01/08/2024",
            "beneficiaries": "3",
            "value": "36.000.000",
            "classification": "0",
        },
    )
    assert response.status_code == 302
    assert SocialProgramme.objects.get().value == 36_000_000
    html = page(client, "programme_list")
    assert "trị giá <strong>36.000.000</strong> đồng" in html
    bad = client.post(
        reverse("mobilisation:propaganda_create"),
        {"title": "X", "start_date": "01/08/2024", "sessions": "1", "attendees": "1"},
    )
    assert "Phải chọn ít nhất một luật" in bad.content.decode()
    assert PropagandaSession.objects.count() == 1


def test_a_campaign_is_launched_and_items_handed_in_on_its_page(world, people):
    client = as_user(people["ca_prov"])
    response = client.post(
        reverse("mobilisation:campaign_create"),
        {
            "name": "Vận động giao nộp vũ khí năm 2024",
            "start_date": "15/06/2024",
            "end_date": "14/09/2024",
            "classification": "0",
        },
    )
    assert response.status_code == 302
    campaign = SurrenderCampaign.objects.get()
    html = page(client, "campaign_detail", campaign.public_id)
    assert "0/2" in html and "Xã Sơn Kim 1" in html
    client.post(
        reverse("mobilisation:campaign_launch", args=[campaign.public_id]),
        {"commune": world.commune_a.code, "launched_on": "20/06/2024"},
    )
    twice = client.post(
        reverse("mobilisation:campaign_launch", args=[campaign.public_id]),
        {"commune": world.commune_a.code, "launched_on": "21/06/2024"},
    )
    assert "Đợt vận động đã được phát động tại Xã Sơn Kim 1" in twice.content.decode()
    assert CampaignLaunch.objects.count() == 1
    rows = {
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-0-commune": world.commune_a.code,
        "items-0-handed_in_on": "02/07/2024",
        "items-0-item": "thuoc-no",
        "items-0-quantity": "2,4",
        "items-0-unit": "kg",
        "items-1-commune": world.commune_b.code,
        "items-1-handed_in_on": "03/07/2024",
        "items-1-item": "sung",
        "items-1-quantity": "-3",
        "items-1-unit": "",
    }
    bad = client.post(reverse("mobilisation:handed_in_add", args=[campaign.public_id]), rows)
    assert "Số lượng không được âm." in bad.content.decode()
    assert not HandedInItem.objects.exists()
    rows["items-1-quantity"] = "92"
    ok = client.post(reverse("mobilisation:handed_in_add", args=[campaign.public_id]), rows)
    assert ok.status_code == 302
    html = page(client, "campaign_detail", campaign.public_id)
    assert "<strong>2,4</strong> kg thuốc nổ, <strong>92</strong> khẩu súng các loại." in html
    assert "1/2" in html and "50,0%" in html
    row = client.get(
        reverse("mobilisation:handed_in_row", args=[campaign.public_id]),
        {"items-TOTAL_FORMS": "1"},
    ).content.decode()
    assert 'name="items-1-quantity"' in row and 'value="2"' in row
    listing = page(client, "campaign_list", start="15/06/2024", end="14/09/2024")
    assert "<strong>2,4</strong> kg thuốc nổ" in listing


def test_an_unrelated_unit_cannot_record_launches(world, people):
    campaign = make_campaign(people["ca_prov"], is_joint=True)
    joint = as_user(people["qs_joint"])
    html = page(joint, "campaign_detail", campaign.public_id)
    assert "Ghi nhận phát động" not in html
    response = joint.post(
        reverse("mobilisation:campaign_launch", args=[campaign.public_id]),
        {"commune": world.commune_a.code, "launched_on": "20/06/2024"},
    )
    assert "Bạn không có quyền" in response.content.decode()
    assert not CampaignLaunch.objects.exists()


def test_deleting_records_through_the_pages(world, people):
    client = as_user(people["ca_prov"])
    record = make_programme(people["ca_prov"])
    response = client.post(
        reverse("mobilisation:programme_delete", args=[record.public_id]), {"version": "1"}
    )
    assert response["Location"] == reverse("mobilisation:programme_list")
    assert not SocialProgramme.objects.exists()


def test_the_detail_pages_render(world, people):
    client = as_user(people["ca_prov"])
    forum = make_forum(
        people["ca_prov"],
        world,
        opinion_items=[OpinionData(topic="fire", content="Tập huấn chữa cháy.")],
    )
    propaganda = make_propaganda(people["ca_prov"])
    programme = make_programme(people["ca_prov"])
    assert "Tập huấn chữa cháy." in page(client, "forum_detail", forum.public_id)
    assert "Luật Căn cước" in page(client, "propaganda_detail", propaganda.public_id)
    assert "Nâng bước em tới trường" in page(client, "programme_detail", programme.public_id)
    for name in ("propaganda_edit", "programme_edit"):
        target = propaganda if name.startswith("propaganda") else programme
        assert 'name="version"' in page(client, name, target.public_id)
    for name in ("propaganda_create", "programme_create", "campaign_create", "forum_import"):
        page(client, name)


def test_the_lists_take_as_many_queries_for_thirty_records_as_for_three(world, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(people["ca_prov"])

    def queries(name: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        return len(captured.captured_queries)

    names = [
        "mobilisation:forum_list",
        "mobilisation:propaganda_list",
        "mobilisation:programme_list",
        "mobilisation-api:forum-list",
        "mobilisation-api:propaganda-list",
        "mobilisation-api:programme-list",
        "mobilisation:campaign_list",
        "mobilisation-api:campaign-list",
    ]
    for _ in range(3):
        make_forum(people["ca_prov"], world, participating_units=[world.u("qs_province")])
        make_propaganda(people["ca_prov"], laws=["can-cuoc", "cu-tru"])
        make_programme(people["ca_prov"])
        make_campaign(people["ca_prov"])
    for name in names:  # warm the caches (content types) first
        queries(name)
    few = {name: queries(name) for name in names}
    for _ in range(27):
        make_forum(people["ca_prov"], world, participating_units=[world.u("qs_province")])
        make_propaganda(people["ca_prov"], laws=["can-cuoc", "cu-tru"])
        make_programme(people["ca_prov"])
        make_campaign(people["ca_prov"])
    many = {name: queries(name) for name in names}
    assert many == few
