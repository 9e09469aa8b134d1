"""Production settings pass Django's deployment checklist and refuse to run without a key."""

from __future__ import annotations

import secrets

from tests.deploy.conftest import PRODUCTION_ENV, RunPhoihop


def test_deploy_check_reports_no_warnings_with_production_settings(
    run_phoihop: RunPhoihop,
) -> None:
    result = run_phoihop(
        "manage",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**PRODUCTION_ENV, "SECRET_KEY": secrets.token_urlsafe(64)},
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr
    assert "ERROR" not in result.stderr


def test_production_settings_refuse_to_load_without_a_secret_key(
    run_phoihop: RunPhoihop,
) -> None:
    result = run_phoihop("manage", "check", env=PRODUCTION_ENV)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr
