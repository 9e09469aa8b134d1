"""Writing the audit log: every service calls `audit_record` inside its own transaction."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from phoihop.audit.chain import GENESIS, canonical, entry_hash
from phoihop.audit.models import AuditAction, AuditEntry
from phoihop.core.middleware import current_request_context

# Any 64-bit constant: the PostgreSQL advisory lock that serialises appends to the chain.
_CHAIN_LOCK = 0x50484F49484F50


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
    # SQLite: transactions are BEGIN IMMEDIATE (settings), so the writer already holds the lock.
    # Either way the unique `seq` refuses a second entry with the same number.


def _describe(obj: Model | None) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    meta = obj._meta
    ident = getattr(obj, "public_id", None) or obj.pk
    return f"{meta.app_label}.{meta.model_name}", str(ident), str(obj)


def audit_record(
    *,
    actor: Any,
    action: AuditAction | str,
    obj: Model | None = None,
    changes: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    ip: str | None = None,
    username: str = "",
) -> AuditEntry:
    """Append one entry to the chain, in the caller's transaction (or its own)."""
    otype, oid, orepr = _describe(obj)
    ctx = current_request_context()
    user = actor if getattr(actor, "is_authenticated", False) else None
    unit = getattr(user, "unit", None) if user else None
    with transaction.atomic():
        _lock_chain()
        last = AuditEntry.objects.order_by("-seq").values("seq", "hash").first()
        values: dict[str, Any] = {
            "seq": (last["seq"] + 1) if last else 1,
            "at": timezone.now(),
            "actor_id": user.pk if user else None,
            "actor_username": _text(user.get_username() if user else username, 150),
            "actor_unit": _text(unit.code if unit else "", 30),
            "action": str(action),
            "object_type": _text(object_type or otype, 80),
            "object_id": _text(object_id or oid, 64),
            "object_repr": _text(object_repr or orepr, 200),
            "changes": _jsonable(changes or {}),
            "ip": _text(ip or (ctx.ip if ctx else None) or "", 45),
            "user_agent": _text(ctx.user_agent if ctx else "", 300),
            "prev_hash": last["hash"] if last else GENESIS,
        }
        values["hash"] = entry_hash(values)
        entry = AuditEntry(**values)
        entry.save(force_insert=True)
        return entry


def _text(value: str, limit: int) -> str:
    # PostgreSQL cannot store NUL; cut after removing it so the stored value is the hashed one.
    return str(value).replace("\x00", "")[:limit]


def _jsonable(value: Any) -> Any:
    """Changes as JSON that reads back identically from SQLite and PostgreSQL (see `canonical`)."""
    return canonical(json.loads(json.dumps(value, default=str, ensure_ascii=False)))
