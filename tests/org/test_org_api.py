"""The administrators' write API of the organisation: forces, units (tree, areas, dates, the
basis of each change) and users (set-up link, never a password), its refusals naming the field
with nothing saved, and who may call it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from phoihop.audit.models import AuditEntry
from phoihop.org.enums import AreaKind, AreaLevel
from phoihop.org.models import AdministrativeArea, Force, Unit, UnitParentage, User
from tests import factories
from tests.api.conftest import ERROR_KEYS
from tests.org.counts import org_counts

pytestmark = pytest.mark.django_db


class Province:
    """A province other than the demo's, with two communes, and a commune of a neighbour."""

    def __init__(self) -> None:
        self.area = factories.area(
            "22", "Tỉnh Quảng Ninh", level=AreaLevel.PROVINCE, kind=AreaKind.TINH
        )
        self.commune_a = factories.area("06700", "Phường Móng Cái 1", parent=self.area)
        self.commune_b = factories.area("07030", "Đặc khu Cô Tô", parent=self.area)
        self.neighbour = factories.area(
            "24", "Tỉnh Bắc Ninh", level=AreaLevel.PROVINCE, kind=AreaKind.TINH
        )
        self.foreign_commune = factories.area("07400", "Xã Lục Ngạn", parent=self.neighbour)
        self.top = factories.unit("CA", "CAT-22", "Công an tỉnh Quảng Ninh", prov=self.area)
        self.admin = factories.user(self.top, roles=("administrator",))


@pytest.fixture
def qn(db: Any) -> Province:
    return Province()


@pytest.fixture
def admin(client: Client, qn: Province) -> Client:
    client.force_login(qn.admin)
    return client


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, body, content_type="application/json")


def _patch(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.patch(path, body, content_type="application/json")


def _refused(answer: Any, status: int, field: str, code: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = answer.json()
    assert answer.status_code == status, body
    assert set(body) >= ERROR_KEYS
    assert field in body["fields"], body
    if code is not None:
        assert body["code"] == code, body
    return body


# --- forces ---------------------------------------------------------------------------------


def test_an_administrator_adds_a_partner_force_and_a_second_with_its_code_is_refused(
    admin: Client,
) -> None:
    answer = _post(admin, "/api/v1/forces/", {"code": "csb", "name": "Cảnh sát biển"})

    assert answer.status_code == 201, answer.json()
    created = Force.objects.get(public_id=answer.json()["public_id"])
    assert (created.code, created.name, created.is_partner) == ("CSB", "Cảnh sát biển", True)
    assert AuditEntry.objects.filter(object_id=str(created.public_id), action="create").exists()

    before = org_counts()
    again = _post(admin, "/api/v1/forces/", {"code": "CSB", "name": "Vùng Cảnh sát biển 1"})
    _refused(again, 400, "code", "duplicate_code")
    assert org_counts() == before


def test_a_force_is_changed_with_its_version_and_a_stale_one_is_refused(admin: Client) -> None:
    force = Force.objects.get(code="BP")
    path = f"/api/v1/forces/{force.public_id}/"

    answer = _patch(admin, path, {"version": force.version, "short_name": "BĐBP"})
    assert answer.status_code == 200, answer.json()
    assert answer.json()["short_name"] == "BĐBP"

    stale = _patch(admin, path, {"version": force.version, "short_name": "Khác"})
    _refused(stale, 409, "version", "stale_version")
    assert Force.objects.get(pk=force.pk).short_name == "BĐBP"


def test_renaming_a_force_to_a_code_in_use_is_refused(admin: Client) -> None:
    force = Force.objects.get(code="BP")
    before = org_counts()
    answer = _patch(admin, f"/api/v1/forces/{force.public_id}/", {"version": 1, "code": "QS"})
    _refused(answer, 400, "code", "duplicate_code")
    assert Force.objects.get(pk=force.pk).code == "BP"
    assert org_counts() == before


# --- units ----------------------------------------------------------------------------------


def test_an_administrator_builds_a_unit_tree_naming_parents_by_code_or_public_id(
    admin: Client, qn: Province
) -> None:
    commune = _post(
        admin,
        "/api/v1/units/",
        {
            "force": "CA",
            "code": "CAX-MC1",
            "name": "Công an phường Móng Cái 1",
            "level": "xa",
            "parent": "CAT-22",
            "areas": [qn.commune_a.code],
            "valid_from": "2025-07-01",
            "reason": "Quyết định 1/QĐ-CAT",
        },
    )
    assert commune.status_code == 201, commune.json()
    body = commune.json()
    assert body["parent"]["code"] == "CAT-22"
    assert body["province"] == qn.area.code
    assert body["areas"] == [qn.commune_a.code]
    assert body["valid_from"] == "2025-07-01"

    team = _post(
        admin,
        "/api/v1/units/",
        {
            "force": "CA",
            "code": "CAX-MC1-D1",
            "name": "Tổ công tác 1",
            "level": "xa",
            "parent": body["public_id"],
        },
    )
    assert team.status_code == 201, team.json()
    created = Unit.objects.get(code="CAX-MC1-D1")
    assert created.ancestor_ids() == [qn.top.pk, Unit.objects.get(code="CAX-MC1").pk, created.pk]
    placement = UnitParentage.objects.get(unit__code="CAX-MC1")
    assert (placement.parent_id, placement.valid_from, placement.reason) == (
        qn.top.pk,
        dt.date(2025, 7, 1),
        "Quyết định 1/QĐ-CAT",
    )


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"code": "CAT-22"}, "code", "duplicate_code"),
        ({"areas": ["07400"]}, "areas", "area_outside_province"),
        ({"areas": ["99999"]}, "areas", "unknown_area"),
        ({"force": "XX"}, "force", "unknown_force"),
        ({"level": "khong-co"}, "level", "unknown_level"),
        ({"parent": "CAT", "province": "22"}, "parent", "parent_outside_province"),
        ({"parent": "KHONG-CO"}, "parent", "unknown_unit"),
        ({"name": ""}, "name", None),
    ],
)
def test_a_bad_unit_is_refused_naming_the_field_and_nothing_is_saved(
    admin: Client, qn: Province, world: Any, change: dict[str, Any], field: str, code: str | None
) -> None:
    body = {"force": "CA", "code": "CAX-MOI", "name": "Đơn vị mới", "level": "xa"}
    body["parent"] = "CAT-22"
    body.update(change)
    before = org_counts()

    _refused(_post(admin, "/api/v1/units/", body), 400, field, code)

    assert org_counts() == before


