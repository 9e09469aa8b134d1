"""Run the `phoihop` console script in a subprocess with an environment of our choosing."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

PHOIHOP = Path(sys.executable).parent / "phoihop"
# Variables the test run sets for itself; a subprocess must not inherit them by accident.
SCRUBBED_PREFIXES = ("DJANGO_", "PHOIHOP_", "SECRET_KEY", "STATICFILES_BACKEND", "ALLOWED_HOSTS")

# Production settings as an operator would set them, short of the SECRET_KEY.
PRODUCTION_ENV = {
    "PHOIHOP_MODE": "production",
    "DJANGO_DEBUG": "false",
    "ALLOWED_HOSTS": "phoihop.cong-an.example.vn",
    "CSRF_TRUSTED_ORIGINS": "https://phoihop.cong-an.example.vn",
}

RunPhoihop = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_phoihop(tmp_path: Path) -> RunPhoihop:
    """`run_phoihop("manage", "check", env={...})`: the console script, with var/ in tmp_path."""
    assert PHOIHOP.exists(), f"console script missing: {PHOIHOP} (pip install -e .)"

    def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        base = {k: v for k, v in os.environ.items() if not k.startswith(SCRUBBED_PREFIXES)}
        base.pop("DATABASE_URL", None)
        base.update({"PHOIHOP_VAR_DIR": str(tmp_path / "var"), **(env or {})})
        return subprocess.run(
            [str(PHOIHOP), *args],
            cwd=tmp_path,
            env=base,
            capture_output=True,
            text=True,
            timeout=600,
            stdin=subprocess.DEVNULL,
            check=False,
        )

    return run
