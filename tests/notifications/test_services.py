"""Notifications: made for one user, read only by that user, marked read once."""

import datetime as dt

import pytest
import time_machine

from phoihop.core.errors import DomainError, NotFound
from phoihop.notifications.enums import NotificationKind
from phoihop.notifications.models import Notification
from phoihop.notifications.selectors import (
    notification_get,
    notification_list,
    notification_unread_count,
)
from phoihop.notifications.services import (
    notification_create,
    notification_mark_all_read,
    notification_mark_read,
)
from tests.factories import user


@pytest.fixture
def alice(world):
    return user(world.u("ca_province"), roles=["commander"])


@pytest.fixture
def bob(world):
    return user(world.u("qs_province"), roles=["commander"])


def note(recipient, title="Quá hạn xác nhận thông tin 01/TT-BP", **extra):
    return notification_create(recipient=recipient, title=title, **extra)


def test_a_notification_remembers_what_it_is_about(world, alice):
    unit = world.u("ca_province")
    created = note(
        alice, body="Nội dung", kind=NotificationKind.ACK_OVERDUE, link="/x/", related=unit
    )
    assert created.related_type.model == "unit"
    assert created.related_id == str(unit.public_id)
    assert (created.kind, created.link, created.read_at) == ("ack_overdue", "/x/", None)


def test_each_user_lists_and_counts_only_their_own(alice, bob):
    mine = [note(alice), note(alice)]
    note(bob)
    assert list(notification_list(actor=alice)) == mine[::-1]
    assert notification_unread_count(actor=alice) == 2
    assert notification_unread_count(actor=bob) == 1


def test_marking_read_keeps_the_first_reading_time(alice):
    created = note(alice)
    first = dt.datetime(2025, 3, 1, 8, tzinfo=dt.UTC)
    with time_machine.travel(first, tick=False):
        notification_mark_read(actor=alice, notification=created)
    with time_machine.travel(first + dt.timedelta(hours=2), tick=False):
        notification_mark_read(actor=alice, notification=created)
    created.refresh_from_db()
    assert created.read_at == first
    assert notification_unread_count(actor=alice) == 0
    assert list(notification_list(actor=alice, unread_only=True)) == []


def test_nobody_marks_someone_elses_notification_and_it_stays_unread(alice, bob):
    created = note(alice)
    with pytest.raises(NotFound):
        notification_mark_read(actor=bob, notification=created)
    with pytest.raises(NotFound):
        notification_get(actor=bob, public_id=created.public_id)
    created.refresh_from_db()
    assert created.read_at is None


def test_mark_all_read_touches_only_the_actors_notifications(alice, bob):
    note(alice)
    note(alice)
    theirs = note(bob)
    assert notification_mark_all_read(actor=alice) == 2
    assert notification_unread_count(actor=alice) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("link", ["https://example.com/x", "//evil.example/x", "javascript:x"])
def test_a_link_outside_the_site_is_refused_and_nothing_saved(alice, link):
    with pytest.raises(DomainError) as err:
        note(alice, link=link)
    assert "link" in err.value.fields
    assert "Đường dẫn" in err.value.fields["link"][0]
    assert not Notification.objects.exists()


def test_an_empty_title_is_refused_naming_the_field(alice):
    with pytest.raises(DomainError) as err:
        note(alice, title="   ")
    assert "title" in err.value.fields
    assert not Notification.objects.exists()
