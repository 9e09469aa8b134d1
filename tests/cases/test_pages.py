"""The case registry pages through the test client: list with filters and totals, create and
edit with inline rows, transitions, wanted persons, and what an actor may not see or change."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from phoihop.audit.models import AuditEntry
from phoihop.cases.models import Case, CaseTransition, SeizedItem, Subject, WantedPerson
from phoihop.cases.services import (
    SeizedData,
    SubjectData,
    case_start_verification,
    case_update,
    wanted_create,
)
from tests.cases.conftest import at, make_case
from tests.factories import OrgWorld, login, user

pytestmark = pytest.mark.django_db


def client_for(person: Any) -> Client:
    client = Client()
    login(client, person)
    return client


def html_of(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def field_error(html: str, field_id: str) -> str:
    found = re.search(rf'id="id_{re.escape(field_id)}_error">([^<]+)</div>', html)
    assert found, f"no error shown on {field_id}"
    return found.group(1)


def totals_of(html: str) -> dict[str, Any]:
    panel = re.search(r'data-testid="totals">(.*?)</section>', html, re.S)
    assert panel
    text = panel.group(1)

    def one(testid: str) -> str:
        found = re.search(rf'data-testid="{testid}">([^<]+)<', text)
        return found.group(1) if found else ""

    return {
        "cases": one("total-cases"),
        "persons": one("total-persons"),
        "organisations": one("total-organisations"),
        "seized": re.findall(r'data-testid="seized-total">([^<]+)</li>', text),
        "by_lead_force": re.findall(
            r"<li>([^<]+)</li>",
            re.search(r'data-testid="total-by-lead-force">(.*?)</ul>', text, re.S).group(1),  # type: ignore[union-attr]
        ),
    }


def listed_titles(html: str) -> list[str]:
    return re.findall(r'class="fw-semibold case-title"[^>]*>([^<]+)</a>', html)


def nothing_saved() -> None:
    assert Case.all_objects.count() == 0
    assert Subject.all_objects.count() == 0
    assert SeizedItem.all_objects.count() == 0
    assert not AuditEntry.objects.filter(object_type__startswith="cases.").exists()


def case_post(world: OrgWorld, lead: Any, **overrides: Any) -> dict[str, Any]:
    """The create form as a browser posts it: two subjects and heroin in two units."""
    data: dict[str, Any] = {
        "title": "Vận chuyển trái phép chất ma túy qua biên giới",
        "summary": "Bắt quả tang hai đối tượng.",
        "category": "drugs",
        "domain": "land_border",
        "commune": world.commune_a.code,
        "detected_at": "01/08/2024 09:30",
        "occurred_at": "",
        "lead_unit": str(lead.public_id),
        "detecting_unit": "",
        "classification": "0",
        "latitude": "",
        "longitude": "",
    }
    data.update(subject_row(0, name="Nguyễn Văn A", birth_year="1990", citizen_id="042090001234"))
    data.update(subject_row(1, name="Trần Thị B", birth_date="05/03/2001", sex="female"))
    data.update(seized_row(0, item="heroin", quantity="0,01", unit="kg"))
    data.update(seized_row(1, item="heroin", quantity="1,09", unit="gam"))
    data.update(overrides)
    return data


def subject_row(key: int, **values: str) -> dict[str, str]:
    row = {
        "row": "1",
        "public_id": "",
        "version": "",
        "kind": "person",
        "name": "",
        "other_names": "",
        "birth_date": "",
        "birth_year": "",
        "sex": "",
        "citizen_id": "",
        "passport": "",
        "nationality": "Việt Nam",
        "registration_number": "",
        "address": "",
        "phone": "",
        "role": "suspect",
        "result": "",
    }
    row.update(values)
    return {f"subjects-{key}-{name}": value for name, value in row.items()}


def seized_row(key: int, **values: str) -> dict[str, str]:
    row = {"row": "1", "public_id": "", "version": "", "item": "", "quantity": "", "unit": ""}
    row.update({"note": ""}, **values)
    return {f"seized_items-{key}-{name}": value for name, value in row.items()}


@pytest.fixture
def province_officer(world: OrgWorld) -> Any:
    return user(world.u("ca_province"), roles=["officer"])


# --- navigation and list -------------------------------------------------------------------


def test_cases_is_a_live_entry_of_the_main_navigation(officer: Any) -> None:
    html = html_of(client_for(officer).get(reverse("cases:index")))
    assert re.search(r'<a class="nav-link active" href="/cases/"[^>]*>Vụ việc</a>', html)


def test_the_list_filters_by_category_status_and_period(world: OrgWorld, officer: Any) -> None:
    make_case(officer, world, title="Ma túy tháng 8")
    make_case(officer, world, title="Pháo tháng 8", category="weapons")
    verifying = make_case(officer, world, title="Ma túy đang xác minh")
    case_start_verification(actor=officer, case=verifying)
    make_case(officer, world, title="Ma túy tháng 6", detected_at=at("15/06/2024"))
    client = client_for(officer)

    drugs = html_of(client.get(reverse("cases:index"), {"category": "drugs"}))
    assert sorted(listed_titles(drugs)) == [
        "Ma túy tháng 6",
        "Ma túy tháng 8",
        "Ma túy đang xác minh",
    ]
    assert totals_of(drugs)["cases"] == "03"

    august = html_of(
        client.get(
            reverse("cases:index"),
            {"category": "drugs", "detected_from": "01/08/2024", "detected_to": "31/08/2024"},
        )
    )
    assert sorted(listed_titles(august)) == ["Ma túy tháng 8", "Ma túy đang xác minh"]

    status = html_of(client.get(reverse("cases:index"), {"status": "verifying"}))
    assert listed_titles(status) == ["Ma túy đang xác minh"]
    assert totals_of(status)["cases"] == "01"

    text = html_of(client.get(reverse("cases:index"), {"q": "phao"}))
    assert listed_titles(text) == ["Pháo tháng 8"]


def test_the_list_filters_by_area_and_force(world: OrgWorld, officer: Any) -> None:
    make_case(officer, world, title="Ở Sơn Kim 1")
    make_case(
        officer,
        world,
        title="Ở Thiên Cầm, có Biên phòng",
        commune=world.commune_b,
        cooperating_units=[world.u("bp_post_a")],
    )
    client = client_for(officer)
    html = html_of(client.get(reverse("cases:index")))
    # The area select offers the province and its communes by official code.
    assert '<option value="42">Toàn Tỉnh Hà Tĩnh</option>' in html
    assert '<option value="18676">Xã Thiên Cầm</option>' in html

    in_b = html_of(client.get(reverse("cases:index"), {"area": world.commune_b.code}))
    assert listed_titles(in_b) == ["Ở Thiên Cầm, có Biên phòng"]
    border = html_of(client.get(reverse("cases:index"), {"force": "BP"}))
    assert listed_titles(border) == ["Ở Thiên Cầm, có Biên phòng"]
    whole = html_of(client.get(reverse("cases:index"), {"area": "42"}))
    assert len(listed_titles(whole)) == 2


def test_totals_count_cases_persons_organisations_forces_and_seized_goods(
    world: OrgWorld, officer: Any
) -> None:
    make_case(
        officer,
        world,
        subjects=[
            SubjectData(name="Nguyễn Văn A", citizen_id="042090001234"),
            SubjectData(name="Trần Văn C"),
            SubjectData(name="Người làm chứng", role="witness"),
            SubjectData(name="Công ty TNHH X", kind="organisation"),
        ],
        seized=[
            SeizedData(item="heroin", quantity="0,01", unit="kg"),
            SeizedData(item="heroin", quantity="1,09", unit="gam"),
            SeizedData(item="ma-tuy-tong-hop", quantity="1.508", unit="viên"),
        ],
    )
    make_case(
        officer,
        world,
        subjects=[SubjectData(name="Lê Văn D")],
        seized=[SeizedData(item="kip-no", quantity="5", unit="kíp")],
    )

    totals = totals_of(html_of(client_for(officer).get(reverse("cases:index"))))

    assert totals["cases"] == "02"
    assert totals["persons"] == "03"
    assert totals["organisations"] == "01"
    assert totals["by_lead_force"] == ["Công an: 02 vụ"]
    assert totals["seized"] == [
        "11,09 gam heroin",
        "1.508 viên ma túy tổng hợp",
        "05 kíp nổ",
    ]


def test_totals_never_count_cases_the_user_cannot_see(
    world: OrgWorld, officer: Any, province_officer: Any
) -> None:
    make_case(
        officer, world, title="Của Sơn Kim 1", seized=[SeizedData(item="heroin", quantity="2")]
    )
    neighbour = user(world.u("ca_commune_b"), roles=["officer"])
    make_case(
        neighbour,
        world,
        title="Của Thiên Cầm",
        commune=world.commune_b,
        subjects=[SubjectData(name="Phạm Văn E")],
        seized=[SeizedData(item="heroin", quantity="7")],
    )
    other = user(world.u("ca_other_province"), roles=["officer"])
    assert other.unit is not None

    mine = html_of(client_for(officer).get(reverse("cases:index")))
    assert listed_titles(mine) == ["Của Sơn Kim 1"]
    assert totals_of(mine)["cases"] == "01"
    assert totals_of(mine)["persons"] == "0"
    assert totals_of(mine)["seized"] == ["2 gam heroin"]

    # Filtering cannot reach the neighbour's case either.
    filtered = html_of(
        client_for(officer).get(reverse("cases:index"), {"area": world.commune_b.code})
    )
    assert totals_of(filtered)["cases"] == "0"
    assert totals_of(filtered)["seized"] == []

    province = html_of(client_for(province_officer).get(reverse("cases:index")))
    assert totals_of(province)["cases"] == "02"
    assert totals_of(province)["seized"] == ["9 gam heroin"]

    elsewhere = html_of(client_for(other).get(reverse("cases:index")))
    assert totals_of(elsewhere)["cases"] == "0"
    assert listed_titles(elsewhere) == []


def test_the_list_and_its_totals_read_a_bounded_number_of_queries(
    world: OrgWorld, officer: Any
) -> None:
    def add_cases(count: int) -> None:
        for n in range(count):
            make_case(
                officer,
                world,
                title=f"Vụ {n}",
                subjects=[SubjectData(name=f"Đối tượng {n}")],
                seized=[SeizedData(item="heroin", quantity="1")],
                cooperating_units=[world.u("bp_post_a")],
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            html_of(client.get(reverse("cases:index"), {"category": "drugs", "force": "BP"}))
        return len(context)

    client = client_for(officer)
    add_cases(2)
    few = queries()
    add_cases(10)
    assert queries() == few <= 35


# --- create ----------------------------------------------------------------------------------


def test_create_saves_the_case_with_its_inline_rows_in_one_go(
    world: OrgWorld, officer: Any
) -> None:
    client = client_for(officer)
    form = html_of(client.get(reverse("cases:create")))
    assert 'id="subject-rows"' in form and 'id="seized-rows"' in form
    assert 'hx-get="/cases/rows/subjects/"' in form

    response = client.post(reverse("cases:create"), case_post(world, world.u("ca_commune_a")))

    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("cases:detail", args=[case.public_id])
    assert sorted(s.name for s in case.subjects.all()) == ["Nguyễn Văn A", "Trần Thị B"]
    rows = list(case.seized_items.order_by("id"))
    assert [(r.entered_quantity, r.entered_unit, r.quantity) for r in rows] == [
        (Decimal("0.01"), "kg", Decimal("10")),
        (Decimal("1.09"), "gam", Decimal("1.09")),
    ]
    detail = html_of(client.get(response.url))
    assert "Đã ghi nhận vụ việc số 01/VV-CAX-SK1." in detail
    entered = re.findall(r'data-testid="seized-entered">([^<]+)<', detail)
    canonical = re.findall(r'data-testid="seized-canonical">([^<]+)<', detail)
    assert entered == ["0,01 kg", "1,09 gam"]
    assert canonical == ["10 gam", "1,09 gam"]


def test_blank_rows_left_in_the_form_are_ignored(world: OrgWorld, officer: Any) -> None:
    data = case_post(world, world.u("ca_commune_a"))
    data.update(subject_row(5))
    data.update(seized_row(7))
    response = client_for(officer).post(reverse("cases:create"), data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.subjects.count() == 2
    assert case.seized_items.count() == 2


def test_a_row_removed_from_the_page_is_not_saved(world: OrgWorld, officer: Any) -> None:
    data = {
        k: v for k, v in case_post(world, world.u("ca_commune_a")).items() if "subjects-0-" not in k
    }
    response = client_for(officer).post(reverse("cases:create"), data)
    assert response.status_code == 302
    assert [s.name for s in Case.objects.get().subjects.all()] == ["Trần Thị B"]


def test_a_bad_subject_row_shows_its_error_on_that_row_and_saves_nothing(
    world: OrgWorld, officer: Any
) -> None:
    data = case_post(world, world.u("ca_commune_a"), **{"subjects-1-citizen_id": "04209000123"})
    response = client_for(officer).post(reverse("cases:create"), data)

    html = html_of(response)
    assert field_error(html, "subjects-1-citizen_id") == (
        "Số định danh cá nhân phải gồm đúng 12 chữ số."
    )
    assert "Chưa lưu được: hãy sửa các mục được đánh dấu bên dưới." in html
    # The user's input is kept, rows and all.
    assert 'value="Nguyễn Văn A"' in html and 'value="0,01"' in html
    nothing_saved()


def test_a_bad_seized_row_shows_its_error_on_that_row_and_saves_nothing(
    world: OrgWorld, officer: Any
) -> None:
    data = case_post(world, world.u("ca_commune_a"), **{"seized_items-1-unit": "viên"})
    response = client_for(officer).post(reverse("cases:create"), data)
    html = html_of(response)
    assert "không nhập theo đơn vị “viên”" in field_error(html, "seized_items-1-unit")
    nothing_saved()

    data = case_post(world, world.u("ca_commune_a"), **{"seized_items-0-quantity": "-1"})
    html = html_of(client_for(officer).post(reverse("cases:create"), data))
    assert field_error(html, "seized_items-0-quantity") == "Số lượng không được âm."
    nothing_saved()


def test_a_malformed_row_date_is_refused_by_the_form_and_saves_nothing(
    world: OrgWorld, officer: Any
) -> None:
    data = case_post(world, world.u("ca_commune_a"), **{"subjects-0-birth_date": "31/02/1990"})
    html = html_of(client_for(officer).post(reverse("cases:create"), data))
    assert field_error(html, "subjects-0-birth_date")
    nothing_saved()


def test_a_case_field_error_is_shown_on_the_case_field(world: OrgWorld, officer: Any) -> None:
    data = case_post(world, world.u("ca_commune_a"), detected_at="01/08/2999 09:00")
    html = html_of(client_for(officer).post(reverse("cases:create"), data))
    assert field_error(html, "detected_at") == "Thời điểm phát hiện không được ở tương lai."
    nothing_saved()


def test_the_row_view_returns_a_blank_row_and_moves_the_counter_on(officer: Any) -> None:
    client = client_for(officer)
    html = html_of(
        client.get(reverse("cases:row", args=["seized_items"]), {"seized_items-next": "3"})
    )
    assert 'name="seized_items-3-item"' in html
    assert 'hx-target="#id_seized_items-3-unit"' in html
    assert re.search(
        r'id="seized_items-next" name="seized_items-next" value="4" hx-swap-oob="true"', html
    )
    subjects = html_of(client.get(reverse("cases:row", args=["subjects"]), {"subjects-next": "2"}))
    assert 'name="subjects-2-citizen_id"' in subjects
    assert client.get(reverse("cases:row", args=["other"])).status_code == 404


def test_unit_options_follow_the_chosen_item(officer: Any) -> None:
    html = html_of(
        client_for(officer).get(reverse("cases:unit_options"), {"seized_items-4-item": "heroin"})
    )
    assert re.findall(r'<option value="([^"]+)">', html) == ["gam", "mg", "kg"]


# --- detail and edit -------------------------------------------------------------------------


def test_detail_shows_participants_subjects_seized_and_transition_buttons(
    world: OrgWorld, officer: Any, two_subjects: Any, heroin_in_two_units: Any
) -> None:
    case = make_case(
        officer,
        world,
        subjects=two_subjects,
        seized=heroin_in_two_units,
        cooperating_units=[world.u("bp_post_a")],
    )
    html = html_of(client_for(officer).get(reverse("cases:detail", args=[case.public_id])))
    assert re.search(r'data-force="CA">.*?Công an xã Sơn Kim 1 \(chủ trì\)', html, re.S)
    assert re.search(r'data-force="BP">.*?Đồn Biên phòng Sơn Kim \(phối hợp\)', html, re.S)
    assert len(re.findall(r'data-testid="subject"', html)) == 2
    assert 'data-testid="transition-verifying"' in html
    assert 'data-testid="transition-handled"' in html
    assert 'data-testid="transition-closed"' not in html

    # The cooperating Border Guard post sees the case but may not change it.
    border = user(world.u("bp_post_a"))
    seen = html_of(client_for(border).get(reverse("cases:detail", args=[case.public_id])))
    assert 'data-testid="transition-' not in seen
    assert "Sửa vụ việc" not in seen


def test_invisible_or_unknown_cases_are_404(world: OrgWorld, officer: Any) -> None:
    case = make_case(officer, world)
    stranger = client_for(user(world.u("ca_commune_b")))
    for name in ("cases:detail", "cases:edit"):
        assert stranger.get(reverse(name, args=[case.public_id])).status_code == 404
    assert stranger.post(reverse("cases:verify", args=[case.public_id])).status_code == 404
    assert client_for(officer).get(reverse("cases:detail", args=[uuid.uuid4()])).status_code == 404
    assert Case.objects.get().status == "detected"


def test_edit_by_someone_who_only_sees_the_case_is_forbidden(
    world: OrgWorld, officer: Any, province_officer: Any
) -> None:
    case = make_case(officer, world)
    client = client_for(province_officer)
    assert client.get(reverse("cases:detail", args=[case.public_id])).status_code == 200
    assert client.get(reverse("cases:edit", args=[case.public_id])).status_code == 403


def form_values(html: str) -> dict[str, Any]:
    """What a browser would post from the page's case form: inputs, selects, textareas."""
    form = re.search(r'<form method="post" novalidate class="case-form">(.*?)</form>', html, re.S)
    assert form
    body = form.group(1)
    data: dict[str, Any] = {}
    for tag in re.findall(r"<input[^>]*>", body):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if kind and kind.group(1) == "checkbox":
            if " checked" in tag:
                data[name.group(1)] = "on"
            continue
        data[name.group(1)] = value.group(1) if value else ""
    for name, options in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', body, re.S):
        chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', options)
        if "multiple" in body[body.index(f'name="{name}"') : body.index(f'name="{name}"') + 200]:
            data[name] = chosen
        elif chosen:
            data[name] = chosen[0]
        else:
            first = re.search(r'<option value="([^"]*)"', options)
            data[name] = first.group(1) if first else ""
    for name, text in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', body, re.S):
        data[name] = text.strip("\n").replace("&#x27;", "'")
    return {k: v.replace("&amp;", "&") if isinstance(v, str) else v for k, v in data.items()}


