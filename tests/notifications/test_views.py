"""The notifications page, marking read, and the unread count in the navigation bar."""

import pytest
from django.urls import reverse

from phoihop.notifications.models import Notification
from phoihop.notifications.services import notification_create
from tests.factories import login, user


@pytest.fixture
def alice(world):
    return user(world.u("ca_province"), roles=["commander"], username="chihuy.cat")


@pytest.fixture
def bob(world):
    return user(world.u("qs_province"), roles=["commander"], username="chihuy.qs")


def note(recipient, title, **extra):
    return notification_create(recipient=recipient, title=title, **extra)


def test_the_page_lists_only_the_users_own_notifications(client, alice, bob):
    note(alice, "Quá hạn xác nhận thông tin 01/TT-DBP-SK", body="Hạn xác nhận: 02/08/2024 15:00.")
    note(bob, "Thông báo của người khác")
    login(client, alice)

    html = client.get(reverse("notifications:index")).content.decode()

    assert "Quá hạn xác nhận thông tin 01/TT-DBP-SK" in html
    assert "Hạn xác nhận: 02/08/2024 15:00." in html
    assert "Thông báo của người khác" not in html
    assert "Chưa đọc (1)" in html


def test_the_navigation_bar_shows_the_unread_count(client, alice):
    note(alice, "Một")
    note(alice, "Hai")
    login(client, alice)

    html = client.get(reverse("home")).content.decode()
    badge = html[html.index('data-testid="notification-badge"') :]
    badge = badge[: badge.index("</a>")]
    assert 'data-testid="notification-count">2<' in badge
    assert "Thông báo" in badge


def test_no_count_is_shown_when_everything_is_read(client, alice):
    login(client, alice)
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="notification-badge"' in html
    assert 'data-testid="notification-count"' not in html


def test_marking_read_from_the_page(client, alice):
    created = note(alice, "Một")
    login(client, alice)

    response = client.post(reverse("notifications:mark_read", args=[created.public_id]))

    assert response.status_code == 302 and response["Location"] == reverse("notifications:index")
    created.refresh_from_db()
    assert created.read_at is not None


def test_marking_read_with_htmx_answers_the_updated_row(client, alice):
    created = note(alice, "Một")
    login(client, alice)

    response = client.post(
        reverse("notifications:mark_read", args=[created.public_id]), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    row = response.content.decode()
    assert f'id="notification-{created.public_id}"' in row
    assert "Chưa đọc" not in row and "Đánh dấu đã đọc" not in row


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, alice):
    created = note(alice, "Một", link="/audit/")
    login(client, alice)

    response = client.post(
        reverse("notifications:mark_read", args=[created.public_id]), {"open": "1"}
    )

    assert response.status_code == 302 and response["Location"] == "/audit/"
    created.refresh_from_db()
    assert created.read_at is not None


def test_someone_elses_notification_is_not_found_and_stays_unread(client, alice, bob):
    theirs = note(bob, "Của người khác")
    login(client, alice)

    response = client.post(reverse("notifications:mark_read", args=[theirs.public_id]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(client, alice, bob):
    note(alice, "Một")
    note(alice, "Hai")
    theirs = note(bob, "Ba")
    login(client, alice)

    response = client.post(reverse("notifications:mark_all_read"))

    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_an_unsafe_next_address_is_not_followed(client, alice):
    login(client, alice)
    response = client.post(
        reverse("notifications:mark_all_read"), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("notifications:index")


def test_marking_read_needs_a_post(client, alice):
    created = note(alice, "Một")
    login(client, alice)
    assert (
        client.get(reverse("notifications:mark_read", args=[created.public_id])).status_code == 405
    )
    created.refresh_from_db()
    assert created.read_at is None


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("notifications:index"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_page_pages_through_many_notifications(client, alice, django_assert_max_num_queries):
    for number in range(35):
        note(alice, f"Thông báo số {number}")
    login(client, alice)

    with django_assert_max_num_queries(15):
        first = client.get(reverse("notifications:index")).content.decode()
    second = client.get(reverse("notifications:index") + "?page=2").content.decode()

    assert "Thông báo số 34" in first and "Thông báo số 0<" not in first
    assert "Thông báo số 0<" in second
    assert "Trang 2/2" in second
