"""Every endpoint under /api/v1/ refuses an anonymous caller, found by walking the URL resolver
so that endpoints added later are covered without editing this test."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from tests.api.conftest import ERROR_KEYS

API_PREFIX = "/api/v1/"
METHODS = ("get", "post", "put", "patch", "delete")
# (url name, method) an anonymous caller may use: asking for a token.
PUBLIC = {("api-token", "post")}
# Fixed values: test ids must be the same in every run (and in every xdist worker).
_SAMPLES = ("00000000-0000-4000-8000-000000000000", "42", "province", "x")


def _named_patterns(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            yield from _named_patterns(entry, inner)
        elif entry.name:
            yield f"{namespace}{entry.name}", entry


def _sample_url(name: str, pattern: URLPattern) -> str | None:
    """A concrete URL for the pattern: try sample values for each argument until one reverses."""
    params = list(pattern.pattern.regex.groupindex)
    for values in itertools.product(_SAMPLES, repeat=len(params)):
        try:
            return reverse(name, kwargs=dict(zip(params, values, strict=True)))
        except NoReverseMatch:
            continue
    return None


def api_urls() -> list[tuple[str, str]]:
    found = {}
    for name, pattern in _named_patterns(get_resolver()):
        url = _sample_url(name, pattern)
        if url and url.startswith(API_PREFIX):
            found[url] = name
    return sorted((name, url) for url, name in found.items())


def test_the_walk_finds_the_known_endpoints() -> None:
    names = {name for name, _url in api_urls()}
    assert {"api-me", "api-unit-list", "api-unit-detail", "api-area-list", "api-area-detail"} <= (
        names
    )


def test_every_api_pattern_has_a_name() -> None:
    # An unnamed pattern could not be reversed, so the walk would miss it.
    assert list(_unnamed_api_routes(get_resolver())) == []


def _unnamed_api_routes(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern).lstrip("^")
        if isinstance(entry, URLResolver):
            yield from _unnamed_api_routes(entry, route)
        elif entry.name is None and route.startswith(API_PREFIX.lstrip("/")):
            yield route


@pytest.mark.parametrize(
    ("name", "url", "method"),
    [
        pytest.param(n, u, m, id=f"{m}-{n}")
        for n, u in api_urls()
        for m in METHODS
        if (n, m) not in PUBLIC
    ],
)
def test_an_anonymous_caller_is_refused_everywhere(
    client: Client, db: None, name: str, url: str, method: str
) -> None:
    response = getattr(client, method)(url, content_type="application/json")

    assert response.status_code in (401, 403), (name, method, response.status_code)
    assert set(response.json()) == ERROR_KEYS
    assert response.json()["fields"] == {}
