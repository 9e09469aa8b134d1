"""The demo province as fixtures, for every test package that reads it: conftest modules import
`demo_output` and `demo` from here.

The demo is built at most once per test module, inside a transaction rolled back after the
module; each test still runs in its own savepoint (pytest-django's `db`), so what a test writes
is undone before the next one.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction

from tests.demo.support import run_load_demo


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield run_load_demo()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(demo_output: str, db: None) -> str:
    return demo_output
