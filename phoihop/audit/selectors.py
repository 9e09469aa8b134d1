from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from phoihop.audit.chain import FIELDS, ChainReport, verify_chain
from phoihop.audit.models import AuditEntry


def _rows() -> Iterator[dict[str, Any]]:
    yield from AuditEntry.objects.order_by("seq").values(*FIELDS, "hash").iterator(chunk_size=2000)


def audit_chain_verify() -> ChainReport:
    return verify_chain(_rows())
