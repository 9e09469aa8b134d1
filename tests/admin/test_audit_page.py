"""The administrators' audit page: filters, search, Vietnamese dates and the chain check."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.db import connection

from phoihop.audit.models import AuditEntry
from phoihop.audit.services import audit_record
from tests.factories import user


def rows(response) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    return list(response.context["cl"].result_list)


def test_the_list_shows_entries_newest_first_with_vietnamese_times(admin_site):
    with time_machine.travel(dt.datetime(2026, 3, 5, 1, 2, 3, tzinfo=dt.UTC), tick=False):
        audit_record(actor=None, action="export", object_type="reports.report", object_id="42")
    response = admin_site.get("/admin/audit/auditentry/")
    assert response.status_code == 200
    listed = rows(response)
    assert [e.seq for e in listed] == sorted((e.seq for e in listed), reverse=True)
    page = response.content.decode()
    # 01:02:03 UTC is 08:02:03 in Hà Nội.
    assert "05/03/2026 08:02:03" in page
    for header in ("Số thứ tự", "Thời điểm", "Tài khoản", "Đơn vị", "Hành động", "Bản ghi"):
        assert header in page
    assert "Kiểm tra chuỗi" in page


def test_filters_by_action_object_type_and_actor_unit(admin_site, world):
    officer = user(world.u("bp_post_a"), username="bienphong.sk")
    audit_record(actor=officer, action="export", object_type="reports.report", object_id="7")

    by_action = rows(admin_site.get("/admin/audit/auditentry/?action__exact=export"))
    assert [e.object_id for e in by_action] == ["7"]

    by_type = rows(admin_site.get("/admin/audit/auditentry/?object_type__exact=reports.report"))
    assert [e.object_id for e in by_type] == ["7"]

    response = admin_site.get("/admin/audit/auditentry/?actor_unit=DBP-SK")
    assert {e.actor_username for e in rows(response)} == {"bienphong.sk"}
    assert "DBP-SK — Đồn Biên phòng Sơn Kim" in response.content.decode()


def test_the_date_hierarchy_narrows_to_a_day(admin_site):
    with time_machine.travel(dt.datetime(2025, 12, 31, 20, 0, tzinfo=dt.UTC), tick=False):
        audit_record(actor=None, action="export", object_type="reports.report", object_id="nam")
    # 20:00 UTC on 31/12 is already 1 January 2026 in Hà Nội.
    day = rows(admin_site.get("/admin/audit/auditentry/?at__year=2026&at__month=1&at__day=1"))
    assert [e.object_id for e in day] == ["nam"]


def test_search_by_username_object_id_and_description(admin_site, world):
    officer = user(world.u("ca_pc04"), username="trinhsat.pc04")
    audit_record(
        actor=officer,
        action="view_classified",
        object_type="cases.case",
        object_id="c0ffee",
        object_repr="Vụ án ma túy tại xã Sơn Kim 1",
    )
    for term in ("trinhsat", "c0ffee", "Sơn Kim 1"):
        found = rows(admin_site.get("/admin/audit/auditentry/", {"q": term}))
        assert "c0ffee" in {e.object_id for e in found}, term


def test_an_entry_shows_its_changes_read_only(admin_site, world):
    entry = audit_record(
        actor=None, action="update", object_type="org.unit", changes={"tên": ["Cũ", "Mới"]}
    )
    page = admin_site.get(f"/admin/audit/auditentry/{entry.pk}/change/").content.decode()
    assert "&quot;tên&quot;" in page or '"tên"' in page
    assert entry.hash in page
    assert 'name="object_repr"' not in page
    assert 'name="_save"' not in page


def test_the_chain_check_reports_an_intact_chain_in_vietnamese(admin_site):
    count = AuditEntry.objects.count()
    response = admin_site.get("/admin/audit/auditentry/verify/")
    assert response.status_code == 200
    text = response.content.decode()
    assert f"Chuỗi nhật ký nguyên vẹn: đã kiểm tra {count} mục." in text
    last = AuditEntry.objects.order_by("-seq").first()
    assert last.hash in text


def test_the_chain_check_names_the_first_bad_entry(admin_site):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET actor_username = 'ai.do' WHERE seq = 4")
    response = admin_site.get("/admin/audit/auditentry/verify/")
    text = response.content.decode()
    assert "Chuỗi nhật ký bị phá vỡ tại mục #4:" in text
    assert "nội dung không khớp với mã băm của nó (đã bị sửa)" in text
    assert "3 mục trước đó nguyên vẹn." in text
    bad = AuditEntry.objects.get(seq=4)
    assert f"/admin/audit/auditentry/{bad.pk}/change/" in text


def test_officers_cannot_run_the_chain_check(world):
    from django.test import Client

    from tests.factories import login

    client = Client()
    login(client, user(world.u("ca_province"), roles=("joint_staff",)))
    assert client.get("/admin/audit/auditentry/verify/", follow=True).status_code == 403
