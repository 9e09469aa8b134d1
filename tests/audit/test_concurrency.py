"""Appends from several connections at once still make one unbroken chain."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connections

from phoihop.audit.models import AuditEntry
from phoihop.audit.selectors import audit_chain_verify
from phoihop.audit.services import audit_record

WRITERS = 6
EACH = 8


# The SQLite test database lives in memory, where connections share a cache and lock tables
# instead of waiting; the suite's PostgreSQL run exercises the advisory lock.
pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="needs a database server that several connections can share",
)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(EACH):
                audit_record(
                    actor=None, action="export", object_type="test.report", object_id=f"{n}-{i}"
                )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, WRITERS * EACH + 1))
    report = audit_chain_verify()
    assert report.ok
    assert report.checked == WRITERS * EACH