def test_edit_changes_the_case_and_its_rows_through_the_services(
    world: OrgWorld, officer: Any, two_subjects: Any, heroin_in_two_units: Any
) -> None:
    case = make_case(officer, world, subjects=two_subjects, seized=heroin_in_two_units)
    client = client_for(officer)
    data = form_values(html_of(client.get(reverse("cases:edit", args=[case.public_id]))))
    assert data["seized_items-0-quantity"] == "0,01" and data["seized_items-0-unit"] == "kg"
    data["title"] = "Vận chuyển 11,1 gam heroin"
    data["subjects-1-DELETE"] = "on"
    data["seized_items-1-quantity"] = "2,5"
    data.update(subject_row(9, name="Hoàng Văn F", role="arrested", result="arrested"))
    data.update(seized_row(4, item="ma-tuy-tong-hop", quantity="1.508", unit="viên"))

    response = client.post(reverse("cases:edit", args=[case.public_id]), data)

    assert response.status_code == 302, form_errors(response)
    case.refresh_from_db()
    assert case.title == "Vận chuyển 11,1 gam heroin"
    assert sorted(s.name for s in case.subjects.all()) == ["Hoàng Văn F", "Nguyễn Văn A"]
    assert Subject.all_objects.get(name="Trần Thị B").is_deleted
    assert sorted((s.item.code, s.quantity) for s in case.seized_items.all()) == [
        ("heroin", Decimal("2.5")),
        ("heroin", Decimal("10")),
        ("ma-tuy-tong-hop", Decimal("1508")),
    ]


