"""Browser fixtures: Debian's Chromium driven by Playwright, launched here rather than through
pytest-playwright's fixtures, which would try to download a browser build of their own."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Request, Response, sync_playwright

from phoihop.org.reference import seed

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
# Schemes that never leave the browser.
LOCAL_SCHEMES = {"data", "blob", "about"}


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    # Missing Chromium is a failure, not a skip: `make test` installs it (see the Makefile).
    assert CHROMIUM.exists(), "/usr/bin/chromium is missing: apt-get install chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@dataclass
class RecordedPage:
    """A page together with every request it made, to prove that nothing leaves the server."""

    page: Page
    requests: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def foreign_requests(self, allowed_netloc: str) -> list[str]:
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).netloc != allowed_netloc
        ]


@pytest.fixture
def browser_page(chromium: Browser) -> Iterator[RecordedPage]:
    context = chromium.new_context(locale="vi-VN", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    recorded = RecordedPage(page=page)

    def record(request: Request) -> None:
        recorded.requests.append(request.url)

    def record_failure(response: Response) -> None:
        if response.status >= 400:
            recorded.failures.append(f"{response.status} {response.url}")

    page.on("request", record)
    page.on("response", record_failure)
    page.on("requestfailed", lambda request: recorded.failures.append(f"failed {request.url}"))
    yield recorded
    context.close()


@pytest.fixture
def reference_data(transactional_db: None) -> None:
    """The forces, roles and unit levels, whatever the previous transactional test left.

    A flush normally re-seeds them (post_migrate), but not after a test with
    `serialized_rollback`, whose teardown flush skips post_migrate.
    """
    from django.apps import apps

    seed(apps)


@pytest.fixture
def screenshot_dir(pytestconfig: pytest.Config) -> Path:
    path = pytestconfig.rootpath / "test-results" / "browser"
    path.mkdir(parents=True, exist_ok=True)
    return path
