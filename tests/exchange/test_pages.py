"""The exchange pages through the test client: lists, compose, detail, htmx actions, filters."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from phoihop.audit.models import AuditEntry
from phoihop.exchange.enums import Urgency, VerificationStatus
from phoihop.exchange.models import InformationItem, Receipt, Reply, VerificationRequest
from phoihop.exchange.services import (
    info_item_acknowledge,
    info_item_create,
    verification_request_create,
)
from tests.factories import login, user


@pytest.fixture
def people(world):
    return {
        "bp_post": user(world.u("bp_post_a"), roles=["officer"]),
        "ca_prov": user(world.u("ca_province"), roles=["officer"]),
        "qs_prov": user(world.u("qs_province"), roles=["officer"]),
        "qs_commune": user(world.u("qs_commune_a"), roles=["officer"]),
    }


def send(actor, recipients, **extra):
    fields = {"title": "Đối tượng lạ qua biên giới", "content": "Nội dung", "topic": "border"}
    fields.update(extra)
    return info_item_create(actor=actor, recipients=recipients, **fields)


def client_for(person) -> Client:
    client = Client()
    login(client, person)
    return client


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_exchange_is_a_live_entry_of_the_main_navigation(people):
    html = html_of(client_for(people["ca_prov"]).get(reverse("exchange:index")))
    assert re.search(
        r'<a class="nav-link active" href="/exchange/"[^>]*>Trao đổi thông tin</a>', html
    )


def test_inbox_lists_unacknowledged_items_first_then_the_most_urgent(world, people):
    ca = world.u("ca_province")
    send(people["bp_post"], [ca], title="Thường chưa xác nhận", urgency=Urgency.THUONG)
    done = send(people["bp_post"], [ca], title="Hỏa tốc đã xác nhận", urgency=Urgency.HOA_TOC)
    send(people["bp_post"], [ca], title="Khẩn chưa xác nhận", urgency=Urgency.KHAN)
    send(people["bp_post"], [ca], title="Hỏa tốc chưa xác nhận", urgency=Urgency.HOA_TOC)
    send(people["bp_post"], [world.u("qs_province")], title="Gửi đơn vị khác")
    info_item_acknowledge(actor=people["ca_prov"], item=done)

    html = html_of(client_for(people["ca_prov"]).get(reverse("exchange:index")))

    titles = re.findall(r'class="fw-semibold item-title"[^>]*>([^<]+)</a>', html)
    assert titles == [
        "Hỏa tốc chưa xác nhận",
        "Khẩn chưa xác nhận",
        "Thường chưa xác nhận",
        "Hỏa tốc đã xác nhận",
    ]
    assert (
        '<span class="badge text-bg-danger urgency-badge" data-urgency="3">Hỏa tốc</span>' in html
    )
    assert '<span class="badge text-bg-primary urgency-badge" data-urgency="1">Khẩn</span>' in html


def test_inbox_shows_time_left_and_time_overdue(world, people):
    ca = world.u("ca_province")
    start = dt.datetime(2025, 3, 1, 8, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        send(people["bp_post"], [ca], title="Hỏa tốc", urgency=Urgency.HOA_TOC)  # due in 2 h
        send(people["bp_post"], [ca], title="Khẩn", urgency=Urgency.KHAN)  # due in 24 h
    with time_machine.travel(start + dt.timedelta(hours=4), tick=False):
        html = html_of(client_for(people["ca_prov"]).get(reverse("exchange:index")))
    assert "quá hạn 2 giờ" in html
    assert "còn 20 giờ" in html


def test_outbox_shows_each_recipients_receipt_status(world, people):
    item = send(people["bp_post"], [world.u("ca_province"), world.u("qs_province")])
    info_item_acknowledge(actor=people["ca_prov"], item=item)

    html = html_of(client_for(people["bp_post"]).get(reverse("exchange:outbox")))

    rows = dict(re.findall(r'<tr data-testid="receipt" data-unit="([^"]+)">(.*?)</tr>', html, re.S))
    assert set(rows) == {"CAT", "BCHQS"}
    assert "Đã xác nhận" in rows["CAT"] and "đúng hạn" in rows["CAT"]
    assert str(people["ca_prov"]) in rows["CAT"]
    assert "Chưa xác nhận" in rows["BCHQS"] and "Chưa đọc" in rows["BCHQS"]
    assert "còn 3 ngày" in rows["BCHQS"] or "còn 72 giờ" in rows["BCHQS"]


def test_compose_without_recipients_shows_the_field_error_and_saves_nothing(people):
    response = client_for(people["bp_post"]).post(
        reverse("exchange:compose"),
        {
            "title": "Đối tượng lạ",
            "content": "Nội dung",
            "topic": "border",
            "urgency": "1",
            "classification": "0",
            "reliability": "B",
            "credibility": "2",
            "handling": "may_forward",
        },
    )
    html = html_of(response)
    form = response.context["form"]
    assert form.errors["recipients"] == ["Phải chọn ít nhất một đơn vị nhận."]
    assert 'id="id_recipients_error">Phải chọn ít nhất một đơn vị nhận.</div>' in html
    assert not InformationItem.all_objects.exists()
    assert not Receipt.objects.exists()
    assert not AuditEntry.objects.filter(object_type__startswith="exchange.").exists()


def test_compose_with_a_past_verification_due_time_saves_neither_item_nor_request(world, people):
    ca = world.u("ca_province")
    response = client_for(people["bp_post"]).post(
        reverse("exchange:compose"),
        {
            "title": "Đối tượng lạ",
            "content": "Nội dung",
            "topic": "border",
            "urgency": "1",
            "classification": "0",
            "reliability": "B",
            "credibility": "2",
            "handling": "may_forward",
            "recipients": [str(ca.public_id)],
            "verify_unit": str(ca.public_id),
            "verify_question": "Xác minh nhân thân",
            "verify_due": "01/01/2020 08:00",
        },
    )
    assert response.context["form"].errors["verify_due"] == ["Hạn trả lời phải ở tương lai."]
    assert not InformationItem.all_objects.exists()
    assert not VerificationRequest.objects.exists()


def test_compose_sends_to_named_units_and_whole_forces_with_a_verification(world, people):
    ca = world.u("ca_province")
    response = client_for(people["bp_post"]).post(
        reverse("exchange:compose"),
        {
            "title": "  Tàu cá lạ  ",
            "content": "Nội dung",
            "topic": "sea",
            "urgency": "1",
            "classification": "0",
            "reliability": "B",
            "credibility": "2",
            "handling": "may_forward",
            "areas": [world.commune_a.code],
            "recipients": [str(ca.public_id)],
            "force_levels": ["QS:xa"],
            "verify_unit": str(ca.public_id),
            "verify_question": "Xác minh chủ tàu",
            "verify_due": "",
        },
    )
    item = InformationItem.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("exchange:detail", args=[item.public_id])
    assert item.title == "Tàu cá lạ" and item.evaluation_code == "B2"
    assert list(item.areas.all()) == [world.commune_a]
    assert set(item.receipts.values_list("unit__code", flat=True)) == {"CAT", "BCHQSX-SK1"}
    assert VerificationRequest.objects.get().assigned_unit == ca


def test_compose_offers_only_classifications_up_to_the_ceiling(people):
    response = client_for(people["bp_post"]).get(reverse("exchange:compose"))
    choices = [value for value, _ in response.context["form"].fields["classification"].choices]
    assert choices == [0]


def test_detail_shows_content_evaluation_receipts_and_marks_the_read(world, people):
    item = send(people["bp_post"], [world.u("ca_province")], reliability="C", credibility=3)

    html = html_of(
        client_for(people["ca_prov"]).get(reverse("exchange:detail", args=[item.public_id]))
    )

    assert (
        '<span class="badge text-bg-primary fs-6" data-testid="evaluation-code">C3</span>' in html
    )
    assert "01/TT-DBP-SK" in html
    receipt = Receipt.objects.get(item=item)
    assert receipt.read_by == people["ca_prov"] and receipt.acknowledged_at is None


def test_acknowledge_by_htmx_returns_a_fragment_and_a_second_time_shows_the_error(world, people):
    item = send(people["bp_post"], [world.u("ca_province")])
    client = client_for(people["ca_prov"])
    url = reverse("exchange:acknowledge", args=[item.public_id])

    first = client.post(url, HTTP_HX_REQUEST="true")
    first_html = html_of(first)
    assert "<html" not in first_html
    assert first_html.lstrip().startswith(f'<div class="ack-block" id="ack-{item.public_id}"')
    assert "Đã xác nhận" in first_html
    receipt = Receipt.objects.get(item=item)
    assert receipt.acknowledged_by == people["ca_prov"]

    second_html = html_of(client.post(url, HTTP_HX_REQUEST="true"))
    assert "Đơn vị đã xác nhận thông tin này lúc" in second_html
    assert 'role="alert"' in second_html
    receipt.refresh_from_db()
    assert receipt.acknowledged_by == people["ca_prov"]
    assert AuditEntry.objects.filter(object_id=str(item.public_id), action="update").count() == 1


def test_acknowledge_on_the_detail_page_also_refreshes_the_receipts_table(world, people):
    item = send(people["bp_post"], [world.u("ca_province"), world.u("qs_province")])
    html = html_of(
        client_for(people["ca_prov"]).post(
            reverse("exchange:acknowledge", args=[item.public_id]),
            {"on_detail": "1"},
            HTTP_HX_REQUEST="true",
        )
    )
    oob = html[html.index('<div id="receipts-table" hx-swap-oob="true">') :]
    rows = dict(re.findall(r'<tr data-testid="receipt" data-unit="([^"]+)">(.*?)</tr>', oob, re.S))
    assert "Đã xác nhận" in rows["CAT"] and "Chưa xác nhận" in rows["BCHQS"]


def test_acknowledge_without_htmx_redirects_back_with_a_message(world, people):
    item = send(people["bp_post"], [world.u("ca_province")])
    client = client_for(people["ca_prov"])

    response = client.post(
        reverse("exchange:acknowledge", args=[item.public_id]),
        {"next": reverse("exchange:index")},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("exchange:index"), 302)]
    assert "Đã xác nhận thông tin số 01/TT-DBP-SK." in response.content.decode()
    assert Receipt.objects.get(item=item).acknowledged_at is not None


def test_an_outsider_gets_404_on_the_detail_page_and_its_actions(world, people):
    item = send(people["bp_post"], [world.u("ca_province")])
    client = client_for(people["qs_commune"])

    assert client.get(reverse("exchange:detail", args=[item.public_id])).status_code == 404
    assert client.post(reverse("exchange:acknowledge", args=[item.public_id])).status_code == 404
    assert (
        client.post(reverse("exchange:reply", args=[item.public_id]), {"body": "x"}).status_code
        == 404
    )
    assert not Reply.objects.exists()


def test_text_filter_ignores_diacritics_and_case(world, people):
    ca = world.u("ca_province")
    send(people["bp_post"], [ca], title="Đối tượng Nguyễn Văn Đức vượt biên")
    send(people["bp_post"], [ca], title="Tàu cá lạ", content="Không rõ chủ tàu")
    client = client_for(people["ca_prov"])

    def titles(query: str) -> list[str]:
        html = html_of(client.get(reverse("exchange:index"), {"q": query}))
        return re.findall(r'class="fw-semibold item-title"[^>]*>([^<]+)</a>', html)

    assert titles("nguyen") == ["Đối tượng Nguyễn Văn Đức vượt biên"]
    assert titles("NGUYEN VAN DUC") == ["Đối tượng Nguyễn Văn Đức vượt biên"]
    assert titles("chu tau") == ["Tàu cá lạ"]
    assert titles("02/TT-DBP") == ["Tàu cá lạ"]


def test_inbox_filters_by_topic_urgency_status_area_and_period(world, people):
    ca = world.u("ca_province")
    with time_machine.travel(dt.datetime(2024, 7, 10, 3, tzinfo=dt.UTC), tick=False):
        send(people["bp_post"], [ca], title="Ma túy tháng 7", topic="drugs", urgency=Urgency.KHAN)
    with time_machine.travel(dt.datetime(2024, 8, 10, 3, tzinfo=dt.UTC), tick=False):
        august = send(people["bp_post"], [ca], title="Biên giới tháng 8", areas=[world.commune_b])
        info_item_acknowledge(actor=people["ca_prov"], item=august)
    client = client_for(people["ca_prov"])

    def titles(**query: str) -> list[str]:
        html = html_of(client.get(reverse("exchange:index"), query))
        return re.findall(r'class="fw-semibold item-title"[^>]*>([^<]+)</a>', html)

    assert titles(topic="drugs") == ["Ma túy tháng 7"]
    assert titles(urgency="1") == ["Ma túy tháng 7"]
    assert titles(status="pending") == ["Ma túy tháng 7"]
    assert titles(status="acknowledged") == ["Biên giới tháng 8"]
    assert titles(area=world.commune_b.code) == ["Biên giới tháng 8"]
    assert titles(sent_from="01/08/2024", sent_to="31/08/2024") == ["Biên giới tháng 8"]
    assert titles(sent_to="10/07/2024") == ["Ma túy tháng 7"]


def test_reply_by_htmx_returns_the_thread_fragment(world, people):
    item = send(people["bp_post"], [world.u("ca_province")])
    client = client_for(people["ca_prov"])
    url = reverse("exchange:reply", args=[item.public_id])

    html = html_of(client.post(url, {"body": "Đã nhận, đang kiểm tra."}, HTTP_HX_REQUEST="true"))
    assert html.lstrip().startswith('<div id="thread-body">')
    assert "Đã nhận, đang kiểm tra." in html

    empty = html_of(client.post(url, {"body": "  "}, HTTP_HX_REQUEST="true"))
    assert "Hãy nhập nội dung trả lời." in empty
    assert Reply.objects.filter(item=item).count() == 1


def test_a_non_party_cannot_reply_and_sees_why(world, people):
    item = send(people["bp_post"], [world.u("ca_province")], is_joint=True)
    staff = user(world.u("qs_province"), roles=["joint_staff"])
    client = client_for(staff)
    html = html_of(client.get(reverse("exchange:detail", args=[item.public_id])))
    assert "Gửi trả lời" not in html

    response = client.post(reverse("exchange:reply", args=[item.public_id]), {"body": "Xin chào"})
    assert "Chỉ đơn vị gửi và đơn vị nhận được trả lời thông tin này." in html_of(response)
    assert not Reply.objects.exists()


def test_the_assigned_unit_answers_and_the_requesting_unit_closes(world, people):
    item = send(people["bp_post"], [world.u("ca_province")], urgency=Urgency.KHAN)
    verification = verification_request_create(
        actor=people["bp_post"], item=item, assigned_unit=world.u("ca_province"), question="?"
    )
    answer_url = reverse("exchange:verification_answer", args=[verification.public_id])
    prefix = f"v{verification.pk}"

    ca = client_for(people["ca_prov"])
    queue = html_of(ca.get(reverse("exchange:verifications")))
    assert 'data-testid="queue-row"' in queue
    incomplete = ca.post(answer_url, {f"{prefix}-result": "confirmed", f"{prefix}-findings": ""})
    assert "Phải ghi kết quả xác minh cụ thể." in html_of(incomplete)
    verification.refresh_from_db()
    assert verification.status == VerificationStatus.OPEN

    response = ca.post(
        answer_url, {f"{prefix}-result": "confirmed", f"{prefix}-findings": "Đúng người."}
    )
    assert response.status_code == 302
    verification.refresh_from_db()
    assert (verification.status, verification.result) == ("answered", "confirmed")

    bp = client_for(people["bp_post"])
    html = html_of(bp.get(reverse("exchange:detail", args=[item.public_id])))
    assert "Xác minh đúng" in html and "Đúng người." in html
    bp.post(reverse("exchange:verification_close", args=[verification.public_id]))
    verification.refresh_from_db()
    assert verification.status == VerificationStatus.CLOSED


def test_another_unit_cannot_answer_a_verification(world, people):
    item = send(people["bp_post"], [world.u("ca_province"), world.u("qs_province")])
    verification = verification_request_create(
        actor=people["bp_post"], item=item, assigned_unit=world.u("ca_province"), question="?"
    )
    prefix = f"v{verification.pk}"
    response = client_for(people["qs_prov"]).post(
        reverse("exchange:verification_answer", args=[verification.public_id]),
        {f"{prefix}-result": "confirmed", f"{prefix}-findings": "x"},
    )
    assert "Yêu cầu này do Công an tỉnh Hà Tĩnh xử lý" in html_of(response)
    verification.refresh_from_db()
    assert (verification.status, verification.result) == ("open", "")


def test_verification_queue_highlights_overdue_requests(world, people):
    item = send(people["bp_post"], [world.u("ca_province")])
    start = timezone.now()
    verification_request_create(
        actor=people["bp_post"],
        item=item,
        assigned_unit=world.u("ca_province"),
        question="?",
        due_at=start + dt.timedelta(hours=1),
    )
    with time_machine.travel(start + dt.timedelta(hours=3), tick=False):
        html = html_of(client_for(people["ca_prov"]).get(reverse("exchange:verifications")))
    assert '<tr class="table-danger" data-testid="queue-row" data-overdue="true">' in html
    assert "quá hạn 2 giờ" in html


def test_forwarding_against_the_handling_code_is_not_offered(world, people):
    item = send(people["bp_post"], [world.u("ca_province")], handling="named_only")
    html = html_of(
        client_for(people["ca_prov"]).get(reverse("exchange:detail", args=[item.public_id]))
    )
    assert "không được chuyển tiếp" in html
    assert reverse("exchange:forward", args=[item.public_id]) not in html


def test_forwarding_to_a_subordinate_unit(world, people):
    item = send(people["bp_post"], [world.u("ca_province")])
    commune = world.u("ca_commune_a")
    response = client_for(people["ca_prov"]).post(
        reverse("exchange:forward", args=[item.public_id]), {"units": [str(commune.public_id)]}
    )
    assert response.status_code == 302
    assert Receipt.objects.get(item=item, unit=commune).forwarded_by == world.u("ca_province")


@pytest.mark.parametrize("name", ["exchange:index", "exchange:outbox"])
def test_list_queries_do_not_grow_with_the_number_of_items(
    world, people, name, django_assert_max_num_queries
):
    ca, qs = world.u("ca_province"), world.u("qs_province")
    client = client_for(people["bp_post"] if name == "exchange:outbox" else people["ca_prov"])
    for _ in range(3):
        send(people["bp_post"], [ca, qs], areas=[world.commune_a])
    client.get(reverse(name))  # warm the session and content-type caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        html_of(client.get(reverse(name)))
    for _ in range(12):
        send(people["bp_post"], [ca, qs], areas=[world.commune_a])
    with django_assert_max_num_queries(len(few.captured_queries)):
        html_of(client.get(reverse(name)))


def test_inbox_pages_keep_the_filter_in_their_links(world, people):
    for number in range(30):
        send(people["bp_post"], [world.u("ca_province")], title=f"Ma túy {number}", topic="drugs")
    client = client_for(people["ca_prov"])

    first = html_of(client.get(reverse("exchange:index"), {"topic": "drugs"}))
    assert len(re.findall(r'data-testid="inbox-item"', first)) == 25
    assert 'href="?topic=drugs&amp;page=2"' in first
    second = html_of(client.get(reverse("exchange:index"), {"topic": "drugs", "page": "2"}))
    assert len(re.findall(r'data-testid="inbox-item"', second)) == 5


def test_the_pages_speak_english_too(world, people):
    item = send(people["bp_post"], [world.u("ca_province")])
    client = client_for(people["ca_prov"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    for url in (
        reverse("exchange:index"),
        reverse("exchange:outbox"),
        reverse("exchange:compose"),
        reverse("exchange:verifications"),
        reverse("exchange:detail", args=[item.public_id]),
    ):
        assert '<html lang="en">' in html_of(client.get(url)), url