def form_errors(response: Any) -> str:
    return re.sub(
        r"\s+", " ", " | ".join(re.findall(r'_error">([^<]+)<', response.content.decode()))
    )


def test_an_unchanged_edit_changes_nothing(
    world: OrgWorld, officer: Any, two_subjects: Any, heroin_in_two_units: Any
) -> None:
    case = make_case(officer, world, subjects=two_subjects, seized=heroin_in_two_units)
    client = client_for(officer)
    data = form_values(html_of(client.get(reverse("cases:edit", args=[case.public_id]))))
    response = client.post(reverse("cases:edit", args=[case.public_id]), data)
    assert response.status_code == 302, form_errors(response)
    case.refresh_from_db()
    assert case.version == 1
    assert AuditEntry.objects.filter(action="update").count() == 0


def test_edit_with_a_stale_version_is_refused_and_changes_nothing(
    world: OrgWorld, officer: Any, two_subjects: Any
) -> None:
    case = make_case(officer, world, subjects=two_subjects)
    client = client_for(officer)
    data = form_values(html_of(client.get(reverse("cases:edit", args=[case.public_id]))))
    # Someone else saves the case meanwhile.
    case_update(actor=officer, case=case, expected_version=1, changes={"summary": "Đã sửa"})
    data["title"] = "Tên mới"
    data.update(subject_row(8, name="Người mới"))

    html = html_of(client.post(reverse("cases:edit", args=[case.public_id]), data))

    assert "Bản ghi đã được người khác sửa" in html
    case.refresh_from_db()
    assert case.title != "Tên mới" and case.version == 2
    assert not Subject.objects.filter(name="Người mới").exists()


