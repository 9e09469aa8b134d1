from __future__ import annotations

from django.test import Client

from phoihop.core.enums import Classification
from phoihop.org.models import User
from tests import factories
from tests.api.conftest import ERROR_KEYS
from tests.factories import OrgWorld


def test_me_describes_the_signed_in_user(api: Client, officer: User, world: OrgWorld) -> None:
    response = api.get("/api/v1/me")

    assert response.status_code == 200
    body = response.json()
    assert body["public_id"] == str(officer.public_id)
    assert body["username"] == officer.username
    assert body["full_name"] == officer.full_name
    unit = world.u("ca_commune_a")
    assert body["unit"] == {
        "public_id": str(unit.public_id),
        "code": "CAX-SK1",
        "name": "Công an xã Sơn Kim 1",
        "force": "CA",
    }
    assert body["roles"] == [{"code": "officer", "name": "Cán bộ"}]
    assert body["clearance"] == {"value": 0, "label": "Thường"}
    assert body["needs_second_factor"] is False
    assert "id" not in body and "password" not in body


def test_me_lists_every_role_and_the_clearance_label(client: Client, world: OrgWorld) -> None:
    # Cleared Mật: the session must have passed the second factor, as on the web.
    user = factories.user(
        world.u("bp_province"), roles=("commander", "joint_staff"), clearance=Classification.MAT
    )
    client.force_login(user)
    refused = client.get("/api/v1/me")
    assert refused.status_code == 403
    assert set(refused.json()) == ERROR_KEYS

    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()

    body = client.get("/api/v1/me").json()

    assert [r["code"] for r in body["roles"]] == ["commander", "joint_staff"]
    assert body["clearance"] == {"value": 1, "label": "Mật"}
    assert body["needs_second_factor"] is True
    assert body["unit"]["force"] == "BP"


def test_me_refuses_an_anonymous_caller_with_the_error_shape(client: Client, db: None) -> None:
    response = client.get("/api/v1/me")

    assert response.status_code == 401
    assert set(response.json()) == ERROR_KEYS
    assert response.json()["code"] == "not_authenticated"
    assert response.json()["message"].startswith("Chưa xác thực")
    assert response["WWW-Authenticate"] == "Token"


def test_an_unsupported_method_is_refused_in_vietnamese(api: Client) -> None:
    response = api.post("/api/v1/me", {}, content_type="application/json")

    assert response.status_code == 405
    assert response.json() == {
        "message": "Phương thức POST không được hỗ trợ ở địa chỉ này.",
        "code": "method_not_allowed",
        "fields": {},
    }