def test_an_area_that_ended_before_the_unit_started_is_refused(admin: Client, qn: Province) -> None:
    ended = AdministrativeArea.objects.create(
        level=AreaLevel.COMMUNE,
        code="06701",
        name="Phường Ka Long",
        kind=AreaKind.PHUONG,
        parent=qn.area,
        valid_until=dt.date(2025, 6, 30),
    )
    before = org_counts()
    answer = _post(
        admin,
        "/api/v1/units/",
        {
            "force": "CA",
            "code": "CAX-KL",
            "name": "Công an phường Ka Long",
            "level": "xa",
            "parent": "CAT-22",
            "areas": [ended.code],
            "valid_from": "2025-08-01",
        },
    )
    # The area is found on the unit's first day only if it was then in force.
    _refused(answer, 400, "areas")
    assert org_counts() == before


def test_a_unit_is_renamed_and_given_areas_with_its_version(admin: Client, qn: Province) -> None:
    path = f"/api/v1/units/{qn.top.public_id}/"
    answer = _patch(
        admin,
        path,
        {
            "version": qn.top.version,
            "name": "Công an tỉnh Quảng Ninh (mới)",
            "areas": [qn.area.code],
            "reason": "Quyết định 2/QĐ",
        },
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["areas"] == [qn.area.code]
    unit = Unit.objects.get(pk=qn.top.pk)
    assert unit.name == "Công an tỉnh Quảng Ninh (mới)"
    assert unit.version == qn.top.version + 1
    entry = AuditEntry.objects.filter(object_id=str(unit.public_id), action="update").last()
    assert entry is not None and entry.changes["reason"] == "Quyết định 2/QĐ"

    stale = _patch(admin, path, {"version": qn.top.version, "areas": [qn.commune_b.code]})
    _refused(stale, 409, "version", "stale_version")
    assert list(unit.areas.values_list("code", flat=True)) == [qn.area.code]


def test_moving_a_unit_keeps_its_earlier_placement_and_needs_a_basis(
    admin: Client, qn: Province
) -> None:
    qs = factories.unit("QS", "BCHQS-22", "Bộ Chỉ huy Quân sự tỉnh Quảng Ninh", prov=qn.area)
    bp = factories.unit("BP", "BDBP-22", "Bộ Chỉ huy BĐBP tỉnh Quảng Ninh", prov=qn.area)
    path = f"/api/v1/units/{bp.public_id}/move/"
    before = org_counts()

    missing = _post(
        admin, path, {"version": bp.version, "parent": qs.code, "effective": "2025-07-01"}
    )
    _refused(missing, 400, "reason")
    blank = _post(
        admin,
        path,
        {"version": bp.version, "parent": qs.code, "effective": "2025-07-01", "reason": " "},
    )
    _refused(blank, 400, "reason")
    assert org_counts() == before

    moved = _post(
        admin,
        path,
        {
            "version": bp.version,
            "parent": str(qs.public_id),
            "effective": "2025-07-01",
            "reason": "Sắp xếp BĐBP tỉnh trực thuộc Bộ CHQS tỉnh",
        },
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["parent"]["code"] == qs.code
    placements = list(UnitParentage.objects.filter(unit=bp).values_list("parent", "valid_until"))
    assert placements == [(None, dt.date(2025, 6, 30)), (qs.pk, None)]


def test_closing_a_unit_takes_a_date_and_a_basis(admin: Client, qn: Province) -> None:
    post = factories.unit("CA", "CAH-22", "Công an huyện cũ", parent=qn.top, level="huyen")
    answer = _post(
        admin,
        f"/api/v1/units/{post.public_id}/close/",
        {"version": post.version, "until": "2025-02-28", "reason": "Kết thúc công an cấp huyện"},
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["valid_until"] == "2025-02-28"
    again = _post(
        admin,
        f"/api/v1/units/{post.public_id}/close/",
        {"version": answer.json()["version"], "until": "2025-03-01", "reason": "lần hai"},
    )
    _refused(again, 400, "valid_until", "inactive_unit")


# --- users ----------------------------------------------------------------------------------


def _new_user(admin: Client, **fields: Any) -> Any:
    body = {
        "username": "ca.mc1.canbo",
        "full_name": "Nguyễn Thị Hòa",
        "unit": "CAT-22",
        "roles": ["officer"],
        **fields,
    }
    return _post(admin, "/api/v1/users/", body)


def test_a_new_user_gets_a_one_time_set_up_link_and_no_password(
    admin: Client, qn: Province, client: Client
) -> None:
    answer = _new_user(admin, roles=["officer", "commander"], clearance=1, rank_title="Đại úy")

    assert answer.status_code == 201, answer.json()
    body = answer.json()
    user = User.objects.get(username="ca.mc1.canbo")
    assert not user.has_usable_password()
    assert (user.unit_id, user.clearance) == (qn.top.pk, 1)
    assert sorted(user.role_codes) == ["commander", "officer"]
    assert [r["code"] for r in body["roles"]] == ["commander", "officer"]
    link = body["password_setup_url"]
    assert link.startswith("http://testserver/password/setup/")
    assert "password" not in {k for k in body if not k.startswith("password_setup")}

    anonymous = Client()
    opened = anonymous.get(link.removeprefix("http://testserver"), follow=True)
    assert opened.status_code == 200
    form_url = opened.redirect_chain[-1][0]
    new_password = "Mat-khau-rieng-cua-toi-2026"
    done = anonymous.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302 and done["Location"].endswith("/login/")
    user.refresh_from_db()
    assert user.check_password(new_password)

    reused = Client().get(link.removeprefix("http://testserver"), follow=True)
    assert "password-setup-invalid" in reused.content.decode()


def test_a_password_in_the_body_is_refused_and_nothing_is_saved(
    admin: Client, qn: Province
) -> None:
    before = org_counts()
    answer = _new_user(admin, password="Mat-khau-trong-yeu-cau-2026")
    _refused(answer, 400, "password", "password_not_accepted")
    assert org_counts() == before


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"unit": "KHONG-CO"}, "unit", "unknown_unit"),
        ({"roles": ["thu_truong"]}, "roles", None),
        ({"roles": []}, "roles", None),
        ({"clearance": 3}, "clearance", None),
        ({"username": ""}, "username", None),
    ],
)
def test_a_bad_user_is_refused_naming_the_field_and_nothing_is_saved(
    admin: Client, qn: Province, change: dict[str, Any], field: str, code: str | None
) -> None:
    before = org_counts()
    _refused(_new_user(admin, **change), 400, field, code)
    assert org_counts() == before


