"""The `phoihop` command: production guard, pass-through of exit codes, and the demo set-up."""

from __future__ import annotations

from pathlib import Path

from tests.deploy.conftest import PRODUCTION_ENV, RunPhoihop


def test_serve_refuses_to_start_without_a_secret_key(
    run_phoihop: RunPhoihop, tmp_path: Path
) -> None:
    result = run_phoihop("serve", "--bind", "127.0.0.1:0", env=PRODUCTION_ENV)

    assert result.returncode == 2
    assert "SECRET_KEY" in result.stderr
    assert "thiếu SECRET_KEY" in result.stderr
    # It stopped before doing anything: no collected static files, no database.
    assert not (tmp_path / "var" / "static").exists()
    assert not (tmp_path / "var" / "phoihop.sqlite3").exists()


def test_manage_passes_the_command_exit_status_through(run_phoihop: RunPhoihop) -> None:
    ok = run_phoihop("manage", "check", env={"PHOIHOP_MODE": "test"})
    unknown = run_phoihop("manage", "no_such_command", env={"PHOIHOP_MODE": "test"})

    assert ok.returncode == 0, ok.stderr
    assert unknown.returncode == 1
    assert "no_such_command" in unknown.stderr


def test_audit_verify_exits_zero_on_a_fresh_database(run_phoihop: RunPhoihop) -> None:
    env = {"PHOIHOP_MODE": "test"}
    migrated = run_phoihop("manage", "migrate", "--no-input", "-v0", env=env)
    assert migrated.returncode == 0, migrated.stderr

    result = run_phoihop("audit", "verify", env=env)

    assert result.returncode == 0, result.stdout + result.stderr


def test_demo_sets_up_an_empty_database_once_then_only_prints_the_logins(
    run_phoihop: RunPhoihop,
) -> None:
    first = run_phoihop("demo", "--no-serve")
    second = run_phoihop("demo", "--no-serve")

    assert first.returncode == 0, first.stdout + first.stderr
    assert "load_areas" in first.stdout
    assert "Tài khoản trình diễn" in first.stdout
    assert "http://127.0.0.1:8000/" in first.stdout
    assert second.returncode == 0, second.stdout + second.stderr
    assert "load_areas" not in second.stdout
    assert "Tài khoản trình diễn" in second.stdout
