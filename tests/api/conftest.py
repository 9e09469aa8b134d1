"""Clients of the API: signed in through the session, or anonymous."""

from __future__ import annotations

import pytest
from django.test import Client

from phoihop.core.enums import Classification
from phoihop.org.models import User
from tests import factories
from tests.factories import OrgWorld

ERROR_KEYS = {"message", "code", "fields"}


@pytest.fixture
def officer(world: OrgWorld) -> User:
    return factories.user(
        world.u("ca_commune_a"), roles=("officer",), clearance=Classification.THUONG
    )


@pytest.fixture
def api(client: Client, officer: User) -> Client:
    client.force_login(officer)
    return client
