"""Canonical content and hashing of audit entries, and verification of the whole chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

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


def entry_hash(values: dict[str, Any]) -> str:
    payload = {name: values.get(name) for name in FIELDS}
    if payload["at"] is not None:
        # Microsecond UTC ISO form: identical after SQLite and PostgreSQL round trips.
        payload["at"] = values["at"].astimezone(dt.UTC).isoformat(timespec="microseconds")
    blob = json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"entry #{self.seq}: {self.reason}"


@dataclass(frozen=True)
class ChainReport:
    checked: int
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify_chain(rows: Iterator[dict[str, Any]]) -> ChainReport:
    """Walk entries in `seq` order; the first mismatch is where tampering starts.

    - a changed row no longer matches its own hash;
    - a deleted row leaves a gap in `seq` and its successor's `prev_hash` dangling;
    - an inserted row either breaks its own hash or its successor's `prev_hash`.
    """
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    for row in rows:
        seq = row["seq"]
        if seq != expected_seq:
            return ChainReport(
                checked,
                ChainProblem(
                    seq, f"expected entry #{expected_seq} before it (missing or reordered)"
                ),
            )
        if row["prev_hash"] != expected_prev:
            return ChainReport(
                checked,
                ChainProblem(seq, "does not follow the previous entry (prev_hash mismatch)"),
            )
        if entry_hash(row) != row["hash"]:
            return ChainReport(
                checked, ChainProblem(seq, "content does not match its hash (changed)")
            )
        expected_prev = row["hash"]
        expected_seq += 1
        checked += 1
    return ChainReport(checked, None)
