"""The ORM has no way to change or remove an audit entry."""

from __future__ import annotations

import pytest

from phoihop.audit.models import AppendOnly, AuditEntry
from phoihop.audit.services import audit_record


@pytest.fixture
def entries(world):  # type: ignore[no-untyped-def]
    return list(AuditEntry.objects.order_by("seq"))


def test_saving_an_existing_entry_is_refused(entries):
    entry = entries[0]
    entry.object_repr = "sửa"
    with pytest.raises(AppendOnly):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).object_repr != "sửa"


def test_deleting_an_entry_is_refused(entries):
    with pytest.raises(AppendOnly):
        entries[0].delete()
    assert AuditEntry.objects.count() == len(entries)


def test_queryset_update_and_delete_are_refused(entries):
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(seq=1).update(object_repr="sửa")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.bulk_update(entries, ["object_repr"])
    assert AuditEntry.objects.count() == len(entries)
    assert not AuditEntry.objects.filter(object_repr="sửa").exists()


def test_bulk_create_cannot_bypass_the_chain(entries):
    with pytest.raises(AppendOnly):
        AuditEntry.objects.bulk_create([AuditEntry(seq=999, action="login", hash="x" * 64)])
    assert not AuditEntry.objects.filter(seq=999).exists()


def test_deleting_a_user_leaves_their_entries_and_the_chain_untouched(world):
    from tests.factories import user

    officer = user(world.u("ca_pc04"), username="se.bi.xoa")
    audit_record(actor=officer, action="export", object_type="test.report", object_id="1")
    officer_id = officer.pk
    officer.delete()
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor_id == officer_id
    assert entry.actor_username == "se.bi.xoa"
    from phoihop.audit.selectors import audit_chain_verify

    assert audit_chain_verify().ok
