"""Canonical content and hashing of audit entries, and verification of the whole chain.

The hash must come out the same whichever database the entry went through (SQLite stores JSON as
text, PostgreSQL as jsonb, which rewrites numbers and key order), so it is computed over a
canonical form: the timestamp as UTC ISO with microseconds, JSON with sorted keys, and numbers
reduced to the form both databases give back (an integral float is its integer).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

GENESIS = "0" * 64
FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_username",
    "actor_unit",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "ip",
    "user_agent",
    "prev_hash",
)


def canonical(value: Any) -> Any:
    """The JSON value as both databases return it, so the hash survives either round trip.

    jsonb prints 1e20 as 100000000000000000000 (read back as an int) and has no -0.0; NaN and
    infinities are not JSON at all. Strings lose NUL, which PostgreSQL cannot store.
    """
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return int(value) if value.is_integer() else value
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {str(canonical(k)): canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    return canonical(str(value))


def entry_hash(values: dict[str, Any]) -> str:
    payload = {name: canonical(values.get(name)) for name in FIELDS if name != "at"}
    at = values.get("at")
    # Microsecond UTC ISO form: identical after SQLite and PostgreSQL round trips.
    payload["at"] = (
        at.astimezone(dt.UTC).isoformat(timespec="microseconds") if at is not None else None
    )
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ProblemCode(StrEnum):
    MISSING = "missing"
    BROKEN_LINK = "broken_link"
    CHANGED = "changed"


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    code: ProblemCode
    expected_seq: int | None = None

    @property
    def reason(self) -> str:
        if self.code is ProblemCode.MISSING:
            return _(
                "thiếu mục #%(expected)s trước mục này (mục đã bị xóa hoặc số thứ tự bị sửa)"
            ) % {"expected": self.expected_seq}
        if self.code is ProblemCode.BROKEN_LINK:
            return _(
                "không nối tiếp mục trước (mã băm của mục trước không khớp): mục này bị chèn, "
                "hoặc mục này hay mục trước đã bị sửa"
            )
        return _("nội dung không khớp với mã băm của nó (đã bị sửa)")

    def __str__(self) -> str:
        return _("mục #%(seq)s: %(reason)s") % {"seq": self.seq, "reason": self.reason}


@dataclass(frozen=True)
class ChainReport:
    checked: int
    problem: ChainProblem | None
    # The last intact entry: writing these two down elsewhere lets a later check also detect
    # the one thing a hash chain alone cannot, entries cut off or appended at the end.
    last_seq: int = 0
    last_hash: str = GENESIS

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify_chain(rows: Iterable[dict[str, Any]]) -> ChainReport:
    """Walk entries in `seq` order; the first mismatch is where tampering starts.

    - a changed row no longer matches its own hash (or, if its hash was recomputed too, its
      successor's `prev_hash` no longer matches);
    - a deleted row leaves a gap in `seq`;
    - an inserted row breaks its own hash, its `prev_hash` link or the `seq` sequence.
    """
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    for row in rows:
        seq = row["seq"]
        problem: ChainProblem | None = None
        if seq != expected_seq:
            problem = ChainProblem(seq, ProblemCode.MISSING, expected_seq)
        elif row["prev_hash"] != expected_prev:
            problem = ChainProblem(seq, ProblemCode.BROKEN_LINK)
        elif entry_hash(row) != row["hash"]:
            problem = ChainProblem(seq, ProblemCode.CHANGED)
        if problem is not None:
            return ChainReport(checked, problem, expected_seq - 1, expected_prev)
        expected_prev = row["hash"]
        expected_seq += 1
        checked += 1
    return ChainReport(checked, None, expected_seq - 1, expected_prev)
