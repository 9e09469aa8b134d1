"""Shared fixtures: a small province with units of the three forces, and users in them."""

from __future__ import annotations

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.factories import OrgWorld, build_world


def pytest_configure(config: pytest.Config) -> None:
    # .mo files are build products (git-ignored); compile them so that a bare `pytest` run
    # serves English too. `make test` does the same first.
    from phoihop.devtools.compilemessages import compile_all

    problems = compile_all()
    if problems:
        raise pytest.UsageError("Translation catalogues do not compile:\n" + "\n".join(problems))


@pytest.fixture(autouse=True)
def _vietnamese() -> object:
    """Every test starts in Vietnamese: a language left active by an earlier one must not leak."""
    from django.utils import translation

    with translation.override("vi"):
        yield


@pytest.fixture
def world(db) -> OrgWorld:  # type: ignore[no-untyped-def]
    """Hà Tĩnh (code 42) with two communes, province and commune units of CA, QS and BP."""
    return build_world()
