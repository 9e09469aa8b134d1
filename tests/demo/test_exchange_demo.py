"""The demo's information exchange: 207 items in quý III năm 2024, earlier quarters to compare."""

from __future__ import annotations

import datetime as dt
import unicodedata

from phoihop.exchange.enums import Topic, Urgency, VerificationResult
from phoihop.exchange.figures import (
    acknowledgement_figures,
    item_figures,
    items_in_period,
    verification_figures,
)
from phoihop.exchange.models import InformationItem, Receipt, Reply, VerificationRequest
from phoihop.org.models import User
from phoihop_dev.demo.data import DEFAULT
from phoihop_dev.demo.data.ha_tinh_exchange import QUARTERS
from phoihop_dev.demo.exchange import plan
from tests.demo.support import run_load_demo

Q3_2024 = (dt.date(2024, 6, 15), dt.date(2024, 9, 14))
Q2_2024 = (dt.date(2024, 3, 15), dt.date(2024, 6, 14))
Q3_2023 = (dt.date(2023, 6, 15), dt.date(2023, 9, 14))
JOINT_STAFF = ("ca.tmth", "qs.tmth", "bp.tmth")
# Figures are computed as of a fixed moment, long after the quarters.
AS_OF = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def joint(username: str = "ca.tmth") -> User:
    return User.objects.get(username=username)


def test_quarter_three_of_2024_holds_exactly_207_items_exchanged_between_the_forces(demo):
    for username in JOINT_STAFF:
        figures = item_figures(actor=joint(username), start=Q3_2024[0], end=Q3_2024[1])
        assert figures.exchanged.value == 207, username
        assert len(figures.exchanged.provenance) == 207


def test_earlier_quarters_hold_their_own_counts_for_comparison(demo):
    counts = [
        item_figures(actor=joint(), start=start, end=end).exchanged.value
        for start, end in (Q3_2023, Q2_2024, Q3_2024)
    ]
    assert counts == [188, 196, 207]
    assert [q.items for q in QUARTERS] == [188, 196, 207]


def test_the_items_are_spread_over_forces_topics_urgencies_and_units(demo):
    figures = item_figures(actor=joint(), start=Q3_2024[0], end=Q3_2024[1])
    for force in figures.by_force:
        assert force.sent.value >= 30 and force.received.value >= 60, force.force.code
    assert sum(f.sent.value for f in figures.by_force) == 207
    items = items_in_period(actor=joint(), start=Q3_2024[0], end=Q3_2024[1])
    assert set(items.values_list("topic", flat=True)) == set(Topic.values)
    assert set(items.values_list("urgency", flat=True)) == set(Urgency.values)
    assert items.values("owner_unit").distinct().count() >= 18
    receiving = Receipt.objects.filter(item__in=items).values("unit").distinct().count()
    assert receiving >= 20
    assert not items.filter(areas__isnull=True).exists()
    assert all(item.is_joint and item.classification == 0 for item in items)


def test_titles_and_contents_are_vietnamese_text_from_the_templates(demo):
    for title, content in InformationItem.objects.values_list("title", "content"):
        assert "{" not in title and "{" not in content
        assert unicodedata.is_normalized("NFC", title)
        assert content.startswith("Khoảng ")


def test_items_are_numbered_in_the_order_they_were_sent(demo):
    item = InformationItem.objects.filter(owner_unit__code="DBP-CTR", year=2024)
    numbers = list(item.order_by("sent_at").values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) > 20


def test_receipts_are_mostly_acknowledged_on_time_some_late_a_few_never(demo):
    q3 = acknowledgement_figures(actor=joint(), start=Q3_2024[0], end=Q3_2024[1], as_of=AS_OF)
    assert q3.received.value >= 300
    assert q3.on_time_share is not None and 0.8 < q3.on_time_share < 0.97
    assert q3.late.value >= 10
    assert 0 < q3.unacknowledged.value == q3.overdue.value <= 15
    assert q3.median_hours is not None and q3.median_hours > 0
    older = acknowledgement_figures(actor=joint(), start=Q3_2023[0], end=Q3_2023[1], as_of=AS_OF)
    assert older.on_time_share is not None and older.on_time_share < q3.on_time_share
    # Acknowledgements carry the times of the story, never before delivery.
    receipts = Receipt.objects.exclude(acknowledged_at=None)
    assert all(r.delivered_at < r.acknowledged_at for r in receipts)
    assert not receipts.filter(acknowledged_at__year__gte=2025).exists()


def test_verification_requests_are_answered_late_or_left_overdue_with_every_result(demo):
    figures = verification_figures(actor=joint(), start=Q3_2024[0], end=Q3_2024[1], as_of=AS_OF)
    assert figures.requested.value >= 25
    assert figures.answered_on_time.value > figures.answered_late.value > 0
    assert figures.overdue.value > 0
    assert figures.answered.value + figures.unanswered.value == figures.requested.value
    assert set(figures.results) == set(VerificationResult.values)
    assert sum(f.value for f in figures.results.values()) == figures.answered.value
    assert sum(1 for f in figures.results.values() if f.value) >= 3
    assert not VerificationRequest.objects.filter(created_at__year__gte=2025).exists()


def test_replies_belong_to_the_time_of_their_item(demo):
    replies = Reply.objects.select_related("item")
    assert replies.count() >= 50
    assert all(
        r.item.sent_at < r.created_at < r.item.sent_at + dt.timedelta(days=15) for r in replies
    )


def test_the_plan_is_the_same_every_time():
    assert plan(DEFAULT) == plan(DEFAULT)


def test_a_second_run_creates_no_exchange_records(demo):
    def snapshot() -> tuple[int, ...]:
        return (
            InformationItem.all_objects.count(),
            Receipt.objects.count(),
            Reply.all_objects.count(),
            VerificationRequest.all_objects.count(),
            User.objects.count(),
        )

    before = snapshot()
    output = run_load_demo()
    assert snapshot() == before
    assert "không thay đổi gì" in output
