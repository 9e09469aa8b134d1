from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from phoihop.org.models import User
from tests import factories


def password_login(client: Client, user: User) -> None:
    response = client.post(
        reverse("login"), {"username": user.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:500]


@pytest.fixture
def officer(world) -> User:  # type: ignore[no-untyped-def]
    return factories.user(world.u("ca_commune_a"), roles=("officer",), username="canbo.sk1")


@pytest.fixture
def officer_client(client: Client, officer: User) -> Client:
    password_login(client, officer)
    return client
