"""Tampering with the audit table by SQL is found, and the first bad entry is named."""

from __future__ import annotations

import io
import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from phoihop.audit.chain import FIELDS, GENESIS, ProblemCode, entry_hash
from phoihop.audit.models import AuditEntry
from phoihop.audit.selectors import audit_chain_verify
from tests.audit.conftest import execute


def verify() -> tuple[int, str]:
    """Run `manage.py audit_verify`: its exit code and everything it printed."""
    out = io.StringIO()
    try:
        call_command("audit_verify", stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue() + str(exc)
    return 0, out.getvalue()


def test_an_intact_chain_verifies_and_exits_zero(chain):
    code, output = verify()
    assert code == 0
    assert f"Đã kiểm tra {len(chain)} mục nhật ký." in output
    assert "Chuỗi nhật ký nguyên vẹn." in output
    assert chain[-1].hash in output


def test_an_empty_log_verifies(db):
    assert audit_chain_verify().ok
    assert verify()[0] == 0


def test_the_chain_links_every_entry_to_the_one_before(chain):
    assert [e.seq for e in chain] == list(range(1, len(chain) + 1))
    assert chain[0].prev_hash == GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(chain))


def test_a_row_changed_by_sql_is_named(chain):
    victim = chain[5]
    execute(
        "UPDATE audit_auditentry SET object_repr = %s WHERE seq = %s",
        ["Đơn vị khác", victim.seq],
    )
    code, output = verify()
    assert code == 1
    assert f"mục #{victim.seq}:" in output
    assert "đã bị sửa" in output
    assert f"Đã kiểm tra {victim.seq - 1} mục nhật ký." in output


def test_a_changed_timestamp_is_named(chain):
    victim = chain[3]
    execute("UPDATE audit_auditentry SET at = %s WHERE seq = %s", [chain[0].at, victim.seq])
    report = audit_chain_verify()
    assert (report.problem.seq, report.problem.code) == (victim.seq, ProblemCode.CHANGED)


def test_a_row_changed_with_its_hash_recomputed_breaks_the_next_link(chain):
    victim = chain[4]
    forged = {name: getattr(victim, name) for name in ("seq", "at", "actor_id")}
    forged |= {
        "actor_username": "nguoi.khac",
        "actor_unit": victim.actor_unit,
        "action": victim.action,
        "object_type": victim.object_type,
        "object_id": victim.object_id,
        "object_repr": victim.object_repr,
        "changes": victim.changes,
        "ip": victim.ip,
        "user_agent": victim.user_agent,
        "prev_hash": victim.prev_hash,
    }
    execute(
        "UPDATE audit_auditentry SET actor_username = %s, hash = %s WHERE seq = %s",
        ["nguoi.khac", entry_hash(forged), victim.seq],
    )
    report = audit_chain_verify()
    assert report.problem.seq == victim.seq + 1
    assert report.problem.code == ProblemCode.BROKEN_LINK
    assert verify()[0] == 1


def test_a_deleted_row_is_named_by_the_gap_it_leaves(chain):
    victim = chain[7]
    execute("DELETE FROM audit_auditentry WHERE seq = %s", [victim.seq])
    code, output = verify()
    assert code == 1
    assert f"mục #{victim.seq + 1}:" in output
    assert f"thiếu mục #{victim.seq}" in output


def test_the_first_row_deleted_is_found(chain):
    execute("DELETE FROM audit_auditentry WHERE seq = 1")
    report = audit_chain_verify()
    assert (report.problem.seq, report.problem.expected_seq) == (2, 1)
    assert report.checked == 0


def test_a_forged_row_inserted_at_the_end_is_named(chain):
    last = chain[-1]
    execute(
        "INSERT INTO audit_auditentry (seq, at, actor_username, actor_unit, action, object_type,"
        " object_id, object_repr, changes, ip, user_agent, prev_hash, hash)"
        " VALUES (%s, %s, 'ke.gia.mao', '', 'login', '', '', '', '{}', '', '', %s, %s)",
        [last.seq + 1, last.at, last.hash, "f" * 64],
    )
    code, output = verify()
    assert code == 1
    assert f"mục #{last.seq + 1}:" in output
    assert f"Đã kiểm tra {len(chain)} mục nhật ký." in output


def test_a_forged_row_slipped_into_the_middle_is_named(chain):
    # Making room for it means renumbering what follows: the first renumbered row is named.
    position = chain[9].seq
    for entry in reversed(chain[9:]):
        execute("UPDATE audit_auditentry SET seq = %s WHERE seq = %s", [entry.seq + 1, entry.seq])
    values = dict.fromkeys(FIELDS, "") | {
        "seq": position,
        "at": chain[8].at,
        "actor_id": None,
        "actor_username": "ke.gia.mao",
        "action": "login",
        "changes": {},
        "prev_hash": chain[8].hash,
    }
    execute(
        "INSERT INTO audit_auditentry (seq, at, actor_username, actor_unit, action, object_type,"
        " object_id, object_repr, changes, ip, user_agent, prev_hash, hash)"
        " VALUES (%s, %s, 'ke.gia.mao', '', 'login', '', '', '', '{}', '', '', %s, %s)",
        [position, chain[8].at, chain[8].hash, entry_hash(values)],
    )
    report = audit_chain_verify()
    assert report.problem.seq == position + 1
    assert report.problem.code == ProblemCode.BROKEN_LINK
    assert report.checked == position


def test_the_command_output_names_the_entry_in_vietnamese(chain):
    execute("UPDATE audit_auditentry SET ip = '203.0.113.9' WHERE seq = 2")
    with pytest.raises(CommandError) as err:
        call_command("audit_verify", stdout=io.StringIO())
    assert err.value.returncode == 1
    assert str(err.value) == (
        "Chuỗi nhật ký bị phá vỡ tại mục #2: nội dung không khớp với mã băm của nó (đã bị sửa)"
    )


def test_nothing_was_changed_by_verifying(chain):
    before = list(AuditEntry.objects.order_by("seq").values_list("seq", "hash"))
    verify()
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", "hash")) == before


def test_the_command_line_exits_zero_then_one_after_tampering(chain, capsys, monkeypatch):
    from django.core.management import base, execute_from_command_line

    # run_from_argv closes the connections when done: that would end the test's transaction.
    monkeypatch.setattr(base.connections, "close_all", lambda: None)

    execute_from_command_line(["manage.py", "audit_verify"])  # returns: exit code 0
    assert "Chuỗi nhật ký nguyên vẹn." in capsys.readouterr().out

    execute("UPDATE audit_auditentry SET action = 'logout' WHERE seq = 3")
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "audit_verify"])
    assert exited.value.code == 1
    assert "mục #3:" in capsys.readouterr().err
