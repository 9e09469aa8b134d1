"""An administrator (role, not superuser) logged in on a test client."""

from __future__ import annotations

import pytest
from django.test import Client

from phoihop.org.models import User
from tests.factories import OrgWorld, login, user


@pytest.fixture
def administrator(world: OrgWorld) -> User:
    return user(world.u("ca_province"), roles=("administrator",), username="quantri.cat")


@pytest.fixture
def admin_site(administrator: User) -> Client:
    """A client logged in as the administrator (named apart from pytest-django's admin_client)."""
    client = Client()
    login(client, administrator)
    return client
