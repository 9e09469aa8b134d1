"""The demo province is built once per test module and rolled back after it.

Each test still runs in its own savepoint (pytest-django's `db`), so what a test writes (a
login, a second run of the command) is undone before the next one.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction

from tests.demo.support import run_load_demo


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker) -> Iterator[str]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield run_load_demo()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(demo_output: str, db) -> str:
    return demo_output
