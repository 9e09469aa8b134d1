"""The pages: the unit's duties, the data-entry form, the commanders' decisions, the queue and the
completeness page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from phoihop.indicators.models import Submission
from phoihop.indicators.services import (
    submission_approve,
    submission_create,
    submission_submit,
    submission_values_set,
)
from tests.factories import login
from tests.indicators.conftest import People, Regime, at

pytestmark = pytest.mark.django_db

GOOD = {"t.patrols": "12", "t.subjects": "3", "t.wanted": "1", "t.budget": "2,5"}


def client_for(person) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, person)
    return client


def field_names(regime: Regime) -> dict[str, str]:
    return {
        "t.patrols": f"value_{regime.patrols.pk}",
        "t.subjects": f"value_{regime.subjects.pk}",
        "t.wanted": f"value_{regime.wanted.pk}",
        "t.budget": f"value_{regime.budget.pk}",
    }


def form_data(regime: Regime, submission: Submission, action: str, **values: str) -> dict[str, str]:
    names = field_names(regime)
    data = {names[code]: value for code, value in {**GOOD, **values}.items()}
    data["version"] = str(Submission.objects.get(pk=submission.pk).version)
    data["action"] = action
    return data


def opened(people: People, regime: Regime, key: str = "2024-Q3") -> Submission:
    opened_at = at("01/09/2024") if key == "2024-Q3" else at("01/06/2024")
    return submission_create(
        actor=people.officer, form=regime.commune_form, period=key, at=opened_at
    )


def test_the_unit_sees_what_it_owes_and_opens_a_report(regime, people):
    client = client_for(people.officer)
    page = client.get(reverse("indicators:index"), {"period": "2024-Q3"}).content.decode()
    assert "Báo cáo quý của Công an xã" in page and "Quý III năm 2024" in page
    assert "Lập báo cáo" in page

    response = client.post(reverse("indicators:open"), {"form": "t-ca-xa-quy", "period": "2024-Q3"})
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("indicators:submission", args=[submission.public_id])


def test_opening_an_unknown_period_shows_the_message_and_saves_nothing(regime, people):
    client = client_for(people.officer)
    response = client.post(
        reverse("indicators:open"), {"form": "t-ca-xa-quy", "period": "2024-Q7"}, follow=True
    )
    assert "Kỳ báo cáo “2024-Q7” không hợp lệ" in response.content.decode()
    assert not Submission.objects.exists()


def test_values_are_saved_the_vietnamese_way(regime, people):
    submission = opened(people, regime)
    client = client_for(people.officer)
    url = reverse("indicators:submission", args=[submission.public_id])
    response = client.post(url, form_data(regime, submission, "save", **{"t.patrols": "1.508"}))
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'value="1.508"' in page and 'value="2,5"' in page
    assert "Tính từ dữ liệu" in page


def test_a_negative_count_is_shown_on_its_box_and_nothing_is_saved(regime, people):
    submission = opened(people, regime)
    client = client_for(people.officer)
    url = reverse("indicators:submission", args=[submission.public_id])
    response = client.post(url, form_data(regime, submission, "save", **{"t.patrols": "-4"}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Chỉ tiêu “Số lượt tuần tra” không được âm" in page
    assert 'aria-invalid="true"' in page
    assert Submission.objects.get(pk=submission.pk).version == 1


def test_a_jump_asks_for_an_explanation_before_the_report_is_sent(regime, people):
    previous = opened(people, regime, "2024-Q2")
    submission_values_set(actor=people.officer, submission=previous, values=GOOD, localized=True)
    submission_submit(actor=people.officer, submission=previous, at=at("16/06/2024"))
    submission_approve(actor=people.commander, submission=previous, at=at("17/06/2024"))
    submission = opened(people, regime)
    client = client_for(people.officer)
    url = reverse("indicators:submission", args=[submission.public_id])

    page = client.post(url, form_data(regime, submission, "submit", **{"t.patrols": "60"}))
    html = page.content.decode()
    assert page.status_code == 200
    assert "cần giải trình" in html
    assert f'name="explanation_{regime.patrols.pk}"' in html
    assert Submission.objects.get(pk=submission.pk).status == "draft"

    data = form_data(regime, submission, "submit", **{"t.patrols": "60"})
    data[f"explanation_{regime.patrols.pk}"] = "Cao điểm tấn công trấn áp tội phạm."
    response = client.post(url, data, follow=True)
    assert "Đã gửi báo cáo lên Công an tỉnh Hà Tĩnh." in response.content.decode()
    assert Submission.objects.get(pk=submission.pk).status == "submitted"


def test_the_commander_returns_with_a_reason_and_approves_from_the_queue(regime, people):
    submission = opened(people, regime)
    submission_values_set(actor=people.officer, submission=submission, values=GOOD, localized=True)
    submission_submit(actor=people.officer, submission=submission, at=at("16/09/2024"))
    client = client_for(people.commander)

    queue = client.get(reverse("indicators:queue")).content.decode()
    assert "Công an xã Sơn Kim 1" in queue
    detail = client.get(
        reverse("indicators:submission", args=[submission.public_id])
    ).content.decode()
    assert "Duyệt báo cáo" in detail and "Lý do trả lại" in detail

    refused = client.post(reverse("indicators:return", args=[submission.public_id]), {"reason": ""})
    assert "Phải ghi lý do trả lại." in refused.content.decode()
    assert Submission.objects.get(pk=submission.pk).status == "submitted"

    client.post(reverse("indicators:return", args=[submission.public_id]), {"reason": "Bổ sung"})
    assert Submission.objects.get(pk=submission.pk).status == "returned"
    officer_page = (
        client_for(people.officer)
        .get(reverse("indicators:submission", args=[submission.public_id]))
        .content.decode()
    )
    assert "Cấp trên trả lại:" in officer_page and "Gửi lại báo cáo" in officer_page


def test_a_commander_of_another_unit_gets_no_buttons_and_a_refusal(regime, people):
    submission = opened(people, regime)
    submission_values_set(actor=people.officer, submission=submission, values=GOOD, localized=True)
    submission_submit(actor=people.officer, submission=submission, at=at("16/09/2024"))
    client = client_for(people.commune_commander)
    page = client.get(
        reverse("indicators:submission", args=[submission.public_id])
    ).content.decode()
    assert "Duyệt báo cáo" not in page
    response = client.post(reverse("indicators:approve", args=[submission.public_id]), follow=True)
    assert "Đơn vị không tự duyệt báo cáo của mình" in response.content.decode()
    assert Submission.objects.get(pk=submission.pk).status == "submitted"


def test_the_completeness_page_lists_who_is_late_or_missing(regime, people):
    submission = opened(people, regime)
    submission_values_set(actor=people.officer, submission=submission, values=GOOD, localized=True)
    submission_submit(actor=people.officer, submission=submission, at=at("22/09/2024"))
    page = (
        client_for(people.commander)
        .get(reverse("indicators:completeness"), {"period": "2024-Q3"})
        .content.decode()
    )
    assert "quý III năm 2024" in page
    assert 'data-testid="late-row" data-unit="CAX-SK1"' in page
    assert 'data-testid="late-row" data-unit="CAX-TC"' in page
    assert "quá hạn, chưa gửi" in page and "gửi muộn" in page
    bad = client_for(people.commander).get(reverse("indicators:completeness"), {"period": "Q3"})
    assert "không hợp lệ" in bad.content.decode()


def test_invisible_is_404_on_every_page_of_a_submission(regime, people):
    submission = opened(people, regime)
    client = client_for(people.other_commune_officer)
    for name in ("submission", "export"):
        assert (
            client.get(reverse(f"indicators:{name}", args=[submission.public_id])).status_code
            == 404
        )
    for name in ("approve", "return", "reopen", "import"):
        assert (
            client.post(reverse(f"indicators:{name}", args=[submission.public_id])).status_code
            == 404
        )
