"""Writes of mass mobilisation: what is saved, who may write, and every bad input refused with
the field named and nothing saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from phoihop.access.rules import visible
from phoihop.audit.models import AuditEntry
from phoihop.core.errors import DomainError, PermissionDenied, StaleVersion
from phoihop.mobilisation import services
from phoihop.mobilisation.enums import OpinionStatus
from phoihop.mobilisation.models import (
    CampaignLaunch,
    Forum,
    HandedInItem,
    Law,
    Opinion,
    OpinionTransition,
    PropagandaSession,
    SurrenderCampaign,
)
from phoihop.mobilisation.services import HandedInData, OpinionData
from phoihop.org.enums import AreaKind, AreaLevel
from phoihop.org.models import AdministrativeArea
from tests import factories
from tests.mobilisation.conftest import (
    DAY,
    make_campaign,
    make_forum,
    make_programme,
    make_propaganda,
    snapshot,
)


def refused(call: Any, *, field: str, code: str | None = None) -> DomainError:
    """`call()` is refused naming `field`, and nothing at all is saved."""
    before = snapshot()
    with pytest.raises(DomainError) as caught:
        call()
    assert field in caught.value.fields, caught.value.fields
    if code is not None:
        assert caught.value.code == code
    assert snapshot() == before
    return caught.value


def other_commune(world) -> AdministrativeArea:
    return factories.area("17500", "Xã Nghi Lộc", parent=world.other_province)


# --- forums -------------------------------------------------------------------------------------


def test_a_forum_is_saved_with_its_opinions_by_topic_and_shared_with_participating_units(
    world, people
):
    forum = make_forum(
        people["ca_commune"],
        world,
        participating_units=[world.u("qs_commune_a"), world.u("bp_post_a")],
        opinion_items=[OpinionData(topic="security", content="Đề nghị tăng cường tuần tra.")],
    )
    assert forum.owner_unit == world.u("ca_commune_a")
    assert forum.province == world.province
    assert forum.title == "Công an lắng nghe ý kiến Nhân dân"
    assert dict(forum.topic_counts.values_list("topic", "count")) == {"security": 6, "traffic": 4}
    assert forum.opinion_items.count() == 1
    assert set(forum.participating_units.all()) == {world.u("qs_commune_a"), world.u("bp_post_a")}
    # Participating units of other forces see the forum; an unrelated commune does not.
    assert visible(Forum, people["qs_commune"]).filter(pk=forum.pk).exists()
    assert visible(Forum, people["bp_post"]).filter(pk=forum.pk).exists()
    assert not visible(Forum, people["ca_commune_b"]).filter(pk=forum.pk).exists()
    entry = AuditEntry.objects.filter(object_id=str(forum.public_id)).get()
    assert entry.action == "create"
    assert forum.history.count() == 1


@pytest.mark.parametrize(
    ("extra", "field", "code"),
    [
        ({"attendees": -1}, "attendees", "negative_count"),
        ({"opinions": -3}, "opinions", "negative_count"),
        ({"attendees": "nhiều"}, "attendees", "not_a_count"),
        ({"topic_counts": [("security", -2)]}, "topic_counts.0.count", "negative_count"),
        ({"topic_counts": [("security", 10), ("fire", 6)]}, "topic_counts", "topics_exceed_total"),
        ({"topic_counts": [("security", 1), ("security", 2)]}, "topic_counts.1.topic", None),
        ({"topic_counts": [("weather", 1)]}, "topic_counts.0.topic", "unknown_topic"),
        ({"end_date": DAY - dt.timedelta(days=1)}, "end_date", "end_before_start"),
        ({"classification": 3}, "classification", "classification_refused"),
        ({"start_date": dt.date(2099, 1, 1)}, "start_date", "future_date"),
        (
            {
                "opinions": 1,
                "topic_counts": [],
                "opinion_items": [
                    OpinionData(topic="fire", content="Một"),
                    OpinionData(topic="fire", content="Hai"),
                ],
            },
            "opinions",
            "opinions_exceed_total",
        ),
        (
            {"opinion_items": [OpinionData(topic="fire", content="  ")]},
            "opinion_items.0.content",
            "required",
        ),
    ],
)
def test_a_forum_with_bad_input_is_refused_and_nothing_saved(world, people, extra, field, code):
    refused(lambda: make_forum(people["ca_prov"], world, **extra), field=field, code=code)


def test_a_forum_in_a_commune_of_another_province_is_refused(world, people):
    commune = other_commune(world)
    refused(
        lambda: make_forum(people["ca_prov"], world, commune=commune),
        field="commune",
        code="commune_outside_province",
    )


def test_a_forum_may_be_organised_only_by_the_actors_unit_or_one_below(world, people):
    refused(
        lambda: make_forum(people["ca_commune"], world, organising_unit=world.u("ca_province")),
        field="organising_unit",
    )
    forum = make_forum(people["ca_chief"], world, organising_unit=world.u("ca_commune_b"))
    assert forum.owner_unit == world.u("ca_commune_b")


def test_joint_staff_without_officer_role_cannot_record(world, people):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        make_forum(people["qs_joint"], world)
    assert snapshot() == before


def test_updating_a_forum_replaces_its_breakdown_and_moves_the_version(world, people):
    forum = make_forum(people["ca_prov"], world)
    changed = services.forum_update(
        actor=people["ca_prov"],
        forum=forum,
        expected_version=1,
        changes={"opinions": 20, "topic_counts": [("fire", 12), ("land", 8)]},
    )
    assert changed == ["opinions", "topic_counts"]
    forum.refresh_from_db()
    assert forum.version == 2 and forum.opinions == 20
    assert dict(forum.topic_counts.values_list("topic", "count")) == {"fire": 12, "land": 8}


def test_a_forum_update_leaving_the_breakdown_above_the_total_is_refused(world, people):
    forum = make_forum(people["ca_prov"], world)
    refused(
        lambda: services.forum_update(
            actor=people["ca_prov"], forum=forum, expected_version=1, changes={"opinions": 9}
        ),
        field="topic_counts",
        code="topics_exceed_total",
    )
    forum.refresh_from_db()
    assert forum.opinions == 15 and forum.version == 1


def test_a_forum_update_from_a_stale_version_is_refused(world, people):
    forum = make_forum(people["ca_prov"], world)
    services.forum_update(
        actor=people["ca_prov"], forum=forum, expected_version=1, changes={"attendees": 100}
    )
    with pytest.raises(StaleVersion):
        services.forum_update(
            actor=people["ca_prov"],
            forum=Forum.objects.get(pk=forum.pk),
            expected_version=1,
            changes={"attendees": 90},
        )
    assert Forum.objects.get(pk=forum.pk).attendees == 100


def test_a_participating_unit_sees_but_cannot_change_the_forum(world, people):
    forum = make_forum(people["ca_prov"], world, participating_units=[world.u("qs_province")])
    with pytest.raises(PermissionDenied):
        services.forum_update(
            actor=people["qs_prov"], forum=forum, expected_version=1, changes={"attendees": 1}
        )


def test_removing_a_participating_unit_withdraws_the_forum_from_it(world, people):
    forum = make_forum(people["ca_prov"], world, participating_units=[world.u("qs_province")])
    services.forum_update(
        actor=people["ca_prov"],
        forum=forum,
        expected_version=1,
        changes={"participating_units": [world.u("bp_province")]},
    )
    assert not visible(Forum, people["qs_prov"]).filter(pk=forum.pk).exists()
    assert Forum.objects.get(pk=forum.pk).version == 2


def test_deleting_a_forum_is_soft_and_audited(world, people):
    forum = make_forum(people["ca_prov"], world)
    services.forum_delete(actor=people["ca_prov"], forum=forum)
    assert not Forum.objects.filter(pk=forum.pk).exists()
    assert Forum.all_objects.filter(pk=forum.pk).exists()
    assert AuditEntry.objects.filter(object_id=str(forum.public_id), action="delete").exists()


# --- opinions and their follow-up ---------------------------------------------------------------


def test_an_opinion_goes_open_answered_closed_with_a_transition_log(world, people):
    forum = make_forum(people["ca_prov"], world)
    opinion = services.opinion_add(
        actor=people["ca_prov"],
        forum=forum,
        data=OpinionData(
            topic="traffic",
            content="Đề nghị lắp đèn tín hiệu tại ngã tư chợ.",
            assigned_unit=world.u("ca_commune_a"),
        ),
    )
    assert opinion.status == OpinionStatus.OPEN
    services.opinion_answer(
        actor=people["ca_commune"], opinion=opinion, answer="Đã kiến nghị UBND xã lắp đặt."
    )
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.ANSWERED
    assert opinion.answered_by == people["ca_commune"]
    services.opinion_close(actor=people["ca_prov"], opinion=opinion)
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.CLOSED
    assert list(
        OpinionTransition.objects.filter(opinion=opinion).values_list("from_status", "to_status")
    ) == [("open", "answered"), ("answered", "closed")]


def test_an_opinion_assigned_to_another_force_shares_the_forum_with_it(world, people):
    forum = make_forum(people["ca_prov"], world)
    opinion = services.opinion_add(
        actor=people["ca_prov"],
        forum=forum,
        data=OpinionData(
            topic="security", content="Người lạ qua biên giới.", assigned_unit=world.u("bp_post_a")
        ),
    )
    assert visible(Forum, people["bp_post"]).filter(pk=forum.pk).exists()
    services.opinion_answer(actor=people["bp_post"], opinion=opinion, answer="Đồn đã xác minh.")
    assert Opinion.objects.get(pk=opinion.pk).status == OpinionStatus.ANSWERED


def test_an_opinion_cannot_be_closed_before_it_is_answered_or_answered_twice(world, people):
    forum = make_forum(people["ca_prov"], world)
    opinion = services.opinion_add(
        actor=people["ca_prov"], forum=forum, data=OpinionData(topic="fire", content="Ý kiến.")
    )
    refused(
        lambda: services.opinion_close(actor=people["ca_prov"], opinion=opinion),
        field="status",
        code="transition_not_allowed",
    )
    refused(
        lambda: services.opinion_answer(actor=people["ca_prov"], opinion=opinion, answer=" "),
        field="answer",
        code="required",
    )
    services.opinion_answer(actor=people["ca_prov"], opinion=opinion, answer="Đã trả lời.")
    refused(
        lambda: services.opinion_answer(
            actor=people["ca_prov"], opinion=Opinion.objects.get(pk=opinion.pk), answer="Lần 2"
        ),
        field="status",
    )


def test_a_unit_not_assigned_cannot_answer(world, people):
    forum = make_forum(people["ca_prov"], world, participating_units=[world.u("qs_province")])
    opinion = services.opinion_add(
        actor=people["ca_prov"], forum=forum, data=OpinionData(topic="fire", content="Ý kiến.")
    )
    with pytest.raises(PermissionDenied):
        services.opinion_answer(actor=people["qs_prov"], opinion=opinion, answer="Trả lời.")


def test_individual_opinions_cannot_outnumber_the_forums_total(world, people):
    forum = make_forum(people["ca_prov"], world, opinions=1, topic_counts=[])
    services.opinion_add(
        actor=people["ca_prov"], forum=forum, data=OpinionData(topic="fire", content="Một.")
    )
    refused(
        lambda: services.opinion_add(
            actor=people["ca_prov"], forum=forum, data=OpinionData(topic="fire", content="Hai.")
        ),
        field="opinions",
        code="opinions_exceed_total",
    )


# --- law propaganda -----------------------------------------------------------------------------


def test_the_law_catalogue_is_seeded_after_migrate(db):
    names = set(Law.objects.values_list("name", flat=True))
    assert {
        "Luật Căn cước",
        "Luật Lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở",
        "Luật Trật tự, an toàn giao thông đường bộ",
        "Luật Nghĩa vụ quân sự",
        "Luật Biên phòng Việt Nam",
    } <= names


def test_a_propaganda_record_names_its_laws(world, people):
    record = make_propaganda(
        people["bp_post"], laws=["bien-phong", "can-cuoc", "bien-phong"], commune=world.commune_a
    )
    assert set(record.laws.values_list("code", flat=True)) == {"bien-phong", "can-cuoc"}
    assert record.owner_unit == world.u("bp_post_a")


@pytest.mark.parametrize(
    ("extra", "field", "code"),
    [
        ({"laws": []}, "laws", "required"),
        ({"laws": ["luat-khong-co"]}, "laws", "unknown_law"),
        ({"sessions": 0}, "sessions", "below_minimum"),
        ({"attendees": -5}, "attendees", "negative_count"),
        ({"leaflets": -1}, "leaflets", "negative_count"),
        ({"title": "   "}, "title", "required"),
        ({"end_date": DAY - dt.timedelta(days=3)}, "end_date", "end_before_start"),
    ],
)
def test_a_propaganda_record_with_bad_input_is_refused(world, people, extra, field, code):
    refused(lambda: make_propaganda(people["ca_prov"], **extra), field=field, code=code)


def test_a_retired_law_cannot_be_chosen(world, people):
    Law.objects.filter(code="cu-tru").update(is_active=False)
    refused(lambda: make_propaganda(people["ca_prov"], laws=["cu-tru"]), field="laws")


def test_updating_the_laws_of_a_propaganda_record(world, people):
    record = make_propaganda(people["ca_prov"])
    changed = services.propaganda_update(
        actor=people["ca_prov"],
        record=record,
        expected_version=1,
        changes={"laws": ["nghia-vu-quan-su"], "leaflets": 10},
    )
    assert changed == ["leaflets", "laws"]
    assert list(record.laws.values_list("code", flat=True)) == ["nghia-vu-quan-su"]
    assert PropagandaSession.objects.get(pk=record.pk).version == 2


# --- surrender campaigns ------------------------------------------------------------------------


def test_a_campaign_covers_the_organisers_province_and_is_launched_per_commune(world, people):
    campaign = make_campaign(people["ca_prov"], participating_units=[world.u("ca_commune_a")])
    assert campaign.area == world.province
    launch = services.campaign_launch(
        actor=people["ca_commune"],
        campaign=campaign,
        commune=world.commune_a,
        launched_on=dt.date(2024, 6, 20),
    )
    assert launch.unit == world.u("ca_commune_a")
    assert SurrenderCampaign.objects.get(pk=campaign.pk).version == 2


def test_a_campaigns_area_must_be_a_province(world, people):
    refused(
        lambda: make_campaign(people["ca_prov"], area=world.commune_a),
        field="area",
        code="area_not_province",
    )


def test_launching_outside_the_area_twice_or_outside_the_period_is_refused(world, people):
    campaign = make_campaign(people["ca_prov"])
    commune = other_commune(world)
    refused(
        lambda: services.campaign_launch(
            actor=people["ca_prov"], campaign=campaign, commune=commune, launched_on=DAY
        ),
        field="commune",
        code="commune_outside_area",
    )
    for day in (dt.date(2024, 6, 14), dt.date(2024, 9, 15)):
        refused(
            lambda day=day: services.campaign_launch(
                actor=people["ca_prov"], campaign=campaign, commune=world.commune_a, launched_on=day
            ),
            field="launched_on",
            code="outside_period",
        )
    services.campaign_launch(
        actor=people["ca_prov"], campaign=campaign, commune=world.commune_a, launched_on=DAY
    )
    refused(
        lambda: services.campaign_launch(
            actor=people["ca_prov"],
            campaign=campaign,
            commune=world.commune_a,
            launched_on=DAY + dt.timedelta(days=1),
        ),
        field="commune",
        code="already_launched",
    )


def test_a_deleted_launch_may_be_recorded_again(world, people):
    campaign = make_campaign(people["ca_prov"])
    launch = services.campaign_launch(
        actor=people["ca_prov"], campaign=campaign, commune=world.commune_a, launched_on=DAY
    )
    services.launch_delete(actor=people["ca_prov"], launch=launch)
    again = services.campaign_launch(
        actor=people["ca_prov"], campaign=campaign, commune=world.commune_a, launched_on=DAY
    )
    assert CampaignLaunch.objects.get() == again


def test_a_unit_that_does_not_take_part_cannot_launch(world, people):
    campaign = make_campaign(people["ca_prov"], participating_units=[world.u("qs_province")])
    with pytest.raises(PermissionDenied):
        services.campaign_launch(
            actor=people["bp_post"], campaign=campaign, commune=world.commune_a, launched_on=DAY
        )
    # The participating Military Command may.
    services.campaign_launch(
        actor=people["qs_prov"], campaign=campaign, commune=world.commune_a, launched_on=DAY
    )


def test_handed_in_items_are_stored_exactly_in_the_canonical_unit(world, people):
    campaign = make_campaign(people["ca_prov"])
    rows = services.handed_in_add(
        actor=people["ca_prov"],
        campaign=campaign,
        rows=[
            HandedInData(world.commune_a, DAY, "thuoc-no", "1.500", "gam"),
            HandedInData(world.commune_b, DAY, "thuoc-no", "0,9", "kg"),
            HandedInData(world.commune_a, DAY, "sung", 3),
            HandedInData(world.commune_a, DAY, "dao-kiem", "12", "cái"),
        ],
    )
    assert [(r.item.code, r.quantity, r.entered_quantity, r.entered_unit) for r in rows] == [
        ("thuoc-no", Decimal("1.5"), Decimal("1500"), "gam"),
        ("thuoc-no", Decimal("0.9"), Decimal("0.9"), "kg"),
        ("sung", Decimal("3"), Decimal("3"), "khẩu"),
        ("dao-kiem", Decimal("12"), Decimal("12"), "cái"),
    ]


@pytest.mark.parametrize(
    ("row", "field", "code"),
    [
        ({"item": "thuoc-no", "unit": "lít"}, "items.1.unit", "unit_not_allowed"),
        ({"item": "sung", "unit": "kg"}, "items.1.unit", "unit_not_allowed"),
        ({"item": "thuoc-no", "quantity": "-2"}, "items.1.quantity", "negative_quantity"),
        ({"item": "sung", "quantity": "1,5"}, "items.1.quantity", "not_whole"),
        ({"item": "sung", "quantity": "0"}, "items.1.quantity", "zero_quantity"),
        ({"item": "khong-co"}, "items.1.item", "unknown_item"),
        ({"day": dt.date(2024, 9, 15)}, "items.1.handed_in_on", "outside_period"),
        ({"day": dt.date(2024, 6, 1)}, "items.1.handed_in_on", "outside_period"),
        ({"commune": "other"}, "items.1.commune", "commune_outside_area"),
    ],
)
def test_one_bad_handed_in_row_refuses_them_all(world, people, row, field, code):
    campaign = make_campaign(people["ca_prov"])
    commune = other_commune(world) if row.get("commune") == "other" else world.commune_b
    bad = HandedInData(
        commune,
        row.get("day", DAY),
        row.get("item", "thuoc-no"),
        row.get("quantity", "2"),
        row.get("unit", ""),
    )
    good = HandedInData(world.commune_a, DAY, "dao-kiem", 5)
    refused(
        lambda: services.handed_in_add(
            actor=people["ca_prov"], campaign=campaign, rows=[good, bad]
        ),
        field=field,
        code=code,
    )
    assert not HandedInItem.objects.exists()


def test_a_campaigns_period_cannot_shrink_away_from_its_launches(world, people):
    campaign = make_campaign(people["ca_prov"])
    services.campaign_launch(
        actor=people["ca_prov"], campaign=campaign, commune=world.commune_a, launched_on=DAY
    )
    refused(
        lambda: services.campaign_update(
            actor=people["ca_prov"],
            campaign=campaign,
            expected_version=2,
            changes={"end_date": dt.date(2024, 7, 1)},
        ),
        field="end_date",
        code="outside_period",
    )
    refused(
        lambda: services.campaign_update(
            actor=people["ca_prov"],
            campaign=campaign,
            expected_version=2,
            changes={"end_date": dt.date(2024, 6, 1)},
        ),
        field="end_date",
        code="end_before_start",
    )


# --- social support -----------------------------------------------------------------------------


def test_a_programme_records_beneficiaries_and_value_in_dong(world, people):
    record = make_programme(people["bp_post"], kind="foster", value="2.900.000")
    assert record.value == Decimal("2900000")
    assert record.get_kind_display() == "Con nuôi đồn Biên phòng"


@pytest.mark.parametrize(
    ("extra", "field", "code"),
    [
        ({"value": -1}, "value", "negative_amount"),
        ({"value": "1000,5"}, "value", "not_whole"),
        ({"value": "nhiều"}, "value", "invalid_amount"),
        ({"beneficiaries": -2}, "beneficiaries", "negative_count"),
        ({"kind": "lottery"}, "kind", "unknown_kind"),
        ({"end_date": DAY - dt.timedelta(days=1)}, "end_date", "end_before_start"),
    ],
)
def test_a_programme_with_bad_input_is_refused(world, people, extra, field, code):
    refused(lambda: make_programme(people["ca_prov"], **extra), field=field, code=code)


def test_records_in_a_legacy_commune_merged_into_the_province_are_accepted(world, people):
    old_district = AdministrativeArea.objects.create(
        code="439",
        name="Huyện Hương Sơn",
        kind=AreaKind.HUYEN,
        level=AreaLevel.DISTRICT,
        valid_from=dt.date(2008, 1, 1),
        valid_until=dt.date(2025, 6, 30),
    )
    old_province = AdministrativeArea.objects.create(
        code="42",
        name="Tỉnh Hà Tĩnh (cũ)",
        kind=AreaKind.TINH,
        level=AreaLevel.PROVINCE,
        valid_from=dt.date(2008, 1, 1),
        valid_until=dt.date(2025, 6, 30),
    )
    old_district.parent = old_province
    old_district.save()
    old_province.successors.add(world.province)
    old_commune = AdministrativeArea.objects.create(
        code="18190",
        name="Xã Sơn Kim",
        kind=AreaKind.XA,
        level=AreaLevel.COMMUNE,
        parent=old_district,
        valid_from=dt.date(2008, 1, 1),
        valid_until=dt.date(2025, 6, 30),
    )
    forum = make_forum(people["ca_prov"], world, commune=old_commune)
    assert forum.commune == old_commune
