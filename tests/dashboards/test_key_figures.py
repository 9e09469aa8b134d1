"""Key figures and trends of the dashboard on constructed records: the period (Nghị định 09
quarters: quý III năm 2024 is 15/06/2024–14/09/2024) and the same period a year earlier decide
what counts, the filters narrow it, every number counts only what the user may see, and every
figure opens the list of exactly the records it counted.

All expected numbers are worked out by hand from the records built here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from phoihop.cases.services import SeizedData, SubjectData
from phoihop.dashboards.selectors import Filters, KeyFigures, figure_url, key_figures, trends
from phoihop.exchange.enums import Urgency
from phoihop.exchange.services import (
    info_item_acknowledge,
    info_item_create,
    verification_answer,
    verification_request_create,
)
from phoihop.indicators.models import Indicator, ReportForm
from phoihop.indicators.periods import Period
from phoihop.indicators.services import (
    report_form_set_lines,
    submission_create,
    submission_submit,
    submission_values_set,
)
from phoihop.mobilisation.services import forum_create
from phoihop.operations.services import UnitPart
from phoihop.org.models import Force, UnitLevel, User
from phoihop.reports.enums import TaskStatus
from phoihop.reports.services import task_create, task_transition
from tests.cases.conftest import at, make_case
from tests.factories import OrgWorld, login, user
from tests.operations.conftest import d, make_checkpoint, make_patrol, make_protection, make_rescue

Q3 = Period.parse("2024-Q3")  # 15/06/2024–14/09/2024; last year 15/06/2023–14/09/2023


# --- the scenario -------------------------------------------------------------------------------


def heroin(grams: str) -> SeizedData:
    return SeizedData(item="heroin", quantity=Decimal(grams), unit="gam", localized=False)


def seized(item: str, quantity: str, unit: str) -> SeizedData:
    return SeizedData(item=item, quantity=Decimal(quantity), unit=unit, localized=False)


def person(name: str, citizen_id: str = "") -> SubjectData:
    return SubjectData(name=name, birth_year=1990, sex="male", citizen_id=citizen_id)


def send(actor: User, recipients: list[Any], sent_at: dt.datetime, **extra: Any) -> Any:
    values: dict[str, Any] = {
        "title": "Phát hiện đối tượng nghi vận chuyển hàng cấm qua biên giới",
        "content": "Nội dung",
        "topic": "smuggling",
        "urgency": Urgency.KHAN,
        "recipients": recipients,
        "sent_at": sent_at,
    }
    values.update(extra)
    return info_item_create(actor=actor, **values)


def make_forum(actor: User, commune: Any, day: dt.date, opinions: int) -> Any:
    return forum_create(
        actor=actor, start_date=day, commune=commune, attendees=100, opinions=opinions
    )


def make_task(actor: User, area: Any, **extra: Any) -> Any:
    values: dict[str, Any] = {
        "area": area,
        "period_key": "2024-Q3",
        "conference_date": dt.date(2024, 10, 10),
        "content": "Tăng cường tuần tra, kiểm soát khu vực biên giới",
        "lead_force": "BP",
        "supporting_forces": ["CA", "QS"],
        "deadline": dt.date(2024, 12, 31),
    }
    values.update(extra)
    return task_create(actor=actor, **values)


def commune_form() -> ReportForm:
    """A quarterly report the two Police communes owe; due five days after the window ends
    (quý III năm 2024: 19/09/2024)."""
    Indicator.objects.create(code="t.patrols", name="Số lượt tuần tra", unit="lượt")
    form = ReportForm.objects.create(
        code="t-ca-xa-quy",
        name="Báo cáo quý của Công an xã",
        force=Force.objects.get(code="CA"),
        level=UnitLevel.objects.get(code="xa"),
        period_kind="quarter",
        deadline_days=5,
    )
    report_form_set_lines(actor=None, form=form, codes=["t.patrols"])
    return form


@dataclass
class Scenario:
    """Who is who, and the records by name (see `build_scenario`)."""

    ca_prov: User  # Công an tỉnh: sees the whole Police tree
    ca_commune: User  # Công an xã Sơn Kim 1
    ca_commune_b: User  # Công an xã Thiên Cầm
    bp_post: User
    qs_prov: User
    records: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.records[key]


def build_scenario(world: OrgWorld) -> Scenario:
    """Records in quý III năm 2024, in the same quarter of 2023, and just outside both.

    Who sees what (the access rule): the province police officer sees everything the Police
    units own (their subtree) and what was sent to the province police; the commune A officer
    sees only what Công an xã Sơn Kim 1 owns or received.
    """
    s = Scenario(
        ca_prov=user(world.u("ca_province"), roles=["officer"]),
        ca_commune=user(world.u("ca_commune_a"), roles=["officer"]),
        ca_commune_b=user(world.u("ca_commune_b"), roles=["officer"]),
        bp_post=user(world.u("bp_post_a"), roles=["officer"]),
        qs_prov=user(world.u("qs_province"), roles=["officer"]),
    )
    r = s.records
    a, b = world.commune_a, world.commune_b
    # Cases.
    r["case_a"] = make_case(  # owned by commune A, with the Border Guard post taking part
        s.ca_commune,
        world,
        commune=a,
        detected_at=at("01/08/2024"),
        cooperating_units=[world.u("bp_post_a")],
        subjects=[person("Nguyễn Văn A", "042090001234")],
        seized=[heroin("11.09")],
    )
    r["case_first_day"] = make_case(  # the first instant of the quarter
        s.ca_prov,
        world,
        commune=b,
        category="smuggling",
        detected_at=at("15/06/2024", hour=0),
        subjects=[person("Trần Văn B", "042090005678"), person("Lê Văn C")],
        seized=[heroin("1"), seized("ma-tuy-da", "5", "gam")],
    )
    r["case_last_day"] = make_case(  # the last hour of the quarter
        s.ca_prov,
        world,
        commune=a,
        domain="sea",
        detected_at=at("14/09/2024", hour=23),
        seized=[seized("thuoc-la", "10", "bao"), seized("phao-no", "2", "kg")],
    )
    r["case_b"] = make_case(  # owned by commune B: not commune A's
        s.ca_commune_b, world, commune=b, detected_at=at("10/08/2024")
    )
    r["case_after"] = make_case(s.ca_prov, world, detected_at=at("20/09/2024"))  # quý IV
    r["case_before"] = make_case(s.ca_prov, world, detected_at=at("14/06/2024", hour=23))  # quý II
    r["case_last_year"] = make_case(
        s.ca_prov,
        world,
        commune=b,
        detected_at=at("20/08/2023"),
        subjects=[person("Phạm Văn D")],
        seized=[heroin("3")],
    )
    r["case_after_last_year"] = make_case(s.ca_prov, world, detected_at=at("15/09/2023"))
    # Information items (Khẩn: 24 hours to acknowledge; everything from 2024 is long overdue).
    r["item_joint"] = send(
        s.bp_post, [world.u("ca_province"), world.u("qs_province")], at("01/07/2024", 8), areas=[a]
    )
    info_item_acknowledge(actor=s.ca_prov, item=r["item_joint"], at=at("01/07/2024", 10))
    r["item_to_commune"] = send(s.ca_prov, [world.u("ca_commune_a")], at("20/06/2024", 8))
    r["item_last_year"] = send(
        s.bp_post, [world.u("ca_province"), world.u("ca_pc04")], at("10/07/2023", 8), areas=[b]
    )
    r["item_after"] = send(s.bp_post, [world.u("ca_province")], at("15/09/2024", 8))
    # Verifications, counted by their due time.
    r["verification_answered"] = verification_request_create(
        actor=s.ca_prov,
        item=r["item_joint"],
        assigned_unit=world.u("qs_province"),
        question="Xác minh phương tiện",
        at=at("01/07/2024", 11),
        due_at=at("05/07/2024", 17),
    )
    verification_answer(
        actor=s.qs_prov,
        verification=r["verification_answered"],
        result="confirmed",
        findings="Đúng như thông tin",
        at=at("04/07/2024"),
    )
    r["verification_late"] = verification_request_create(
        actor=s.ca_prov,
        item=r["item_to_commune"],
        assigned_unit=world.u("ca_commune_a"),
        question="Xác minh đối tượng",
        at=at("21/06/2024"),
        due_at=at("30/06/2024", 17),
    )
    r["verification_last_year"] = verification_request_create(
        actor=s.ca_prov,
        item=r["item_last_year"],
        assigned_unit=world.u("ca_pc04"),
        question="Xác minh nguồn tin",
        at=at("11/07/2023"),
        due_at=at("20/07/2023", 17),
    )
    # Joint operations: by their first day, checkpoints while they operate.
    r["protection"] = make_protection(
        s.ca_prov,
        world,
        start_date=d("20/07/2024"),
        end_date=d("21/07/2024"),
        communes=[a],
        units=[UnitPart(world.u("ca_province"), personnel=40), UnitPart(world.u("bp_post_a"))],
    )
    r["patrol"] = make_patrol(
        s.ca_prov,
        world,
        start_date=d("05/08/2024"),
        communes=[b],
        units=[UnitPart(world.u("ca_province"), personnel=5), UnitPart(world.u("qs_province"))],
    )
    r["checkpoint"] = make_checkpoint(  # from quý II into quý III
        s.ca_prov,
        world,
        start_date=d("01/05/2024"),
        end_date=d("30/06/2024"),
        communes=[a],
        units=[UnitPart(world.u("ca_province"), personnel=6)],
    )
    r["patrol_commune"] = make_patrol(
        s.ca_commune,
        world,
        start_date=d("10/08/2024"),
        communes=[a],
        units=[UnitPart(world.u("ca_commune_a"), personnel=3)],
    )
    r["protection_last_year"] = make_protection(
        s.ca_prov,
        world,
        start_date=d("01/08/2023"),
        end_date=d("02/08/2023"),
        communes=[a],
        units=[UnitPart(world.u("ca_province"), personnel=10)],
    )
    r["rescue_after"] = make_rescue(
        s.ca_prov,
        world,
        start_date=d("20/09/2024"),
        units=[UnitPart(world.u("ca_province"), personnel=10)],
    )
    # Forums and the opinions heard.
    r["forum"] = make_forum(s.ca_prov, a, d("10/07/2024"), 15)
    r["forum_commune"] = make_forum(s.ca_commune, a, d("01/09/2024"), 7)
    r["forum_last_year"] = make_forum(s.ca_prov, b, d("10/07/2023"), 4)
    r["forum_after"] = make_forum(s.ca_prov, a, d("20/09/2024"), 9)
    # Periodic submissions: commune A on time for 2024, commune B never; nobody in 2023.
    form = commune_form()
    r["form"] = form
    submission = submission_create(actor=s.ca_commune, form=form, period=Q3, at=at("10/09/2024"))
    submission_values_set(actor=s.ca_commune, submission=submission, values={"t.patrols": "4"})
    r["submission"] = submission_submit(
        actor=s.ca_commune, submission=submission, at=at("18/09/2024")
    )
    # Conference tasks still open today (one past its deadline), one done.
    r["task_late"] = make_task(s.ca_prov, world.province)
    r["task_open"] = make_task(
        s.ca_prov, a, lead_force="CA", supporting_forces=[], deadline=dt.date(2099, 12, 31)
    )
    done = make_task(s.ca_prov, world.province, content="Tổng kết đợt cao điểm")
    task_transition(actor=s.ca_prov, task=done, to=TaskStatus.DONE)
    return s


@pytest.fixture
def scenario(world: OrgWorld) -> Scenario:
    return build_scenario(world)


def figures_of(actor: User, period: Period = Q3, **filters: Any) -> KeyFigures:
    return key_figures(actor=actor, filters=Filters(period=period, **filters))


def values(figures: KeyFigures) -> dict[str, tuple[Any, Any]]:
    return {f.key: (f.value, f.last_year) for f in figures.figures}


# --- the records page behind a figure -----------------------------------------------------------


class _RecordRows(HTMLParser):
    """The rows of the `figure-records` table: each row's links and text (the row saying the
    list is empty, a single cell across the table, is not a record)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # > 0 inside the table
        self.in_body = False
        self.rows: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "table" and (self.depth or attributes.get("data-testid") == "figure-records"):
            self.depth += 1
        elif not self.depth:
            return
        elif tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.rows.append({"links": [], "text": "", "record": True})
        elif tag == "td" and self.rows and attributes.get("colspan"):
            self.rows[-1]["record"] = False
        elif tag == "a" and self.in_body and self.rows:
            self.rows[-1]["links"].append(attributes.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.depth:
            self.depth -= 1
        elif tag == "tbody":
            self.in_body = False

    def handle_data(self, data: str) -> None:
        if self.in_body and self.rows:
            self.rows[-1]["text"] += data


def record_rows(html: str) -> list[dict[str, Any]]:
    parser = _RecordRows()
    parser.feed(html)
    return [row for row in parser.rows if row["record"]]


def client_for(actor: User) -> Client:
    client = Client()
    login(client, actor)
    return client


def listed(client: Client, url: str) -> list[str]:
    """The detail URLs a figure's records page lists (every page of it)."""
    links: list[str] = []
    page = 1
    while True:
        response = client.get(f"{url}&page={page}")
        assert response.status_code == 200, url
        rows = record_rows(response.content.decode())
        links += [row["links"][0] for row in rows]
        if len(rows) < 50:
            return links
        page += 1


def case_url(case: Any) -> str:
    return reverse("cases:detail", args=[case.public_id])


def item_url(item: Any) -> str:
    return reverse("exchange:detail", args=[item.public_id])


def operation_url(kind: str, record: Any) -> str:
    return reverse("operations:detail", kwargs={"kind": kind, "public_id": record.public_id})


def forum_url(forum: Any) -> str:
    return reverse("mobilisation:forum_detail", args=[forum.public_id])


def task_url(task: Any) -> str:
    return reverse("reports:task_detail", args=[task.public_id])


# --- every figure, in the period and a year before ----------------------------------------------


def test_every_figure_counts_the_quarter_and_the_same_quarter_last_year(
    scenario: Scenario,
) -> None:
    figures = figures_of(scenario.ca_prov)

    assert values(figures) == {
        # item_joint (2 receipts) and item_to_commune (1) in quý III; item_last_year (2) in 2023.
        "exchange.received": (3, 2),
        # item_joint's Military receipt and item_to_commune's; both of 2023.
        "exchange.unacknowledged": (2, 2),
        "exchange.overdue": (2, 2),
        "exchange.verifications_due": (2, 1),
        "exchange.verifications_late": (1, 1),
        # case_a, case_first_day, case_last_day, case_b; case_last_year (not 15/09/2023: quý IV).
        "cases.count": (4, 1),
        # One person in case_a, two in case_first_day; one in case_last_year.
        "cases.persons": (3, 1),
        # Heroin in two cases; then, of the items in one case each, by catalogue order.
        "cases.seized.heroin": (Decimal("12.09"), Decimal(3)),
        "cases.seized.ma-tuy-da": (Decimal(5), Decimal(0)),
        "cases.seized.phao-no": (Decimal(2), Decimal(0)),
        # protection, patrol, the checkpoint operating since quý II, patrol_commune.
        "operations.count": (4, 1),
        "mobilisation.forums": (2, 1),
        "mobilisation.opinions": (22, 4),
        # Both communes owe the quarterly report each year; commune B sent nothing in 2024,
        # nobody sent anything in 2023.
        "submissions.due": (2, 2),
        "submissions.late": (1, 2),
        # Open today, whatever the period: no comparison.
        "tasks.open": (2, None),
    }


def test_the_quarter_follows_decree_09_boundaries(scenario: Scenario) -> None:
    """15/06 00:00 and 14/09 23:00 are in quý III; 14/06 and 20/09 are not."""
    q2 = figures_of(scenario.ca_prov, Period.parse("2024-Q2"))
    q4 = figures_of(scenario.ca_prov, Period.parse("2024-Q4"))
    assert q2.get("cases.count").value == 1  # case_before
    assert q4.get("cases.count").value == 1  # case_after
    assert q4.get("cases.count").last_year == 1  # case_after_last_year: 15/09/2023
    assert q2.get("operations.count").value == 1  # the checkpoint, operating since 01/05
    assert q4.get("operations.count").value == 1  # rescue_after
    assert q4.get("mobilisation.forums").value == 1 and q4.get("mobilisation.opinions").value == 9


def test_a_quarter_with_nothing_in_it_gives_zeros(scenario: Scenario) -> None:
    figures = figures_of(scenario.ca_prov, Period.parse("2021-Q1"))
    # Reports are owed every quarter by both communes, whether anything happened or not.
    assert figures.get("submissions.due").value == figures.get("submissions.due").last_year == 2
    for figure in figures.figures:
        if figure.key == "tasks.open" or figure.key.startswith("submissions."):
            continue
        assert (figure.value, figure.last_year) == (0, 0), figure.key
        assert figure.comparison == "bằng cùng kỳ năm 2020"
    assert not [f for f in figures.figures if f.key.startswith("cases.seized.")]


def test_the_comparison_is_written_as_official_reports_write_it(scenario: Scenario) -> None:
    figures = figures_of(scenario.ca_prov)
    assert figures.against == "cùng kỳ năm 2023"
    assert figures.get("cases.count").comparison == "tăng 03 vụ (300,0%) so với cùng kỳ năm 2023"
    assert figures.get("cases.count").trend == "up"
    assert figures.get("mobilisation.opinions").comparison == (
        "tăng 18 ý kiến (450,0%) so với cùng kỳ năm 2023"
    )
    assert figures.get("submissions.late").comparison == (
        "giảm 01 báo cáo (50,0%) so với cùng kỳ năm 2023"
    )
    assert figures.get("submissions.late").trend == "down"
    assert figures.get("exchange.unacknowledged").comparison == "bằng cùng kỳ năm 2023"
    assert figures.get("exchange.unacknowledged").trend == "same"
    heroin_figure = figures.get("cases.seized.heroin")
    assert heroin_figure.text == "12,09 gam heroin"
    assert heroin_figure.comparison == "tăng 9,09 gam heroin (303,0%) so với cùng kỳ năm 2023"
    # From zero there is no percentage.
    assert figures.get("cases.seized.ma-tuy-da").comparison == (
        "tăng 5 gam ma túy đá so với cùng kỳ năm 2023"
    )
    tasks = figures.get("tasks.open")
    assert (tasks.comparison, tasks.trend) == ("", "")
    assert tasks.note == "trong đó 01 quá hạn"


def test_a_receipt_not_yet_due_is_unacknowledged_but_not_overdue(world: OrgWorld) -> None:
    bp_post = user(world.u("bp_post_a"), roles=["officer"])
    ca_prov = user(world.u("ca_province"), roles=["officer"])
    with time_machine.travel(at("02/07/2024", 8), tick=False):
        send(bp_post, [world.u("ca_province")], at("01/07/2024", 8), urgency=Urgency.THUONG)  # 72 h
        send(bp_post, [world.u("ca_province")], at("30/06/2024", 8))  # Khẩn: due 01/07 08:00
        figures = figures_of(ca_prov)
    assert figures.get("exchange.received").value == 2
    assert figures.get("exchange.unacknowledged").value == 2
    assert figures.get("exchange.overdue").value == 1


# --- filters ------------------------------------------------------------------------------------


def test_the_force_filter_counts_what_that_force_took_part_in(scenario: Scenario) -> None:
    figures = values(figures_of(scenario.ca_prov, force=Force.objects.get(code="BP")))
    assert figures["cases.count"] == (1, 0)  # case_a, with the Border Guard post
    assert figures["cases.persons"] == (1, 0)
    assert figures["cases.seized.heroin"] == (Decimal("11.09"), Decimal(0))
    assert figures["operations.count"] == (1, 0)  # the protection
    assert figures["exchange.received"] == (0, 0)  # no Border Guard unit received anything
    assert figures["exchange.verifications_due"] == (0, 0)
    assert figures["mobilisation.forums"] == (0, 0)
    assert figures["submissions.due"] == (0, 0)  # the form is the Police communes'
    assert figures["tasks.open"] == (1, None)  # task_late, led by the Border Guard

    military = values(figures_of(scenario.ca_prov, force=Force.objects.get(code="QS")))
    assert military["cases.count"] == (0, 0)
    assert military["operations.count"] == (1, 0)  # the patrol
    assert military["exchange.received"] == (1, 0)  # item_joint's Military receipt
    assert military["exchange.verifications_due"] == (1, 0)  # answered by the Military


def test_category_and_domain_filter_only_the_cases(scenario: Scenario) -> None:
    smuggling = values(figures_of(scenario.ca_prov, category="smuggling"))
    assert smuggling["cases.count"] == (1, 0)  # case_first_day
    assert smuggling["cases.persons"] == (2, 0)
    assert smuggling["cases.seized.heroin"] == (Decimal(1), Decimal(0))
    assert smuggling["operations.count"] == (4, 1)  # untouched
    assert smuggling["exchange.received"] == (3, 2)
    sea = values(figures_of(scenario.ca_prov, domain="sea"))
    assert sea["cases.count"] == (1, 0)  # case_last_day
    assert sea["cases.persons"] == (0, 0)
    assert "cases.seized.heroin" not in sea
    assert sea["cases.seized.thuoc-la"] == (Decimal(10), Decimal(0))
    assert sea["mobilisation.forums"] == (2, 1)


def test_the_area_filter_counts_a_commune(scenario: Scenario, world: OrgWorld) -> None:
    commune_b = values(figures_of(scenario.ca_prov, area=world.commune_b))
    assert commune_b["cases.count"] == (2, 1)  # case_first_day, case_b; case_last_year
    assert commune_b["operations.count"] == (1, 0)  # the patrol
    assert commune_b["mobilisation.forums"] == (0, 1)


# --- what each user may see ---------------------------------------------------------------------


def test_a_commune_officer_counts_only_what_they_may_see(scenario: Scenario) -> None:
    commune = values(figures_of(scenario.ca_commune))
    assert commune == {
        "exchange.received": (1, 0),  # item_to_commune
        "exchange.unacknowledged": (1, 0),
        "exchange.overdue": (1, 0),
        "exchange.verifications_due": (1, 0),  # verification_late, on item_to_commune
        "exchange.verifications_late": (1, 0),
        "cases.count": (1, 0),  # case_a only: case_b is commune B's
        "cases.persons": (1, 0),
        "cases.seized.heroin": (Decimal("11.09"), Decimal(0)),
        "operations.count": (1, 0),  # patrol_commune
        "mobilisation.forums": (1, 0),  # forum_commune
        "mobilisation.opinions": (7, 0),
        "submissions.due": (1, 1),  # its own report only
        "submissions.late": (0, 1),
        "tasks.open": (0, None),  # tasks go to the provincial commands
    }
    province = values(figures_of(scenario.ca_prov))
    for key, (value, last_year) in commune.items():
        assert value <= province[key][0], key
        assert (last_year or 0) <= (province[key][1] or 0), key


def test_the_comparison_from_nothing_last_year_has_no_percentage(scenario: Scenario) -> None:
    figures = figures_of(scenario.ca_commune)
    assert figures.get("cases.count").comparison == "tăng 01 vụ so với cùng kỳ năm 2023"


def test_another_province_sees_none_of_it(scenario: Scenario, world: OrgWorld) -> None:
    outsider = user(world.u("ca_other_province"), roles=["officer", "commander"])
    for figure in figures_of(outsider).figures:
        assert figure.value == 0, figure.key
        assert figure.last_year in (0, None), figure.key


# --- the records behind each figure -------------------------------------------------------------


def test_each_counting_figure_lists_exactly_the_records_it_counted(scenario: Scenario) -> None:
    s = scenario
    client = client_for(s.ca_prov)
    figures = figures_of(s.ca_prov)
    expected = {
        # One row per receipt: item_joint twice (Police and Military), item_to_commune once.
        "exchange.received": sorted(
            [item_url(s["item_joint"])] * 2 + [item_url(s["item_to_commune"])]
        ),
        "exchange.unacknowledged": sorted(
            [item_url(s["item_joint"]), item_url(s["item_to_commune"])]
        ),
        "exchange.overdue": sorted([item_url(s["item_joint"]), item_url(s["item_to_commune"])]),
        "exchange.verifications_due": sorted(
            [item_url(s["item_joint"]), item_url(s["item_to_commune"])]
        ),
        "exchange.verifications_late": [item_url(s["item_to_commune"])],
        "cases.count": sorted(
            case_url(s[k]) for k in ("case_a", "case_first_day", "case_last_day", "case_b")
        ),
        "operations.count": sorted(
            [
                operation_url("protections", s["protection"]),
                operation_url("patrols", s["patrol"]),
                operation_url("checkpoints", s["checkpoint"]),
                operation_url("patrols", s["patrol_commune"]),
            ]
        ),
        "mobilisation.forums": sorted([forum_url(s["forum"]), forum_url(s["forum_commune"])]),
        "tasks.open": sorted([task_url(s["task_late"]), task_url(s["task_open"])]),
    }
    for key, urls in expected.items():
        figure = figures.get(key)
        links = listed(client, figure.url)
        assert sorted(links) == urls, key
        assert len(links) == figure.value, key
        for link in set(links):
            assert client.get(link).status_code == 200, (key, link)


def test_the_seized_figure_lists_the_cases_that_seized_the_item(scenario: Scenario) -> None:
    s = scenario
    client = client_for(s.ca_prov)
    figures = figures_of(s.ca_prov)
    heroin_links = listed(client, figures.get("cases.seized.heroin").url)
    assert sorted(heroin_links) == sorted([case_url(s["case_a"]), case_url(s["case_first_day"])])
    fireworks = listed(client, figures.get("cases.seized.phao-no").url)
    assert fireworks == [case_url(s["case_last_day"])]


def test_the_persons_and_opinions_figures_list_the_records_holding_them(
    scenario: Scenario,
) -> None:
    s = scenario
    client = client_for(s.ca_prov)
    figures = figures_of(s.ca_prov)
    persons = set(listed(client, figures.get("cases.persons").url))
    assert {case_url(s["case_a"]), case_url(s["case_first_day"])} <= persons
    assert case_url(s["case_after"]) not in persons
    opinions = listed(client, figures.get("mobilisation.opinions").url)
    assert sorted(opinions) == sorted([forum_url(s["forum"]), forum_url(s["forum_commune"])])


def test_the_submission_figures_open_the_list_of_the_reports_they_count(
    scenario: Scenario,
) -> None:
    """Both commune police owe the report (2), commune B has not sent it (1)."""
    client = client_for(scenario.ca_prov)
    figures = figures_of(scenario.ca_prov)
    for key in ("submissions.due", "submissions.late"):
        response = client.get(figures.get(key).url)
        assert response.status_code == 200, key
        rows = record_rows(response.content.decode())
        assert len(rows) == figures.get(key).value, key
    late = record_rows(client.get(figures.get("submissions.late").url).content.decode())
    assert ["Công an xã Thiên Cầm" in row["text"] for row in late] == [True]


def test_a_commune_officer_lists_only_what_they_may_see(
    scenario: Scenario, world: OrgWorld
) -> None:
    s = scenario
    client = client_for(s.ca_commune)
    figures = figures_of(s.ca_commune)
    assert listed(client, figures.get("cases.count").url) == [case_url(s["case_a"])]
    assert listed(client, figures.get("operations.count").url) == [
        operation_url("patrols", s["patrol_commune"])
    ]
    assert listed(client, figures.get("exchange.received").url) == [item_url(s["item_to_commune"])]
    assert listed(client, figures.get("mobilisation.forums").url) == [forum_url(s["forum_commune"])]
    assert listed(client, figures.get("tasks.open").url) == []
    # Another commune's case is not listed however the URL is written.
    for area in (None, world.commune_b):
        by_hand = figure_url("cases.count", Filters(period=Q3, area=area))
        assert case_url(s["case_b"]) not in listed(client, by_hand)
    assert client.get(case_url(s["case_b"])).status_code == 404


def test_the_filters_carry_over_to_the_records_page(scenario: Scenario) -> None:
    s = scenario
    client = client_for(s.ca_prov)
    border = figures_of(s.ca_prov, force=Force.objects.get(code="BP"))
    url = border.get("cases.count").url
    assert "force=BP" in url and "period=2024-Q3" in url
    assert listed(client, url) == [case_url(s["case_a"])]
    sea = figures_of(s.ca_prov, domain="sea")
    assert listed(client, sea.get("cases.count").url) == [case_url(s["case_last_day"])]


# --- trends -------------------------------------------------------------------------------------


def test_trends_cover_eight_quarters_by_participating_force(scenario: Scenario) -> None:
    result = {t.key: t for t in trends(actor=scenario.ca_prov, filters=Filters(period=Q3))}
    assert list(result) == ["cases", "operations", "exchange"]
    periods = [p.key for p in result["cases"].periods]
    assert periods == [
        "2022-Q4",
        "2023-Q1",
        "2023-Q2",
        "2023-Q3",
        "2023-Q4",
        "2024-Q1",
        "2024-Q2",
        "2024-Q3",
    ]
    # case_a counts once for the Police and once for the Border Guard; case_before in quý II;
    # case_last_year in quý III 2023, case_after_last_year (15/09/2023) in quý IV 2023.
    assert result["cases"].series == {
        "Công an": [0, 0, 0, 1, 1, 0, 1, 4],
        "Quân sự": [0, 0, 0, 0, 0, 0, 0, 0],
        "Bộ đội Biên phòng": [0, 0, 0, 0, 0, 0, 0, 1],
    }
    # The checkpoint operated in quý II and quý III; the protection had the Border Guard post,
    # the patrol the Military.
    assert result["operations"].series == {
        "Công an": [0, 0, 0, 1, 0, 0, 1, 4],
        "Quân sự": [0, 0, 0, 0, 0, 0, 0, 1],
        "Bộ đội Biên phòng": [0, 0, 0, 0, 0, 0, 0, 1],
    }
    # Items by the sending force: item_joint and item_last_year by the Border Guard post,
    # item_to_commune by the province police.
    assert result["exchange"].series == {
        "Công an": [0, 0, 0, 0, 0, 0, 0, 1],
        "Quân sự": [0, 0, 0, 0, 0, 0, 0, 0],
        "Bộ đội Biên phòng": [0, 0, 0, 1, 0, 0, 0, 1],
    }


def test_trends_of_a_commune_officer_count_only_their_records(scenario: Scenario) -> None:
    result = {t.key: t for t in trends(actor=scenario.ca_commune, filters=Filters(period=Q3))}
    assert result["cases"].series["Công an"] == [0, 0, 0, 0, 0, 0, 0, 1]
    assert result["cases"].series["Bộ đội Biên phòng"] == [0, 0, 0, 0, 0, 0, 0, 1]
    assert result["operations"].series["Công an"] == [0, 0, 0, 0, 0, 0, 0, 1]
    assert result["exchange"].series["Công an"] == [0, 0, 0, 0, 0, 0, 0, 1]
    assert result["exchange"].series["Bộ đội Biên phòng"] == [0] * 8
