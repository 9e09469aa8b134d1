"""Shared fixtures: a small province with units of the three forces, and users in them."""

from __future__ import annotations

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.factories import OrgWorld, build_world  # noqa: E402


@pytest.fixture
def world(db) -> OrgWorld:  # type: ignore[no-untyped-def]
    """Hà Tĩnh (code 42) with two communes, province and commune units of CA, QS and BP."""
    return build_world()
