import pytest

from phoihop.core.models import IdempotencyRecord
from tests.factories import login, user
from tests.scopedapp.models import Memo

URL = "/_test/api/memos/"


@pytest.fixture
def officer_client(client, world):
    login(client, user(world.u("ca_commune_a"), roles=["officer"]))
    return client


def post(client, body, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(URL, body, content_type="application/json", **headers)


def test_a_retried_post_with_the_same_key_creates_one_record_and_replays_the_answer(officer_client):
    first = post(officer_client, {"title": "Tin báo"}, key="k-1")
    again = post(officer_client, {"title": "Tin báo"}, key="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Memo.objects.count() == 1


def test_without_a_key_each_post_is_a_new_record(officer_client):
    post(officer_client, {"title": "Tin báo"})
    post(officer_client, {"title": "Tin báo"})
    assert Memo.objects.count() == 2


def test_the_same_key_with_another_body_is_refused(officer_client):
    post(officer_client, {"title": "Tin báo"}, key="k-2")
    other = post(officer_client, {"title": "Tin khác"}, key="k-2")
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in other.json()["fields"]
    assert list(Memo.objects.values_list("title", flat=True)) == ["Tin báo"]


def test_a_refused_request_releases_its_key_and_saves_nothing(officer_client):
    bad = post(officer_client, {"title": "Tin báo", "classification": 3}, key="k-3")
    assert bad.status_code == 400
    assert "classification" in bad.json()["fields"]
    assert not Memo.objects.exists()
    assert not IdempotencyRecord.objects.exists()
    fixed = post(officer_client, {"title": "Tin báo", "classification": 0}, key="k-3")
    assert fixed.status_code == 201
    assert Memo.objects.count() == 1


def test_keys_belong_to_one_user(client, world):
    a = user(world.u("ca_commune_a"), roles=["officer"])
    b = user(world.u("ca_commune_b"), roles=["officer"])
    login(client, a)
    post(client, {"title": "Của A"}, key="same")
    login(client, b)
    resp = post(client, {"title": "Của A"}, key="same")
    assert resp.status_code == 201
    assert Memo.objects.count() == 2


def test_a_write_the_record_kind_does_not_supply_is_405_in_the_error_shape(officer_client):
    created = post(officer_client, {"title": "Tin báo"}).json()
    response = officer_client.delete(f"{URL}{created['public_id']}/?version=1")
    assert response.status_code == 405
    assert set(response.json()) == {"message", "code", "fields"}
    assert Memo.objects.filter(public_id=created["public_id"], deleted_at__isnull=True).exists()
