"""English as the second language, and the message compiler that needs no GNU gettext."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client
from django.urls import reverse

from phoihop.devtools.compilemessages import catalogues, compile_catalogue

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "phoihop" / "locale"


def _switch_to_english(client: Client) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302


def test_login_page_in_english(client: Client) -> None:
    _switch_to_english(client)

    html = client.get(reverse("login")).content.decode()

    assert '<html lang="en">' in html
    assert '<button type="submit" class="btn btn-primary w-100">Log in</button>' in html
    assert "Username" in html and "Password" in html
    assert 'id="id_username"' in html and 'id="id_password"' in html


def test_wrong_password_error_in_english(world, client: Client) -> None:  # type: ignore[no-untyped-def]
    _switch_to_english(client)

    html = client.post(
        reverse("login"), {"username": "khong.co", "password": "sai-mat-khau-roi"}
    ).content.decode()

    assert "Incorrect username or password." in html


def test_home_page_in_english(officer_client: Client) -> None:
    _switch_to_english(officer_client)

    html = officer_client.get(reverse("home")).content.decode()

    assert "Information exchange" in html
    assert ">Map</a>" in html
    assert "Clearance: Ordinary" in html
    assert "Log out" in html


def test_the_english_catalogue_translates_every_message() -> None:
    with (LOCALE / "en" / "LC_MESSAGES" / "django.po").open("rb") as handle:
        catalogue = read_po(handle)
    missing = [
        message.id
        for message in catalogue
        if message.id
        and (
            message.fuzzy
            or not all(message.string if isinstance(message.string, tuple) else [message.string])
        )
    ]
    assert missing == []
    assert len(catalogue) > 100


def test_catalogues_are_found_under_the_package() -> None:
    found = {p.relative_to(LOCALE).as_posix() for p in catalogues()}
    assert {"en/LC_MESSAGES/django.po", "vi/LC_MESSAGES/django.po"} <= found


def test_compiler_writes_a_mo_that_gettext_reads(tmp_path: Path) -> None:
    po = tmp_path / "en" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Đăng nhập"\nmsgstr "Log in"\n\n'
        '#, python-format\nmsgid "Mức: %(level)s"\nmsgstr "Clearance: %(level)s"\n',
        encoding="utf-8",
    )

    mo, problems = compile_catalogue(po)

    assert problems == []
    with mo.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    assert translations.gettext("Đăng nhập") == "Log in"
    assert translations.gettext("Mức: %(level)s") == "Clearance: %(level)s"


def test_compiler_refuses_a_translation_that_loses_a_placeholder(tmp_path: Path) -> None:
    po = tmp_path / "en" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, python-format\nmsgid "Mức: %(level)s"\nmsgstr "Clearance: %(levle)s"\n',
        encoding="utf-8",
    )

    mo, problems = compile_catalogue(po)

    assert len(problems) == 1
    assert not mo.exists()
