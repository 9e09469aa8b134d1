"""Who sees which submissions: a unit its own and its subordinates'; joint staff their province's
(joint forms); nobody else — in the selectors, the pages and the API alike."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from phoihop.indicators.models import Submission
from phoihop.indicators.selectors import approval_queue, submission_list
from phoihop.indicators.services import submission_create, submission_submit, submission_values_set
from tests.factories import OrgWorld, login, user
from tests.indicators.conftest import People, Regime, at

pytestmark = pytest.mark.django_db


def submission_of(actor, form, key: str = "2024-Q3") -> Submission:  # type: ignore[no-untyped-def]
    return submission_create(actor=actor, form=form, period=key)


@pytest.fixture
def reports(world: OrgWorld, regime: Regime, people: People) -> dict[str, Submission]:
    province_form = regime.province_form
    return {
        "commune_a": submission_of(people.officer, regime.commune_form),
        "commune_b": submission_of(people.other_commune_officer, regime.commune_form),
        "ca_province": submission_of(people.province_officer, province_form),
        "qs_province": submission_of(people.qs_commander, province_form),
        "other_province": submission_of(
            user(world.u("ca_other_province"), roles=["officer"]), province_form
        ),
    }


def seen(actor, reports: dict[str, Submission]) -> set[str]:  # type: ignore[no-untyped-def]
    ids = set(submission_list(actor=actor).values_list("pk", flat=True))
    return {key for key, submission in reports.items() if submission.pk in ids}


def test_a_commune_sees_only_its_own(people, reports):
    assert seen(people.officer, reports) == {"commune_a"}
    assert seen(people.other_commune_officer, reports) == {"commune_b"}


def test_the_province_sees_its_own_and_its_subordinates(world, people, reports):
    expected = {"commune_a", "commune_b", "ca_province"}
    assert seen(people.commander, reports) == expected
    assert seen(people.province_officer, reports) == expected


def test_a_sibling_unit_and_another_force_see_nothing_of_it(world, people, reports):
    assert seen(people.pc04_commander, reports) == set()
    assert seen(user(world.u("qs_province"), roles=["officer"]), reports) == {"qs_province"}
    assert seen(user(world.u("bp_post_a"), roles=["commander"]), reports) == set()


def test_joint_staff_see_their_provinces_submissions(people, reports):
    assert seen(people.qs_joint, reports) == {
        "commune_a",
        "commune_b",
        "ca_province",
        "qs_province",
    }
    assert seen(people.other_province_joint, reports) == {"other_province"}


def test_joint_staff_do_not_see_submissions_of_a_form_that_is_not_joint(regime, people, reports):
    regime.commune_form.is_joint = False
    regime.commune_form.save()
    internal = submission_of(people.officer, regime.commune_form, "2024-Q2")
    assert not internal.is_joint
    assert not submission_list(actor=people.qs_joint).filter(pk=internal.pk).exists()
    assert submission_list(actor=people.commander).filter(pk=internal.pk).exists()


def test_the_approval_queue_holds_what_the_actor_must_decide(regime, people, reports):
    submission = reports["commune_a"]
    submission_values_set(
        actor=people.officer,
        submission=submission,
        values={"t.patrols": "1", "t.subjects": "0", "t.wanted": "0", "t.budget": "0"},
    )
    submission_submit(actor=people.officer, submission=submission, at=at("15/09/2024"))
    assert list(approval_queue(actor=people.commander)) == [submission]
    assert list(approval_queue(actor=people.pc04_commander)) == []
    assert list(approval_queue(actor=people.qs_joint)) == []


def test_pages_and_api_answer_404_for_an_invisible_submission(people, reports):
    submission = reports["commune_a"]
    for outsider, visible in (
        (people.other_commune_officer, False),
        (people.pc04_commander, False),
        (people.qs_joint, True),
        (people.commander, True),
    ):
        client = Client()
        login(client, outsider)
        page = client.get(reverse("indicators:submission", args=[submission.public_id]))
        api = client.get(reverse("indicators-api:submission-detail", args=[submission.public_id]))
        assert (page.status_code, api.status_code) == ((200, 200) if visible else (404, 404))
    client = Client()
    login(client, people.other_commune_officer)
    listed = client.get(reverse("indicators-api:submission-list")).json()
    assert [row["public_id"] for row in listed["results"]] == [str(reports["commune_b"].public_id)]