def test_a_bad_row_on_edit_undoes_the_whole_edit(
    world: OrgWorld, officer: Any, two_subjects: Any
) -> None:
    case = make_case(officer, world, subjects=two_subjects)
    client = client_for(officer)
    data = form_values(html_of(client.get(reverse("cases:edit", args=[case.public_id]))))
    data["title"] = "Tên mới"
    data["subjects-0-citizen_id"] = "12345"
    data.update(seized_row(3, item="heroin", quantity="5", unit="gam"))

    html = html_of(client.post(reverse("cases:edit", args=[case.public_id]), data))

    assert field_error(html, "subjects-0-citizen_id") == (
        "Số định danh cá nhân phải gồm đúng 12 chữ số."
    )
    case.refresh_from_db()
    assert case.title == "Vận chuyển trái phép chất ma túy" and case.version == 1
    assert not SeizedItem.all_objects.exists()
    assert Subject.objects.get(name="Nguyễn Văn A").citizen_id == "042090001234"


# --- transitions -----------------------------------------------------------------------------


def test_verify_then_handle_with_a_fine(world: OrgWorld, officer: Any) -> None:
    case = make_case(officer, world)
    client = client_for(officer)
    response = client.post(
        reverse("cases:verify", args=[case.public_id]),
        {"verifying-version": "1", "verifying-note": "Giao PC04 xác minh"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("cases:handle", args=[case.public_id]),
        {
            "handled-version": "2",
            "handled-outcome": "administrative",
            "handled-fine_amount": "5.000.000",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.outcome, case.fine_amount) == (
        "handled",
        "administrative",
        Decimal(5000000),
    )
    html = html_of(client.get(reverse("cases:detail", args=[case.public_id])))
    assert "Mới phát hiện → Đang xác minh" in html and "Giao PC04 xác minh" in html
    assert "Xử phạt vi phạm hành chính · 5.000.000 đồng" in html
    assert 'data-testid="transition-closed"' in html


def test_a_refused_transition_shows_why_and_changes_nothing(world: OrgWorld, officer: Any) -> None:
    case = make_case(officer, world)
    client = client_for(officer)

    html = html_of(
        client.post(
            reverse("cases:handle", args=[case.public_id]),
            {"handled-version": "1", "handled-outcome": "administrative"},
        )
    )
    assert field_error(html, "handled-fine_amount") == "Phải nhập số tiền phạt."

    html = html_of(
        client.post(reverse("cases:close", args=[case.public_id]), {"closed-version": "1"})
    )
    assert "Không thể chuyển vụ việc từ “Mới phát hiện” sang “Đã kết thúc”." in html

    html = html_of(
        client.post(
            reverse("cases:transfer", args=[case.public_id]),
            {"transferred-version": "1", "transferred-transferred_to": ""},
        )
    )
    assert field_error(html, "transferred-transferred_to") == "Phải ghi cơ quan tiếp nhận."

    case_update(actor=officer, case=case, expected_version=1, changes={"summary": "Đã sửa"})
    html = html_of(
        client.post(reverse("cases:verify", args=[case.public_id]), {"verifying-version": "1"})
    )
    assert "Bản ghi đã được người khác sửa" in html

    case.refresh_from_db()
    assert case.status == "detected"
    assert not CaseTransition.objects.exists()


def test_only_those_who_may_change_a_case_move_it_on(
    world: OrgWorld, officer: Any, province_officer: Any
) -> None:
    case = make_case(officer, world)
    response = client_for(province_officer).post(
        reverse("cases:verify", args=[case.public_id]), {"verifying-version": "1"}
    )
    assert response.status_code == 403
    assert Case.objects.get().status == "detected"


# --- wanted persons --------------------------------------------------------------------------


def wanted_post(**overrides: str) -> dict[str, str]:
    data = {
        "notice_number": "15/QĐ-CSHS",
        "notice_date": "10/05/2024",
        "issuing_authority": "Cơ quan CSĐT Công an tỉnh Hà Tĩnh",
        "full_name": "Võ Văn G",
        "other_names": "",
        "birth_date": "",
        "birth_year": "1985",
        "sex": "male",
        "citizen_id": "",
        "address": "Xã Sơn Kim 1",
        "offence": "Mua bán trái phép chất ma túy",
        "classification": "0",
    }
    data.update(overrides)
    return data


def test_wanted_persons_are_created_listed_and_arrested(world: OrgWorld, officer: Any) -> None:
    client = client_for(officer)
    response = client.post(reverse("cases:wanted_create"), wanted_post())
    assert response.status_code == 302
    person = WantedPerson.objects.get()
    listing = html_of(client.get(reverse("cases:wanted")))
    assert "Võ Văn G" in listing and "15/QĐ-CSHS · 10/05/2024" in listing
    assert "Đang truy nã" in listing

    case = make_case(officer, world)
    form = html_of(client.get(reverse("cases:wanted_arrest", args=[person.public_id])))
    assert f'<option value="{case.public_id}">01/VV-CAX-SK1' in form
    response = client.post(
        reverse("cases:wanted_arrest", args=[person.public_id]),
        {
            "version": "1",
            "arrested_at": "02/08/2024 10:00",
            "arresting_unit": str(world.u("ca_commune_a").public_id),
            "case": str(case.public_id),
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.status, person.arrest_case, person.arresting_unit) == (
        "arrested",
        case,
        world.u("ca_commune_a"),
    )
    assert "Đã bắt" in html_of(client.get(reverse("cases:wanted"), {"status": "arrested"}))
    assert "Võ Văn G" not in html_of(client.get(reverse("cases:wanted"), {"status": "wanted"}))
    detail = html_of(client.get(reverse("cases:detail", args=[case.public_id])))
    assert "Bắt đối tượng truy nã Võ Văn G" in detail


def test_a_bad_wanted_person_shows_the_field_error_and_saves_nothing(officer: Any) -> None:
    html = html_of(
        client_for(officer).post(
            reverse("cases:wanted_create"), wanted_post(citizen_id="12", notice_date="01/01/2999")
        )
    )
    assert field_error(html, "citizen_id") == "Số định danh cá nhân phải gồm đúng 12 chữ số."
    assert not WantedPerson.all_objects.exists()


def test_an_arrest_before_the_notice_is_refused_and_changes_nothing(
    world: OrgWorld, officer: Any
) -> None:
    person = wanted_create(
        actor=officer,
        notice_number="15/QĐ",
        notice_date=at("10/05/2024").date(),
        issuing_authority="Công an tỉnh",
        full_name="Võ Văn G",
    )
    html = html_of(
        client_for(officer).post(
            reverse("cases:wanted_arrest", args=[person.public_id]),
            {
                "version": "1",
                "arrested_at": "01/05/2024 10:00",
                "arresting_unit": str(world.u("ca_commune_a").public_id),
            },
        )
    )
    assert field_error(html, "arrested_at") == (
        "Thời điểm bắt không được trước ngày quyết định truy nã."
    )
    person.refresh_from_db()
    assert person.status == "wanted" and person.version == 1


def test_invisible_wanted_persons_are_404(world: OrgWorld, officer: Any) -> None:
    person = wanted_create(
        actor=officer,
        notice_number="15/QĐ",
        notice_date=at("10/05/2024").date(),
        issuing_authority="Công an tỉnh",
        full_name="Võ Văn G",
    )
    stranger = client_for(user(world.u("ca_commune_b")))
    assert "Võ Văn G" not in html_of(stranger.get(reverse("cases:wanted")))
    assert stranger.get(reverse("cases:wanted_arrest", args=[person.public_id])).status_code == 404
    response = stranger.post(
        reverse("cases:wanted_arrest", args=[person.public_id]),
        {"version": "1", "arrested_at": "01/06/2024 10:00"},
    )
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.status == "wanted"


def test_someone_who_may_not_record_cases_is_told_so_and_nothing_is_saved(
    world: OrgWorld,
) -> None:
    staff = user(world.u("ca_province"), roles=["joint_staff"])
    data = case_post(world, world.u("ca_province"))
    html = html_of(client_for(staff).post(reverse("cases:create"), data))
    assert "Chỉ cán bộ hoặc chỉ huy của đơn vị được ghi nhận vụ việc." in html
    nothing_saved()