def test_a_second_account_with_the_same_username_is_refused(admin: Client, qn: Province) -> None:
    assert _new_user(admin).status_code == 201
    before = org_counts()
    _refused(_new_user(admin, full_name="Người khác"), 400, "username")
    assert org_counts() == before


def test_changing_a_users_rights_revokes_their_api_token(admin: Client, qn: Province) -> None:
    from rest_framework.authtoken.models import Token

    from phoihop.org.tokens import api_token_issue

    officer = factories.user(qn.top, roles=("officer",))
    api_token_issue(user=officer)
    path = f"/api/v1/users/{officer.public_id}/"

    answer = _patch(admin, path, {"roles": ["officer", "joint_staff"], "rank_title": "Thiếu tá"})

    assert answer.status_code == 200, answer.json()
    assert sorted(r["code"] for r in answer.json()["roles"]) == ["joint_staff", "officer"]
    assert not Token.objects.filter(user=officer).exists()
    entry = AuditEntry.objects.filter(object_id=str(officer.public_id), action="update").last()
    assert entry is not None and entry.changes["roles"] == [["officer"], ["joint_staff", "officer"]]

    deactivated = _patch(admin, path, {"is_active": False})
    assert deactivated.json()["is_active"] is False


def test_a_new_set_up_link_can_be_issued(admin: Client, qn: Province) -> None:
    officer = factories.user(qn.top, roles=("officer",))
    answer = _post(admin, f"/api/v1/users/{officer.public_id}/password-setup/", {})
    assert answer.status_code == 200, answer.json()
    assert "/password/setup/" in answer.json()["password_setup_url"]


