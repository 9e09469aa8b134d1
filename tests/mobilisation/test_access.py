"""The access rule on every mobilisation kind: classification, joint staff, participating units;
and the law catalogue, which administrators edit in the admin."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from phoihop.audit.models import AuditAction, AuditEntry
from phoihop.mobilisation import selectors, services
from phoihop.mobilisation.models import Law
from phoihop.mobilisation.services import HandedInData
from tests import factories
from tests.mobilisation.conftest import (
    DAY,
    Q3_2024,
    make_campaign,
    make_forum,
    make_programme,
    make_propaganda,
)


def as_user(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    factories.login(client, user)
    return client


def _make(kind: str, actor, world, **extra: Any) -> Any:  # type: ignore[no-untyped-def]
    if kind == "forum":
        return make_forum(actor, world, **extra)
    if kind == "propaganda":
        return make_propaganda(actor, **extra)
    if kind == "campaign":
        return make_campaign(actor, **extra)
    return make_programme(actor, **extra)


KINDS = ["forum", "propaganda", "campaign", "programme"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_mat_record_is_invisible_below_the_clearance_and_its_view_is_audited(
    world, people, kind, settings
):
    settings.PHOIHOP_MAX_CLASSIFICATION = "mat"
    record = _make(kind, people["mat_officer"], world, classification=1)
    url = reverse(f"mobilisation-api:{kind}-detail", kwargs={"public_id": str(record.public_id)})
    assert as_user(people["ca_prov"]).get(url).status_code == 404
    assert as_user(people["mat_officer"]).get(url).status_code == 200
    assert AuditEntry.objects.filter(
        action=AuditAction.VIEW_CLASSIFIED, object_id=str(record.public_id)
    ).exists()
    figures = selectors.mobilisation_figures(
        actor=people["ca_prov"], start=Q3_2024[0], end=Q3_2024[1]
    )
    assert figures.forums.forums == 0
    assert figures.propaganda.records == 0
    assert figures.campaigns.campaigns == []
    assert figures.programmes.records == 0


@pytest.mark.parametrize("kind", KINDS)
def test_joint_staff_see_joint_records_of_their_province_only(world, people, kind):
    joint = _make(kind, people["ca_prov"], world, is_joint=True)
    own = _make(kind, people["ca_prov"], world)
    other_joint = factories.user(world.u("ca_other_province"), roles=["joint_staff"])
    listed = as_user(people["qs_joint"]).get(reverse(f"mobilisation-api:{kind}-list")).json()
    assert [r["public_id"] for r in listed["results"]] == [str(joint.public_id)]
    assert str(own.public_id) not in str(listed)
    elsewhere = as_user(other_joint).get(reverse(f"mobilisation-api:{kind}-list")).json()
    assert elsewhere["count"] == 0


@pytest.mark.parametrize("kind", KINDS)
def test_participating_units_see_the_record_and_other_units_do_not(world, people, kind):
    record = _make(kind, people["ca_prov"], world, participating_units=[world.u("bp_post_a")])
    url = reverse(f"mobilisation-api:{kind}-detail", kwargs={"public_id": str(record.public_id)})
    assert as_user(people["bp_post"]).get(url).status_code == 200
    assert as_user(people["qs_prov"]).get(url).status_code == 404
    assert as_user(people["outsider"]).get(url).status_code == 404


def test_rows_of_a_record_are_seen_only_with_it(world, people):
    campaign = make_campaign(people["ca_prov"])
    services.campaign_launch(
        actor=people["ca_prov"], campaign=campaign, commune=world.commune_a, launched_on=DAY
    )
    services.handed_in_add(
        actor=people["ca_prov"],
        campaign=campaign,
        rows=[HandedInData(world.commune_a, DAY, "sung", 1)],
    )
    assert selectors.launch_list(actor=people["ca_prov"]).count() == 1
    assert selectors.handed_in_list(actor=people["ca_prov"]).count() == 1
    assert selectors.launch_list(actor=people["outsider"]).count() == 0
    assert selectors.handed_in_list(actor=people["qs_prov"]).count() == 0


def test_the_law_catalogue_is_edited_by_administrators(world, people):
    administrator = factories.user(world.u("ca_province"), roles=("administrator",))
    client = as_user(administrator)
    assert client.get("/admin/mobilisation/law/").status_code == 200
    response = client.post(
        "/admin/mobilisation/law/add/",
        {"code": "an-ninh-mang", "name": "Luật An ninh mạng", "order": 200, "is_active": "on"},
    )
    assert response.status_code == 302
    law = Law.objects.get(code="an-ninh-mang")
    assert AuditEntry.objects.filter(
        action=AuditAction.CREATE, object_id=str(law.public_id)
    ).exists()
    record = make_propaganda(people["ca_prov"], laws=["an-ninh-mang"])
    assert list(record.laws.values_list("name", flat=True)) == ["Luật An ninh mạng"]
    assert as_user(people["ca_prov"]).get("/admin/mobilisation/law/").status_code in (302, 403)
