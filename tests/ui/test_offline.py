"""Nothing the pages load may come from outside the server: the system runs on a closed network."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template import TemplateDoesNotExist, TemplateSyntaxError, VariableDoesNotExist
from django.template.loader import render_to_string
from django.test import Client
from django.urls import NoReverseMatch, reverse

from phoihop.org.models import User

pytestmark = pytest.mark.django_db

PACKAGE = Path(settings.BASE_DIR) / "phoihop"
TEMPLATES = PACKAGE / "templates"
STATIC = PACKAGE / "static"
TEXT_SUFFIXES = {".css", ".js", ".mjs", ".html", ".htm", ".svg", ".json", ".map", ".txt"}

# src=/href= attributes, CSS url(...) and @import, followed by an absolute or protocol-relative URL.
_REFERENCE = re.compile(
    r"""(?:\b(?:src|href|action|srcset)\s*=\s*|\burl\(\s*|@import\s+)["']?\s*"""
    r"""((?:[a-z][a-z0-9+.-]*:)?//[^\s"'<>)]*)""",
    re.IGNORECASE,
)
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]"}
_STATIC_REF = re.compile(
    r"""\b(?:src|href)\s*=\s*["'](""" + re.escape(settings.STATIC_URL) + r"""[^"'?#]+)"""
)
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")


def external_references(text: str) -> list[str]:
    found = []
    for match in _REFERENCE.finditer(text):
        url = match.group(1)
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
        if host in _LOCAL_HOSTS or host.endswith("w3.org"):
            continue
        found.append(url)
    return found


def static_references(html: str) -> list[str]:
    return sorted({m.group(1)[len(settings.STATIC_URL) :] for m in _STATIC_REF.finditer(html)})


def _read(path: str | Path) -> str:
    return Path(path).read_text(encoding="utf-8", errors="replace")


def _css_dependencies(css_path: str, text: str) -> list[str]:
    """Static paths a stylesheet pulls in through relative url(...)."""
    deps = []
    for ref in _CSS_URL.findall(text):
        if ref.startswith(("data:", "#", "/", "http:", "https:")) or "//" in ref:
            continue
        deps.append(urljoin(css_path, ref.split("?")[0].split("#")[0]))
    return deps


@pytest.fixture
def pages(officer_client: Client) -> dict[str, str]:
    anonymous = Client()
    rendered = {"login": anonymous.get(reverse("login")).content.decode()}
    home = officer_client.get(reverse("home"))
    assert home.status_code == 200
    rendered["home"] = home.content.decode()
    return rendered


def test_the_reference_check_catches_what_it_should() -> None:
    bad = (
        '<script src="https://cdn.example.org/x.js"></script>'
        "<link href='//fonts.example.com/css'>"
        "a{background:url(http://tiles.example.net/1.png)} @import url(https://x.example/y.css);"
    )
    assert external_references(bad) == [
        "https://cdn.example.org/x.js",
        "//fonts.example.com/css",
        "http://tiles.example.net/1.png",
        "https://x.example/y.css",
    ]
    fine = (
        '<svg xmlns="http://www.w3.org/2000/svg"><use href="#a"/></svg>'
        '<a href="http://127.0.0.1:8000/">x</a><img src="data:image/svg+xml;base64,AA==">'
        '<script src="/static/bootstrap/js/bootstrap.bundle.min.js"></script>'
    )
    assert external_references(fine) == []


def test_login_and_home_pages_reference_nothing_external(pages: dict[str, str]) -> None:
    for name, html in pages.items():
        assert external_references(html) == [], name


def _template_files() -> list[tuple[Path, str]]:
    """Every template of the package: the shared directory and each app's own."""
    found = []
    for root in sorted({TEMPLATES, *PACKAGE.glob("*/templates")}):
        found += [(p, p.relative_to(root).as_posix()) for p in sorted(root.rglob("*.html"))]
    return found


def test_every_template_references_nothing_external(rf, officer: User) -> None:  # type: ignore[no-untyped-def]
    request = rf.get("/")
    request.user = officer
    templates = _template_files()
    assert any(name == "base.html" for _, name in templates)
    for path, name in templates:
        source = _read(path)
        assert external_references(source) == [], path
        try:
            html = render_to_string(name, request=request)
        except (NoReverseMatch, VariableDoesNotExist, TemplateDoesNotExist, TemplateSyntaxError):
            # A template that cannot render without its view's context is checked as source.
            continue
        assert external_references(html) == [], name


def test_our_static_files_reference_nothing_external() -> None:
    files = [p for p in STATIC.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES]
    assert files
    for path in files:
        assert external_references(_read(path)) == [], path


def test_every_static_file_the_pages_load_exists_locally_and_stays_local(
    pages: dict[str, str],
) -> None:
    referenced = sorted({ref for html in pages.values() for ref in static_references(html)})
    assert "bootstrap/css/bootstrap.min.css" in referenced
    assert "bootstrap/js/bootstrap.bundle.min.js" in referenced
    assert "django_htmx/htmx-2.min.js" in referenced
    assert "phoihop/css/phoihop.css" in referenced

    seen: set[str] = set()
    queue = list(referenced)
    while queue:
        ref = queue.pop()
        if ref in seen:
            continue
        seen.add(ref)
        found = finders.find(ref)
        assert found, f"static file {ref} is referenced but no finder has it"
        text = _read(found)
        assert external_references(text) == [], ref
        if ref.endswith(".css"):
            queue.extend(_css_dependencies(ref, text))
