"""The report's web preview: area and period choice, the figures with links to their records,
comparisons, local charts, downloads with an audit entry, and the viewer's visibility."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from phoihop.audit.models import AuditEntry
from phoihop.mobilisation.services import forum_create
from phoihop.org.models import User
from phoihop.reports import services, views
from phoihop.reports.views import last_complete_quarter
from tests import factories
from tests.factories import OrgWorld
from tests.reports.report_sample import sample_report


@pytest.fixture
def people(world: OrgWorld) -> dict[str, User]:
    return {
        "ca_prov": factories.user(world.u("ca_province"), roles=["officer"]),
        "ca_commune_b": factories.user(world.u("ca_commune_b"), roles=["officer"]),
        "outsider": factories.user(world.u("ca_other_province"), roles=["officer"]),
    }


def as_user(user: User) -> Client:
    client = Client()
    factories.login(client, user)
    return client


def page(client: Client, **query: str) -> tuple[int, str]:
    response = client.get(reverse("reports:index"), query)
    return response.status_code, response.content.decode()


@pytest.fixture
def sample(monkeypatch: pytest.MonkeyPatch) -> None:
    """The preview shows a hand-built report (the renderers' sample) instead of the builder's."""
    monkeypatch.setattr(views, "build_for", lambda **kwargs: sample_report())


# --- choosing area and period -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "rule", "expected"),
    [
        (dt.date(2024, 10, 20), "decree09", "2024-Q3"),
        (dt.date(2024, 9, 20), "decree09", "2024-Q3"),  # quý III closed on 14/09
        (dt.date(2024, 9, 10), "decree09", "2024-Q2"),
        (dt.date(2024, 10, 1), "calendar", "2024-Q3"),
        (dt.date(2024, 9, 30), "calendar", "2024-Q2"),
        (dt.date(2024, 1, 5), "calendar", "2023-Q4"),
    ],
)
def test_the_default_period_is_the_last_complete_quarter_under_the_rule(
    today: dt.date, rule: str, expected: str
) -> None:
    with override_settings(PHOIHOP_PERIOD_RULE=rule):
        assert last_complete_quarter(today).key == expected


def test_the_page_defaults_to_the_users_province_and_last_quarter(
    world: OrgWorld, people: dict, sample: None
) -> None:
    status, html = page(as_user(people["ca_prov"]))

    assert status == 200
    assert 'value="42"' in html
    assert f'value="{last_complete_quarter().key}"' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"area": "4"}, "Không có địa bàn mã “4”"),
        ({"area": "99999"}, "Không có địa bàn mã “99999”"),
        ({"area": "40"}, "Địa bàn “Tỉnh Nghệ An” nằm ngoài tỉnh của đơn vị bạn."),
        ({"period": "2024-Q7"}, "Kỳ báo cáo “2024-Q7” không hợp lệ."),
        ({"period": "2999-Q1"}, "Kỳ báo cáo quý I năm 2999 chưa bắt đầu."),
    ],
)
def test_a_bad_area_or_period_gets_a_clear_message(
    world: OrgWorld, people: dict, query: dict[str, str], message: str
) -> None:
    status, html = page(as_user(people["ca_prov"]), **{"area": "42", "period": "2024-Q3", **query})

    assert status == 200
    assert 'data-testid="report-error"' in html and message in html
    assert 'data-testid="report"' not in html


def test_anonymous_visitors_are_sent_to_login(world: OrgWorld) -> None:
    response = Client().get(reverse("reports:index"))
    assert response.status_code == 302 and "login" in response["Location"]


# --- what the page shows ------------------------------------------------------------------------


def test_figures_show_comparisons_and_link_to_their_records(
    world: OrgWorld, people: dict, sample: None
) -> None:
    status, html = page(as_user(people["ca_prov"]), area="42", period="2024-Q3")

    assert status == 200
    report = sample_report()
    for section in report.sections:
        assert section.title in html
    linked = [f for f in report.figures() if any(p.url for p in f.provenance)]
    assert linked, "the sample has figures with list pages"
    for figure in linked:
        url = next(p.url for p in figure.provenance if p.url)
        assert (
            f'href="{url.replace("&", "&amp;")}" data-testid="figure-link">{figure.text()}<' in html
        )
    compared = next(f for f in report.figures() if f.last_year is not None and f.last_year)
    assert compared.vs_last_year is not None
    assert ("tăng" if compared.vs_last_year.delta > 0 else "giảm") in html


def test_charts_are_drawn_with_the_local_plotly_file(
    world: OrgWorld, people: dict, sample: None
) -> None:
    client = as_user(people["ca_prov"])
    status, html = page(client, area="42", period="2024-Q3")

    assert status == 200
    assert 'data-testid="chart"' in html
    assert f'<script src="{reverse("reports:plotly_js")}" defer></script>' in html
    assert "cdn" not in html.lower() and "https://" not in html
    script = client.get(reverse("reports:plotly_js"))
    assert script.status_code == 200 and script["Content-Type"] == "text/javascript"
    assert b"plotly" in b"".join(script.streaming_content)[:2000].lower()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("fmt", "magic"),
    [("docx", b"PK"), ("xlsx", b"PK")],
)
def test_downloads_render_the_report_and_are_audited(
    world: OrgWorld, people: dict, sample: None, fmt: str, magic: bytes
) -> None:
    client = as_user(people["ca_prov"])
    _status, html = page(client, area="42", period="2024-Q3")
    assert f'data-testid="download-{fmt}"' in html

    response = client.get(
        reverse("reports:download", args=[fmt]), {"area": "42", "period": "2024-Q3"}
    )

    assert response.status_code == 200
    assert response.content[:2] == magic
    assert f'filename="bao-cao-42-2024-Q3.{fmt}"' in response["Content-Disposition"]
    entry = AuditEntry.objects.filter(action="export", object_type="reports.report").get()
    assert entry.object_id == "42/2024-Q3" and entry.actor_username == people["ca_prov"].username


def test_a_download_with_a_bad_area_saves_no_audit_entry(
    world: OrgWorld, people: dict, sample: None
) -> None:
    client = as_user(people["ca_prov"])
    response = client.get(reverse("reports:download", args=["docx"]), {"area": "40"})

    assert response.status_code == 400
    assert not AuditEntry.objects.filter(action="export").exists()


# --- the real builder, on records made here ----------------------------------------------------


def _forum(world: OrgWorld, actor: User, day: dt.date, commune: Any) -> Any:
    return forum_create(
        actor=actor, start_date=day, commune=commune, attendees=40, opinions=7, title="Diễn đàn"
    )


@override_settings(PHOIHOP_PERIOD_RULE="decree09")
def test_the_builder_report_follows_the_viewers_visibility(world: OrgWorld, people: dict) -> None:
    officer = people["ca_prov"]
    forums = [
        _forum(world, officer, dt.date(2024, 7, 2), world.commune_a),
        _forum(world, officer, dt.date(2024, 8, 9), world.commune_b),
    ]
    services.task_create(
        actor=officer,
        area=world.province,
        period_key="2024-Q2",
        conference_date=dt.date(2024, 7, 1),
        content="Duy trì diễn đàn lắng nghe ý kiến Nhân dân",
        lead_force="CA",
        deadline=dt.date(2024, 8, 31),
    )

    status, html = page(as_user(officer), area="42", period="2024-Q3")
    assert status == 200
    assert 'data-key="mobilisation.forums"' in html
    assert 'data-testid="figure-link">02 diễn đàn</a>' in html
    assert 'data-key="tasks"' in html and "Duy trì diễn đàn lắng nghe ý kiến Nhân dân" in html
    assert forums[0].public_id  # the records exist

    # A commune officer sees none of the province's forums: no figure, no task leaks.
    status, html = page(as_user(people["ca_commune_b"]), area="42", period="2024-Q3")
    assert status == 200
    assert "02 diễn đàn" not in html
    assert "Duy trì diễn đàn" not in html
