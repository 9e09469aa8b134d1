import pytest

from phoihop.audit.models import AuditEntry
from phoihop.core.enums import Classification
from phoihop.core.errors import DomainError
from tests.factories import login, user
from tests.scopedapp.models import Memo
from tests.scopedapp.services import memo_create, memo_update


@pytest.fixture
def officer(world):
    return user(world.u("ca_commune_a"), roles=["officer"], clearance=Classification.TOI_MAT)


def test_it_refuses_tuyet_mat_even_where_toi_mat_is_allowed(officer, settings):
    settings.PHOIHOP_MAX_CLASSIFICATION = "toi_mat"
    with pytest.raises(DomainError) as err:
        memo_create(actor=officer, title="Kế hoạch", classification=Classification.TUYET_MAT)
    assert err.value.code == "classification_refused"
    assert "Tuyệt mật" in err.value.fields["classification"][0]
    assert not Memo.objects.exists()


def test_it_refuses_a_classification_above_the_installation_ceiling(officer):
    # Default ceiling: Thường.
    with pytest.raises(DomainError) as err:
        memo_create(actor=officer, title="Báo cáo", classification=Classification.MAT)
    assert err.value.code == "classification_above_ceiling"
    assert "Thường" in err.value.message and "Mật" in err.value.message
    assert not Memo.objects.exists()


def test_an_accredited_installation_accepts_up_to_its_ceiling(officer, settings):
    settings.PHOIHOP_MAX_CLASSIFICATION = "mat"
    memo = memo_create(actor=officer, title="Báo cáo", classification=Classification.MAT)
    assert memo.classification == Classification.MAT
    with pytest.raises(DomainError):
        memo_create(actor=officer, title="Khác", classification=Classification.TOI_MAT)
    assert Memo.objects.count() == 1


def test_an_unknown_ceiling_setting_is_a_configuration_error(settings):
    from phoihop.access.policy import installation_ceiling

    settings.PHOIHOP_MAX_CLASSIFICATION = "tuyet_mat"
    with pytest.raises(ValueError):
        installation_ceiling()


def test_viewing_a_classified_record_is_audited_and_a_plain_one_is_not(client, officer, settings):
    settings.PHOIHOP_MAX_CLASSIFICATION = "toi_mat"
    secret = memo_create(actor=officer, title="Mật", classification=Classification.MAT)
    plain = memo_create(actor=officer, title="Thường")
    login(client, officer)
    assert client.get(f"/_test/memos/{plain.public_id}/").status_code == 200
    assert not AuditEntry.objects.filter(action="view_classified").exists()
    assert client.get(f"/_test/api/memos/{secret.public_id}/").status_code == 200
    entry = AuditEntry.objects.get(action="view_classified")
    assert entry.object_id == str(secret.public_id)
    assert entry.actor_id == officer.pk


def test_a_stale_version_is_refused_with_409_naming_the_field(client, officer):
    memo = memo_create(actor=officer, title="Ban đầu")
    memo_update(actor=officer, memo=memo, version=1, title="Người khác sửa")  # now version 2
    login(client, officer)
    resp = client.patch(
        f"/_test/api/memos/{memo.public_id}/",
        {"title": "Tôi sửa", "version": 1},
        content_type="application/json",
    )
    assert resp.status_code == 409
    body = resp.json()
    assert set(body) == {"message", "code", "fields"}
    assert body["code"] == "stale_version" and "version" in body["fields"]
    memo.refresh_from_db()
    assert (memo.title, memo.version) == ("Người khác sửa", 2)


def test_concurrent_editors_never_overwrite_each_other(officer):
    memo = memo_create(actor=officer, title="Ban đầu")
    first = Memo.objects.get(pk=memo.pk)
    second = Memo.objects.get(pk=memo.pk)
    memo_update(actor=officer, memo=first, version=first.version, title="Một")
    with pytest.raises(DomainError) as err:
        memo_update(actor=officer, memo=second, version=second.version, title="Hai")
    assert err.value.code == "stale_version"
    assert Memo.objects.get(pk=memo.pk).title == "Một"


def test_a_malformed_id_is_answered_like_a_missing_one(client, officer):
    login(client, officer)
    assert client.get("/_test/api/memos/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/_test/memos/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_a_record_above_the_authors_own_clearance_is_refused(world, settings):  # type: ignore[no-untyped-def]
    """Saved, it would vanish for its own author: refused before anything is written."""
    from phoihop.cases.models import Case
    from phoihop.core.errors import DomainError
    from tests.cases.conftest import make_case
    from tests.factories import user

    settings.PHOIHOP_MAX_CLASSIFICATION = "toi_mat"
    officer = user(world.u("ca_commune_a"))
    with pytest.raises(DomainError) as exc:
        make_case(officer, world, classification=1)
    assert exc.value.code == "classification_above_clearance"
    assert "classification" in exc.value.fields
    assert not Case.all_objects.exists()
    cleared = user(world.u("ca_commune_a"), clearance=1)
    assert make_case(cleared, world, classification=1).classification == 1
