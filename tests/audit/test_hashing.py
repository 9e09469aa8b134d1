"""The hash of an entry survives the database round trip: SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from phoihop.audit.chain import canonical, entry_hash
from phoihop.audit.models import AuditEntry
from phoihop.audit.selectors import audit_chain_verify
from phoihop.audit.services import audit_record

AWKWARD_CHANGES = {
    "tên": ["Đồn Biên phòng Sơn Kim", "Đồn BP Cửa khẩu Quốc tế Cầu Treo"],
    "hoà/hòa": "thuỷ — thủy",
    "số lượng": Decimal("11.09"),
    "float": 0.1,
    "integral float": 1.0,
    "large float": 1e20,
    "tiny float": 1.5e-7,
    "negative zero": -0.0,
    "not a number": float("nan"),
    "big int": 2**62,
    "nested": {"z": [1, 2, {"b": None, "a": True}], "a": ""},
    "nul": "a\x00b",
    "day": dt.date(2025, 7, 1),
}


def test_awkward_values_verify_after_reading_back(world):
    entry = audit_record(
        actor=None,
        action="update",
        object_type="test.thing",
        object_id="x\x00y",
        object_repr="Thiên Cầm \x00",
        changes=AWKWARD_CHANGES,
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.hash == entry.hash
    assert stored.object_id == "xy"
    assert stored.changes["nul"] == "ab"
    assert stored.changes["large float"] == 10**20
    assert audit_chain_verify().ok


def test_microseconds_and_time_zone_are_part_of_the_hash(world):
    entry = audit_record(actor=None, action="export", object_type="test.report")
    stored = AuditEntry.objects.values().get(pk=entry.pk)
    assert stored["at"] == entry.at
    assert stored["at"].utcoffset() == dt.timedelta(0)
    shifted = {**stored, "at": stored["at"] + dt.timedelta(microseconds=1)}
    assert entry_hash(shifted) != entry.hash
    local = {**stored, "at": stored["at"].astimezone(dt.timezone(dt.timedelta(hours=7)))}
    assert entry_hash(local) == entry.hash


def test_canonical_json_ignores_key_order_and_number_spelling():
    assert canonical({"b": 1.0, "a": [2.0, 0.5]}) == {"b": 1, "a": [2, 0.5]}
    left = {"seq": 1, "at": None, "changes": {"b": 1, "a": 2.0}}
    right = {"changes": {"a": 2, "b": 1.0}, "at": None, "seq": 1}
    assert entry_hash(left) == entry_hash(right)


def test_the_hash_is_a_pinned_function_of_the_content():
    # Pinned, so that a change of the canonical form cannot pass unnoticed: it would make every
    # existing installation's chain fail to verify.
    values = {
        "seq": 1,
        "at": dt.datetime(2025, 7, 1, 1, 2, 3, 4, tzinfo=dt.UTC),
        "actor_id": 7,
        "actor_username": "canbo",
        "actor_unit": "CAT",
        "action": "login",
        "object_type": "org.user",
        "object_id": "5a6f",
        "object_repr": "Cán bộ Nguyễn Văn Đức",
        "changes": {"b": [1, 2.5], "a": "Đ"},
        "ip": "10.0.0.1",
        "user_agent": "UA",
        "prev_hash": "0" * 64,
    }
    assert entry_hash(values) == PINNED


# sha256 of the compact, key-sorted UTF-8 JSON of the fields, "at" as UTC ISO with microseconds.
PINNED = "483b02d4005cf4f55f59fe1174a28b85f2fb18ee1fe20bfe38f1a8dce5370f6b"
