"""The development tools (`phoihop_dev`: the demo province, synthetic volumes) stay out of a
production installation: no app in INSTALLED_APPS, and `phoihop demo` / `phoihop synth` refuse
to run, saying they are development commands, before touching any database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.deploy.conftest import PRODUCTION_ENV, SCRUBBED_PREFIXES, RunPhoihop

SECRET = {"SECRET_KEY": "a-production-key-that-is-long-enough-for-the-settings-0123456789"}
REFUSAL = "là lệnh dành cho phát triển, không dùng trong môi trường production"


def installed_apps(mode: str, tmp_path: Path) -> list[str]:
    """INSTALLED_APPS as config/settings.py builds them in `mode`, read in a fresh interpreter."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(SCRUBBED_PREFIXES)}
    env.pop("DATABASE_URL", None)
    env.update(
        {
            **PRODUCTION_ENV,
            **SECRET,
            "PHOIHOP_MODE": mode,
            "PHOIHOP_VAR_DIR": str(tmp_path / "var"),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from django.conf import settings; "
            "print(json.dumps(settings.INSTALLED_APPS))",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    apps: list[str] = json.loads(result.stdout)
    return apps


def development_apps(apps: list[str]) -> list[str]:
    return [a for a in apps if a.startswith("phoihop_dev") or a.startswith("phoihop.demo")]


def test_production_installs_no_development_app(tmp_path: Path) -> None:
    production = installed_apps("production", tmp_path)
    test = installed_apps("test", tmp_path)

    assert "phoihop.cases" in production
    assert development_apps(production) == []
    # The same settings in a development mode do install them: the test above can fail.
    assert development_apps(test) == ["phoihop_dev.demo", "phoihop_dev.synth"]


def test_synth_in_production_says_it_is_a_development_command(
    run_phoihop: RunPhoihop, tmp_path: Path
) -> None:
    result = run_phoihop(
        "synth", "--records", "100", "--last-year", "2024", env={**PRODUCTION_ENV, **SECRET}
    )

    assert result.returncode != 0
    assert f"phoihop synth: {REFUSAL}" in result.stderr
    assert "a development command, not for production" in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "var" / "phoihop.sqlite3").exists()


def test_demo_refuses_an_installation_that_says_it_is_production(
    run_phoihop: RunPhoihop, tmp_path: Path
) -> None:
    result = run_phoihop("demo", "--no-serve", env={**PRODUCTION_ENV, **SECRET})

    assert result.returncode != 0
    assert f"phoihop demo: {REFUSAL}" in result.stderr
    assert not (tmp_path / "var" / "phoihop.sqlite3").exists()
