"""The report of the demo province for quý III năm 2024 against the published conference report:
every figure of the reference in Vietnamese style, the comparisons with 2023-Q3 and 2024-Q2,
every figure of the JSON output recounted from its provenance, and a report made as a commune
officer that shows only what the officer may see. The demo is built once for the module."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from phoihop.access.models import ScopedModel
from phoihop.access.rules import OPERATOR, visible
from phoihop.cases import selectors as cases
from phoihop.cases.enums import WantedStatus
from phoihop.core import formats
from phoihop.core.text import fold
from phoihop.exchange import figures as exchange
from phoihop.exchange.models import Receipt
from phoihop.indicators.periods import Period
from phoihop.mobilisation import selectors as mob
from phoihop.operations import selectors as ops
from phoihop.org.models import AdministrativeArea, User
from phoihop.reports.assembly import build_report
from phoihop.reports.document import FigureKind, format_value
from phoihop.reports.figures import FigureSet, build_figures
from phoihop.reports.render_text import render_text

# A copy of ../shared/reference/conference-report-2024-q3.figures.json (its README: "use the figures
# freely … tests"), kept with the tests so that a clone runs them wherever it is checked out.
REFERENCE = Path(__file__).resolve().parent / "data"
FIGURES = json.loads((REFERENCE / "conference-report-2024-q3.figures.json").read_text("utf-8"))
COMMUNE_OFFICER = "ca.son-kim-1.canbo"

# The reference's metrics and items → our figure keys.
METRIC_KEYS = {
    "info_items_exchanged": "exchange.items",
    "forums_held": "mobilisation.forums",
    "opinions_received": "mobilisation.opinions",
    "cases": "cases.count",
    "subjects": "cases.persons",
    "organisations": "cases.organisations",
    "wanted_arrested": "wanted.arrested",
    "delegations_protected": "protection.delegations",
    "events_protected": "protection.events",
    "surrender_campaign_commune_coverage": "campaigns.coverage",
}
SEIZED_KEYS = {
    "heroin": "cases.seized.heroin",
    "methamphetamine (ma túy đá)": "cases.seized.ma-tuy-da",
    "opium": "cases.seized.thuoc-phien",
    "synthetic drug pills": "cases.seized.ma-tuy-tong-hop",
    "firecrackers": "cases.seized.phao-no",
    "explosives": "cases.seized.thuoc-no",
    "slow fuse": "cases.seized.day-chay-cham",
    "detonators": "cases.seized.kip-no",
    "timber": "cases.seized.go",
}
SURRENDERED_KEYS = {
    "explosives": "campaigns.handed_in.thuoc-no",
    "guns": "campaigns.handed_in.sung",
    "knives and swords": "campaigns.handed_in.dao-kiem",
}


def key_of(entry: dict[str, Any]) -> str:
    if entry["metric"] == "seized":
        return SEIZED_KEYS[entry["item"]]
    if entry["metric"] == "surrendered":
        return SURRENDERED_KEYS[entry["item"]]
    return METRIC_KEYS[entry["metric"]]


def plain(phrase: str) -> str:
    """A reference phrase compared with ours: no qualifier, old/new tone placement alike (by
    folding), the number and its unit apart ("48kg" = "48 kg")."""
    folded = fold(phrase.removeprefix("hơn "))
    return re.sub(r"(\d)([a-z])", r"\1 \2", folded)


@pytest.fixture(scope="module")
def q3(demo_output: str, django_db_blocker) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        report = build_report(area_code="42", period_key="2024-Q3", actor=OPERATOR)
        return {
            "report": report,
            "text": render_text(report),
            "figures": build_figures(area_code="42", period_key="2024-Q3", actor=OPERATOR),
            "2023-Q3": build_figures(area_code="42", period_key="2023-Q3", actor=OPERATOR),
            "2024-Q2": build_figures(area_code="42", period_key="2024-Q2", actor=OPERATOR),
        }


def test_the_report_holds_every_figure_of_the_conference_in_vietnamese_style(demo, q3):
    report, text = q3["report"], q3["text"]
    assert len(FIGURES["figures"]) == 22
    for entry in FIGURES["figures"]:
        figure = report.figure(key_of(entry))
        assert figure is not None, entry
        assert figure.value == Decimal(str(entry["value"])), entry
        number = re.match(r"(?:hơn )?([\d.,]+)", entry["phrase"])
        assert number is not None
        assert figure.text().startswith(number[1]), (figure.text(), entry["phrase"])
        if entry["metric"] in ("seized", "surrendered", "wanted_arrested", "organisations"):
            assert plain(figure.text()) == plain(entry["phrase"]), entry
        assert figure.text() in text, figure.text()
    assert "207 thông tin" in text
    assert "252 “Diễn đàn Công an lắng nghe ý kiến Nhân dân”" in text
    assert "3.429 ý kiến" in text
    assert "200 vụ/226 đối tượng và 01 tổ chức" in text
    assert "2,4 kg thuốc nổ, 92 khẩu súng các loại, 643 dao, kiếm" in text
    assert "100%" in text


def test_every_figure_is_compared_with_the_same_quarter_of_2023_and_the_quarter_before(demo, q3):
    report, text = q3["report"], q3["text"]
    last_year: FigureSet = q3["2023-Q3"]
    before: FigureSet = q3["2024-Q2"]
    for figure in report.figures():
        if figure.key.startswith("tasks."):
            continue
        expected_last = last_year.get(figure.key)
        expected_before = before.get(figure.key)
        zero = Decimal(0) if figure.kind is FigureKind.QUANTITY else 0
        if figure.kind is FigureKind.PERCENT:
            assert figure.last_year == (expected_last.value if expected_last else None)
            continue
        assert figure.last_year == (expected_last.value if expected_last else zero), figure.key
        assert figure.previous == (expected_before.value if expected_before else zero), figure.key
    cases = report.figure("cases.count")
    assert cases is not None and cases.last_year
    delta = cases.value - cases.last_year
    phrase = formats.comparison(
        cases.last_year,
        cases.value,
        delta_text=format_value(abs(delta), "count", "vụ"),
        against="cùng kỳ năm 2023",
    )
    assert phrase.startswith("tăng " if delta > 0 else "giảm " if delta < 0 else "bằng ")
    if delta:
        ratio = formats.percent(Decimal(abs(delta)) / Decimal(cases.last_year))
        assert f"{formats.count(abs(delta))} vụ ({ratio}) so với cùng kỳ năm 2023" in phrase
    assert f"200 vụ/226 đối tượng và 01 tổ chức, {phrase}" in text
    items = report.figure("exchange.items")
    assert items is not None and (items.last_year, items.previous) == (188, 196)
    assert "207 thông tin, tăng 19 thông tin (10,1%) so với cùng kỳ năm 2023" in text
    assert "tăng 11 thông tin (5,6%) so với quý II năm 2024" in text
    forums = report.figure("mobilisation.forums")
    assert forums is not None and (forums.last_year, forums.previous) == (231, 240)


def test_the_sections_come_in_the_official_order_and_none_is_empty(demo, q3):
    report = q3["report"]
    keys = [s.key for s in report.sections]
    order = [
        "overview",
        "exchange",
        "mobilisation",
        "crime",
        "wanted",
        "protection",
        "checkpoints",
        "border",
        "campaigns",
        "rescue",
        "limitations",
        "tasks",
    ]
    assert keys == [k for k in order if k in keys]
    assert {"overview", "exchange", "mobilisation", "crime", "wanted", "protection"} <= set(keys)
    assert {"border", "campaigns", "rescue", "tasks"} <= set(keys)
    for section in report.sections:
        assert section.paragraphs, section.key
        if section.figures and section.key != "tasks":
            assert any(f.value for f in section.figures), section.key
    assert report.sections[0].title.startswith("I. ")
    assert report.area_name == "Tỉnh Hà Tĩnh" and report.place == "Hà Tĩnh"
    assert report.period_label == "quý III năm 2024"
    # One key, one place.
    all_keys = [f.key for f in report.figures()]
    assert len(all_keys) == len(set(all_keys))


def test_limitations_state_only_measured_facts_with_their_numbers(demo, q3):
    report, figures = q3["report"], q3["figures"]
    section = next((s for s in report.sections if s.key == "limitations"), None)
    fallen = [
        f
        for f in figures.figures.values()
        if f.key.startswith(("cases.domain.", "cases.category.", "patrols.route."))
        and f.last_year is not None
        and f.value < f.last_year
    ]
    overdue = figures.value("exchange.ack.overdue") + figures.value("exchange.verify.overdue")
    if not (fallen or overdue or figures.late_submissions):
        assert section is None
        return
    assert section is not None
    text = "\n".join(p.text for p in section.paragraphs)
    for figure in fallen:
        assert f" {figure.text()}, giảm " in text
        assert fold(f"{figure.label} {figure.text()}") in fold(text)
    if overdue:
        assert format_value(figures.value("exchange.ack.overdue"), "count") in text
        for unit in figures.overdue:
            assert unit.unit in text
    for late in figures.late_submissions:
        assert late.unit in text


def test_joint_staff_see_the_late_and_missing_submissions_among_the_limitations(demo):
    joint = User.objects.get(username="ca.tmth")
    figures = build_figures(area_code="42", period_key="2024-Q3", actor=joint)
    assert figures.late_submissions and figures.submissions_expected
    report = build_report(area_code="42", period_key="2024-Q3", actor=joint, as_user="ca.tmth")
    limitations = next(s for s in report.sections if s.key == "limitations")
    text = limitations.paragraphs[0].text
    late = [s for s in figures.late_submissions if not s.missing]
    missing = [s for s in figures.late_submissions if s.missing]
    assert (
        f"trên {formats.count(figures.submissions_expected)} báo cáo phải nộp, "
        f"{formats.count(len(late))} báo cáo nộp chậm và {formats.count(len(missing))} báo cáo "
        "chưa nộp"
    ) in text
    for submission in figures.late_submissions:
        assert f"{submission.unit} (" in text


# --- provenance ---------------------------------------------------------------------------------


def _window() -> tuple[Any, Any]:
    return Period.parse("2024-Q3").window()


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(part) / whole * 100).quantize(Decimal("0.1"))


def recount(figure: dict[str, Any], area: AdministrativeArea) -> Any:
    """The figure counted again from the records its provenance names, through the selectors."""
    key = figure["key"]
    ids = [i for p in figure["provenance"] for i in p["ids"]]
    start, end = _window()
    a = OPERATOR
    if key.startswith("exchange.items"):
        items = exchange.items_in_period(actor=a, start=start, end=end).filter(public_id__in=ids)
        assert items.count() == len(ids)
        forces: dict[Any, set[str]] = {}
        for item, force in Receipt.objects.filter(item__in=items).values_list(
            "item__public_id", "unit__force__code"
        ):
            forces.setdefault(str(item), set()).add(force)
        senders = {str(p): f for p, f in items.values_list("public_id", "owner_unit__force__code")}
        exchanged = [i for i in senders if forces.get(i, set()) - {senders[i]}]
        if key == "exchange.items":
            return len(exchanged)
        _e, _i, way, code = key.split(".")
        if way == "sent":
            return sum(1 for i in exchanged if senders[i] == code)
        return sum(1 for i in exchanged if code in forces[i] - {senders[i]})
    if key.startswith("exchange.ack."):
        all_ids = [
            i
            for f in REPORT_JSON[0]
            if f["key"] == "exchange.ack.received"
            for p in f["provenance"]
            for i in p["ids"]
        ]
        receipts = exchange.receipts_in_period(actor=a, start=start, end=end).filter(
            item__public_id__in=all_ids
        )
        now = timezone.now()
        if key == "exchange.ack.received":
            return receipts.count()
        on_time = receipts.filter(acknowledged_at__isnull=False).values_list(
            "acknowledged_at", "ack_due_at"
        )
        if key == "exchange.ack.on_time_share":
            return _percent(sum(1 for at, due in on_time if at <= due), receipts.count())
        return receipts.filter(acknowledged_at__isnull=True, ack_due_at__lt=now).count()
    if key.startswith("exchange.verify."):
        all_ids = [
            i
            for f in REPORT_JSON[0]
            if f["key"] == "exchange.verify.requested"
            for p in f["provenance"]
            for i in p["ids"]
        ]
        requests = exchange.verifications_in_period(actor=a, start=start, end=end).filter(
            item__public_id__in=all_ids
        )
        if key == "exchange.verify.requested":
            return requests.count()
        answered = requests.filter(status__in=["answered", "closed"], answered_at__isnull=False)
        if key == "exchange.verify.on_time_share":
            rows = answered.values_list("answered_at", "due_at")
            return _percent(sum(1 for at, due in rows if at <= due), requests.count())
        return (
            requests.exclude(pk__in=answered.values("pk")).filter(due_at__lt=timezone.now()).count()
        )
    if (
        key.startswith("mobilisation.forums")
        or key
        in (
            "mobilisation.attendees",
            "mobilisation.opinions",
        )
        or key.startswith("mobilisation.opinions.topic.")
    ):
        forums = mob.forum_figures(mob.forum_list(actor=a).filter(public_id__in=ids))
        if key.startswith("mobilisation.opinions.topic."):
            return forums.by_topic[key.rsplit(".", 1)[1]]
        return {
            "mobilisation.forums": forums.forums,
            "mobilisation.attendees": forums.attendees,
            "mobilisation.opinions": forums.opinions,
        }[key]
    if key.startswith("mobilisation.propaganda."):
        pf = mob.propaganda_figures(mob.propaganda_list(actor=a).filter(public_id__in=ids))
        if key.startswith("mobilisation.propaganda.law."):
            law = pf.law(key.rsplit(".", 1)[1])
            assert law is not None
            return law.sessions
        return {
            "mobilisation.propaganda.sessions": pf.sessions,
            "mobilisation.propaganda.attendees": pf.attendees,
        }[key]
    if key.startswith("mobilisation.programmes"):
        pr = mob.programme_figures(mob.programme_list(actor=a).filter(public_id__in=ids))
        return {
            "mobilisation.programmes": pr.records,
            "mobilisation.programmes.beneficiaries": pr.beneficiaries,
            "mobilisation.programmes.value": pr.value,
        }[key]
    if key.startswith("campaigns."):
        cf = mob.campaign_figures(
            mob.campaign_list(actor=a).filter(public_id__in=ids), start=start, end=end, area=area
        )
        if key == "campaigns.coverage":
            return (cf.share * 100).quantize(Decimal("0.1"))  # type: ignore[operator]
        if key == "campaigns.communes":
            return cf.launched
        return cf.handed_in_of(key.rsplit(".", 1)[1])
    if key.startswith("cases."):
        cf = cases.case_figures(cases.case_list(actor=a).filter(public_id__in=ids))
        kind, _dot, rest = key.removeprefix("cases.").partition(".")
        simple = {
            "count": cf.cases,
            "persons": cf.persons,
            "organisations": cf.organisations,
            "prosecuted": cf.prosecuted,
            "sanctioned": cf.sanctioned,
            "fines": cf.fines,
        }
        if not rest:
            return simple[kind]
        if kind == "seized":
            return cf.seized_of(rest)
        return {
            "category": cf.by_category,
            "domain": cf.by_domain,
            "lead_force": cf.by_lead_force,
            "force": cf.by_participating_force,
        }[kind].get(rest, 0)
    if key == "wanted.arrested":
        return (
            cases.wanted_list(actor=a)
            .filter(public_id__in=ids, status__in=[WantedStatus.ARRESTED, WantedStatus.SURRENDERED])
            .count()
        )
    if key in ("protection.delegations", "protection.events"):
        pf = ops.protection_figures(ops.protection_list(actor=a).filter(public_id__in=ids))
        return pf.delegations if key.endswith("delegations") else pf.events
    if key == "protection.key_targets" or key.startswith("zones."):
        zf = ops.zone_figures(ops.zone_list(actor=a).filter(public_id__in=ids))
        return zf.by_kind.get("key_target" if key.startswith("protection") else key[6:], 0)
    if key.startswith("checkpoints."):
        kf = ops.checkpoint_figures(
            ops.checkpoint_list(actor=a).filter(public_id__in=ids), start=start, end=end
        )
        return {
            "checkpoints.count": kf.checkpoints,
            "checkpoints.vehicles": kf.vehicles,
            "checkpoints.people": kf.people,
        }[key]
    if key.startswith("patrols."):
        tf = ops.patrol_figures(ops.patrol_list(actor=a).filter(public_id__in=ids), actor=a)
        if key == "patrols.count":
            return tf.patrols
        if key == "patrols.sorties":
            return tf.sorties
        if key == "patrols.personnel":
            return tf.commitment.personnel
        return tf.by_route[key.rsplit(".", 1)[1]].patrols
    if key.startswith("rescue."):
        rf = ops.rescue_figures(ops.rescue_list(actor=a).filter(public_id__in=ids))
        family, _dot, force = key.rpartition(".")
        if family == "rescue.force_personnel":
            return rf.commitment.force(force).personnel
        if family == "rescue.force_means":
            return rf.commitment.force(force).all_vehicles
        return {
            "rescue.incidents": rf.incidents,
            "rescue.personnel": rf.commitment.personnel,
            "rescue.vehicles": rf.commitment.all_vehicles,
            "rescue.rescued": rf.people_rescued,
            "rescue.evacuated": rf.people_evacuated,
            "rescue.vessels": rf.vessels_assisted,
            "rescue.civilian_vessels": rf.civilian_vessels,
            "rescue.civilian_people": rf.civilian_people,
        }[key]
    if key.startswith("tasks."):
        return len(ids)
    raise AssertionError(f"no recount for {key}")


REPORT_JSON: list[list[dict[str, Any]]] = [[]]


def test_every_figure_of_the_json_output_is_recounted_from_its_provenance(demo):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "report", "--area", "42", "--period", "2024-Q3", "--format", "json", stdout=out, stderr=err
    )
    data = json.loads(out.getvalue())
    assert data["period"] == {
        "key": "2024-Q3",
        "label": "quý III năm 2024",
        "start": "2024-06-15",
        "end": "2024-09-14",
        "rule": "decree09",
    }
    figures = [f for s in data["sections"] for f in s["figures"]]
    REPORT_JSON[0] = figures
    area = AdministrativeArea.objects.get(code="42", valid_until__isnull=True)
    assert len(figures) > 40
    for figure in figures:
        ids = [i for p in figure["provenance"] for i in p["ids"]]
        for p in figure["provenance"]:
            model = apps.get_model(p["model"])
            assert model._base_manager.filter(public_id__in=p["ids"]).count() == len(p["ids"])
        if figure["value"] not in (0, "0") and figure["kind"] != "percent":
            assert ids, figure["key"]
        value = figure["value"]
        expected = recount(figure, area)
        assert Decimal(str(expected)) == Decimal(str(value)), figure["key"]
        assert figure["text"] == format_value(Decimal(str(value)), figure["kind"], figure["unit"])
        if figure["last_year"] is not None:
            delta = figure["change_vs_last_year"]["delta"]
            assert Decimal(str(delta)) == Decimal(str(value)) - Decimal(str(figure["last_year"]))


# --- visibility ---------------------------------------------------------------------------------


def test_a_report_made_as_a_commune_officer_shows_only_what_the_officer_may_see(demo, q3):
    officer = User.objects.get(username=COMMUNE_OFFICER)
    mine = build_figures(area_code="42", period_key="2024-Q3", actor=officer)
    everyone: FigureSet = q3["figures"]
    start, end = _window()
    area = AdministrativeArea.objects.get(code="42", valid_until__isnull=True)
    own_cases = cases.case_figures(
        cases.cases_in(cases.case_list(actor=officer), start=start, end=end, area=area)
    )
    assert mine.value("cases.count") == own_cases.cases
    assert mine.value("cases.persons") == own_cases.persons
    assert 0 < mine.value("cases.count") < everyone.value("cases.count")
    assert mine.value("exchange.items") < everyone.value("exchange.items")
    for key, figure in mine.figures.items():
        if figure.kind is not FigureKind.PERCENT:
            other = everyone.get(key)
            assert figure.value <= (other.value if other else 0), key
            assert (figure.last_year or 0) <= ((other.last_year or 0) if other else 0), key
        for p in figure.provenance:
            model = apps.get_model(p.model)
            if issubclass(model, ScopedModel):
                seen = visible(model, officer).filter(public_id__in=p.ids).count()
                assert seen == len(p.ids), key
    # The command says the same through --as.
    out = io.StringIO()
    call_command(
        "report",
        "--area",
        "42",
        "--period",
        "2024-Q3",
        "--format",
        "json",
        "--as",
        COMMUNE_OFFICER,
        stdout=out,
        stderr=io.StringIO(),
    )
    data = json.loads(out.getvalue())
    assert data["as_user"] == COMMUNE_OFFICER
    values = {f["key"]: f["value"] for s in data["sections"] for f in s["figures"]}
    assert values["cases.count"] == mine.value("cases.count")