# --- who may write --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/forces/"),
        ("post", "/api/v1/units/"),
        ("post", "/api/v1/users/"),
        ("get", "/api/v1/users/"),
    ],
)
def test_a_member_who_is_not_an_administrator_is_refused_403(
    client: Client, qn: Province, method: str, path: str
) -> None:
    commander = factories.user(qn.top, roles=("officer", "commander", "joint_staff"))
    client.force_login(commander)
    before = org_counts()

    answer = getattr(client, method)(path, {}, content_type="application/json")

    assert answer.status_code == 403
    assert set(answer.json()) >= ERROR_KEYS
    assert org_counts() == before
    assert client.get("/api/v1/forces/").status_code == 200


def test_an_administrator_of_another_province_may_not_change_this_one(
    client: Client, qn: Province, world: Any
) -> None:
    other = factories.user(world.u("ca_province"), roles=("administrator",))
    client.force_login(other)
    before = org_counts()

    unit = _post(
        client,
        "/api/v1/units/",
        {"force": "CA", "code": "CAX-X", "name": "X", "level": "xa", "parent": "CAT-22"},
    )
    user = _new_user(client)

    assert (unit.status_code, user.status_code) == (403, 403)
    assert org_counts() == before
    listed = client.get("/api/v1/users/").json()["results"]
    assert qn.admin.username not in {u["username"] for u in listed}


def test_a_retried_user_creation_makes_no_second_account_and_keeps_no_link(
    admin: Client, qn: Province
) -> None:
    from phoihop.core.models import IdempotencyRecord

    body = {
        "username": "ca.lap.lai",
        "full_name": "Lặp Lại",
        "unit": "CAT-22",
        "roles": ["officer"],
    }
    first = admin.post(
        "/api/v1/users/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    again = admin.post(
        "/api/v1/users/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1"
    )

    assert first.status_code == 201
    _refused(again, 400, "username")
    assert User.objects.filter(username="ca.lap.lai").count() == 1
    stored = " ".join(str(r.response_body) for r in IdempotencyRecord.objects.all())
    assert first.json()["password_setup_url"] not in stored
